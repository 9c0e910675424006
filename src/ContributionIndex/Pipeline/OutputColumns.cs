using ContributionIndex.Classify;
using ContributionIndex.Ingest;
using ContributionIndex.Valuation;

namespace ContributionIndex.Pipeline;

/// <summary>The columns of the run's CSV outputs (documented in methodology/valuation.md, "Outputs").</summary>
public static class OutputColumns
{
    /// <summary>quarantine.csv: one row per rejected input row (written by the ingest stage's <see cref="QuarantineWriter"/>).</summary>
    public static IReadOnlyList<string> Quarantine => QuarantineWriter.Columns;

    /// <summary>valued_records.csv: one row per accepted input row (valued or excluded with its reason).</summary>
    public static IReadOnlyList<string> ValuedRecords { get; } =
    [
        "input", "file", "line", "kind", "person_id", "activity_id", "country", "weight", "isco", "hours",
        "annualisation_factor", "annual_hours", "exclusion_reason", "wage_level", "specialist_wage", "opportunity_wage",
        "opportunity_wage_source",
        "value_specialist", "value_generalist", "value_hybrid", "value_opportunity",
        "value_specialist_base", "value_generalist_base", "value_hybrid_base", "value_opportunity_base",
    ];

    /// <summary>The column valued_records.csv gains when the study enables coding: input, coder, review or empty (<see cref="IscoSource"/>).</summary>
    public const string IscoSourceColumn = "isco_source";

    /// <summary>summary.csv: one row per source kind × country (and REGION) × method.</summary>
    public static IReadOnlyList<string> Summary { get; } =
    [
        "source_kind", "country", "currency", "method", "headline", "base_year", "valued_records", "volunteers",
        "hours_reference", "hours_annual", "full_time_annual_hours", "fte",
        "hours_annual_isco4", "hours_annual_isco3", "hours_annual_isco2", "hours_annual_isco1", "hours_annual_generalist_fallback",
        "value_lcu_current", "value_lcu_base", "value_usd", "value_ppp", "share_of_gdp_percent",
    ];

    /// <summary>method_range.csv: one row per source kind × country (and REGION) × unit.</summary>
    public static IReadOnlyList<string> MethodRange { get; } =
        ["source_kind", "country", "unit", "specialist", "generalist", "hybrid", "opportunity", "min", "max", "min_method", "max_method", "max_over_min"];

    internal static void WriteValued(CsvRowWriter csv, ValuedRecord valued, string file, IscoSource? iscoSource = null)
    {
        var r = valued.Record;
        csv.Text(r.InputName).Text(file).Integer(r.Source.Line).Text(InputKinds.Code(r.Kind)).Text(r.PersonId).Text(r.ActivityId);
        WriteValuedTail(csv, valued, iscoSource);
    }

    /// <summary>
    /// The fields of a valued_records.csv row from <c>country</c> on, and the line end: the part the hour-log fast path
    /// prepares once per row shape (methodology/scale.md §9).
    /// </summary>
    internal static void WriteValuedTail(CsvRowWriter csv, ValuedRecord valued, IscoSource? iscoSource = null)
    {
        var r = valued.Record;
        csv.Text(valued.Country).Number(r.Weight).Text(r.IscoCode).Number(r.Hours).Number(valued.AnnualisationFactor).Number(valued.AnnualHours)
            .Text(valued.Exclusion.Code()).Integer(valued.WageLevel).Number(valued.SpecialistWage).Number(valued.OpportunityWage)
            .Text(valued.OpportunityWageSource.Code());
        var v = valued.Values;
        var b = valued.ValuesAtBasePrices;
        csv.Number(v?.Specialist).Number(v?.Generalist).Number(v?.Hybrid).Number(v?.Opportunity)
            .Number(b?.Specialist).Number(b?.Generalist).Number(b?.Hybrid).Number(b?.Opportunity);
        if (iscoSource is { } origin) csv.Text(origin switch { IscoSource.Input => "input", IscoSource.Coder => "coder", IscoSource.Review => "review", _ => null });
        csv.End();
    }
}
