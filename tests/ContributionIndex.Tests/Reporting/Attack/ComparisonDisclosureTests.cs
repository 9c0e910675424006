using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Reporting;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Ingest;

namespace ContributionIndex.Tests.Reporting.Attack;

/// <summary>
/// The significance table T11 (#19) against the attacker: a difference of two values gives one of them away when the
/// other is published, so T11 may compare only values that T1 (volunteer rate) and T2 (hours per volunteer) publish.
/// </summary>
public sealed partial class DisclosureAttackerTests
{
    [Theory]
    [InlineData(11, 10, 0.333)]
    [InlineData(5, 120, 0.333)]
    [InlineData(13, 10, 0.06)]
    public void The_significance_table_compares_only_published_values(int seed, int minimumCount, double cautionLimit)
    {
        using var dir = new TempDirectory();
        var (study, estimates, published, _) = Run(dir, seed, minimumCount, cautionLimit);
        var language = ReportLanguage.ForAnnex("en");
        var t1 = published.Tables.Single(t => t.Id == "T1");
        var t2 = published.Tables.Single(t => t.Id == "T2");
        int rate = t1.Columns.Select((c, i) => (c, i)).Single(x => x.c.Id == "rate").i;
        int perVolunteer = t2.Columns.Select((c, i) => (c, i)).Single(x => x.c.Id == "hours_per_volunteer").i;

        // A value is published when its cell in T1 or T2 (survey row of its scope and sex, or the scope's total) holds a number.
        bool Published(string measure, string scope, string? sex)
        {
            var (table, column) = measure == VolunteerMeasures.VolunteerRate ? (t1, rate) : (t2, perVolunteer);
            var row = table.Rows.Where(r => r.Role != RowRole.GroupHeading && r.DimensionValues.GetValueOrDefault("REF_AREA") == AnnexBuilder.M49(study, scope)
                    && r.DimensionValues.GetValueOrDefault("SOURCE", "survey") == "survey")
                .Single(r => sex is null ? r.Role == RowRole.Total
                    : AnnexSdmxCodes.SdmxOf(PersonVariables.Sex, sex) is var (dim, code) && r.DimensionValues.GetValueOrDefault(dim) == code);
            return row.Cells[column].Value is not null;
        }

        var comparisons = VolunteerComparisons.Compute(estimates);
        // T2 has no sex rows, so hours per volunteer is compared between countries only.
        var expected = comparisons.Where(c => c.Measure == VolunteerMeasures.VolunteerRate || c.Compare == PersonVariables.Country)
            .Where(c => c.Compare == PersonVariables.Sex
                ? Published(c.Measure, c.Scope, c.LevelA) && Published(c.Measure, c.Scope, c.LevelB)
                : Published(c.Measure, c.LevelA, null) && Published(c.Measure, c.LevelB, null))
            .Select(c => (Measure: language.Text("t11.measure." + c.Measure), Difference: c.Difference * (c.Measure == VolunteerMeasures.VolunteerRate ? 100 : 1)))
            .ToList();
        var annexed = comparisons.Count(c => c.Measure == VolunteerMeasures.VolunteerRate || c.Compare == PersonVariables.Country);
        Assert.True(expected.Count < annexed || seed != 13, $"seed {seed}: every pair is published, so the test does not exercise withholding");
        Assert.True(expected.Count > 0 || seed != 11, $"seed {seed}: no pair is published, so the test does not exercise the table");
        var t11 = published.Tables.SingleOrDefault(t => t.Id == "T11");
        var shown = t11 is null ? [] : t11.Rows.Select(r => (Measure: r.Cells[0].Text!, Difference: r.Cells[4].Value!.Value)).ToList();
        Assert.Equal(expected.Count, shown.Count);
        foreach (var (row, want) in shown.Zip(expected))
        {
            Assert.Equal(want.Measure, row.Measure);
            Assert.Equal(want.Difference, row.Difference, 12);
        }

        if (expected.Count < annexed && t11 is not null)
            Assert.Contains(t11.Notes, n => n.Text == language.Text("t11.withheld"));
    }
}
