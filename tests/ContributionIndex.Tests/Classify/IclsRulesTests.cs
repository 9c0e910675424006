using ContributionIndex.Classify;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using static ContributionIndex.Tests.Valuation.TestStudies;

namespace ContributionIndex.Tests.Classify;

public class IclsRulesTests
{
    private static readonly IclsRules Rules = new(new ChecksSpec(), new ReferencePeriodSpec());

    [Theory]
    // Oracle O14: 10 h at a market wage of 6.00 = 60 of market value; one third = 20.
    [InlineData(18.0, ExclusionReason.None)]        // 0.30 × 60: below one third, still volunteer work
    [InlineData(20.4, ExclusionReason.PaidStipend)] // 0.34 × 60: at or above one third, paid work
    [InlineData(20.0, ExclusionReason.PaidStipend)] // exactly one third: "below one third" no longer holds
    public void Stipend_of_one_third_of_market_value_makes_the_work_paid(double stipend, ExclusionReason expected)
    {
        var verdict = Rules.ApplyToRecord(Record("p", 10, "3422", with: r => r with { Stipend = stipend }), marketWage: 6.0);
        Assert.Null(verdict.Rejection);
        Assert.Equal(expected, verdict.Exclusion);
    }

    [Fact]
    public void Half_an_hour_is_not_enough_to_be_a_volunteer()
    {
        // Oracle O15: 0.5 h in the reference period → not a volunteer (at least one hour is required).
        var study = OneCountry(ExampleWages);
        var records = new[]
        {
            Record("half", 0.5, "3422"),
            Record("two-halves", 0.5, "3422", activity: "a"),
            Record("two-halves", 0.5, "9129", activity: "b"),
        };
        var result = ValuationRun.Validate(study, InMemoryRecordSource.Of(records));
        var counts = Assert.Single(result.Inputs);
        Assert.Equal(1, counts.Excluded[ExclusionReason.BelowMinimumHours]);
        Assert.Equal(2, counts.Valued); // 0.5 + 0.5 = 1 h summed over the person's activities meets the minimum
    }

    [Fact]
    public void Own_household_and_relatives_are_excluded_unless_relatives_are_included()
    {
        var own = Record("p", 5, with: r => r with { ForOwnHousehold = true });
        var relatives = Record("p", 5, with: r => r with { ForRelatives = true });
        Assert.Equal(ExclusionReason.OwnHousehold, Rules.ApplyToRecord(own, 6).Exclusion);
        Assert.Equal(ExclusionReason.HelpToRelatives, Rules.ApplyToRecord(relatives, 6).Exclusion);
        var ilo2011 = new IclsRules(new ChecksSpec { IncludeHelpToRelatives = true }, new ReferencePeriodSpec());
        Assert.Equal(ExclusionReason.None, ilo2011.ApplyToRecord(relatives, 6).Exclusion);
        Assert.Equal(ExclusionReason.OwnHousehold, ilo2011.ApplyToRecord(own, 6).Exclusion);
    }

    [Fact]
    public void Hours_without_volunteering_are_rejected_as_inconsistent()
    {
        var verdict = Rules.ApplyToRecord(Record("p", 3, volunteered: false), 6);
        Assert.NotNull(verdict.Rejection);
        Assert.Equal("icls.hours-without-volunteering", verdict.Rejection!.Rule);
        Assert.Contains("correct either", verdict.Rejection.Reason);
    }

    [Fact]
    public void No_volunteering_and_no_hours_is_a_population_row()
    {
        Assert.Equal(ExclusionReason.NotVolunteered, Rules.ApplyToRecord(Record("p", null, volunteered: false), null).Exclusion);
        Assert.Equal(ExclusionReason.NotVolunteered, Rules.ApplyToRecord(Record("p", 0, volunteered: false), null).Exclusion);
    }

    [Fact]
    public void Hours_above_the_reference_period_summed_over_activities_reject_every_row_of_the_person()
    {
        // 28 days × 24 = 672 h. 400 + 300 = 700 > 672 → both rows rejected; 672 exactly is allowed.
        var study = OneCountry(ExampleWages);
        var records = new[]
        {
            Record("over", 400, "3422", activity: "a"),
            Record("over", 300, "9129", activity: "b"),
            Record("edge", 672, "3422"),
        };
        var result = ValuationRun.Validate(study, InMemoryRecordSource.Of(records));
        var counts = Assert.Single(result.Inputs);
        Assert.Equal(3, counts.Read);
        Assert.Equal(2, counts.RejectedByChecks);
        Assert.Equal(1, counts.Valued);
        Assert.All(result.FirstRejections, r =>
        {
            Assert.Equal("icls.hours-above-period", r.Rule);
            Assert.Equal("survey.csv", r.Location.File);
            Assert.True(r.Location.Line > 0);
            Assert.Contains("700", r.Reason);
        });
    }

    [Fact]
    public void A_year_long_log_allows_a_year_of_hours()
    {
        // The log input has annualisation factor 1 in a study with k = 13: it covers 13 periods of 672 h = 8,736 h.
        // 700 h in the year is plausible there; 9,000 h is not.
        var study = OneCountry(ExampleWages, s => s with { Inputs = [.. s.Inputs, new InputSpec { Name = "log", Kind = ContributionIndex.Ingest.InputKind.HourLog, Path = "log.csv", AnnualisationFactor = 1 }] });
        VolunteerRecord Log(string person, double hours) => Record(person, hours, "3422", with: r => r with { InputName = "log", Kind = InputKind.HourLog });
        var result = ValuationRun.Validate(study, InMemoryRecordSource.Of([Log("busy", 400), Log("busy", 300), Log("impossible", 9_000)]));
        var log = result.Inputs.Single(i => i.Input == "log");
        Assert.Equal(2, log.Valued);
        Assert.Equal(1, log.RejectedByChecks);
        Assert.Contains("8736", Assert.Single(result.FirstRejections).Reason);
    }

    [Fact]
    public void Below_working_age_is_excluded_not_rejected()
    {
        var verdict = Rules.ApplyToRecord(Record("p", 5, with: r => r with { Age = 12 }), 6);
        Assert.Null(verdict.Rejection);
        Assert.Equal(ExclusionReason.BelowWorkingAge, verdict.Exclusion);
    }
}
