namespace ContributionIndex.Valuation;

/// <summary>
/// The generalist value under either wage basis (methodology/valuation.md §3, "Sensitivity line"). Every hour of the
/// generalist method is valued at the same wage, so the value under another basis is the study's generalist value
/// times the ratio of the wages: <c>V_gen(b) = V_gen × W_gen(b) / W_gen</c>, in current prices.
/// </summary>
public static class GeneralistSensitivity
{
    /// <summary>The country's generalist wage under <paramref name="basis"/>; null when the country has none (no 3412/341 wage in its table).</summary>
    public static double? Wage(CountryParameters country, GeneralistWageBasis basis)
    {
        ArgumentNullException.ThrowIfNull(country);
        var wage = basis == GeneralistWageBasis.Average ? country.AverageBasisWage : country.CommunitySocialServicesWage?.HourlyWage;
        return wage is > 0 ? wage : null;
    }

    /// <summary>The generalist value in local currency at current prices under <paramref name="basis"/>; null when the wage or the value is missing.</summary>
    public static double? Value(ValuationSummary summary, CountryParameters country, GeneralistWageBasis basis)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(country);
        if (summary[ValuationMethod.Generalist].ValueLcuCurrent is not { } value || Wage(country, basis) is not { } wage) return null;
        return value * wage / country.GeneralistWage;
    }
}
