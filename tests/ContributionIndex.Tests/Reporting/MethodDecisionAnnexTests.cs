using System.Globalization;
using System.Text;
using ContributionIndex.Indicators.Composite.Io;
using ContributionIndex.Indicators.Sensitivity;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Reporting;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Samples;
using ContributionIndex.Valuation;
using static ContributionIndex.Tests.Valuation.TestStudies;

namespace ContributionIndex.Tests.Reporting;

/// <summary>
/// Issue #16 in the annex: labels that follow the study's choices in every language, the method range with the
/// generalist sensitivity line (T7), survey and platform side by side (T8) and the goalpost sensitivity (T9).
/// </summary>
public sealed class MethodDecisionAnnexTests(RegionalAnnexFixture fixture) : IClassFixture<RegionalAnnexFixture>
{
    private static readonly string[] Languages = ["en", "ru", "kk"];

    private ReportTable Table(string id) => fixture.Annex.Tables.Single(t => t.Id == id);

    private static int Column(ReportTable table, string id) => table.Columns.Select((c, i) => (c, i)).Single(x => x.c.Id == id).i;

    private static IEnumerable<string> Labels(Annex annex) =>
        annex.Tables.SelectMany(t => t.Rows.SelectMany(r => r.Cells.Select(c => c.Text ?? ""))).Concat(annex.Metadata.SelectMany(m => new[] { m.Key, m.Value }));

    /// <summary>
    /// The opportunity-cost label names the policy for persons without a wage (#16 point 5): kz.yaml uses
    /// minimum-wage, regional.yaml share-of-average; no annex says "volunteer's own wage" alone.
    /// </summary>
    [Theory]
    [InlineData("kz", "minimum-wage")]
    [InlineData("regional", "share-of-average")]
    public void Opportunity_cost_label_follows_the_policy_in_every_language(string study, string policy)
    {
        var run = StudyRun.Load(SampleStudies.Study(study));
        Assert.Equal(policy, StudyChoices.Word(run.Study.Valuation.OpportunityCostPolicy));
        foreach (var language in Languages)
        {
            var l = ReportLanguage.ForAnnex(language);
            var annex = run.Annex(language);
            var expected = l.Format("method.opportunity." + policy, "50 %");
            var t3 = annex.Tables.Single(t => t.Id == "T3");
            Assert.Contains(t3.Rows, r => r.Cells[2].Text == expected);
            foreach (var other in new[] { "zero", "minimum-wage", "share-of-average", "imputed" }.Where(p => p != policy))
                Assert.DoesNotContain(Labels(annex), text => text.Contains(l.Format("method.opportunity." + other, "50 %"), StringComparison.Ordinal));
            Assert.Contains(annex.Metadata, m => m.Value == l.Format("meta.opportunity." + policy, (0.5).ToString("0.#%", l.NumberFormat)) || m.Value.Contains(l.Text("meta.opportunity." + policy).Split('{')[0], StringComparison.Ordinal));
        }
    }

    /// <summary>Point 3: what is computed — annual hours over volunteers of the four-week period — is what the label says, in every language.</summary>
    [Fact]
    public void Hours_per_volunteer_is_named_for_the_reference_period_volunteers()
    {
        var en = ReportLanguage.Load("en");
        Assert.DoesNotContain("per year", en.Text("indicator.soc_hours_per_volunteer"), StringComparison.Ordinal);
        Assert.Contains("reference period", en.Text("indicator.soc_hours_per_volunteer"), StringComparison.Ordinal);
        Assert.DoesNotContain("в год", ReportLanguage.Load("ru").Text("indicator.soc_hours_per_volunteer").Replace("Годовые", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("отчетного периода", ReportLanguage.Load("ru").Text("indicator.soc_hours_per_volunteer"), StringComparison.Ordinal);
        Assert.Contains("кезең волонтеріне", ReportLanguage.Load("kk").Text("indicator.soc_hours_per_volunteer"), StringComparison.Ordinal);
        var t2 = Table("T2");
        Assert.Contains(t2.Notes, n => n.Text == en.Format("note.hours_per_volunteer", "28"));
        // The value is H_year / volunteers of the reference period (not annual volunteers).
        var kz = fixture.Valuation.Summaries.Single(s => s.SourceKind == InputKind.Survey && s.Country == "KZ");
        var indicator = fixture.Estimates.Find("KZ", "hours_per_volunteer")!.Estimate.Value;
        AssertRelative(kz.HoursAnnual / kz.Volunteers, indicator, 1e-9);
    }

    /// <summary>Point 1: T7 lists every method and the generalist value under the other basis, equal to H_year × W_3412 (hand formula).</summary>
    [Fact]
    public void Method_range_has_the_generalist_sensitivity_line()
    {
        var t7 = Table("T7");
        var en = ReportLanguage.ForAnnex("en");
        var line = en.Text("method.generalist.community-social-services") + " — " + en.Text("method.sensitivity");
        foreach (var code in new[] { "KZ", "KG", "TJ", "UZ" })
        {
            var country = fixture.Valuation.Parameters.Countries[code];
            var summary = fixture.Valuation.Summaries.Single(s => s.SourceKind == InputKind.Survey && s.Country == code);
            var row = t7.Rows.Single(r => r.Cells[0].Text == en.Text("country." + code) && r.Cells[1].Text == line);
            var wage3412 = File.ReadAllLines(Path.Combine(SampleStudies.Folder, "parameters", code.ToLowerInvariant() + "_isco_wages_2023.csv"))
                .Select(l => l.Split(',')).Single(f => f[0] == "3412")[1];
            var expected = summary.HoursAnnual * double.Parse(wage3412, CultureInfo.InvariantCulture);
            // The cell holds the value; T7 only prints it in millions.
            AssertRelative(expected, row.Cells[Column(t7, "value_lcu")].Value, 1e-9);
            AssertRelative(100 * ((expected / summary[ValuationMethod.Specialist].ValueLcuCurrent!.Value) - 1), row.Cells[Column(t7, "diff_headline")].Value, 1e-9);
            Assert.Equal(5, t7.Rows.Count(r => r.Cells[0].Text == en.Text("country." + code)));
        }
    }

    /// <summary>
    /// Point 6: the coverage ratio equals platform hours over the survey's organisation-based hours, both recomputed
    /// from the committed Kyrgyz CSV files without library code (platform: sum of logged hours, the whole year;
    /// survey: Σ w × h × 13 over organisation-based activities of valued volunteers).
    /// </summary>
    [Fact]
    public void Coverage_ratio_matches_an_independent_recomputation()
    {
        var t8 = Table("T8");
        var en = ReportLanguage.ForAnnex("en");
        var row = t8.Rows.Single(r => r.Cells[0].Text == en.Text("country.KG"));

        var log = File.ReadAllLines(Path.Combine(SampleStudies.Folder, "data", "kg_platform_hours_2023.csv"), Encoding.UTF8);
        var hoursColumn = log[0].Split(',').ToList().IndexOf("hours");
        var platform = log.Skip(1).Sum(l => double.Parse(l.Split(',')[hoursColumn], CultureInfo.InvariantCulture));

        var valued = File.ReadAllLines(Path.Combine(fixture.Folder, "valued_records.csv"), Encoding.UTF8);
        var header = valued[0].Split(',').ToList();
        int C(string name) => header.IndexOf(name);
        var survey = File.ReadAllLines(Path.Combine(SampleStudies.Folder, "data", "kg_lfs_volunteer_module_2023.csv"), Encoding.UTF8);
        var surveyHeader = survey[0].Split(',').ToList();
        var form = survey.Skip(1).Select(l => l.Split(',')).Where(f => f.Length == surveyHeader.Count)
            .GroupBy(f => f[surveyHeader.IndexOf("resp_id")] + "|" + f[surveyHeader.IndexOf("activity")]).ToDictionary(g => g.Key, g => g.First()[surveyHeader.IndexOf("type_org")]);
        var organisation = valued.Skip(1).Select(l => l.Split(',')).Where(f => f[C("country")] == "KG" && f[C("kind")] == "survey" && f[C("exclusion_reason")].Length == 0 && f[C("value_specialist")].Length > 0)
            .Where(f => form[f[C("person_id")] + "|" + f[C("activity_id")]] == "1")
            .Sum(f => double.Parse(f[C("weight")], CultureInfo.InvariantCulture) * double.Parse(f[C("hours")], CultureInfo.InvariantCulture) * 13);

        AssertRelative(platform, row.Cells[Column(t8, "platform_hours")].Value, 1e-9);
        AssertRelative(organisation, row.Cells[Column(t8, "survey_org_hours")].Value, 1e-9);
        AssertRelative(100 * platform / organisation, row.Cells[Column(t8, "coverage")].Value, 1e-9);
        // Compared, never added: no table holds a sum of survey and platform hours.
        var kg = fixture.Valuation.Summaries.Where(s => s.Country == "KG").ToList();
        Assert.Equal(2, kg.Count);
    }

    /// <summary>
    /// Point 4: every goalpost of the sample framework has a rationale; with the goalposts of issue #16 no indicator
    /// clips every country (beneficiaries per 1,000, which did, is reported as context and is not in the index); T9
    /// reports two rows (range × 0.5, × 1.5) per indicator.
    /// </summary>
    [Fact]
    public void Every_goalpost_has_a_rationale_and_none_saturates_every_country()
    {
        var path = Path.Combine(SampleStudies.Folder, "parameters", "vci-framework.csv");
        var lines = File.ReadAllLines(path);
        Assert.EndsWith(",rationale", lines[0], StringComparison.Ordinal);
        Assert.All(lines.Skip(1), line => Assert.Matches("\"[^\"]{20,}\"$", line));
        var framework = IndexFiles.ReadFramework(path);
        Assert.False(framework.TryGetIndicator("soc_beneficiaries_per_1000", out _));

        var index = StudyRun.FromEstimates(fixture.Study, fixture.Estimates).Index!;
        var data = index.Index.Data;
        for (int i = 0; i < data.Framework.Indicators.Length; i++)
        {
            var code = data.Framework.Indicators[i].Code;
            var clipped = GoalpostSensitivity.Clipped(data, i);
            // Parity ratios clip over-representation by design (parity is the optimum); the others keep every country inside.
            if (!code.EndsWith("_ratio", StringComparison.Ordinal)) Assert.Empty(clipped);
        }

        var t9 = Table("T9");
        Assert.Equal(2 * framework.Indicators.Length, t9.Rows.Count);
    }

    /// <summary>The goalpost sensitivity by hand: with one indicator's range widened, a bounded arithmetic index moves by Δscore / indicators of the pillar / pillars.</summary>
    [Fact]
    public void Goalpost_shift_changes_the_score_as_the_arithmetic_mean_says()
    {
        var framework = new ContributionIndex.Indicators.Composite.Framework(
        [
            new("a", "p1", ContributionIndex.Indicators.Composite.Direction.Positive, 0, 10),
            new("b", "p1", ContributionIndex.Indicators.Composite.Direction.Positive, 0, 10),
            new("c", "p2", ContributionIndex.Indicators.Composite.Direction.Positive, 0, 100),
        ]);
        var data = ContributionIndex.Indicators.Composite.IndicatorData.FromMatrix(framework, ["X", "Y"], new double[,] { { 5, 5, 50 }, { 10, 0, 20 } });
        var options = new ContributionIndex.Indicators.Composite.IndexOptions();
        var shifts = GoalpostSensitivity.Compute(data, options);
        var a2 = shifts.Single(s => s.Indicator == "a" && s.Factor == 1.5);
        // X: a scores 100·5/15 = 33.33 instead of 50; pillar p1 mean falls by 8.33, the index (2 pillars) by 4.17.
        // Y: a scores 66.67 instead of 100; the index falls by 8.33 — the largest change.
        Assert.Equal(15, a2.Upper);
        AssertRelative(100.0 / 12, a2.MaxAbsoluteChange, 1e-12);
        var c05 = shifts.Single(s => s.Indicator == "c" && s.Factor == 0.5);
        // X: c = 50 of 50 → 100 (was 50), index +25; Y: 20 of 50 → 40 (was 20), index +10.
        AssertRelative(25, c05.MaxAbsoluteChange, 1e-12);
        // With upper goalpost 6 for a, Y (10) is clipped to 100 and X (5) is not.
        var narrow = data.WithFramework(new ContributionIndex.Indicators.Composite.Framework(
            [new("a", "p1", ContributionIndex.Indicators.Composite.Direction.Positive, 0, 6), framework.Indicators[1], framework.Indicators[2]]));
        Assert.Equal(["Y"], GoalpostSensitivity.Clipped(narrow, 0));
    }
}
