using ContributionIndex.Classify;
using ContributionIndex.Ingest;

namespace ContributionIndex.Valuation;

/// <summary>
/// Donor pool of the <c>imputed</c> opportunity-cost policy: weighted mean own hourly wage of employed volunteers by
/// country, sex and age group (each person counted once), with the country mean as fallback.
/// </summary>
public sealed class OpportunityWageImputer
{
    private readonly Dictionary<(string Country, Sex Sex, string AgeGroup), (NeumaierSum WeightedWages, NeumaierSum Weights)> _groups = [];
    private readonly Dictionary<string, (NeumaierSum WeightedWages, NeumaierSum Weights)> _countries = new(StringComparer.Ordinal);

    /// <summary>The age group used for imputation: 15–24, 25–34, 35–44, 45–54, 55–64, 65+ (and <c>under-15</c>, <c>unknown</c>).</summary>
    public static string AgeGroup(int? age) => age switch
    {
        null => "unknown",
        < 15 => "under-15",
        < 25 => "15-24",
        < 35 => "25-34",
        < 45 => "35-44",
        < 55 => "45-54",
        < 65 => "55-64",
        _ => "65+",
    };

    /// <summary>Whether a record can donate its wage: employed, with a positive own hourly wage.</summary>
    public static bool IsDonor(VolunteerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.EmploymentStatus == EmploymentStatus.Employed && record.OwnHourlyWage is > 0 && double.IsFinite(record.OwnHourlyWage.Value);
    }

    /// <summary>Adds one donor person (call once per person, not per activity).</summary>
    public void AddDonor(string country, VolunteerRecord person)
    {
        ArgumentNullException.ThrowIfNull(person);
        if (!IsDonor(person)) return;
        var wage = person.OwnHourlyWage!.Value;
        var key = (country, person.Sex, AgeGroup(person.Age));
        var group = _groups.TryGetValue(key, out var g) ? g : default;
        group.WeightedWages.Add(person.Weight * wage);
        group.Weights.Add(person.Weight);
        _groups[key] = group;
        var all = _countries.TryGetValue(country, out var c) ? c : default;
        all.WeightedWages.Add(person.Weight * wage);
        all.Weights.Add(person.Weight);
        _countries[country] = all;
    }

    /// <summary>The imputed wage for a person without one: the group mean, else the country mean, else null (no donor at all).</summary>
    public (double Wage, OpportunityWageSource Source)? Impute(string country, Sex sex, int? age)
    {
        if (_groups.TryGetValue((country, sex, AgeGroup(age)), out var group) && group.Weights.Value > 0)
            return (group.WeightedWages.Value / group.Weights.Value, OpportunityWageSource.ImputedGroup);
        if (_countries.TryGetValue(country, out var all) && all.Weights.Value > 0)
            return (all.WeightedWages.Value / all.Weights.Value, OpportunityWageSource.ImputedCountry);
        return null;
    }
}

/// <summary>
/// Values one record by every method (methodology/valuation.md §2–§5): specialist, generalist and hybrid replacement
/// cost with the on-cost uplift, and opportunity cost with the study's policy for people without an own wage.
/// </summary>
/// <remarks>
/// The record fields it reads are declared in <see cref="RecordFieldUse"/>, from which the hour-log fast path derives
/// its memo keys: change both together (<c>RecordFieldUseProbeTests</c> fails otherwise).
/// </remarks>
public sealed class Valuator
{
    private readonly ValuationParameters _parameters;
    private readonly OpportunityWageImputer? _imputer;

    /// <summary>Creates a valuator; <paramref name="imputer"/> is required when the policy is <c>imputed</c>.</summary>
    public Valuator(ValuationParameters parameters, OpportunityWageImputer? imputer = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Policy == OpportunityCostPolicy.Imputed && imputer is null)
            throw new ArgumentException("The imputed opportunity-cost policy needs a donor pool.", nameof(imputer));
        _parameters = parameters;
        _imputer = imputer;
    }

    /// <summary>The local market hourly wage of a record's task (specialist ladder, generalist fallback; no uplift), used by the stipend rule.</summary>
    public static double MarketWage(CountryParameters country, string? isco)
    {
        ArgumentNullException.ThrowIfNull(country);
        var lookup = country.Wages.Find(isco);
        return lookup.Entry?.HourlyWage ?? country.GeneralistWage;
    }

    /// <summary>
    /// Values a record. Excluded records keep their annual hours but get no value. <paramref name="annualisationFactor"/>
    /// is the input's override or the study's factor.
    /// </summary>
    public ValuedRecord Value(VolunteerRecord record, CountryParameters country, double annualisationFactor, ExclusionReason exclusion)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(country);
        double? annualHours = record.Hours is { } h ? h * annualisationFactor : null;
        if (exclusion != ExclusionReason.None || annualHours is null)
        {
            return new ValuedRecord
            {
                Record = record,
                Country = country.Code,
                AnnualisationFactor = annualisationFactor,
                AnnualHours = annualHours,
                Exclusion = exclusion,
            };
        }

        var hoursYear = annualHours.Value;
        var uplift = 1.0 + _parameters.OnCostUplift;
        var baseYear = _parameters.BaseYear;

        // Specialist: ISCO ladder 4 → 3 → 2 → 1, then the generalist wage (recorded as level 0).
        var lookup = country.Wages.Find(record.IscoCode);
        var specialistWage = lookup.Entry?.HourlyWage ?? country.GeneralistWage;
        var specialistYear = lookup.Entry?.Year ?? country.GeneralistWageYear;

        // Hybrid: generalist rates for simple tasks, specialist rates for skilled ones [S]. The generalist rate of a
        // simple task is the wage of its whole ISCO major group (default 9, elementary occupations) — the wage of a
        // worker who does any such task — never the economy-wide average, which would value simple tasks above skilled
        // ones. Without a major-group wage the task keeps its specialist wage.
        var (hybridWage, hybridYear) = HybridWage(record.IscoCode, country, specialistWage, specialistYear, _parameters.HybridGeneralistMajorGroups);

        var (ownWage, ownSource, ownYear) = OpportunityWage(record, country);

        var values = new MethodValues(
            Specialist: hoursYear * specialistWage * uplift,
            Generalist: hoursYear * country.GeneralistWage * uplift,
            Hybrid: hoursYear * hybridWage * uplift,
            Opportunity: hoursYear * ownWage);
        var atBase = new MethodValues(
            Specialist: values.Specialist * country.RebaseFactor(specialistYear, baseYear),
            Generalist: values.Generalist * country.RebaseFactor(country.GeneralistWageYear, baseYear),
            Hybrid: values.Hybrid * country.RebaseFactor(hybridYear, baseYear),
            Opportunity: ownWage == 0 ? 0 : values.Opportunity * country.RebaseFactor(ownYear, baseYear));

        return new ValuedRecord
        {
            Record = record,
            Country = country.Code,
            AnnualisationFactor = annualisationFactor,
            AnnualHours = annualHours,
            Exclusion = ExclusionReason.None,
            WageLevel = lookup.Level,
            SpecialistWage = specialistWage,
            OpportunityWage = ownWage,
            OpportunityWageSource = ownSource,
            Values = values,
            ValuesAtBasePrices = atBase,
        };
    }

    /// <summary>
    /// The hybrid method's wage of a task (methodology/valuation.md §3): for a simple task (its ISCO major group is one
    /// of <paramref name="simpleGroups"/>) the wage of the major group as a whole, else the specialist wage.
    /// </summary>
    internal static (double Wage, int Year) HybridWage(string? isco, CountryParameters country, double specialistWage, int specialistYear, IReadOnlySet<char> simpleGroups)
    {
        var code = isco?.Trim();
        if (!WageTable.IsIscoCode(code) || !simpleGroups.Contains(code![0])) return (specialistWage, specialistYear);
        var group = country.Wages.Find(code[..1]);
        return group is { Level: 1, Entry: { } entry } ? (entry.HourlyWage, entry.Year) : (specialistWage, specialistYear);
    }

    private (double Wage, OpportunityWageSource Source, int Year) OpportunityWage(VolunteerRecord record, CountryParameters country)
    {
        if (record.OwnHourlyWage is { } own && own > 0 && double.IsFinite(own))
            return (own, OpportunityWageSource.Own, _parameters.Year);

        switch (_parameters.Policy)
        {
            case OpportunityCostPolicy.Zero:
                return (0, OpportunityWageSource.Zero, _parameters.BaseYear);
            case OpportunityCostPolicy.MinimumWage:
                return (country.MinimumHourlyWage!.Value, OpportunityWageSource.MinimumWage, country.MinimumHourlyWageYear);
            case OpportunityCostPolicy.ShareOfAverage:
                return (_parameters.OpportunityCostShare * country.AverageHourlyWage!.Value, OpportunityWageSource.ShareOfAverage, country.AverageHourlyWageYear);
            case OpportunityCostPolicy.Imputed:
                // No employed volunteer with a wage in the whole country: nothing to impute from, so the hours get zero.
                var imputed = _imputer!.Impute(country.Code, record.Sex, record.Age);
                return imputed is { } found ? (found.Wage, found.Source, _parameters.Year) : (0, OpportunityWageSource.Zero, _parameters.BaseYear);
            default:
                throw new InvalidOperationException($"Unknown opportunity-cost policy {_parameters.Policy}.");
        }
    }
}
