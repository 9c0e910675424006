using System.Collections.Frozen;
using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Studies;

namespace ContributionIndex.Valuation;

/// <summary>The valuation parameters of one country, checked and resolved from the study file.</summary>
public sealed record CountryParameters
{
    /// <summary>ISO 3166-1 alpha-2 code.</summary>
    public required string Code { get; init; }

    /// <summary>ISO 4217 code of the local currency unit (LCU).</summary>
    public required string Currency { get; init; }

    /// <summary>The specialist wage table (may be empty: then every task falls back to the generalist wage).</summary>
    public required WageTable Wages { get; init; }

    /// <summary>Generalist hourly wage <c>W_gen</c> in LCU, by the study's <see cref="GeneralistWageBasis"/>.</summary>
    public required double GeneralistWage { get; init; }

    /// <summary>The country's stated <c>generalist_wage</c> (the economy-wide average), whichever basis the study uses.</summary>
    public double AverageBasisWage { get; init; }

    /// <summary>Price year of <see cref="AverageBasisWage"/>.</summary>
    public int AverageBasisWageYear { get; init; }

    /// <summary>The wage table's community and social-service wage (ISCO-08 3412, else 341), when the table has one.</summary>
    public WageEntry? CommunitySocialServicesWage { get; init; }

    /// <summary>Price year of the generalist wage.</summary>
    public required int GeneralistWageYear { get; init; }

    /// <summary>Minimum hourly wage, when given (policy <c>minimum-wage</c>).</summary>
    public double? MinimumHourlyWage { get; init; }

    /// <summary>Price year of the minimum wage.</summary>
    public int MinimumHourlyWageYear { get; init; }

    /// <summary>Average hourly wage, when given (policy <c>share-of-average</c>).</summary>
    public double? AverageHourlyWage { get; init; }

    /// <summary>Price year of the average wage.</summary>
    public int AverageHourlyWageYear { get; init; }

    /// <summary>Annual hours of a full-time worker <c>H_FT</c>.</summary>
    public required double FullTimeAnnualHours { get; init; }

    /// <summary>LCU per US dollar (WDI PA.NUS.FCRF), when given.</summary>
    public double? LcuPerUsd { get; init; }

    /// <summary>LCU per international (PPP) dollar (WDI PA.NUS.PPP), when given.</summary>
    public double? LcuPerPppDollar { get; init; }

    /// <summary>GDP at current prices in LCU, when given.</summary>
    public double? Gdp { get; init; }

    /// <summary>CPI index by year.</summary>
    public required FrozenDictionary<int, double> Cpi { get; init; }

    /// <summary>
    /// The factor <c>CPI[base] / CPI[priceYear]</c> that rebases a value in <paramref name="priceYear"/> prices to the
    /// base year; 1 when the years are equal. Every year a country's wages use is checked against its CPI list when
    /// the parameters are resolved, so a missing year here is a bug.
    /// </summary>
    public double RebaseFactor(int priceYear, int baseYear)
    {
        if (priceYear == baseYear) return 1.0;
        if (!Cpi.TryGetValue(baseYear, out var cpiBase) || !Cpi.TryGetValue(priceYear, out var cpiPrice))
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"Country {Code} has no CPI for {priceYear} or {baseYear}; ValuationParameters should have refused it."));
        return cpiBase / cpiPrice;
    }
}

/// <summary>The study-wide valuation parameters, checked and resolved, with each country's parameters.</summary>
public sealed record ValuationParameters
{
    /// <summary>Reference year of the data (price year of own wages).</summary>
    public required int Year { get; init; }

    /// <summary>Year whose prices values are expressed in.</summary>
    public required int BaseYear { get; init; }

    /// <summary>Annualisation factor <c>k</c> of the study (reference-period hours → annual hours).</summary>
    public required double AnnualisationFactor { get; init; }

    /// <summary>On-cost uplift <c>u</c> added to replacement-cost wages.</summary>
    public required double OnCostUplift { get; init; }

    /// <summary>Policy for people without an own wage.</summary>
    public required OpportunityCostPolicy Policy { get; init; }

    /// <summary>Share <c>s</c> of the average wage for the <c>share-of-average</c> policy.</summary>
    public required double OpportunityCostShare { get; init; }

    /// <summary>The wage of the generalist method (and of tasks without a usable ISCO code).</summary>
    public GeneralistWageBasis GeneralistBasis { get; init; } = GeneralistWageBasis.Average;

    /// <summary>ISCO major groups of simple tasks, valued by the hybrid method at their major group's wage.</summary>
    public required FrozenSet<char> HybridGeneralistMajorGroups { get; init; }

    /// <summary>The headline method.</summary>
    public required ValuationMethod HeadlineMethod { get; init; }

    /// <summary>Countries by code.</summary>
    public required FrozenDictionary<string, CountryParameters> Countries { get; init; }

    /// <summary>Country codes in the order of the study file.</summary>
    public required IReadOnlyList<string> CountryOrder { get; init; }

    /// <summary>Path of the study file, for messages.</summary>
    public string StudyPath { get; init; } = "";

    /// <summary>
    /// Checks the study's valuation and country parameters and loads each country's wage table.
    /// </summary>
    /// <exception cref="StudyFileException">A parameter is missing or out of range, or a wage table is invalid.</exception>
    public static ValuationParameters FromStudy(Study study)
    {
        ArgumentNullException.ThrowIfNull(study);
        var where = study.LocationOf("countries");
        var spec = study.Valuation;

        var policy = spec.OpportunityCostPolicy;
        var headline = spec.HeadlineMethod;
        if (!double.IsFinite(spec.OnCostUplift) || spec.OnCostUplift < 0 || spec.OnCostUplift > 2)
            throw new StudyFileException(study.LocationOf("valuation.on_cost_uplift"), Inv($"valuation.on_cost_uplift is {spec.OnCostUplift:R}, outside 0 to 2."), "Write a share, e.g. 0.157 for 15.7 %.");
        if (!double.IsFinite(spec.OpportunityCostShare) || spec.OpportunityCostShare <= 0 || spec.OpportunityCostShare > 1)
            throw new StudyFileException(study.LocationOf("valuation.opportunity_cost_share"), Inv($"valuation.opportunity_cost_share is {spec.OpportunityCostShare:R}, outside (0, 1]."), "Brown (1999) suggests 1/2 to 6/7.");
        foreach (var group in spec.HybridGeneralistMajorGroups)
        {
            if (group is not { Length: 1 } || !char.IsAsciiDigit(group[0]))
                throw new StudyFileException(study.LocationOf("valuation.hybrid_generalist_major_groups"), $"valuation.hybrid_generalist_major_groups contains '{group}', not an ISCO-08 major group.", "Use one-digit codes 0 to 9.");
        }

        var factor = study.ReferencePeriod.AnnualisationFactor;
        if (!double.IsFinite(factor) || factor <= 0)
            throw new StudyFileException(study.LocationOf("reference_period.annualisation_factor"), Inv($"reference_period.annualisation_factor is {factor:R}; it must be positive."), "Use 13 for four weeks or 12 for a month.");
        if (study.Countries.Count == 0)
            throw new StudyFileException(where, "the study has no countries.", "Add a countries list with each country's currency and wages.");

        var countries = new Dictionary<string, CountryParameters>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var index = 0; index < study.Countries.Count; index++)
        {
            var resolved = ResolveCountry(study, index, policy, spec.GeneralistWage);
            if (!countries.TryAdd(resolved.Code, resolved))
                throw new StudyFileException(where, $"country {resolved.Code} is listed twice.", "Keep one entry per country.");
            order.Add(resolved.Code);
        }

        return new ValuationParameters
        {
            Year = study.Year,
            BaseYear = study.BaseYear ?? study.Year,
            AnnualisationFactor = factor,
            OnCostUplift = spec.OnCostUplift,
            Policy = policy,
            OpportunityCostShare = spec.OpportunityCostShare,
            HybridGeneralistMajorGroups = spec.HybridGeneralistMajorGroups.Select(g => g[0]).ToFrozenSet(),
            HeadlineMethod = headline,
            GeneralistBasis = spec.GeneralistWage,
            Countries = countries.ToFrozenDictionary(StringComparer.Ordinal),
            CountryOrder = order,
            StudyPath = study.SourcePath,
        };
    }

    /// <summary>ISCO-08 unit group 3412 "social work associate professionals", the community and social-service occupation of the UN 2003 fall-back.</summary>
    public const string CommunitySocialServicesIsco = "3412";

    /// <summary>The table's community and social-service wage: ISCO-08 3412, else its minor group 341; null when the table has neither.</summary>
    public static WageEntry? CommunitySocialServices(WageTable wages)
    {
        ArgumentNullException.ThrowIfNull(wages);
        var lookup = wages.Find(CommunitySocialServicesIsco);
        return lookup.Level >= 3 ? lookup.Entry : null;
    }

    private static CountryParameters ResolveCountry(Study study, int index, OpportunityCostPolicy policy, GeneralistWageBasis basis)
    {
        var country = study.Countries[index];
        var key = string.Create(CultureInfo.InvariantCulture, $"countries[{index}]");
        SourceLocation At(string field) => study.LocationOf(key + "." + field);
        var where = At("code");
        var code = country.Code.Trim().ToUpperInvariant();
        if (code.Length != 2 || !code.All(char.IsAsciiLetterUpper))
            throw new StudyFileException(where, $"country code '{country.Code}' is not an ISO 3166-1 alpha-2 code.", "Use e.g. KZ, KG, TJ or UZ.");
        var currency = country.Currency.Trim().ToUpperInvariant();
        if (currency.Length != 3)
            throw new StudyFileException(At("currency"), $"country {code} has currency '{country.Currency}', not an ISO 4217 code.", "Use e.g. KZT, KGS, TJS or UZS.");

        var generalist = Positive(country.GeneralistWage, code, "generalist_wage", At, required: true)!;
        var fullTime = Positive(country.FullTimeAnnualHours, code, "full_time_annual_hours", At, required: true)!;
        var minimum = Positive(country.MinimumHourlyWage, code, "minimum_hourly_wage", At, required: policy == OpportunityCostPolicy.MinimumWage);
        var average = Positive(country.AverageHourlyWage, code, "average_hourly_wage", At, required: policy == OpportunityCostPolicy.ShareOfAverage);
        var usd = Positive(country.LcuPerUsd, code, "lcu_per_usd", At, required: false);
        var ppp = Positive(country.LcuPerPppDollar, code, "lcu_per_ppp_dollar", At, required: false);
        var gdp = Positive(country.Gdp, code, "gdp", At, required: false);

        var cpi = new Dictionary<int, double>();
        foreach (var point in country.Cpi)
        {
            if (!double.IsFinite(point.Index) || point.Index <= 0)
                throw new StudyFileException(At("cpi"), Inv($"country {code} has CPI {point.Index:R} for {point.Year}; an index level must be positive."), "Write the index level, not the inflation rate.");
            if (!cpi.TryAdd(point.Year, point.Index))
                throw new StudyFileException(At("cpi"), Inv($"country {code} lists the CPI of {point.Year} twice."), "Keep one value per year.");
        }

        WageTable wages;
        if (string.IsNullOrWhiteSpace(country.Wages))
        {
            wages = new WageTable([]);
        }
        else
        {
            var path = country.WagesFullPath ?? (Path.IsPathRooted(country.Wages) ? country.Wages : Path.Combine(study.BaseDirectory, country.Wages));
            wages = WageTable.Load(path, currency, country.Wages);
        }

        var community = CommunitySocialServices(wages);
        var generalistWage = generalist.Value;
        var generalistYear = generalist.Year ?? study.Year;
        if (basis == GeneralistWageBasis.CommunitySocialServices)
        {
            if (community is null)
                throw new StudyFileException(At("wages"), $"valuation.generalist_wage is community-social-services, but the wage table of country {code} has no wage for ISCO-08 3412 or 341.",
                    "Add the wage of social work associate professionals (3412) to the table, or set 'valuation.generalist_wage: average'.");
            generalistWage = community.HourlyWage;
            generalistYear = community.Year;
        }

        // Every price year in use must be rebased to the base year: check the CPI list now, before any record is read.
        var baseYear = study.BaseYear ?? study.Year;
        var years = new SortedSet<int> { study.Year, generalist.Year ?? study.Year };
        if (minimum is not null) years.Add(minimum.Year ?? study.Year);
        if (average is not null) years.Add(average.Year ?? study.Year);
        foreach (var entry in wages.Entries) years.Add(entry.Year);
        years.Remove(baseYear);
        var missing = years.Where(y => !cpi.ContainsKey(y)).ToList();
        if (years.Count > 0 && !cpi.ContainsKey(baseYear)) missing.Insert(0, baseYear);
        if (missing.Count > 0)
        {
            throw new StudyFileException(At("cpi"),
                Inv($"country {code} needs the CPI of {string.Join(", ", missing)} to rebase values from the wages' years ({string.Join(", ", years)}) to base year {baseYear}, but its cpi list lacks them."),
                "Add those years to the country's cpi list, or set base_year to the wage year.");
        }

        return new CountryParameters
        {
            Code = code,
            Currency = currency,
            Wages = wages,
            GeneralistWage = generalistWage,
            GeneralistWageYear = generalistYear,
            AverageBasisWage = generalist.Value,
            AverageBasisWageYear = generalist.Year ?? study.Year,
            CommunitySocialServicesWage = community,
            MinimumHourlyWage = minimum?.Value,
            MinimumHourlyWageYear = minimum?.Year ?? study.Year,
            AverageHourlyWage = average?.Value,
            AverageHourlyWageYear = average?.Year ?? study.Year,
            FullTimeAnnualHours = fullTime.Value,
            LcuPerUsd = usd?.Value,
            LcuPerPppDollar = ppp?.Value,
            Gdp = gdp?.Value,
            Cpi = cpi.ToFrozenDictionary(),
        };
    }

    private static SourcedValue? Positive(SourcedValue? value, string code, string key, Func<string, SourceLocation> at, bool required)
    {
        if (value is null)
        {
            if (required) throw new StudyFileException(at("code"), $"country {code} has no {key}.", $"Add '{key}: {{value: ..., year: ..., source: ...}}' to the country.");
            return null;
        }

        if (!double.IsFinite(value.Value) || value.Value <= 0)
            throw new StudyFileException(at(key + ".value"), Inv($"country {code} has {key} = {value.Value:R}; it must be a positive number."), "Check the value and its unit.");
        return value;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
