namespace ContributionIndex.Tests.Agreement;

/// <summary>
/// Indicators and the composite index: the annex's indicator table (T5) is <c>contrib index STUDY</c>'s indicators.csv,
/// its index table (T6) is scores.csv and index_se.csv, the indicators that restate a survey estimate or the valuation
/// (volunteer rate, hours per volunteer, formal share, value in % of GDP) have the estimate's and the valuation's value,
/// and a figure published twice has one standard error and one interval.
/// </summary>
[Collection(AgreementCollection.Name)]
public sealed class IndicatorAgreementTests(AgreementRuns runs)
{
    private const string IndexSource = "contrib index";

    /// <summary>An indicator as one output publishes it.</summary>
    private sealed record Indicator(string Where, string Scope, string Code, double? Value, double? Se, double? Low, double? High);

    /// <summary>Indicators that restate one survey estimate (value, SE and interval times the scale).</summary>
    private static readonly (string Code, string Variable, double Scale)[] Restated =
    [
        ("soc_participation", "volunteer_rate", 100),
        ("soc_hours_per_volunteer", "hours_per_volunteer", 1),
        ("soc_formal_share", "organisation_hours_share", 100),
    ];

    private static (string Code, string Variable, double Scale)? RestatedAs(string code) =>
        Restated.Where(r => r.Code == code).Select(r => ((string, string, double)?)r).FirstOrDefault();

    /// <summary>T5's value, SE and interval of every indicator and unit are indicators.csv's, and every indicator is in T5.</summary>
    [Theory]
    [MemberData(nameof(AgreementStudies.WithIndex), MemberType = typeof(AgreementStudies))]
    public void Annex_indicator_table_restates_contrib_index(string study)
    {
        var outputs = runs.Get(study);
        var figures = new Figures($"{study}: annex T5 vs contrib index (indicators.csv)");
        var reference = FromIndex(outputs).ToDictionary(i => i.Scope + "|" + i.Code, StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var annex in FromAnnex(outputs))
        {
            var key = annex.Scope + "|" + annex.Code;
            seen.Add(key);
            if (!reference.TryGetValue(key, out var index))
            {
                figures.Problem($"{annex.Where}: {IndexSource} has no indicator {annex.Code} for {annex.Scope}");
                continue;
            }

            figures.Same($"T5 {key} value", annex.Value, annex.Where, index.Value, index.Where);
            figures.Same($"T5 {key} se", annex.Se, annex.Where, index.Se, index.Where);
            figures.Same($"T5 {key} ci_low", annex.Low, annex.Where, index.Low, index.Where);
            figures.Same($"T5 {key} ci_high", annex.High, annex.Where, index.High, index.Where);
        }

        foreach (var key in reference.Keys.Where(k => !seen.Contains(k))) figures.Problem($"T5 has no row for {key} of {reference[key].Where}");
        figures.AssertAgree();
    }

    /// <summary>T6's score, SE, rank and pillar scores per country are scores.csv's and index_se.csv's.</summary>
    [Theory]
    [MemberData(nameof(AgreementStudies.WithIndex), MemberType = typeof(AgreementStudies))]
    public void Annex_index_table_restates_contrib_index(string study)
    {
        var outputs = runs.Get(study);
        var figures = new Figures($"{study}: annex T6 vs contrib index (scores.csv, index_se.csv)");
        var scores = CsvFile.Read(outputs.IndexFile("scores.csv")).Records;
        var errors = CsvFile.Read(outputs.IndexFile("index_se.csv")).Records;
        CsvRecord? Score(string scope, string level, string name) =>
            scores.SingleOrDefault(r => Scopes.OfCountry(r["unit"]) == scope && r["level"] == level && r["name"] == name);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in outputs.Annex.Table("T6"))
        {
            seen.Add(row.Scope);
            var index = Score(row.Scope, "index", "index");
            var error = errors.SingleOrDefault(r => Scopes.OfCountry(r["unit"]) == row.Scope);
            if (index is null || error is null)
            {
                figures.Problem($"{row}: {IndexSource} has no index score or SE for {row.Scope}");
                continue;
            }

            figures.Same($"T6 {row.Scope} score", row.Cell("score")?.Value, "annex " + row, index.Number("score"), IndexSource + " " + index);
            figures.Same($"T6 {row.Scope} rank", row.Cell("rank")?.Value, "annex " + row, index.Number("rank"), IndexSource + " " + index);
            figures.Same($"T6 {row.Scope} score_se", row.Cell("score_se")?.Value, "annex " + row, error.Number("se"), IndexSource + " " + error);
            figures.Same($"{row.Scope} index", error.Number("index"), IndexSource + " " + error, index.Number("score"), IndexSource + " " + index);
            figures.Same($"{row.Scope} rank", error.Number("rank"), IndexSource + " " + error, index.Number("rank"), IndexSource + " " + index);
            foreach (var cell in row.Cells.Values.Where(c => c.Measure.StartsWith("pillar_", StringComparison.Ordinal)))
            {
                var pillar = Score(row.Scope, "pillar", cell.Measure["pillar_".Length..]);
                if (pillar is null) figures.Problem($"{row} {cell.Measure}: {IndexSource} has no such pillar score");
                else figures.Same($"T6 {row.Scope} {cell.Measure}", cell.Value, "annex " + cell.Record, pillar.Number("score"), IndexSource + " " + pillar);
            }
        }

        foreach (var unit in errors.Select(r => Scopes.OfCountry(r["unit"])).Where(u => !seen.Contains(u)))
            figures.Problem($"T6 has no row for {unit}, which {IndexSource} scores");
        figures.AssertAgree();
    }

    /// <summary>
    /// The indicators that restate a survey estimate or the valuation (T5 of every study; indicators.csv of a study with
    /// an index) have the value of contrib estimate's estimate and of contrib value's share of GDP.
    /// </summary>
    [Theory]
    [MemberData(nameof(AgreementStudies.All), MemberType = typeof(AgreementStudies))]
    public void Indicators_restate_the_survey_estimates_and_the_valuation(string study)
    {
        var outputs = runs.Get(study);
        var figures = new Figures($"{study}: indicators (annex T5, contrib index) vs contrib estimate and contrib value");
        foreach (var indicator in Published(outputs))
        {
            if (indicator.Code == "econ_value_gdp")
            {
                var headline = outputs.Valuation.Headline("survey", indicator.Scope);
                if (headline?.Number("share_of_gdp_percent") is { } share)
                    figures.Same($"{indicator.Scope} econ_value_gdp", indicator.Value, indicator.Where, share, ValuationTable.Source + " " + headline + " share_of_gdp_percent");
                continue;
            }

            if (RestatedAs(indicator.Code) is not { } restated || indicator.Value is null) continue;
            var estimate = outputs.Estimates.Find(restated.Variable, indicator.Scope, "survey", "");
            if (estimate is null) figures.Problem($"{indicator.Where}: {EstimateTable.Source} has no {restated.Variable} for {indicator.Scope}");
            else figures.Same($"{indicator.Scope} {indicator.Code}", indicator.Value, indicator.Where, restated.Scale * estimate.Number("estimate"), $"{EstimateTable.Source} {estimate} {restated.Variable} x{restated.Scale}");
        }

        figures.AssertAgree();
    }

    /// <summary>
    /// A figure has one standard error and one confidence interval wherever it is published: the volunteer rate of T1
    /// and the participation indicator of T5, hours per volunteer of T2 and T5, the indicators of T5 and indicators.csv
    /// and the estimates they restate in estimates.csv.
    /// </summary>
    [Theory]
    [MemberData(nameof(AgreementStudies.All), MemberType = typeof(AgreementStudies))]
    public void A_figure_has_one_standard_error_and_interval_wherever_it_is_published(string study)
    {
        var outputs = runs.Get(study);
        var figures = new Figures($"{study}: standard errors and intervals of one figure in T1, T2, T5, estimates.csv and indicators.csv");
        var annex = outputs.Annex;
        foreach (var indicator in Published(outputs))
        {
            if (RestatedAs(indicator.Code) is not { } restated || indicator.Value is null) continue;
            var estimate = outputs.Estimates.Find(restated.Variable, indicator.Scope, "survey", "");
            if (estimate is null)
            {
                figures.Problem($"{indicator.Where}: {EstimateTable.Source} has no {restated.Variable} for {indicator.Scope}");
                continue;
            }

            var from = $"{EstimateTable.Source} {estimate} {restated.Variable} x{restated.Scale}";
            figures.Same($"{indicator.Scope} {indicator.Code} se", indicator.Se, indicator.Where, restated.Scale * estimate.Number("se"), from);
            figures.Same($"{indicator.Scope} {indicator.Code} ci_low", indicator.Low, indicator.Where, restated.Scale * estimate.Number("ci_low"), from);
            figures.Same($"{indicator.Scope} {indicator.Code} ci_high", indicator.High, indicator.Where, restated.Scale * estimate.Number("ci_high"), from);
        }

        // Within the annex: T1's volunteer rate and T2's hours per volunteer against T5's indicators of the same country.
        var t5 = FromAnnex(outputs).ToDictionary(i => i.Scope + "|" + i.Code, StringComparer.Ordinal);
        foreach (var row in annex.Table("T1").Where(r => r.Breakdown.Length == 0))
        {
            if (!t5.TryGetValue(row.Scope + "|soc_participation", out var rate) || rate.Value is null) continue;
            figures.Same($"{row.Scope} volunteer rate SE (T1 x100 vs T5)", 100 * row.Cell("rate_se")?.Value, "annex " + row, rate.Se, rate.Where);
            figures.Same($"{row.Scope} volunteer rate CI low (T1 x100 vs T5)", 100 * row.Cell("rate_ci_low")?.Value, "annex " + row, rate.Low, rate.Where);
            figures.Same($"{row.Scope} volunteer rate CI high (T1 x100 vs T5)", 100 * row.Cell("rate_ci_high")?.Value, "annex " + row, rate.High, rate.Where);
        }

        foreach (var row in annex.Table("T2").Where(r => r.Breakdown.Length == 0 && annex.SourceOf(r) == "survey"))
        {
            if (!t5.TryGetValue(row.Scope + "|soc_hours_per_volunteer", out var perVolunteer) || perVolunteer.Value is null) continue;
            figures.Same($"{row.Scope} hours per volunteer SE (T2 vs T5)", row.Cell("hours_per_volunteer_se")?.Value, "annex " + row, perVolunteer.Se, perVolunteer.Where);
        }

        figures.AssertAgree();
    }

    private static IEnumerable<Indicator> Published(StudyOutputs outputs) =>
        outputs.IndexFolder is null ? FromAnnex(outputs) : FromAnnex(outputs).Concat(FromIndex(outputs));

    private static IEnumerable<Indicator> FromAnnex(StudyOutputs outputs) =>
        outputs.Annex.Table("T5").Select(row =>
        {
            var series = row.Series ?? throw new InvalidOperationException($"{row} has no SDMX series");
            Assert.StartsWith("VOL_", series, StringComparison.Ordinal);
            return new Indicator("annex " + row, row.Scope, series["VOL_".Length..].ToLowerInvariant(),
                row.Cell("value")?.Value, row.Cell("se")?.Value, row.Cell("ci_low")?.Value, row.Cell("ci_high")?.Value);
        });

    private static IEnumerable<Indicator> FromIndex(StudyOutputs outputs) =>
        CsvFile.Read(outputs.IndexFile("indicators.csv")).Records.Select(r =>
            new Indicator($"{IndexSource} {r}", Scopes.OfCountry(r["unit"]), r["indicator"], r.Number("value"), r.Number("se"), r.Number("ci_low"), r.Number("ci_high")));
}
