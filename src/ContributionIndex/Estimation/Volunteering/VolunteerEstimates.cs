using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Estimation.Volunteering;

/// <summary>One published estimate of a study: what it measures, for which country and domain, from which input kind, with its precision and release flag.</summary>
/// <param name="Scope">The country (ISO alpha-2), or <see cref="VolunteerEstimates.RegionalScope"/> for the pool of a regional study's countries.</param>
/// <param name="Source">Survey (design-based, with sampling error) or hour log (administrative total: no SE, interval, CV or df).</param>
/// <param name="Measure">The measure (the <c>variable</c> column of estimates.csv), e.g. <c>volunteer_rate</c>, <c>annual_hours</c>, <c>value_specialist_usd</c>.</param>
/// <param name="Domain"><c>all</c>, a person-level domain (<c>sex</c>, <c>age_group</c>, ...) or an activity classification (<c>form</c>, <c>isco_major_group</c>, <c>direction</c>, <c>sdg</c>).</param>
/// <param name="DomainValue"><c>all</c> or the domain's category (e.g. <c>female</c>, <c>15-29</c>, <c>3</c>).</param>
/// <param name="Unit">The unit: <c>persons</c>, <c>proportion</c>, <c>hours</c>, <c>hours per volunteer</c>, <c>FTE</c>, a currency code, <c>KZT (2023 prices)</c>, <c>USD</c>, <c>PPP$</c>.</param>
/// <param name="Estimate">The estimate with SE, t interval, CV, df, unweighted n and flag (variance NaN for administrative totals).</param>
public sealed record VolunteerEstimate(string Scope, InputKind Source, string Measure, string Domain, string DomainValue, string Unit, SurveyEstimate Estimate)
{
    /// <summary>True for hour-log totals, which have no sampling error (flag <c>admin</c> in estimates.csv).</summary>
    public bool IsAdministrative => Source == InputKind.HourLog;
}

/// <summary>Measure names used in <see cref="VolunteerEstimate.Measure"/>.</summary>
public static class VolunteerMeasures
{
    /// <summary>Reference population (persons aged 15+, Σ w): total of <c>population</c>.</summary>
    public const string Population = "population";

    /// <summary>Number of volunteers: total of <c>volunteer</c>.</summary>
    public const string Volunteers = "volunteers";

    /// <summary>Volunteer rate: mean of <c>volunteer</c> over the population (a proportion 0–1).</summary>
    public const string VolunteerRate = "volunteer_rate";

    /// <summary>Organisation-based volunteers (total).</summary>
    public const string VolunteersOrganisation = "volunteers_organisation";

    /// <summary>Direct volunteers (total).</summary>
    public const string VolunteersDirect = "volunteers_direct";

    /// <summary>Organisation-based volunteer rate: mean of <c>volunteer_organisation</c> over the population (0–1); forms overlap.</summary>
    public const string VolunteerRateOrganisation = "volunteer_rate_organisation";

    /// <summary>Direct volunteer rate: mean of <c>volunteer_direct</c> over the population (0–1); forms overlap.</summary>
    public const string VolunteerRateDirect = "volunteer_rate_direct";

    /// <summary>Share of volunteers who volunteered through organisations: ratio volunteer_organisation/volunteer (a person may do both forms).</summary>
    public const string OrganisationShare = "organisation_share";

    /// <summary>Share of volunteers who volunteered directly: ratio volunteer_direct/volunteer.</summary>
    public const string DirectShare = "direct_share";

    /// <summary>Annual volunteer hours (total).</summary>
    public const string AnnualHours = "annual_hours";

    /// <summary>Annual hours of organisation-based volunteering (total).</summary>
    public const string HoursOrganisation = "hours_organisation";

    /// <summary>Annual hours of direct volunteering (total).</summary>
    public const string HoursDirect = "hours_direct";

    /// <summary>Organisation-based share of hours: ratio hours_organisation/annual_hours.</summary>
    public const string OrganisationHoursShare = "organisation_hours_share";

    /// <summary>Annual hours per volunteer: ratio annual_hours/volunteer.</summary>
    public const string HoursPerVolunteer = "hours_per_volunteer";

    /// <summary>Full-time equivalents: total of annual hours ÷ full-time annual hours.</summary>
    public const string Fte = "fte";

    /// <summary>Annual training hours received (total).</summary>
    public const string TrainingHours = "training_hours";

    /// <summary>Beneficiaries reached in the reference period (total).</summary>
    public const string Beneficiaries = "beneficiaries";
}

/// <summary>
/// Design-based volunteer estimates of a study (issue "Design-based survey estimation", study mode): builds the
/// person-level table from the valued records and estimates counts, rates, hours, FTE, values and shares by country,
/// domain and activity classification with <see cref="SurveyEstimator"/> (methodology/volunteer-estimates.md).
/// </summary>
public static class VolunteerEstimates
{
    /// <summary>The scope code of the pool of all countries of a regional study (countries are separate sets of strata).</summary>
    public const string RegionalScope = "ALL";

    /// <summary>The domain code of estimates for the whole population of a scope.</summary>
    public const string AllDomain = "all";

    /// <summary>Runs the study's valuation in memory (nothing written) and estimates; without coding (tests; callers use <see cref="Pipeline.StudyRun"/>).</summary>
    /// <exception cref="ContributionIndexException">The study, its inputs or the design are invalid.</exception>
    internal static VolunteerEstimateSet Run(Study study, VolunteerEstimationSettings? settings = null) =>
        Run(study, new StudyRecordSource(study), null, settings);

    /// <summary>Runs the study's valuation over <paramref name="source"/> (tests; callers use <see cref="Pipeline.StudyRun"/>) (writing its outputs into <paramref name="valuationOutputDirectory"/> when given) and estimates.</summary>
    /// <exception cref="ContributionIndexException">The study, its inputs or the design are invalid.</exception>
    internal static VolunteerEstimateSet Run(Study study, IRecordSource source, string? valuationOutputDirectory, VolunteerEstimationSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(source);
        var records = new List<ValuedRecord>();
        var valuation = ValuationRun.Run(study, source, valuationOutputDirectory, records.Add);
        return Compute(study, valuation, records, settings);
    }

    /// <summary>Estimates from an existing valuation run and its accepted records.</summary>
    /// <param name="study">The study (minimum age, countries' population and GDP).</param>
    /// <param name="valuation">The run's result (resolved parameters, counts).</param>
    /// <param name="records">Every accepted record of the run, in input order.</param>
    /// <param name="settings">Estimation choices; null resolves them from the study's <c>estimation:</c> section.</param>
    /// <exception cref="ContributionIndexException">The design is invalid (e.g. a lonely PSU under the fail policy).</exception>
    public static VolunteerEstimateSet Compute(Study study, ValuationResult valuation, IReadOnlyList<ValuedRecord> records, VolunteerEstimationSettings? settings = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(valuation);
        ArgumentNullException.ThrowIfNull(records);
        settings ??= VolunteerEstimationSettings.FromStudy(study);
        var parameters = valuation.Parameters;
        var (survey, log) = PersonTable.Build(records, parameters, study.Checks.MinimumAge, settings.SdgAllocation);
        var notes = new List<string>();
        var estimates = new List<VolunteerEstimate>();
        var scopes = new List<ScopeAnalysis>();
        var countries = parameters.CountryOrder.Where(c => survey.Countries.Contains(c) || log.Countries.Contains(c)).ToList();

        var surveyCountries = parameters.CountryOrder.Where(c => survey.Countries.Contains(c)).ToList();
        var margins = surveyCountries.Count > 0 ? StudyCalibration.ReadMargins(study) : null;
        foreach (var country in surveyCountries)
        {
            var table = survey.Rows(i => survey.Countries[i] == country);
            scopes.Add(new ScopeAnalysis(country, table, Design(table, settings, study, country, margins)));
        }

        if (surveyCountries.Count > 1)
        {
            if (survey.ReplicateWeights.Count > 0)
            {
                notes.Add("No regional (ALL) survey estimates: each country's declared replicate weights belong to its own sample, so they cannot be pooled into one replicate design.");
            }
            else
            {
                scopes.Add(new ScopeAnalysis(RegionalScope, survey, Design(survey, settings, study, RegionalScope, margins)));
            }
        }

        foreach (var scope in scopes)
            estimates.AddRange(SurveyScope(scope, parameters, settings));

        var logCountries = parameters.CountryOrder.Where(c => log.Countries.Contains(c)).ToList();
        foreach (var country in logCountries)
            estimates.AddRange(AdministrativeScope(country, log.Rows(i => log.Countries[i] == country), parameters, settings));
        if (logCountries.Count > 1)
            estimates.AddRange(AdministrativeScope(RegionalScope, log, parameters, settings));
        if (log.Count > 0)
            notes.Add("Hour-log estimates are administrative totals of registered platform volunteers: no sampling error (SE, interval, CV and df empty, flag 'admin'); they overlap with survey volunteers and are never added to survey estimates.");
        if (settings.SdgAllocation == Indicators.Taxonomy.AllocationRule.FullAttribution)
            notes.Add("SDG breakdowns use full attribution: an activity counts fully under each of its goals, so SDG totals overlap and must not be summed.");

        return new VolunteerEstimateSet(estimates, survey, log, countries, scopes, valuation, settings, notes);
    }

    /// <summary>
    /// The one design of a scope's rows, used by its estimates, indicators and index alike: declared replicate weights,
    /// else replicates built from strata and PSUs (JKn, JK1 when unstratified, by default), else — with
    /// <c>convert: none</c> — the Taylor design; calibrated to the countries' margins when the study has
    /// <c>estimation.calibration</c> (every replicate recalibrated, as R <c>calibrate()</c> of a replicate design).
    /// </summary>
    internal static SurveyDesign Design(PersonTable table, VolunteerEstimationSettings settings, Study study, string scope,
        IReadOnlyDictionary<string, CalibrationMargins>? margins = null)
    {
        var design = UncalibratedDesign(table, settings, study, scope);
        if (margins is null) return design;
        try
        {
            return StudyCalibration.Apply(design, table, study, margins);
        }
        catch (EstimationException ex)
        {
            throw new StudyFileException(study.LocationOf("estimation.calibration"), $"the survey weights of {(scope == RegionalScope ? "the regional pool" : scope)} cannot be calibrated: {ex.Message}",
                "Check the margins against the survey (levels, totals), or change calfun, bounds or trim.", ex);
        }
    }

    private static SurveyDesign UncalibratedDesign(PersonTable table, VolunteerEstimationSettings settings, Study study, string scope)
    {
        var weights = table.Weights.ToArray();
        try
        {
            if (table.ReplicateWeights.Count > 0)
            {
                // Valuation ignores replicate weights, so the loader accepts them without a method; estimation cannot.
                if (settings.ReplicateMethod is not { } method)
                {
                    throw new StudyFileException(study.LocationOf("estimation"), "the survey inputs declare replicate weights but estimation.replicates.method is not given.",
                        "Add 'estimation: replicates: method: jkn' (or jk1, brr, fay, bootstrap, other) with the constants the method needs.");
                }

                return ReplicateDesign.Create(weights, table.ReplicateWeights, method, settings.Rho, settings.Scale,
                    settings.RScales, settings.Mse);
            }

            var taylor = Taylor(table, settings);
            return settings.Convert switch
            {
                ReplicateConversionKind.Auto => taylor.HasStrata ? ReplicateConversion.Jkn(taylor, settings.Mse) : ReplicateConversion.Jk1(taylor, settings.Mse),
                ReplicateConversionKind.Jkn => ReplicateConversion.Jkn(taylor, settings.Mse),
                ReplicateConversionKind.Jk1 => ReplicateConversion.Jk1(taylor, settings.Mse),
                ReplicateConversionKind.Bootstrap => ReplicateConversion.Bootstrap(taylor, settings.BootstrapReplicates, settings.Seed, settings.Mse),
                _ => taylor,
            };
        }
        catch (EstimationException ex)
        {
            throw new StudyFileException(study.LocationOf("estimation"), $"the survey design of {(scope == RegionalScope ? "the regional pool" : scope)} cannot be used: {ex.Message}",
                "Fix the design columns of the survey input, or set estimation.lonely_psu in the study file.", ex);
        }
    }

    /// <summary>The Taylor design of a table: strata as prefixed (none for a single country whose input gives none), PSUs (each person its own where missing), fpc.</summary>
    internal static TaylorDesign Taylor(PersonTable table, VolunteerEstimationSettings settings)
    {
        var countries = table.Countries.Distinct(StringComparer.Ordinal).Count();
        bool stratified = countries > 1 || Enumerable.Range(0, table.Count).Any(i => table.Strata[i] != table.Countries[i]);
        bool clustered = table.Psus.Any(p => p is not null);
        var psus = clustered
            ? Enumerable.Range(0, table.Count).Select(i => table.Psus[i] ?? "\u001F" + table.Inputs[i] + "\u001F" + table.PersonIds[i]).ToArray()
            : null;
        var fpc = table.Fpc is null ? default : table.Fpc.ToArray().AsSpan();
        return TaylorDesign.Create(table.Weights.ToArray(), stratified ? table.Strata.Select(s => s!).ToArray() : null, psus, fpc, settings.LonelyPsu);
    }

    private static IEnumerable<VolunteerEstimate> SurveyScope(ScopeAnalysis scope, ValuationParameters parameters, VolunteerEstimationSettings settings)
    {
        var table = scope.Table;
        var design = scope.Design;
        var options = settings.Options;
        bool pooled = scope.Scope == RegionalScope;
        var country = pooled ? null : parameters.Countries[scope.Scope];
        var population = table.VariableArray(PersonVariables.Population);
        var include = population.Select(p => p == 1).ToArray();
        var results = new List<VolunteerEstimate>();

        var domains = new List<(string Name, DomainPartition Partition)> { (AllDomain, DomainPartition.Whole(table.Count, include)) };
        foreach (var name in settings.Domains)
        {
            var column = table.Domain(name);
            if (column.All(v => v is null)) continue;
            domains.Add((name, DomainPartition.Create(table.Count, [name], [column], include)));
        }

        foreach (var (name, partition) in domains)
        {
            string Label(SurveyEstimate e) => name == AllDomain ? AllDomain : e.Domain[0];
            void Add(string measure, string unit, IReadOnlyList<SurveyEstimate> list)
            {
                foreach (var e in list) results.Add(new VolunteerEstimate(scope.Scope, InputKind.Survey, measure, name, Label(e), unit, e));
            }

            IReadOnlyList<SurveyEstimate> Total(string variable) => SurveyEstimator.Total(design, variable, table.Variable(variable), partition, options);
            IReadOnlyList<SurveyEstimate> Ratio(string numerator, string denominator) =>
                SurveyEstimator.Ratio(design, numerator, table.Variable(numerator), denominator, table.Variable(denominator), partition, options);

            Add(VolunteerMeasures.Population, "persons", Total(PersonVariables.Population));
            Add(VolunteerMeasures.Volunteers, "persons", Total(PersonVariables.Volunteer));
            Add(VolunteerMeasures.VolunteerRate, "proportion", SurveyEstimator.Rate(design, PersonVariables.Volunteer, table.Variable(PersonVariables.Volunteer), partition, options));
            Add(VolunteerMeasures.VolunteersOrganisation, "persons", Total(PersonVariables.VolunteerOrganisation));
            Add(VolunteerMeasures.VolunteersDirect, "persons", Total(PersonVariables.VolunteerDirect));
            Add(VolunteerMeasures.VolunteerRateOrganisation, "proportion", SurveyEstimator.Rate(design, PersonVariables.VolunteerOrganisation, table.Variable(PersonVariables.VolunteerOrganisation), partition, options));
            Add(VolunteerMeasures.VolunteerRateDirect, "proportion", SurveyEstimator.Rate(design, PersonVariables.VolunteerDirect, table.Variable(PersonVariables.VolunteerDirect), partition, options));
            Add(VolunteerMeasures.OrganisationShare, "proportion", Ratio(PersonVariables.VolunteerOrganisation, PersonVariables.Volunteer));
            Add(VolunteerMeasures.DirectShare, "proportion", Ratio(PersonVariables.VolunteerDirect, PersonVariables.Volunteer));
            Add(VolunteerMeasures.AnnualHours, "hours", Total(PersonVariables.AnnualHours));
            Add(VolunteerMeasures.HoursOrganisation, "hours", Total(PersonVariables.HoursOrganisation));
            Add(VolunteerMeasures.HoursDirect, "hours", Total(PersonVariables.HoursDirect));
            Add(VolunteerMeasures.OrganisationHoursShare, "proportion", Ratio(PersonVariables.HoursOrganisation, PersonVariables.AnnualHours));
            Add(VolunteerMeasures.HoursPerVolunteer, "hours per volunteer", Ratio(PersonVariables.AnnualHours, PersonVariables.Volunteer));
            Add(VolunteerMeasures.Fte, "FTE", Total(PersonVariables.Fte));
            foreach (var method in ValuationMethods.All)
            {
                if (pooled)
                {
                    // Currencies differ between countries: only the per-person USD and PPP$ values can be pooled.
                    if (parameters.CountryOrder.All(c => parameters.Countries[c].LcuPerUsd is not null))
                        Add(PersonVariables.Value(method, MoneyUnit.UsDollar), "USD", Total(PersonVariables.Value(method, MoneyUnit.UsDollar)));
                    if (parameters.CountryOrder.All(c => parameters.Countries[c].LcuPerPppDollar is not null))
                        Add(PersonVariables.Value(method, MoneyUnit.PppDollar), "PPP$", Total(PersonVariables.Value(method, MoneyUnit.PppDollar)));
                    continue;
                }

                var lcu = Total(PersonVariables.Value(method, MoneyUnit.LocalCurrency));
                Add(PersonVariables.Value(method, MoneyUnit.LocalCurrency), country!.Currency, lcu);
                Add(PersonVariables.Value(method, MoneyUnit.LocalCurrencyBaseYear), string.Create(CultureInfo.InvariantCulture, $"{country.Currency} ({parameters.BaseYear} prices)"),
                    Total(PersonVariables.Value(method, MoneyUnit.LocalCurrencyBaseYear)));
                if (country.LcuPerUsd is { } usd)
                    Add(PersonVariables.Value(method, MoneyUnit.UsDollar), "USD", [.. lcu.Select(e => Rescale(e, 1 / usd))]);
                if (country.LcuPerPppDollar is { } ppp)
                    Add(PersonVariables.Value(method, MoneyUnit.PppDollar), "PPP$", [.. lcu.Select(e => Rescale(e, 1 / ppp))]);
            }

            Add(VolunteerMeasures.TrainingHours, "hours", Total(PersonVariables.TrainingHours));
            Add(VolunteerMeasures.Beneficiaries, "persons", Total(PersonVariables.Beneficiaries));
        }

        // Activity breakdowns: totals of per-person category amounts over the whole population (the design stays whole).
        var whole = domains[0].Partition;
        var headline = parameters.HeadlineMethod;
        foreach (var breakdown in table.Breakdowns)
        {
            var domain = breakdown.Classification.Code();
            void AddOne(string measure, string unit, SurveyEstimate e) =>
                results.Add(new VolunteerEstimate(scope.Scope, InputKind.Survey, measure, domain, breakdown.Category, unit, e));
            AddOne(VolunteerMeasures.Volunteers, "persons", SurveyEstimator.Total(design, PersonVariables.Volunteer, breakdown.Volunteers, whole, options)[0]);
            AddOne(VolunteerMeasures.AnnualHours, "hours", SurveyEstimator.Total(design, PersonVariables.AnnualHours, breakdown.Hours, whole, options)[0]);
            var lcuValues = breakdown.Values[headline];
            if (pooled)
            {
                if (parameters.CountryOrder.All(c => parameters.Countries[c].LcuPerUsd is not null))
                {
                    var usd = new double[table.Count];
                    for (int i = 0; i < usd.Length; i++) usd[i] = lcuValues[i] / parameters.Countries[table.Countries[i]].LcuPerUsd!.Value;
                    var name = PersonVariables.Value(headline, MoneyUnit.UsDollar);
                    AddOne(name, "USD", SurveyEstimator.Total(design, name, usd, whole, options)[0]);
                }

                continue;
            }

            var lcuName = PersonVariables.Value(headline, MoneyUnit.LocalCurrency);
            var lcuEstimate = SurveyEstimator.Total(design, lcuName, lcuValues, whole, options)[0];
            AddOne(lcuName, country!.Currency, lcuEstimate);
            if (country.LcuPerUsd is { } rate) AddOne(PersonVariables.Value(headline, MoneyUnit.UsDollar), "USD", Rescale(lcuEstimate, 1 / rate));
        }

        return results;
    }

    /// <summary>A linear rescaling c·θ of an estimate (currency conversion): estimate, SE and interval scale by c &gt; 0; CV, df, n and flag are unchanged.</summary>
    public static SurveyEstimate Rescale(SurveyEstimate estimate, double factor)
    {
        ArgumentNullException.ThrowIfNull(estimate);
        if (!(factor > 0) || !double.IsFinite(factor)) throw new ArgumentOutOfRangeException(nameof(factor), factor, "A rescaling factor must be positive and finite.");
        return estimate with
        {
            Value = estimate.Value * factor,
            Variance = estimate.Variance * factor * factor,
            ConfidenceLow = estimate.ConfidenceLow * factor,
            ConfidenceHigh = estimate.ConfidenceHigh * factor,
            Components = null,
        };
    }

    /// <summary>Administrative totals of hour logs: sums over registered volunteers (weight 1), no sampling error.</summary>
    private static IEnumerable<VolunteerEstimate> AdministrativeScope(string scope, PersonTable table, ValuationParameters parameters, VolunteerEstimationSettings settings)
    {
        bool pooled = scope == RegionalScope;
        var country = pooled ? null : parameters.Countries[scope];
        var volunteer = table.VariableArray(PersonVariables.Volunteer);
        var results = new List<VolunteerEstimate>();
        var domainNames = new List<string> { AllDomain };
        domainNames.AddRange(settings.Domains.Where(d => table.Domain(d).Any(v => v is not null)));
        foreach (var name in domainNames)
        {
            var labels = name == AllDomain ? [AllDomain] : table.Domain(name).Where(v => v is not null).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            foreach (var label in labels)
            {
                // Registered volunteers with at least one valued entry form the administrative "population".
                var rows = Enumerable.Range(0, table.Count).Where(i => volunteer[i] == 1 && (name == AllDomain || table.Domain(name)[i] == label)).ToArray();
                if (rows.Length == 0) continue;
                double Sum(double[] column) => rows.Sum(i => column[i]);
                void Add(string measure, string unit, StatisticKind kind, double value) =>
                    results.Add(new VolunteerEstimate(scope, InputKind.HourLog, measure, name, label!, unit, Administrative(kind, measure, name == AllDomain ? [] : [label!], value, rows.Length)));
                double volunteers = Sum(volunteer), hours = Sum(table.VariableArray(PersonVariables.AnnualHours));
                Add(VolunteerMeasures.Volunteers, "persons", StatisticKind.Total, volunteers);
                Add(VolunteerMeasures.AnnualHours, "hours", StatisticKind.Total, hours);
                Add(VolunteerMeasures.HoursPerVolunteer, "hours per volunteer", StatisticKind.Ratio, hours / volunteers);
                Add(VolunteerMeasures.Fte, "FTE", StatisticKind.Total, Sum(table.VariableArray(PersonVariables.Fte)));
                foreach (var method in ValuationMethods.All)
                {
                    if (!pooled)
                    {
                        Add(PersonVariables.Value(method, MoneyUnit.LocalCurrency), country!.Currency, StatisticKind.Total, Sum(table.VariableArray(PersonVariables.Value(method, MoneyUnit.LocalCurrency))));
                        Add(PersonVariables.Value(method, MoneyUnit.LocalCurrencyBaseYear), string.Create(CultureInfo.InvariantCulture, $"{country.Currency} ({parameters.BaseYear} prices)"),
                            StatisticKind.Total, Sum(table.VariableArray(PersonVariables.Value(method, MoneyUnit.LocalCurrencyBaseYear))));
                    }

                    var usd = Sum(table.VariableArray(PersonVariables.Value(method, MoneyUnit.UsDollar)));
                    if (!double.IsNaN(usd)) Add(PersonVariables.Value(method, MoneyUnit.UsDollar), "USD", StatisticKind.Total, usd);
                    var ppp = Sum(table.VariableArray(PersonVariables.Value(method, MoneyUnit.PppDollar)));
                    if (!double.IsNaN(ppp)) Add(PersonVariables.Value(method, MoneyUnit.PppDollar), "PPP$", StatisticKind.Total, ppp);
                }
            }
        }

        foreach (var breakdown in table.Breakdowns)
        {
            var rows = Enumerable.Range(0, table.Count).Where(i => breakdown.Volunteers[i] == 1).ToArray();
            if (rows.Length == 0) continue;
            var domain = breakdown.Classification.Code();
            void AddOne(string measure, string unit, double value) =>
                results.Add(new VolunteerEstimate(scope, InputKind.HourLog, measure, domain, breakdown.Category, unit, Administrative(StatisticKind.Total, measure, [breakdown.Category], value, rows.Length)));
            AddOne(VolunteerMeasures.Volunteers, "persons", rows.Length);
            AddOne(VolunteerMeasures.AnnualHours, "hours", rows.Sum(i => breakdown.Hours[i]));
            var values = breakdown.Values[parameters.HeadlineMethod];
            if (!pooled)
            {
                AddOne(PersonVariables.Value(parameters.HeadlineMethod, MoneyUnit.LocalCurrency), country!.Currency, rows.Sum(i => values[i]));
                if (country.LcuPerUsd is { } rate) AddOne(PersonVariables.Value(parameters.HeadlineMethod, MoneyUnit.UsDollar), "USD", rows.Sum(i => values[i]) / rate);
            }
            else if (parameters.CountryOrder.All(c => parameters.Countries[c].LcuPerUsd is not null))
            {
                AddOne(PersonVariables.Value(parameters.HeadlineMethod, MoneyUnit.UsDollar), "USD", rows.Sum(i => values[i] / parameters.Countries[table.Countries[i]].LcuPerUsd!.Value));
            }
        }

        return results;
    }

    private static SurveyEstimate Administrative(StatisticKind kind, string variable, IReadOnlyList<string> domain, double value, long count) =>
        new(kind, variable, domain, value, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, count, QualityFlag.Publish, null);
}

/// <summary>One scope's table and design (a country's own sample, or the regional pool).</summary>
internal sealed record ScopeAnalysis(string Scope, PersonTable Table, SurveyDesign Design);

/// <summary>All estimates of a study with the person tables, designs and valuation they come from.</summary>
public sealed class VolunteerEstimateSet
{
    internal VolunteerEstimateSet(IReadOnlyList<VolunteerEstimate> estimates, PersonTable survey, PersonTable hourLog, IReadOnlyList<string> countries,
        IReadOnlyList<ScopeAnalysis> scopes, ValuationResult valuation, VolunteerEstimationSettings settings, IReadOnlyList<string> notes)
    {
        Estimates = estimates;
        Survey = survey;
        HourLog = hourLog;
        Countries = countries;
        ScopeAnalyses = scopes;
        Valuation = valuation;
        Settings = settings;
        Notes = notes;
    }

    /// <summary>Every estimate, in output order: survey scopes (countries in study order, then <c>ALL</c>), then hour-log scopes.</summary>
    public IReadOnlyList<VolunteerEstimate> Estimates { get; }

    /// <summary>The person-level table of the survey inputs.</summary>
    public PersonTable Survey { get; }

    /// <summary>The person-level table of the hour-log inputs (registered volunteers).</summary>
    public PersonTable HourLog { get; }

    /// <summary>The countries with data, in study order.</summary>
    public IReadOnlyList<string> Countries { get; }

    /// <summary>The valuation run the estimates come from.</summary>
    public ValuationResult Valuation { get; }

    /// <summary>The estimation choices used.</summary>
    public VolunteerEstimationSettings Settings { get; }

    /// <summary>Notes for readers (administrative totals, overlapping SDG totals, scopes left out and why).</summary>
    public IReadOnlyList<string> Notes { get; }

    internal IReadOnlyList<ScopeAnalysis> ScopeAnalyses { get; }

    /// <summary>The survey design used for a scope (a country code or <c>ALL</c>), or null when the scope has no survey estimates.</summary>
    public SurveyDesign? DesignOf(string scope) => ScopeAnalyses.FirstOrDefault(s => s.Scope == scope)?.Design;

    /// <summary>The one estimate of a measure for a scope and domain category, or null when there is none.</summary>
    /// <param name="scope">Country code or <c>ALL</c>.</param>
    /// <param name="measure">A <see cref="VolunteerMeasures"/> name or a <see cref="PersonVariables.Value"/> name.</param>
    /// <param name="domain"><c>all</c>, a domain or an activity classification.</param>
    /// <param name="domainValue"><c>all</c> or a category.</param>
    /// <param name="source">Survey (default) or hour log.</param>
    public VolunteerEstimate? Find(string scope, string measure, string domain = VolunteerEstimates.AllDomain, string domainValue = VolunteerEstimates.AllDomain,
        InputKind source = InputKind.Survey) =>
        Estimates.FirstOrDefault(e => e.Source == source && e.Scope == scope && e.Measure == measure && e.Domain == domain && e.DomainValue == domainValue);

    /// <summary>All categories of a measure for a scope and domain (e.g. volunteer rate by age group), in output order.</summary>
    public IReadOnlyList<VolunteerEstimate> ByDomain(string scope, string measure, string domain, InputKind source = InputKind.Survey) =>
        [.. Estimates.Where(e => e.Source == source && e.Scope == scope && e.Measure == measure && e.Domain == domain)];
}
