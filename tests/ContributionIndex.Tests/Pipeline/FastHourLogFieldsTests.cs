using ContributionIndex.Ingest;
using ContributionIndex.Pipeline.FastHourLog;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;
using static ContributionIndex.Ingest.RecordField;
using Fields = ContributionIndex.Pipeline.FastHourLog.FastHourLogRun.Fields;

namespace ContributionIndex.Tests.Pipeline;

/// <summary>
/// What the hour-log fast path derives from <see cref="RecordFieldUse"/> (FastHourLogRun.Fields): its memo keys, which
/// inputs it takes, and the check that its typed keys agree with the declaration.
/// </summary>
public class FastHourLogFieldsTests
{
    [Fact]
    public void Keys_and_eligibility_derive_from_the_declaration()
    {
        Assert.Equal([Volunteered, Hours, Age], Fields.VerdictKey);
        Assert.Equal([InputName, Hours, IscoCode, Country], Fields.ShapeKey);
        Assert.Equal([InputName, PersonId, Volunteered, Hours, IscoCode, Country, Age], Fields.Carried);
        Assert.Equal([OwnHourlyWage, Stipend, ForOwnHousehold, ForRelatives], Fields.NotCarried(OpportunityCostPolicy.ShareOfAverage));
        Assert.Equal([Weight, RecordField.Sex, RecordField.EmploymentStatus, OwnHourlyWage, Stipend, ForOwnHousehold, ForRelatives],
            Fields.NotCarried(OpportunityCostPolicy.Imputed));
    }

    [Fact]
    public void The_typed_keys_agree_with_the_declaration()
    {
        Assert.Empty(Fields.Inconsistencies(RecordFieldUse.RecordRules, RecordFieldUse.StipendWage, RecordFieldUse.PersonRules, RecordFieldUse.Valuation));
    }

    [Fact]
    public void A_declaration_the_keys_do_not_follow_is_reported()
    {
        // Were the valuation to read the age (carried in the verdict key only), the shape key would lack it.
        var ageValued = Fields.Inconsistencies(RecordFieldUse.RecordRules, RecordFieldUse.StipendWage, RecordFieldUse.PersonRules,
            RecordFieldUse.Set([.. RecordFieldUse.Valuation, Age]));
        Assert.Contains(ageValued, problem => problem.StartsWith("ShapeKey lacks Age", StringComparison.Ordinal));

        // Were the rules no longer to read the age, the verdict memo would be keyed by a field it does not need.
        var ageUnread = Fields.Inconsistencies(RecordFieldUse.Set([.. RecordFieldUse.RecordRules.Where(f => f != Age)]), RecordFieldUse.StipendWage,
            RecordFieldUse.PersonRules, RecordFieldUse.Valuation);
        Assert.Contains(ageUnread, problem => problem.StartsWith("VerdictKey holds Age", StringComparison.Ordinal));

        // Person-level rules that read more than the summed hours.
        var bySex = Fields.Inconsistencies(RecordFieldUse.RecordRules, RecordFieldUse.StipendWage, RecordFieldUse.Set([.. RecordFieldUse.PersonRules, RecordField.Sex]),
            RecordFieldUse.Valuation);
        Assert.Contains(bySex, problem => problem.Contains("person table does not keep", StringComparison.Ordinal));
    }

    [Fact]
    public void An_input_is_eligible_unless_it_maps_a_field_that_is_read_but_not_carried()
    {
        static InputSpec Input(params string[] fields) => new()
        {
            Name = "log",
            Path = "log.csv",
            Columns = fields.ToDictionary(f => f, f => f, StringComparer.Ordinal),
        };

        var policy = OpportunityCostPolicy.ShareOfAverage;
        Assert.True(Fields.Carries(Input(CanonicalFields.PersonId, CanonicalFields.Hours, CanonicalFields.Age, CanonicalFields.Sex,
            CanonicalFields.EmploymentStatus, CanonicalFields.Disability), policy));
        Assert.False(Fields.Carries(Input(CanonicalFields.PersonId, CanonicalFields.Stipend), policy));
        Assert.False(Fields.Carries(Input(CanonicalFields.PersonId, CanonicalFields.Sex), OpportunityCostPolicy.Imputed));
        var constant = Input(CanonicalFields.PersonId) with { Constants = new Dictionary<string, string> { [CanonicalFields.ForRelatives] = "no" } };
        Assert.False(Fields.Carries(constant, policy));
        Assert.False(Fields.Carries(Input(CanonicalFields.PersonId, "not_a_field"), policy));
    }
}
