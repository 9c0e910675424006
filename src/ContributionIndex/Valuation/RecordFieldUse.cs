using System.Collections.Immutable;
using ContributionIndex.Classify;
using ContributionIndex.Ingest;
using static ContributionIndex.Ingest.RecordField;

namespace ContributionIndex.Valuation;

/// <summary>
/// Which fields of a <see cref="VolunteerRecord"/> the 19th ICLS rules (<see cref="IclsRules"/>) and the valuation
/// (<see cref="Valuator"/>) read: the one declaration of it. A field is read when its value can change what the run
/// makes of a record — its rejection rule, its exclusion reason, its annual hours or its values; the row's place in
/// messages (source, person id in a message's text) does not count. The hour-log fast path derives from it which
/// inputs may take it and what its memo keys hold (Pipeline/FastHourLog, methodology/scale.md §9), and
/// <c>RecordFieldUseProbeTests</c> changes every field of a record in turn and checks that outputs move for exactly the
/// fields declared here. Change it together with the rules or the valuation.
/// </summary>
internal static class RecordFieldUse
{
    /// <summary>
    /// What <see cref="IclsRules.ApplyToRecord"/> reads: the record-level verdict (negative or missing hours, hours
    /// without volunteering, not volunteered, working age, own household, relatives, paid stipend).
    /// </summary>
    public static IReadOnlySet<RecordField> RecordRules { get; } = Set(Hours, Volunteered, Age, ForOwnHousehold, ForRelatives, Stipend);

    /// <summary>
    /// What the market wage handed to <see cref="IclsRules.ApplyToRecord"/> for the paid-stipend rule is looked up
    /// from (<see cref="Valuator.MarketWage"/> of the record's country and ISCO code); read only when the record has a
    /// stipend.
    /// </summary>
    public static IReadOnlySet<RecordField> StipendWage { get; } = Set(Country, IscoCode);

    /// <summary>
    /// What the person-level rules read (<see cref="IclsRules.ExceedsPeriod"/>, <see cref="IclsRules.MeetsMinimumHours"/>):
    /// the hours of a person's rows summed (the volunteer hours over the rows the record-level rules keep), a person
    /// being a person id within an input, whose annualisation factor also sets how many periods it covers.
    /// </summary>
    public static IReadOnlySet<RecordField> PersonRules { get; } = Set(InputName, PersonId, Hours);

    /// <summary>
    /// What <see cref="Valuator.Value"/> reads under every opportunity-cost policy, with what the run looks up for it:
    /// the country's parameters (by the record's country) and the annualisation factor (by its input).
    /// </summary>
    public static IReadOnlySet<RecordField> Valuation { get; } = Set(InputName, Country, Hours, IscoCode, OwnHourlyWage);

    /// <summary>
    /// What the <c>imputed</c> policy reads besides: the donor pool of <see cref="OpportunityWageImputer"/> (employed
    /// persons with an own wage, weighted, by sex and age group) and the group of the person whose wage is imputed.
    /// </summary>
    public static IReadOnlySet<RecordField> ImputedValuation { get; } = Set(RecordField.EmploymentStatus, OwnHourlyWage, Weight, RecordField.Sex, Age);

    private static readonly IReadOnlySet<RecordField> ReadByDefault = Set([.. RecordRules, .. StipendWage, .. PersonRules, .. Valuation]);

    private static readonly IReadOnlySet<RecordField> ReadWhenImputed = Set([.. ReadByDefault, .. ImputedValuation]);

    /// <summary>Every field the rules and the valuation read under <paramref name="policy"/>.</summary>
    public static IReadOnlySet<RecordField> ReadUnder(OpportunityCostPolicy policy) =>
        policy == OpportunityCostPolicy.Imputed ? ReadWhenImputed : ReadByDefault;

    /// <summary>A set of fields that lists them in declaration order (for messages).</summary>
    internal static IReadOnlySet<RecordField> Set(params ReadOnlySpan<RecordField> fields) => ImmutableSortedSet.Create(fields);
}
