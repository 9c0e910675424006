using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Pipeline;
using ContributionIndex.Reporting;
using ContributionIndex.Studies;

namespace ContributionIndex.Tests.Reporting;

/// <summary>
/// Annex T11 (#19) on the two-country fixture of tests/r/golden-study-inference.R: the rows restate the run's
/// comparisons (themselves checked against R in StudyInferenceParityTests), and the note names in words exactly the
/// pairs that are not significantly different.
/// </summary>
public sealed class ComparisonTableTests
{
    /// <summary>
    /// The fixture with release rules that withhold nothing (the attacker tests cover withholding), so every pair is
    /// shown, at the 90 % level, where KZ's women and men differ (p = 0.061 under JKn) and no other pair does.
    /// </summary>
    private static readonly Lazy<StudyRun> Run = new(() =>
    {
        var study = StudyLoader.Load(Path.Combine(AppContext.BaseDirectory, "TestData", "estimation", "study_inference.yaml"));
        return StudyRun.Of(study with { Estimation = study.Estimation with { ConfidenceLevel = 0.9, Quality = QualityRuleSet.Custom, PublishCv = 100, CautionCv = 100, MinimumN = 1 } });
    });

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    [InlineData("kk")]
    public void The_table_restates_the_comparisons_and_names_the_pairs_that_are_not_significant(string code)
    {
        var annex = Run.Value.Annex(code);
        var language = ReportLanguage.ForAnnex(code);
        var t11 = annex.Tables.Single(t => t.Id == "T11");
        Assert.Equal(language.Format("t11.title", language.Format("country.region", "2"), "2023"), t11.Title);
        // The annex compares the volunteer rate between the sexes (KZ, KG, pool) and between the countries, and hours per volunteer between the countries.
        var shown = Run.Value.Comparisons.Where(c => c.Measure == VolunteerMeasures.VolunteerRate || c.Compare == PersonVariables.Country).ToList();
        Assert.Equal(5, shown.Count);
        Assert.Equal(shown.Count, t11.Rows.Count);
        foreach (var (row, c) in t11.Rows.Zip(shown))
        {
            double scale = c.Measure == VolunteerMeasures.VolunteerRate ? 100 : 1;
            Assert.Equal(c.Difference * scale, row.Cells[4].Value!.Value, 12);
            Assert.Equal(c.StandardError * scale, row.Cells[5].Value!.Value, 12);
            Assert.Equal(c.P, row.Cells[8].Value!.Value, 15);
            Assert.Equal(language.Text(c.Significant ? "t11.significant" : "t11.not_significant"), row.Cells[3].Text);
        }

        // Note 2 names every pair that is not significant (by its pair and area labels), and no significant one.
        var note = t11.Notes.Single(n => n.Number == 2).Text;
        var notSignificant = t11.Rows.Where(r => r.Cells[3].Text == language.Text("t11.not_significant")).ToList();
        Assert.Equal(4, notSignificant.Count);
        Assert.Contains("90", note, StringComparison.Ordinal);
        foreach (var r in t11.Rows)
        {
            var item = language.Format("t11.item", r.Cells[2].Text!, r.Cells[1].Text!, r.Cells[0].Text!);
            Assert.Equal(notSignificant.Contains(r), note.Contains(item, StringComparison.Ordinal));
        }
    }
}
