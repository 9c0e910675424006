using ContributionIndex.Pipeline;
using ContributionIndex.Reporting;
using ContributionIndex.Tests.Estimation.Volunteering;

namespace ContributionIndex.Tests.Reporting;

/// <summary>
/// Disclosure of the change table T10 (methodology/disclosure-control.md, "Change over time"): a change is withheld when
/// the estimate of either wave is withheld, so that a suppressed cell of one wave cannot be recovered as the other
/// wave's estimate minus the published difference.
/// </summary>
public sealed class ChangeTableDisclosureTests
{
    /// <summary>
    /// The previous wave is made to suppress every estimate by sex (its own quality rule: fewer than 1,600 respondents,
    /// while each sex has about 1,500 and all persons about 3,000). This wave publishes them in T1, yet every change by
    /// sex in T10 is [c] in every column from the significance flag to the p-value, the changes of all persons stay
    /// published, and the sentence names only published changes.
    /// </summary>
    [Fact]
    public void A_change_is_withheld_when_the_previous_wave_withholds_its_estimate()
    {
        var (current, _) = WaveChangeTests.Waves(t => t.Replace("checks:\n", "estimation:\n  quality: custom\n  publish_cv: 0.165\n  caution_cv: 0.333\n  minimum_n: 1600\nchecks:\n", StringComparison.Ordinal));
        var run = StudyRun.Load(current);
        var female = run.PreviousWave!.Estimates.Find("KZ", "volunteer_rate", "sex", "female")!;
        Assert.Equal(ContributionIndex.Estimation.QualityFlag.Suppress, female.Estimate.Flag);
        Assert.NotEqual(ContributionIndex.Estimation.QualityFlag.Suppress, run.Estimates.Find("KZ", "volunteer_rate", "sex", "female")!.Estimate.Flag);

        var annex = run.Annex("en");
        var t1 = annex.Tables.Single(t => t.Id == "T1");
        Assert.Contains(t1.Rows, r => r.Cells[2].Text == "Women" && r.Cells[3].Value is not null);
        var t10 = annex.Tables.Single(t => t.Id == "T10");
        var bySex = t10.Rows.Where(r => r.Role == RowRole.Data).ToList();
        Assert.Equal(8, bySex.Count);
        foreach (var row in bySex)
            Assert.All(row.Cells.Skip(3), c => Assert.Equal(CellFlag.Suppressed, c.Flag));
        var totals = t10.Rows.Where(r => r.Role == RowRole.Total).ToList();
        Assert.Equal(4, totals.Count);
        Assert.All(totals, r => Assert.NotNull(r.Cells[4].Value));
        var sentence = t10.Notes[^1].Text;
        Assert.DoesNotContain("(Women)", sentence, StringComparison.Ordinal);
        Assert.DoesNotContain("(Men)", sentence, StringComparison.Ordinal);
        Assert.Contains("the volunteer rate", sentence, StringComparison.Ordinal);
    }

    /// <summary>A change of a quantity this wave withholds is withheld too: with fewer than 2,000 respondents suppressed (each sex has about 1,660 in 2023, all persons 3,300), T1 withholds women and men, and so does T10.</summary>
    [Fact]
    public void A_change_is_withheld_when_this_wave_withholds_its_quantity()
    {
        var (current, _) = WaveChangeTests.Waves(t => t, t => t.Replace("checks:\n", "estimation:\n  quality: custom\n  publish_cv: 0.165\n  caution_cv: 0.333\n  minimum_n: 2000\nchecks:\n", StringComparison.Ordinal));
        var annex = StudyRun.Load(current).Annex("en");
        var t10 = annex.Tables.Single(t => t.Id == "T10");
        var rate = t10.Rows.Where(r => r.Cells[1].Text == "Volunteer rate, %").ToList();
        Assert.Equal(3, rate.Count);
        foreach (var row in rate.Where(r => r.Role == RowRole.Data))
            Assert.All(row.Cells.Skip(3), c => Assert.Equal(CellFlag.Suppressed, c.Flag));
        // T1's women and men are withheld here, so their changes are, whatever the previous wave publishes.
        var t1 = annex.Tables.Single(t => t.Id == "T1");
        Assert.Contains(t1.Rows, r => r.Cells[2].Text == "Women" && r.Cells[3].Flag == CellFlag.Suppressed);
    }
}
