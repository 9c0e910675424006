using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Reporting;
using ContributionIndex.Valuation;

namespace ContributionIndex.Rendering.Guide;

/// <summary>
/// The figures of the methodology guide's worked example (methodology/guide/), taken from a study run — the same
/// <see cref="StudyRun"/> behind <c>contrib report</c> — and written into the guide's templates in place of
/// <c>{{name}}</c> placeholders, so that every number the guide quotes is produced by the tool.
/// </summary>
public static partial class GuideFigures
{
    /// <summary>The named figures of one country's survey and platform results, formatted in <paramref name="language"/>.</summary>
    /// <param name="run">The study run (valuation, estimates and indicators are computed on demand).</param>
    /// <param name="country">ISO 3166-1 alpha-2 code of the country of the example.</param>
    /// <param name="language">The guide's language (number format).</param>
    public static IReadOnlyDictionary<string, string> Of(StudyRun run, string country, ReportLanguage language)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(language);
        var f = language.NumberFormat;
        var figures = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Put(string name, double value, int decimals) => figures[name] = value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), f);

        var parameters = run.Valuation.Parameters;
        var c = parameters.Countries[country];
        var study = run.Study;
        Put("k", study.ReferencePeriod.AnnualisationFactor, 0);
        Put("days", study.ReferencePeriod.LengthDays, 0);
        Put("w_gen", c.GeneralistWage, 2);
        Put("w_avg", c.AverageBasisWage, 2);
        if (c.CommunitySocialServicesWage is { } css) Put("w_3412", css.HourlyWage, 2);
        if (c.MinimumHourlyWage is { } minimum) Put("w_min", minimum, 2);
        Put("h_ft", c.FullTimeAnnualHours, 0);
        if (c.LcuPerUsd is { } usd) Put("lcu_per_usd", usd, 3);
        if (c.LcuPerPppDollar is { } ppp) Put("lcu_per_ppp", ppp, 4);
        if (c.Gdp is { } gdp) Put("gdp_bn", gdp / 1e9, 1);
        Put("share_percent", 100 * parameters.OpportunityCostShare, 0);
        figures["currency"] = c.Currency;

        // Survey estimates with their precision (the study's one design).
        var set = run.Estimates;
        void Estimate(string name, string measure, double scale, int decimals, string domain = VolunteerEstimates.AllDomain, string value = VolunteerEstimates.AllDomain)
        {
            if (set.Find(country, measure, domain, value) is not { } e) return;
            var s = e.Estimate;
            Put(name, s.Value * scale, decimals);
            Put(name + "_se", s.StandardError * scale, decimals);
            Put(name + "_low", s.ConfidenceLow * scale, decimals);
            Put(name + "_high", s.ConfidenceHigh * scale, decimals);
            Put(name + "_cv", 100 * s.CoefficientOfVariation, 1);
            Put(name + "_n", s.UnweightedCount, 0);
            figures[name + "_flag"] = FlagWord(s.Flag.ToString().ToLowerInvariant(), language.Code);
        }

        Estimate("population", VolunteerMeasures.Population, 1, 0);
        Estimate("volunteers", VolunteerMeasures.Volunteers, 1, 0);
        Estimate("rate", VolunteerMeasures.VolunteerRate, 100, 1);
        Estimate("rate_org", VolunteerMeasures.VolunteerRateOrganisation, 100, 1);
        Estimate("rate_direct", VolunteerMeasures.VolunteerRateDirect, 100, 1);
        Estimate("hours", VolunteerMeasures.AnnualHours, 1e-6, 1);
        Estimate("hours_org", VolunteerMeasures.HoursOrganisation, 1e-6, 1);
        Estimate("hours_per_volunteer", VolunteerMeasures.HoursPerVolunteer, 1, 1);
        Estimate("fte", VolunteerMeasures.Fte, 1, 0);
        Estimate("rate_youth", VolunteerMeasures.VolunteerRate, 100, 1, PersonVariables.Youth, "15-29");
        Estimate("value_specialist", PersonVariables.Value(ValuationMethod.Specialist, MoneyUnit.LocalCurrency), 1e-9, 1);

        // Valuation (the run's values; bn of local currency at current prices).
        var summary = run.Valuation.Summaries.Single(s => s.SourceKind == InputKind.Survey && s.Country == country);
        Put("valued_records", summary.ValuedRecords, 0);
        Put("h_ref_mn", summary.HoursReference / 1e6, 2);
        Put("h_year_mn", summary.HoursAnnual / 1e6, 2);
        foreach (var method in ValuationMethods.All)
        {
            var value = summary[method];
            if (value.ValueLcuCurrent is { } lcu) Put("v_" + method.Code(), lcu / 1e9, 1);
            if (value.ValueUsd is { } v) Put("v_" + method.Code() + "_usd_mn", v / 1e6, 1);
            if (value.ValuePpp is { } p) Put("v_" + method.Code() + "_ppp_mn", p / 1e6, 1);
            if (value.ShareOfGdpPercent is { } g) Put("v_" + method.Code() + "_gdp", g, 2);
        }

        var headline = summary[parameters.HeadlineMethod].ValueLcuCurrent!.Value;
        foreach (var basis in new[] { GeneralistWageBasis.Average, GeneralistWageBasis.CommunitySocialServices })
        {
            if (GeneralistSensitivity.Value(summary, c, basis) is not { } v) continue;
            var name = basis == GeneralistWageBasis.Average ? "v_gen_average" : "v_gen_3412";
            Put(name, v / 1e9, 1);
            Put(name + "_diff", 100 * ((v / headline) - 1), 1);
        }

        foreach (var method in ValuationMethods.All)
        {
            if (summary[method].ValueLcuCurrent is { } v) Put("d_" + method.Code(), 100 * ((v / headline) - 1), 1);
        }

        // Platform hour log and the coverage ratio.
        if (SourceCoverage.Of(set).FirstOrDefault(r => r.Country == country) is { } coverage)
        {
            Put("platform_hours_th", coverage.PlatformHours / 1e3, 1);
            if (coverage.Ratio is { } ratio) Put("coverage", 100 * ratio, 3);
            if (coverage.RatioInterval is { } interval)
            {
                Put("coverage_low", 100 * interval.Low, 3);
                Put("coverage_high", 100 * interval.High, 3);
            }
        }

        // Indicators with replicate standard errors.
        foreach (var indicator in run.Indicators.Indicators.Where(i => i.Unit == country && double.IsFinite(i.Value)))
        {
            Put("i_" + indicator.Code, indicator.Value, 2);
            if (double.IsFinite(indicator.StandardError)) Put("i_" + indicator.Code + "_se", indicator.StandardError, 2);
        }

        return figures;
    }

    /// <summary>
    /// Replaces every <c>{{name}}</c> of <paramref name="template"/> by its figure.
    /// </summary>
    /// <exception cref="KeyNotFoundException">The template names a figure the run does not produce (listed in the message).</exception>
    public static string Fill(string template, IReadOnlyDictionary<string, string> figures)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(figures);
        var missing = new SortedSet<string>(StringComparer.Ordinal);
        var text = Placeholder().Replace(template, m =>
        {
            if (figures.TryGetValue(m.Groups[1].Value, out var value)) return value;
            missing.Add(m.Groups[1].Value);
            return m.Value;
        });
        if (missing.Count > 0) throw new KeyNotFoundException("the guide names figures the run does not produce: " + string.Join(", ", missing));
        return text;
    }

    /// <summary>The names of the figures a template quotes, in order of first use.</summary>
    public static IReadOnlyList<string> Names(string template)
    {
        ArgumentNullException.ThrowIfNull(template);
        return Placeholder().Matches(template).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>A figure table as text (<c>name = value</c> per line), for the guide's build log.</summary>
    public static string Describe(IReadOnlyDictionary<string, string> figures)
    {
        ArgumentNullException.ThrowIfNull(figures);
        var text = new StringBuilder();
        foreach (var (name, value) in figures) text.Append(name).Append(" = ").Append(value).Append('\n');
        return text.ToString();
    }

    /// <summary>A quality flag in the guide's language.</summary>
    private static string FlagWord(string flag, string language) => (flag, language) switch
    {
        ("publish", "ru") => "«публикуется»",
        ("caution", "ru") => "«с осторожностью» [u]",
        ("suppress", "ru") => "«скрыто» [c]",
        ("publish", "kk") => "«жарияланады»",
        ("caution", "kk") => "«сақтықпен» [u]",
        ("suppress", "kk") => "«жасырылған» [c]",
        ("caution", _) => "caution [u]",
        ("suppress", _) => "suppressed [c]",
        _ => flag,
    };

    [GeneratedRegex(@"\{\{([a-z0-9_]+)\}\}")]
    private static partial Regex Placeholder();
}
