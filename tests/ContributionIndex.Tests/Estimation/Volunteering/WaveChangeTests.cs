using System.Globalization;
using ContributionIndex.Cli;
using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Estimation.Volunteering;

/// <summary>Runs the KZ sample with its 2019 wave once for the change-table tests.</summary>
public sealed class KzWavesFixture
{
    public StudyRun Run { get; } = StudyRun.Load(SampleStudies.Study("kz"));
}

/// <summary>
/// Change over time (issue #19, methodology/change-over-time.md): the change table of the KZ sample (2019 → 2023)
/// against R survey 4.1-1 (tests/r/golden-waves.R), and the study-file rules of <c>previous_wave</c>.
/// </summary>
public sealed class WaveChangeTests(KzWavesFixture fixture) : IClassFixture<KzWavesFixture>
{
    private static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    private static void Close(double expected, double actual, string what)
    {
        var error = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(error <= 1e-9 || Math.Abs(actual - expected) <= 1e-12, $"{what}: C# {actual:R}, R {expected:R} (relative error {error:E2})");
    }

    /// <summary>
    /// Every row of R's change table (rate, hours, hours per volunteer, specialist value at 2023 prices; overall and by
    /// sex) is the run's: both waves' estimates and SEs, the CPI deflator, difference, SE, interval, t, p to 1e-9
    /// relative; df exact (the stacked design's) and the 5 % significance flag equal.
    /// </summary>
    [Fact]
    public void Change_table_of_the_two_wave_sample_matches_R()
    {
        var lines = File.ReadAllLines(Path.Combine(SampleStudies.RepositoryRoot, "tests", "r", "waves-golden.csv"));
        var header = lines[0].Split(',').Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        var changes = fixture.Run.Changes!;
        Assert.Equal((2019, 2023), (changes.PreviousYear, changes.CurrentYear));
        Assert.Equal(12, lines.Length - 1);
        foreach (var line in lines.Skip(1))
        {
            var f = line.Split(',');
            string Text(string column) => f[header[column]];
            double Value(string column) => Number(Text(column));
            var change = changes.Find(Text("country"), Text("variable"), Text("domain"), Text("domain_value"));
            Assert.NotNull(change);
            var what = $"{Text("variable")} {Text("domain_value")}";
            Close(Value("previous"), change.Previous.Estimate.Value, what + " previous");
            Close(Value("previous_se"), change.Previous.Estimate.StandardError, what + " previous SE");
            Close(Value("current"), change.Current.Estimate.Value, what + " current");
            Close(Value("current_se"), change.Current.Estimate.StandardError, what + " current SE");
            Close(Value("deflator"), change.Deflator, what + " deflator");
            Close(Value("difference"), change.Difference, what + " difference");
            Close(Value("se"), change.StandardError, what + " SE");
            Close(Value("ci_low"), change.ConfidenceLow, what + " CI low");
            Close(Value("ci_high"), change.ConfidenceHigh, what + " CI high");
            Close(Value("t"), change.T, what + " t");
            Close(Value("p"), change.P, what + " p");
            Assert.Equal(Value("df"), change.DegreesOfFreedom);
            Assert.Equal(Text("significant") == "yes", change.Significant);
        }

        // The sample has significant and non-significant differences, so the annex sentence names both kinds.
        Assert.Contains(changes.Changes, c => c.Significant);
        Assert.Contains(changes.Changes, c => !c.Significant);
    }

    /// <summary>The value is deflated by the current study's CPI series: previous × CPI(2023)/CPI(2019), its SE by the same factor.</summary>
    [Fact]
    public void The_previous_value_is_stated_at_current_prices_with_its_standard_error_scaled_alike()
    {
        var value = fixture.Run.Changes!.Find("KZ", "value_specialist_lcu")!;
        var cpi = fixture.Run.Study.Countries[0].Cpi;
        var deflator = cpi.Single(c => c.Year == 2023).Index / cpi.Single(c => c.Year == 2019).Index;
        Assert.Equal(114.53 / (100.0 * 189.3 / 251.1), deflator, 12);
        Assert.Equal(value.Previous.Estimate.Value * deflator, value.PreviousValue, 1e-3);
        Assert.Equal(value.Previous.Estimate.StandardError * deflator, value.PreviousStandardError, 1e-3);
        var se = Math.Sqrt(Math.Pow(value.Current.Estimate.StandardError, 2) + Math.Pow(value.Previous.Estimate.StandardError * deflator, 2));
        Assert.Equal(se, value.StandardError, 1e-3);
        Assert.Equal(1.0, fixture.Run.Changes!.Find("KZ", "volunteer_rate")!.Deflator);
    }

    /// <summary><c>contrib estimate STUDY</c> writes change.csv with the documented header and the run's numbers.</summary>
    [Fact]
    public void Contrib_estimate_writes_change_csv_beside_estimates_csv()
    {
        var folder = SampleStudies.NewTemporaryFolder();
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            var code = Program.Run(["estimate", SampleStudies.Study("kz"), "--out", Path.Combine(folder, "out")], stdout, stderr);
            Assert.True(code == ExitCodes.Success, stderr.ToString());
            Assert.Contains("change 2019-2023:", stdout.ToString(), StringComparison.Ordinal);
            var lines = File.ReadAllLines(Path.Combine(folder, "out", "change.csv"));
            Assert.Equal(WaveChangesCsv.Header, lines[0]);
            Assert.Equal(fixture.Run.Changes!.Changes.Count, lines.Length - 1);
            var rate = lines.Single(l => l.StartsWith("KZ,volunteer_rate,all,all,", StringComparison.Ordinal)).Split(',');
            var expected = fixture.Run.Changes!.Find("KZ", "volunteer_rate")!;
            Assert.Equal(expected.Difference, Number(rate[13]));
            Assert.Equal(expected.StandardError, Number(rate[14]));
            Assert.Equal(expected.Significant ? "yes" : "no", rate[20]);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>A study and its previous wave written into one temporary folder (data read where they are committed).</summary>
    internal static (string Current, string Previous) Waves(Func<string, string> editPrevious, Func<string, string>? editCurrent = null)
    {
        var folder = SampleStudies.NewTemporaryFolder();
        string Absolute(string text) => text
            .Replace("path: data/", "path: " + Path.Combine(SampleStudies.Folder, "data") + "/", StringComparison.Ordinal)
            .Replace("wages: parameters/", "wages: " + Path.Combine(SampleStudies.Folder, "parameters") + "/", StringComparison.Ordinal)
            .Replace("region_labels: parameters/", "region_labels: " + Path.Combine(SampleStudies.Folder, "parameters") + "/", StringComparison.Ordinal)
            + "allow_paths_outside_study_folder: true\n";
        var previous = Path.Combine(folder, "kz-2019.yaml");
        File.WriteAllText(previous, editPrevious(Absolute(File.ReadAllText(SampleStudies.Study("kz-2019")))));
        var current = Path.Combine(folder, "kz.yaml");
        File.WriteAllText(current, (editCurrent ?? (t => t))(Absolute(File.ReadAllText(SampleStudies.Study("kz")))));
        return (current, previous);
    }

    private static StudyFileException Refused(string current) => Assert.Throws<StudyFileException>(() => StudyLoader.Load(current));

    /// <summary>A previous wave may not name a previous wave of its own: the error names that key in the earlier file.</summary>
    [Fact]
    public void A_previous_wave_with_a_previous_wave_of_its_own_is_refused_at_its_key()
    {
        var (current, previous) = Waves(t => t.Replace("base_year: 2019\n", "base_year: 2019\nprevious_wave: {study: kz.yaml}\n", StringComparison.Ordinal));
        var error = Refused(current);
        Assert.Contains("one level only", error.Message, StringComparison.Ordinal);
        Assert.Equal(Path.GetFileName(previous), Path.GetFileName(error.Location.File));
        Assert.Equal(6L, error.Location.Line);
        Assert.Equal(1, error.Location.Column);
    }

    [Fact]
    public void A_previous_wave_that_is_not_earlier_is_refused_at_previous_wave_study()
    {
        var (current, _) = Waves(t => t.Replace("year: 2019\n", "year: 2023\n", StringComparison.Ordinal));
        var error = Refused(current);
        Assert.Contains("not earlier than this study's 2023", error.Message, StringComparison.Ordinal);
        Assert.Equal((7L, 10), (error.Location.Line, error.Location.Column));
    }

    [Fact]
    public void A_previous_wave_of_other_countries_is_refused()
    {
        var (current, _) = Waves(t => t.Replace("country: KZ", "country: KG", StringComparison.Ordinal).Replace("code: KZ", "code: KG", StringComparison.Ordinal));
        var error = Refused(current);
        Assert.Contains("covers KG, this study KZ", error.Message, StringComparison.Ordinal);
        Assert.Equal(7L, error.Location.Line);
    }

    [Fact]
    public void A_study_without_the_CPI_of_the_previous_year_is_refused_at_its_cpi_list()
    {
        var (current, _) = Waves(t => t, t => string.Join('\n', t.Split('\n').Where(l => !l.Contains("{year: 2019, index:", StringComparison.Ordinal))));
        var error = Refused(current);
        Assert.Contains("the CPI of KZ has no index for 2019", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("    cpi:", File.ReadAllLines(current)[error.Location.Line - 1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_previous_wave_outside_the_study_folder_or_missing_is_refused_at_its_path()
    {
        // A copy of the sample folder's files, so that every other path stays inside the study's folder.
        var folder = SampleStudies.NewTemporaryFolder();
        foreach (var sub in new[] { "data", "parameters" })
        {
            Directory.CreateDirectory(Path.Combine(folder, sub));
            foreach (var file in Directory.GetFiles(Path.Combine(SampleStudies.Folder, sub), "kz*").Append(Path.Combine(SampleStudies.Folder, "parameters", "region-labels.csv")).Distinct())
                if (Path.GetFileName(Path.GetDirectoryName(file)) == sub) File.Copy(file, Path.Combine(folder, sub, Path.GetFileName(file)));
        }

        var current = Path.Combine(folder, "kz.yaml");
        File.WriteAllText(current, File.ReadAllText(SampleStudies.Study("kz")).Replace("study: kz-2019.yaml", "study: ../elsewhere/kz-2019.yaml", StringComparison.Ordinal));
        var outside = Refused(current);
        Assert.Contains("leads outside the study file's folder", outside.Message, StringComparison.Ordinal);
        Assert.Equal((7L, 10), (outside.Location.Line, outside.Location.Column));

        var (missing, previous) = Waves(t => t);
        File.Delete(previous);
        var absent = Refused(missing);
        Assert.Contains("does not exist", absent.Message, StringComparison.Ordinal);
        Assert.Equal(7L, absent.Location.Line);
    }

    /// <summary>
    /// Annex T10 lays out the run's changes (rate in per cent, hours and value in millions) and its last note names exactly
    /// the published changes whose p is below 0.05 as significant and the others as not.
    /// </summary>
    [Fact]
    public void Annex_change_table_restates_the_changes_and_its_sentence_names_the_significant_ones()
    {
        var changes = fixture.Run.Changes!;
        var t10 = fixture.Run.Annex("en").Tables.Single(t => t.Id == "T10");
        Assert.Equal(12, t10.Rows.Count);
        var rate = t10.Rows[0];
        var change = changes.Find("KZ", "volunteer_rate")!;
        Assert.Equal(("Volunteer rate, %", "All persons aged 15+", "yes"), (rate.Cells[1].Text, rate.Cells[2].Text, rate.Cells[3].Text));
        Assert.Equal(100 * change.PreviousValue, rate.Cells[4].Value!.Value, 12);
        Assert.Equal(100 * change.Difference, rate.Cells[6].Value!.Value, 12);
        Assert.Equal(change.P, rate.Cells[10].Value!.Value, 15);
        var value = t10.Rows[9];
        Assert.Equal(1e-6 * changes.Find("KZ", "value_specialist_lcu")!.Difference, value.Cells[6].Value!.Value, 6);

        var sentence = t10.Notes[^1].Text;
        Assert.StartsWith("From 2019 to 2023, the changes in the volunteer rate, the volunteer rate (Men), annual hours, annual hours (Men), the value at constant prices,", sentence, StringComparison.Ordinal);
        var notSignificant = sentence[sentence.IndexOf("; the changes in ", StringComparison.Ordinal)..];
        foreach (var (measure, words) in new[] { ("hours_per_volunteer", "hours per volunteer"), ("volunteer_rate", "the volunteer rate (Women)") })
        {
            Assert.False(changes.Find("KZ", measure, measure == "volunteer_rate" ? "sex" : "all", measure == "volunteer_rate" ? "female" : "all")!.Significant);
            Assert.Contains(words, notSignificant, StringComparison.Ordinal);
        }
    }

    /// <summary>An invalid previous wave file is reported at its own line and column, under the path the study names it by.</summary>
    [Fact]
    public void An_invalid_previous_wave_is_reported_at_its_own_line()
    {
        var (current, previous) = Waves(t => t.Replace("  minimum_age: 15\n", "  minimum_age: 150\n", StringComparison.Ordinal));
        var error = Refused(current);
        Assert.Equal(Path.GetFullPath(previous), Path.GetFullPath(error.Location.File));
        Assert.StartsWith("  minimum_age: 150", File.ReadAllLines(previous)[error.Location.Line - 1], StringComparison.Ordinal);
        Assert.Contains("minimum_age must be between 0 and 120", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A study without previous_wave has no change table and starts no second run.</summary>
    [Fact]
    public void A_study_without_a_previous_wave_has_no_change_table()
    {
        var run = StudyRun.Load(SampleStudies.Study("tj"));
        Assert.Null(run.PreviousWave);
        Assert.Null(run.Changes);
    }
}
