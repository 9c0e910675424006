namespace ContributionIndex.Valuation;

/// <summary>A way of putting a money value on volunteer hours (methodology/valuation.md).</summary>
public enum ValuationMethod
{
    /// <summary>Replacement cost at the task's occupational wage, ISCO ladder 4→3→2→1 then generalist (ILO 2011, recommended).</summary>
    Specialist = 0,

    /// <summary>Replacement cost at one generalist wage for every task.</summary>
    Generalist = 1,

    /// <summary>Simple tasks (the study's ISCO major groups, default 9) at their major group's wage, skilled tasks at the specialist wage.</summary>
    Hybrid = 2,

    /// <summary>Opportunity cost at the volunteer's own wage, with a policy for people without one.</summary>
    Opportunity = 3,
}

/// <summary>Text codes and the fixed order of valuation methods.</summary>
public static class ValuationMethods
{
    /// <summary>Every method, in output order.</summary>
    public static IReadOnlyList<ValuationMethod> All { get; } =
        [ValuationMethod.Specialist, ValuationMethod.Generalist, ValuationMethod.Hybrid, ValuationMethod.Opportunity];

    /// <summary>The code used in study files and outputs (<c>specialist</c>, <c>generalist</c>, <c>hybrid</c>, <c>opportunity</c>).</summary>
    public static string Code(this ValuationMethod method) => method switch
    {
        ValuationMethod.Specialist => "specialist",
        ValuationMethod.Generalist => "generalist",
        ValuationMethod.Hybrid => "hybrid",
        ValuationMethod.Opportunity => "opportunity",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown valuation method."),
    };

    /// <summary>Parses a method code; null when the text is not one.</summary>
    public static ValuationMethod? Parse(string? code) => code?.Trim().ToLowerInvariant() switch
    {
        "specialist" => ValuationMethod.Specialist,
        "generalist" => ValuationMethod.Generalist,
        "hybrid" => ValuationMethod.Hybrid,
        "opportunity" => ValuationMethod.Opportunity,
        _ => null,
    };
}

/// <summary>One value per valuation method.</summary>
/// <param name="Specialist">Specialist replacement cost.</param>
/// <param name="Generalist">Generalist replacement cost.</param>
/// <param name="Hybrid">Hybrid replacement cost.</param>
/// <param name="Opportunity">Opportunity cost.</param>
public readonly record struct MethodValues(double Specialist, double Generalist, double Hybrid, double Opportunity)
{
    /// <summary>The value of one method.</summary>
    public double this[ValuationMethod method] => method switch
    {
        ValuationMethod.Specialist => Specialist,
        ValuationMethod.Generalist => Generalist,
        ValuationMethod.Hybrid => Hybrid,
        ValuationMethod.Opportunity => Opportunity,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown valuation method."),
    };
}

/// <summary>How the opportunity-cost wage was obtained for a record.</summary>
public enum OpportunityWageSource
{
    /// <summary>The record is not valued.</summary>
    None = 0,

    /// <summary>The person's own hourly wage.</summary>
    Own,

    /// <summary>Policy <c>zero</c>: no own wage, valued at zero.</summary>
    Zero,

    /// <summary>Policy <c>minimum-wage</c>: the country's minimum hourly wage.</summary>
    MinimumWage,

    /// <summary>Policy <c>share-of-average</c>: a share of the country's average hourly wage (Brown 1999).</summary>
    ShareOfAverage,

    /// <summary>Policy <c>imputed</c>: weighted mean own wage of employed volunteers of the same country, sex and age group.</summary>
    ImputedGroup,

    /// <summary>Policy <c>imputed</c> when the group has no donor: weighted mean own wage of all employed volunteers of the country.</summary>
    ImputedCountry,
}

/// <summary>Policies for people without an own wage, and their text codes.</summary>
public enum OpportunityCostPolicy
{
    /// <summary>Value their hours at zero.</summary>
    Zero,

    /// <summary>Value their hours at the minimum hourly wage.</summary>
    MinimumWage,

    /// <summary>Value their hours at a share of the average hourly wage.</summary>
    ShareOfAverage,

    /// <summary>Value their hours at the mean own wage of employed volunteers in the same country, sex and age group.</summary>
    Imputed,
}

/// <summary>Text codes of opportunity-cost policies and wage sources.</summary>
public static class OpportunityCodes
{
    /// <summary>Parses a policy code (<c>zero</c>, <c>minimum-wage</c>, <c>share-of-average</c>, <c>imputed</c>); null when unknown.</summary>
    public static OpportunityCostPolicy? ParsePolicy(string? code) => code?.Trim().ToLowerInvariant() switch
    {
        "zero" => OpportunityCostPolicy.Zero,
        "minimum-wage" => OpportunityCostPolicy.MinimumWage,
        "share-of-average" => OpportunityCostPolicy.ShareOfAverage,
        "imputed" => OpportunityCostPolicy.Imputed,
        _ => null,
    };

    /// <summary>The code of a wage source as written in valued_records.csv.</summary>
    public static string Code(this OpportunityWageSource source) => source switch
    {
        OpportunityWageSource.None => "",
        OpportunityWageSource.Own => "own",
        OpportunityWageSource.Zero => "zero",
        OpportunityWageSource.MinimumWage => "minimum-wage",
        OpportunityWageSource.ShareOfAverage => "share-of-average",
        OpportunityWageSource.ImputedGroup => "imputed-group",
        OpportunityWageSource.ImputedCountry => "imputed-country",
        _ => throw new ArgumentOutOfRangeException(nameof(source), source, "Unknown wage source."),
    };
}

/// <summary>
/// Which wage the generalist method uses (<c>valuation.generalist_wage</c>, methodology/valuation.md §3): the
/// economy-wide average wage, or the wage of community and social-service work (UN NPI Handbook 2003 fall-back).
/// </summary>
public enum GeneralistWageBasis
{
    /// <summary>The country's <c>generalist_wage</c> as stated: the economy-wide average hourly wage (Independent Sector practice).</summary>
    Average = 0,

    /// <summary>The wage table's wage of community and social-service work, ISCO-08 3412 (or its unit group 341).</summary>
    CommunitySocialServices = 1,
}
