using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;

namespace ContributionIndex.Classify;

/// <summary>Why a valid record does not count as volunteer work under the 19th ICLS (it is kept and counted, not quarantined).</summary>
public enum ExclusionReason
{
    /// <summary>The record is volunteer work and is valued.</summary>
    None = 0,

    /// <summary>The person reported no unpaid non-compulsory work and no hours (a population row, not a volunteer).</summary>
    NotVolunteered,

    /// <summary>The person is younger than the study's minimum (working) age.</summary>
    BelowWorkingAge,

    /// <summary>The work was for the volunteer's own household (own-use production work, not volunteer work).</summary>
    OwnHousehold,

    /// <summary>The work was for related family members in other households (excluded by the 19th ICLS unless the study includes it).</summary>
    HelpToRelatives,

    /// <summary>The stipend reached the paid share (one third) of the local market value of the hours, so the work is paid.</summary>
    PaidStipend,

    /// <summary>The person's volunteer hours in the reference period are below the minimum (one hour).</summary>
    BelowMinimumHours,
}

/// <summary>Stable text codes of exclusion reasons, used in output files.</summary>
public static class ExclusionReasonCodes
{
    /// <summary>The code written for a reason (empty for <see cref="ExclusionReason.None"/>).</summary>
    public static string Code(this ExclusionReason reason) => reason switch
    {
        ExclusionReason.None => "",
        ExclusionReason.NotVolunteered => "not-volunteered",
        ExclusionReason.BelowWorkingAge => "below-working-age",
        ExclusionReason.OwnHousehold => "own-household",
        ExclusionReason.HelpToRelatives => "help-to-relatives",
        ExclusionReason.PaidStipend => "paid-stipend",
        ExclusionReason.BelowMinimumHours => "below-minimum-hours",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Unknown exclusion reason."),
    };
}

/// <summary>The verdict of the record-level rules: either a rejection (data error) or an exclusion reason (possibly none).</summary>
/// <param name="Rejection">The rejected row when the record is inconsistent; null otherwise.</param>
/// <param name="Exclusion">Why the record is not volunteer work; <see cref="ExclusionReason.None"/> when it is.</param>
public readonly record struct IclsVerdict(RejectedRow? Rejection, ExclusionReason Exclusion)
{
    /// <summary>Whether the record is volunteer work (not rejected, not excluded).</summary>
    public bool IsVolunteerWork => Rejection is null && Exclusion == ExclusionReason.None;
}

/// <summary>
/// The 19th ICLS rules on volunteer work (Resolution I, paras 37–38, as reproduced on ILOSTAT), applied per record and
/// per person. See methodology/icls-checks.md for each rule, its source and its order.
/// </summary>
/// <remarks>
/// Record-level rules run in a fixed order and the first that applies decides: rejections (volunteered = no with
/// hours, negative or missing hours), then exclusions (not volunteered, below working age, own household, relatives,
/// paid stipend). Person-level rules need the person's hours summed over activities: above the reference period's
/// length (rejected) and below the minimum hours (excluded). The record fields the rules read are declared in
/// <c>Valuation/RecordFieldUse.cs</c>, from which the hour-log fast path derives its memo keys: change both together
/// (<c>RecordFieldUseProbeTests</c> fails otherwise).
/// </remarks>
public sealed class IclsRules
{
    private readonly ChecksSpec _checks;
    private readonly double _periodHours;
    private readonly Func<VolunteerRecord, string, SourceLocation> _locateField;

    /// <summary>Creates the rules from the study's checks and reference period.</summary>
    /// <param name="checks">The rule parameters.</param>
    /// <param name="period">The reference period (its length bounds the hours).</param>
    /// <param name="locateField">
    /// Maps a record and a canonical field to the field's location in the input (file, line, column); by default the
    /// record's row with the canonical field name.
    /// </param>
    public IclsRules(ChecksSpec checks, ReferencePeriodSpec period, Func<VolunteerRecord, string, SourceLocation>? locateField = null)
    {
        ArgumentNullException.ThrowIfNull(checks);
        ArgumentNullException.ThrowIfNull(period);
        _checks = checks;
        _periodHours = period.LengthDays * 24.0;
        _locateField = locateField ?? ((record, field) => record.Source with { ColumnName = record.Source.ColumnName ?? field });
    }

    /// <summary>Hours the reference period allows one person in total (<c>LengthDays × 24</c>).</summary>
    public double PeriodHours => _periodHours;

    /// <summary>Applies the record-level rules; <paramref name="marketWage"/> is the task's local market hourly wage (for the stipend rule), or null when unknown.</summary>
    public IclsVerdict ApplyToRecord(VolunteerRecord record, double? marketWage)
    {
        ArgumentNullException.ThrowIfNull(record);
        var hours = record.Hours;
        if (hours is < 0)
        {
            return Reject(record, CanonicalFields.Hours, "icls.negative-hours",
                Invariant($"hours are negative ({hours.Value:R}); volunteer hours in the reference period must be zero or more, so correct the value."),
                hours.Value);
        }

        if (record.Volunteered == false && hours is > 0)
        {
            return Reject(record, CanonicalFields.Hours, "icls.hours-without-volunteering",
                Invariant($"the person answered 'no' to any volunteer work but reports {hours.Value:R} hours; correct either the volunteered answer or the hours."),
                hours.Value);
        }

        if (record.Volunteered == true && hours is null)
        {
            return Reject(record, CanonicalFields.Hours, "icls.hours-missing",
                "the person answered 'yes' to volunteer work but the hours are missing; fill in the hours (ILO module HOUR_01/HOUR_02) or mark the row as not volunteered.",
                null);
        }

        if (hours is null or 0 && record.Volunteered != true)
            return new IclsVerdict(null, ExclusionReason.NotVolunteered);

        if (record.Age is { } age && age < _checks.MinimumAge)
            return new IclsVerdict(null, ExclusionReason.BelowWorkingAge);

        if (record.ForOwnHousehold == true)
            return new IclsVerdict(null, ExclusionReason.OwnHousehold);

        if (record.ForRelatives == true && !_checks.IncludeHelpToRelatives)
            return new IclsVerdict(null, ExclusionReason.HelpToRelatives);

        if (IsPaid(record.Stipend, hours, marketWage))
            return new IclsVerdict(null, ExclusionReason.PaidStipend);

        return new IclsVerdict(null, ExclusionReason.None);
    }

    /// <summary>
    /// Whether a stipend makes the work paid: stipend ≥ <c>PaidStipendShare</c> × hours × market wage
    /// (19th ICLS: support "below one third of local market wages" keeps the work unpaid).
    /// </summary>
    public bool IsPaid(double? stipend, double? hours, double? marketWage)
    {
        if (stipend is not > 0 || hours is not > 0 || marketWage is not > 0) return false;
        return stipend.Value >= _checks.PaidStipendShare * hours.Value * marketWage.Value;
    }

    /// <summary>
    /// Whether a person's hours summed over all activities exceed what the covered time allows:
    /// <paramref name="periods"/> reference periods (1 for a survey; k_study / k_input for an input with its own
    /// annualisation factor, e.g. 13 for a log covering a year) of <c>LengthDays × 24</c> hours each.
    /// </summary>
    public bool ExceedsPeriod(double personTotalHours, double periods = 1) => personTotalHours > _periodHours * periods;

    /// <summary>Whether a person's volunteer hours reach the minimum to count as a volunteer (19th ICLS: at least one hour).</summary>
    public bool MeetsMinimumHours(double personVolunteerHours) => personVolunteerHours >= _checks.MinimumHours;

    /// <summary>The rejection of one row of a person whose hours summed over activities exceed the reference period.</summary>
    public RejectedRow RejectAbovePeriod(VolunteerRecord record, double personTotalHours, double periods = 1)
    {
        ArgumentNullException.ThrowIfNull(record);
        var limit = _periodHours * periods;
        return new RejectedRow(
            _locateField(record, CanonicalFields.Hours),
            "icls.hours-above-period",
            Invariant($"person '{record.PersonId}' reports {personTotalHours:R} hours in total over the period covered, more than the {limit:R} hours it contains ({limit / 24:R} days × 24); check the hours or the reference period."),
            record.Hours?.ToString("R", CultureInfo.InvariantCulture));
    }

    private IclsVerdict Reject(VolunteerRecord record, string field, string rule, string reason, double? raw) =>
        new(new RejectedRow(_locateField(record, field), rule, reason, raw?.ToString("R", CultureInfo.InvariantCulture)), ExclusionReason.None);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
