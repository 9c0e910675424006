using System.Globalization;
using ContributionIndex.Indicators;
using ContributionIndex.IO;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Estimation.Volunteering;

/// <summary>One Volunteer Contribution Index indicator for one country (or the regional pool) with its replicate standard error.</summary>
/// <param name="Unit">Country code or <c>ALL</c>.</param>
/// <param name="Code">Indicator code of methodology/indicators.md (e.g. <c>soc_participation</c>).</param>
/// <param name="Value">The indicator from the full-sample weights; NaN when undefined or without data.</param>
/// <param name="StandardError">√ of the replicate variance (R <c>svrVar</c> with the design's constants); NaN when undefined.</param>
/// <param name="DegreesOfFreedom">Degrees of freedom of the replicate design (for t intervals).</param>
/// <param name="Replicates">The indicator recomputed with each replicate's weights (NaN where undefined).</param>
/// <param name="Note">Why the indicator is missing, or empty.</param>
public sealed record IndicatorEstimate(string Unit, string Code, double Value, double StandardError, double DegreesOfFreedom, IReadOnlyList<double> Replicates, string Note)
{
    /// <summary>
    /// The fewest respondents behind any survey total the indicator is computed from (numerator or denominator): the
    /// persons in scope with a non-zero value of that total's variable (per-region totals of the regional equity index
    /// count together, summed over regions). An indicator with fewer than the quality rule's
    /// minimum count is withheld in the annex (methodology/disclosure-control.md); 0 when the indicator is undefined.
    /// </summary>
    public long SupportCount { get; init; }

    /// <summary>The coefficient of variation SE/|value|.</summary>
    public double CoefficientOfVariation => StandardError / Math.Abs(Value);

    /// <summary>An interval that replaces the symmetric one at <see cref="RateIntervalLevel"/>: the participation rate carries its volunteer rate's
    /// interval (R <c>svyciprop</c>, logit by default) in percent, so the annex and estimates.csv publish one interval for one figure.</summary>
    public (double Low, double High)? RateInterval { get; init; }

    /// <summary>The confidence level of <see cref="RateInterval"/>.</summary>
    public double RateIntervalLevel { get; init; } = double.NaN;

    /// <summary>The t interval value ± t(df)·SE at <paramref name="level"/>, or <see cref="RateInterval"/> at its level.</summary>
    public (double Low, double High) Interval(double level = 0.95)
    {
        if (RateInterval is { } rate && level == RateIntervalLevel) return rate;
        var q = CriticalValues.StudentT(1 - (1 - level) / 2, DegreesOfFreedom);
        return (Value - q * StandardError, Value + q * StandardError);
    }
}

/// <summary>The indicators of a study with the replicate design of each unit (needed to carry errors into the index).</summary>
public sealed class VolunteerIndicatorSet
{
    internal VolunteerIndicatorSet(IReadOnlyList<IndicatorEstimate> indicators, IReadOnlyDictionary<string, ReplicateDesign> designs, IReadOnlyList<string> units)
    {
        Indicators = indicators;
        Designs = designs;
        Units = units;
    }

    /// <summary>Every indicator, unit by unit (countries in study order, then <c>ALL</c>), codes in <see cref="VolunteerIndicatorEstimates.Codes"/> order.</summary>
    public IReadOnlyList<IndicatorEstimate> Indicators { get; }

    /// <summary>The units (countries, then <c>ALL</c> for a regional study).</summary>
    public IReadOnlyList<string> Units { get; }

    /// <summary>The replicate design each unit's standard errors come from: the study's one design (no replicates under Taylor linearisation).</summary>
    public IReadOnlyDictionary<string, ReplicateDesign> Designs { get; }

    /// <summary>The indicator of a unit, or null when it is not computed.</summary>
    public IndicatorEstimate? Find(string unit, string code) => Indicators.FirstOrDefault(i => i.Unit == unit && i.Code == code);
}

/// <summary>
/// Computes the Volunteer Contribution Index indicators (methodology/indicators.md) from survey totals: every total is a
/// <see cref="SurveyEstimator.Total"/> on a replicate design, each indicator is the pure function of
/// <see cref="VolunteerIndicators"/> applied to the full-sample totals and to each replicate's totals, and its variance is
/// <see cref="ReplicateVariance.Compute"/> of those values (methodology/volunteer-estimates.md, "Indicators").
/// </summary>
public static class VolunteerIndicatorEstimates
{
    /// <summary>The indicator codes computed, in output order.</summary>
    public static IReadOnlyList<string> Codes { get; } =
    [
        "econ_value_gdp", "econ_fte_per_1000", "soc_participation", "soc_hours_per_volunteer", "soc_formal_share", "soc_women_ratio", "soc_youth_ratio",
        "soc_disability_ratio", "soc_rural_ratio", "soc_beneficiaries_per_1000", "soc_regional_equity", "hc_training_hours", "hc_certified_share", "hc_retention",
    ];

    /// <summary>Computes every indicator for each survey scope of <paramref name="estimates"/> (countries and the regional pool).</summary>
    /// <param name="estimates">The study's estimates (their person tables and designs are reused).</param>
    /// <param name="study">The study (GDP of each country).</param>
    public static VolunteerIndicatorSet Compute(VolunteerEstimateSet estimates, Study study)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        ArgumentNullException.ThrowIfNull(study);
        var parameters = estimates.Valuation.Parameters;
        var results = new List<IndicatorEstimate>();
        var designs = new Dictionary<string, ReplicateDesign>(StringComparer.Ordinal);
        foreach (var scope in estimates.ScopeAnalyses)
        {
            // The study's one design: under Taylor linearisation (convert: none) the indicators get their values but no
            // replicates, so no standard errors (an indicator is a non-linear function of many totals).
            var design = scope.Design as ReplicateDesign ?? WithoutReplicates(scope.Design);
            designs[scope.Scope] = design;
            var rate = estimates.Find(scope.Scope, VolunteerMeasures.VolunteerRate)?.Estimate;
            results.AddRange(Scope(scope, design, parameters).Select(i => i.Code == "soc_participation" && rate is not null && double.IsFinite(i.StandardError)
                ? i with { RateInterval = (100 * rate.ConfidenceLow, 100 * rate.ConfidenceHigh), RateIntervalLevel = rate.ConfidenceLevel }
                : i));
        }

        return new VolunteerIndicatorSet(results, designs, [.. estimates.ScopeAnalyses.Select(s => s.Scope)]);
    }

    /// <summary>The full-sample weights of a Taylor design as a replicate design with no replicates (values, no errors).</summary>
    private static ReplicateDesign WithoutReplicates(SurveyDesign design) =>
        ReplicateDesign.FromParts(design.SamplingWeights.ToArray(), [], ReplicateMethod.Other, 1, [], false, design.DegreesOfFreedom);

    private static IEnumerable<IndicatorEstimate> Scope(ScopeAnalysis scope, ReplicateDesign design, ValuationParameters parameters)
    {
        var table = scope.Table;
        int n = table.Count;
        bool pooled = scope.Scope == VolunteerEstimates.RegionalScope;
        var country = pooled ? null : parameters.Countries[scope.Scope];
        var population = table.VariableArray(PersonVariables.Population);
        var volunteer = table.VariableArray(PersonVariables.Volunteer);
        var include = population.Select(p => p == 1).ToArray();
        var whole = DomainPartition.Whole(n, include);

        // Every total the indicators need, as (θ, θ_1..θ_R), computed together in one pass over the replicate weights
        // (the same numbers as SurveyEstimator.Total with KeepComponents, see ReplicateTotals).
        var wanted = new List<(string Key, double[] Y)>
        {
            ("P", population),
            ("V", volunteer),
            ("H", table.VariableArray(PersonVariables.AnnualHours)),
            ("Horg", table.VariableArray(PersonVariables.HoursOrganisation)),
            ("FTE", table.VariableArray(PersonVariables.Fte)),
            ("T", table.VariableArray(PersonVariables.TrainingHours)),
            ("B", table.VariableArray(PersonVariables.Beneficiaries)),
        };

        double[] Times(double[] a, Func<int, bool> member)
        {
            var r = new double[n];
            for (int i = 0; i < n; i++) r[i] = member(i) ? a[i] : 0;
            return r;
        }

        var headline = parameters.HeadlineMethod;
        double? gdp;
        if (pooled)
        {
            // The regional value share: Σ values in USD over Σ GDP in USD (every country needs GDP and its rate).
            bool complete = parameters.CountryOrder.All(c => parameters.Countries[c] is { Gdp: not null, LcuPerUsd: not null });
            gdp = complete ? parameters.CountryOrder.Sum(c => parameters.Countries[c].Gdp!.Value / parameters.Countries[c].LcuPerUsd!.Value) : null;
            wanted.Add(("Value", table.VariableArray(PersonVariables.Value(headline, MoneyUnit.UsDollar))));
        }
        else
        {
            gdp = country!.Gdp;
            wanted.Add(("Value", table.VariableArray(PersonVariables.Value(headline, MoneyUnit.LocalCurrency))));
        }

        // Representation: shares among volunteers and in the population, over persons whose status is known.
        foreach (var (key, domain, category) in new[]
                 {
                     ("women", PersonVariables.Sex, "female"), ("youth", PersonVariables.Youth, "15-29"),
                     ("disability", PersonVariables.Disability, "yes"), ("rural", PersonVariables.UrbanRural, "rural"),
                 })
        {
            var labels = table.Domain(domain);
            wanted.Add((key + "_V", Times(volunteer, i => labels[i] == category)));
            wanted.Add((key + "_Vk", Times(volunteer, i => labels[i] is not null)));
            wanted.Add((key + "_P", Times(population, i => labels[i] == category)));
            wanted.Add((key + "_Pk", Times(population, i => labels[i] is not null)));
        }

        var totals = new Dictionary<string, (double Full, double[] Replicates)>(StringComparer.Ordinal);
        var computed = ReplicateTotals.Compute(design, [.. wanted.Select(x => x.Y)], whole);
        for (int j = 0; j < wanted.Count; j++) totals[wanted[j].Key] = computed[j][0];
        // Respondents behind each total: persons in scope with a non-zero value (the support of numerators and denominators).
        var support = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (key, y) in wanted) support[key] = Enumerable.Range(0, n).LongCount(i => include[i] && y[i] != 0);

        var regionLabels = table.Domain(PersonVariables.Region);
        var regions = regionLabels.Where(r => r is not null).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (regions.Length > 0)
        {
            // All regions at once (svyby semantics: the design stays whole).
            var byRegion = DomainPartition.Create(n, [PersonVariables.Region], [regionLabels], include);
            var regional = ReplicateTotals.Compute(design, [volunteer, population], byRegion);
            for (int k = 0; k < byRegion.Count; k++)
            {
                var region = byRegion.Labels[k][0];
                totals["regV:" + region] = regional[0][k];
                totals["regP:" + region] = regional[1][k];
                support["regV:" + region] = Enumerable.Range(0, n).LongCount(i => include[i] && regionLabels[i] == region && volunteer[i] != 0);
                support["regP:" + region] = Enumerable.Range(0, n).LongCount(i => include[i] && regionLabels[i] == region && population[i] != 0);
            }
        }

        double fullTime = country?.FullTimeAnnualHours ?? double.NaN;
        var formulas = new Dictionary<string, Func<Func<string, double>, double>>(StringComparer.Ordinal)
        {
            ["econ_value_gdp"] = t => gdp is { } g ? VolunteerIndicators.ValueShareOfGdp(t("Value"), g) : double.NaN,
            ["econ_fte_per_1000"] = t => 1000 * (pooled ? t("FTE") : VolunteerIndicators.FullTimeEquivalents(t("H"), fullTime)) / Positive(t("P")),
            ["soc_participation"] = t => VolunteerIndicators.ParticipationRate(t("V"), t("P")),
            ["soc_hours_per_volunteer"] = t => VolunteerIndicators.HoursPerVolunteer(t("H"), t("V")),
            ["soc_formal_share"] = t => VolunteerIndicators.SharePercent(t("Horg"), t("H")),
            ["soc_women_ratio"] = t => Representation(t, "women"),
            ["soc_youth_ratio"] = t => Representation(t, "youth"),
            ["soc_disability_ratio"] = t => Representation(t, "disability"),
            ["soc_rural_ratio"] = t => Representation(t, "rural"),
            ["soc_beneficiaries_per_1000"] = t => VolunteerIndicators.BeneficiariesPerThousand(t("B"), t("P")),
            ["soc_regional_equity"] = t => VolunteerIndicators.RegionalEquity(
                [.. regions.Select(r => VolunteerIndicators.ParticipationRate(t("regV:" + r), t("regP:" + r)))], [.. regions.Select(r => t("regP:" + r))]),
            ["hc_training_hours"] = t => VolunteerIndicators.TrainingHoursPerVolunteer(t("T"), t("V")),
        };
        var notes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["hc_certified_share"] = "no data: skills certificates are recorded by platforms, not by the survey module",
            ["hc_retention"] = "no data: retention needs a panel of volunteers in two periods; a cross-section survey cannot measure it",
        };
        if (gdp is null) notes["econ_value_gdp"] = "no GDP (or, for the regional pool, no GDP or exchange rate of some country) in the study";
        if (regions.Length < 2) notes["soc_regional_equity"] = "fewer than two regions in the data";

        int replicateCount = design.ReplicateCount;
        foreach (var code in Codes)
        {
            if (!formulas.TryGetValue(code, out var formula) || notes.ContainsKey(code))
            {
                yield return new IndicatorEstimate(scope.Scope, code, double.NaN, double.NaN, design.DegreesOfFreedom, [], notes.GetValueOrDefault(code, ""));
                continue;
            }

            // The totals the formula reads are recorded while it runs, so the support follows the formula itself.
            var used = new HashSet<string>(StringComparer.Ordinal);
            double full = Evaluate(formula, key =>
            {
                used.Add(key);
                return totals[key].Full;
            });
            // Per-region totals (regional equity) count together: the indicator rests on all regions' respondents at once,
            // not on its smallest region (whose own volunteers T1 publishes under its own rule).
            long supportCount = double.IsNaN(full) || used.Count == 0 ? 0
                : used.GroupBy(key => key.StartsWith("reg", StringComparison.Ordinal) ? key[..key.IndexOf(':', StringComparison.Ordinal)] : key, StringComparer.Ordinal)
                    .Min(group => group.Sum(key => support[key]));
            var replicates = new double[replicateCount];
            for (int r = 0; r < replicateCount; r++)
            {
                int rr = r;
                replicates[r] = Evaluate(formula, key => totals[key].Replicates[rr]);
            }

            double variance = double.IsNaN(full) || replicateCount == 0 ? double.NaN : ReplicateVariance.Compute(full, replicates, design.Scale, design.RScales, design.Mse);
            yield return new IndicatorEstimate(scope.Scope, code, full, Math.Sqrt(variance), design.DegreesOfFreedom, replicates,
                double.IsNaN(full) ? "undefined: a denominator is zero" : replicateCount == 0 ? "no standard error: the study's design is Taylor linearisation (estimation.replicates.convert: none)" : "")
            {
                SupportCount = supportCount,
            };
        }
    }

    private static double Representation(Func<string, double> t, string key) =>
        VolunteerIndicators.RepresentationRatio(VolunteerIndicators.SharePercent(t(key + "_V"), t(key + "_Vk")), VolunteerIndicators.SharePercent(t(key + "_P"), t(key + "_Pk")));

    private static double Positive(double value) => value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The population is zero.");

    /// <summary>An undefined indicator (a zero denominator in the full sample or a replicate) is NaN, never 0.</summary>
    private static double Evaluate(Func<Func<string, double>, double> formula, Func<string, double> totals)
    {
        try
        {
            return formula(totals);
        }
        catch (ArgumentException)
        {
            return double.NaN;
        }
    }

    /// <summary>Writes <c>indicators.csv</c>: <c>unit,indicator,value,se,ci_low,ci_high,cv,df,replicates,note</c> (invariant, round-trip, atomic).</summary>
    public static void WriteCsv(string path, VolunteerIndicatorSet set, double level = 0.95)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(set);
        AtomicFile.WriteText(path, writer =>
        {
            writer.Write("unit,indicator,value,se,ci_low,ci_high,cv,df,replicates,note\n");
            foreach (var i in set.Indicators)
            {
                var (low, high) = i.Interval(level);
                CsvText.WriteRecord(writer, [CsvText.Text(i.Unit), CsvText.Text(i.Code), CsvText.Number(i.Value), CsvText.Number(i.StandardError),
                    CsvText.Number(low), CsvText.Number(high), CsvText.Number(i.CoefficientOfVariation), CsvText.Number(i.DegreesOfFreedom),
                    CsvText.Integer(i.Replicates.Count), CsvText.Text(i.Note)]);
            }
        });
    }
}
