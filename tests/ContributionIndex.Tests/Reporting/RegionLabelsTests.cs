using ContributionIndex.Pipeline;
using ContributionIndex.Cli.Commands;
using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Reporting;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Ingest;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Reporting;

/// <summary>Region names per annex language (report.region_labels): the table's checks and its use in the annex.</summary>
public sealed class RegionLabelsTests(RegionalAnnexFixture fixture) : IClassFixture<RegionalAnnexFixture>
{
    private static StudyFileException Fails(string csv) =>
        Assert.Throws<StudyFileException>(() => RegionLabels.Read(new StringReader(csv), "labels.csv"));

    [Fact]
    public void Reads_names_per_language_and_trims_them()
    {
        var labels = RegionLabels.Read(new StringReader("region,en,ru,kk\nAbai , Abai region ,Абайская область,Абай облысы\n\"Osh, city\",Osh city,г. Ош,Ош қаласы\n"), "labels.csv");
        Assert.Equal(2, labels.Count);
        Assert.Equal("Абай облысы", labels.Find("Abai", "kk"));
        Assert.Equal("Абайская область", labels.Find(" Abai", "ru"));
        Assert.Equal("Abai region", labels.Find("Abai", "en"));
        Assert.Equal("Ош қаласы", labels.Find("Osh, city", "kk"));
        Assert.Null(labels.Find("Naryn", "kk"));
        Assert.Throws<ArgumentException>(() => labels.Find("Abai", "de"));
    }

    [Fact]
    public void Refusals_name_line_and_column()
    {
        var ex = Fails("region,en,kk,ru\n");
        Assert.Equal(1, ex.Location.Line);
        Assert.Contains("region,en,ru,kk", ex.Message);

        ex = Fails("region,en,ru,kk\nAbai,Abai region,Абайская область,\n");
        Assert.Equal((2L, 4), (ex.Location.Line, ex.Location.Column));
        Assert.Contains("kk field is empty", ex.Message);

        ex = Fails("region,en,ru,kk\nAbai,a,b,c\n\nAbai,a,b,c\n");
        Assert.Equal((4L, 1), (ex.Location.Line, ex.Location.Column));
        Assert.Contains("already appears on line 2", ex.Message);

        ex = Fails("region,en,ru,kk\nAbai,a,b\n");
        Assert.Equal(2, ex.Location.Line);
        Assert.Contains("3 fields", ex.Message);
    }

    [Fact]
    public void The_loader_refuses_a_missing_labels_file_at_its_key()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("log.csv"), "volunteer,hours\nv1,2\n");
        var path = dir.File("study.yaml");
        File.WriteAllText(path, "id: t-2023\nyear: 2023\nreference_period:\n  length_days: 28\n  annualisation_factor: 13\ninputs:\n  - name: log\n    kind: hour-log\n    path: log.csv\n    columns:\n      person_id: volunteer\n      hours: hours\nreport:\n  region_labels: regions.csv\n");
        var ex = Assert.Throws<StudyFileException>(() => StudyLoader.Load(path));
        Assert.Equal(14, ex.Location.Line);
        Assert.Contains("'regions.csv' do not exist", ex.Message);
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("report")]
    public void A_bad_labels_file_stops_validate_and_report_at_once_with_file_line_and_column(string command)
    {
        using var dir = new TempDirectory();
        var bad = dir.File("regions.csv");
        File.WriteAllText(bad, "region,en,ru,kk\nAbai,Abai region,,Абай облысы\n");
        var study = SampleStudies.Variant("kz", "region_labels: parameters/region-labels.csv", "region_labels: " + bad);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        string[] args = command == "validate" ? ["validate", study] : ["report", study, "--out", dir.File("out"), "--format", "csv"];
        var code = ContributionIndex.Cli.Program.Run(args, stdout, stderr);
        Assert.Equal(2, code);
        Assert.Matches(@"^error: .*regions\.csv:2:3 \(column 'ru'\): the ru field is empty", stderr.ToString());
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir.File("out")), "report stopped before any step wrote output");
    }

    [Fact]
    public void Every_region_row_of_the_kazakh_and_russian_annex_carries_the_name_from_the_labels_file()
    {
        // Independent reading of the sample file: plain comma split (no quoted fields in it).
        var file = fixture.Study.ResolvePath(fixture.Study.Report.RegionLabels!);
        var expected = File.ReadAllLines(file).Skip(1).Select(l => l.Split(','))
            .ToDictionary(f => f[0], f => (En: f[1], Ru: f[2], Kk: f[3]), StringComparer.Ordinal);
        var regions = fixture.Estimates.Countries
            .SelectMany(c => fixture.Estimates.ByDomain(c, VolunteerMeasures.Volunteers, PersonVariables.Region)).Select(e => e.DomainValue).Distinct().ToList();
        Assert.Equal(48, regions.Count); // 20 + 9 + 5 + 14 regions of the four sample countries

        foreach (var (language, pick) in new (string, Func<(string En, string Ru, string Kk), string>)[] { ("kk", n => n.Kk), ("ru", n => n.Ru), ("en", n => n.En) })
        {
            var annex = AnnexBuilder.Build(StudyRun.FromEstimates(fixture.Study, fixture.Estimates), ReportLanguage.ForAnnex(language), new AnnexOptions());
            var texts = annex.Tables.Single(t => t.Id == "T1").Rows.SelectMany(r => r.Cells).Select(c => c.Text).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var region in regions)
            {
                Assert.Contains(pick(expected[region]), texts);
                if (pick(expected[region]) != region) Assert.DoesNotContain(region, texts);
            }
        }
    }

    [Fact]
    public void A_region_without_a_row_stops_the_annex_with_the_file_named()
    {
        using var dir = new TempDirectory();
        var source = fixture.Study.ResolvePath(fixture.Study.Report.RegionLabels!);
        var partial = dir.File("regions.csv");
        File.WriteAllLines(partial, File.ReadAllLines(source).Where(l => !l.StartsWith("Naryn,", StringComparison.Ordinal)));
        // The absolute path: the run validates the changed copy and resolves the path again.
        var study = fixture.Study with { Report = fixture.Study.Report with { RegionLabels = partial }, AllowPathsOutsideStudyFolder = true };
        var ex = Assert.Throws<StudyFileException>(() => AnnexBuilder.Build(StudyRun.FromEstimates(study, fixture.Estimates), ReportLanguage.ForAnnex("kk"), new AnnexOptions()));
        Assert.Contains("region 'Naryn'", ex.Message);
        Assert.EndsWith("regions.csv", ex.Location.File, StringComparison.Ordinal);
    }
}
