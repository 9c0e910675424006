using ContributionIndex.Classify;
using ContributionIndex.Ingest;

namespace ContributionIndex.Valuation;

/// <summary>
/// A record after the 19th ICLS checks and valuation: the input record, its annual hours, and — when it is volunteer
/// work — its value by every method (unweighted: multiply by the record's weight to aggregate).
/// </summary>
public sealed record ValuedRecord
{
    /// <summary>The input record.</summary>
    public required VolunteerRecord Record { get; init; }

    /// <summary>Country the record was valued in (ISO alpha-2).</summary>
    public required string Country { get; init; }

    /// <summary>Annualisation factor <c>k</c> applied (the input's override or the study's factor).</summary>
    public required double AnnualisationFactor { get; init; }

    /// <summary>Annual hours <c>h × k</c>; null when the record has no hours.</summary>
    public double? AnnualHours { get; init; }

    /// <summary>Why the record is not volunteer work; <see cref="ExclusionReason.None"/> when it is valued.</summary>
    public required ExclusionReason Exclusion { get; init; }

    /// <summary>ISCO digits matched by the specialist lookup (4–1), 0 for the generalist fallback; null when not valued.</summary>
    public int? WageLevel { get; init; }

    /// <summary>The specialist hourly wage found (before uplift); null when not valued.</summary>
    public double? SpecialistWage { get; init; }

    /// <summary>The opportunity-cost hourly wage used; null when not valued.</summary>
    public double? OpportunityWage { get; init; }

    /// <summary>How the opportunity-cost wage was obtained.</summary>
    public OpportunityWageSource OpportunityWageSource { get; init; }

    /// <summary>Annual value by method in LCU at the prices of each wage's year; null when not valued.</summary>
    public MethodValues? Values { get; init; }

    /// <summary>Annual value by method in LCU at base-year prices (<c>V × CPI[base]/CPI[wage year]</c>); null when not valued.</summary>
    public MethodValues? ValuesAtBasePrices { get; init; }

    /// <summary>Whether the record is volunteer work and valued.</summary>
    public bool IsValued => Values is not null;
}
