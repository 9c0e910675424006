namespace ContributionIndex.Tests.Agreement;

/// <summary>
/// The survey (and hour-log) estimates: every figure the annex publishes in T1 (participation), T2 (hours), T3
/// (standard errors of the values) and T4 (SDGs) is the estimate, standard error, interval, CV, n and quality flag of
/// <c>contrib estimate STUDY</c>'s estimates.csv, and every estimate of the annex's breakdowns is published. Rows are
/// matched on the documented SDMX codes of the annex (methodology/sdmx-series.md), read from its SDMX-CSV file, which
/// publishes the same numbers as the tidy CSV (checked first).
/// </summary>
[Collection(AgreementCollection.Name)]
public sealed class EstimateAgreementTests(AgreementRuns runs)
{
    private const string Annex = "the annex";

    /// <summary>The annex's tidy CSV and SDMX-CSV files publish the same observations, values and flags.</summary>
    [Theory]
    [MemberData(nameof(AgreementStudies.All), MemberType = typeof(AgreementStudies))]
    public void Annex_tidy_csv_and_sdmx_publish_the_same_observations(string study)
    {
        var annex = runs.Get(study).Annex;
        var figures = new Figures($"{study}: annex tidy CSV vs SDMX-CSV");
        figures.AddProblems(annex.PairingProblems);
        // T7–T9 are method tables (method range, survey vs platform, goalpost sensitivity: methodology/reporting.md), and
        // T10 holds differences between waves (methodology/change-over-time.md) and T11 compares pairs of published values
        // (#19): not observations of an SDMX series, they are in the tidy CSV only.
        foreach (var table in annex.Tables.Where(t => t.Key is not ("T7" or "T8" or "T9" or "T10" or "T11")).Select(t => t.Value))
            foreach (var row in table.Where(r => r.Dimensions is null))
                figures.Problem($"{row} has no SDMX observation");
        figures.Counted(annex.PairedObservations);
        figures.AssertAgree();
    }

    /// <summary>T1: volunteers and the volunteer rate by sex, age group, urban/rural, region and form of every survey scope.</summary>
    [Theory]
    [MemberData(nameof(AgreementStudies.All), MemberType = typeof(AgreementStudies))]
    public void Annex_participation_table_restates_contrib_estimate(string study)
    {
        var outputs = runs.Get(study);
        var estimates = outputs.Estimates;
        var figures = new Figures($"{study}: annex T1 vs contrib estimate");
        var published = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in outputs.Annex.Table("T1"))
        {
            published.Add(row.Scope + "|" + row.Breakdown);
            var volunteers = estimates.Find("volunteers", row.Scope, "survey", row.Breakdown);
            Compare(figures, row, "volunteers", volunteers, withFlag: true);
            Compare(figures, row, "volunteers_se", volunteers, "se");
            Compare(figures, row, "volunteers_cv", volunteers, "cv", 100);
            Compare(figures, row, "n", volunteers, "n_unweighted");
            // A form's rate is its own survey mean over the whole population (forms overlap), not a rate in a domain.
            var rate = row.Breakdown switch
            {
                "CUST_BREAKDOWN=VOL_ORG" => estimates.Find("volunteer_rate_organisation", row.Scope, "survey", ""),
                "CUST_BREAKDOWN=VOL_DIR" => estimates.Find("volunteer_rate_direct", row.Scope, "survey", ""),
                _ => estimates.Find("volunteer_rate", row.Scope, "survey", row.Breakdown),
            };
            Compare(figures, row, "rate", rate, withFlag: true);
            Compare(figures, row, "rate_se", rate, "se");
            Compare(figures, row, "rate_ci_low", rate, "ci_low");
            Compare(figures, row, "rate_ci_high", rate, "ci_high");
            Compare(figures, row, "rate_cv", rate, "cv", 100);
        }

        Covered(figures, "T1", published, estimates.Of("volunteers", "survey", "all", "sex", "age_group", "urban_rural", "region", "form"));
        figures.AssertAgree();
    }

    /// <summary>T2: hours, hours per volunteer and FTE by form, ISCO major group and Forum direction, survey and hour log.</summary>
    [Theory]
    [MemberData(nameof(AgreementStudies.All), MemberType = typeof(AgreementStudies))]
    public void Annex_hours_table_restates_contrib_estimate(string study)
    {
        var outputs = runs.Get(study);
        var estimates = outputs.Estimates;
        var figures = new Figures($"{study}: annex T2 vs contrib estimate");
        var published = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in outputs.Annex.Table("T2"))
        {
            var source = outputs.Annex.SourceOf(row);
            if (source == "survey") published.Add(row.Scope + "|" + row.Breakdown);
            var hours = estimates.Find("annual_hours", row.Scope, source, row.Breakdown);
            Compare(figures, row, "hours", hours, withFlag: true);
            Compare(figures, row, "hours_se", hours, "se");
            Compare(figures, row, "hours_cv", hours, "cv", 100);
            if (estimates.Find("hours_per_volunteer", row.Scope, source, row.Breakdown) is { } perVolunteer)
            {
                Compare(figures, row, "hours_per_volunteer", perVolunteer);
                Compare(figures, row, "hours_per_volunteer_se", perVolunteer, "se");
            }
            else if (row.Cell("hours_per_volunteer")?.Value is { } shown)
            {
                // No ratio estimate for this breakdown: the annex divides the two totals.
                var volunteers = estimates.Find("volunteers", row.Scope, source, row.Breakdown);
                figures.Same($"{row} hours_per_volunteer", shown, Annex, hours?.Number("estimate") / volunteers?.Number("estimate"), EstimateTable.Source + " hours / volunteers");
            }

            if (estimates.Find("fte", row.Scope, source, row.Breakdown) is { } fte)
            {
                Compare(figures, row, "fte", fte);
            }
            else if (row.Cell("fte")?.Value is { } shown && outputs.Valuation.Headline(source, row.Scope) is { } summary)
            {
                // No FTE estimate for this breakdown: hours over the country's full-time annual hours (a study parameter).
                figures.Same($"{row} fte", shown, Annex, hours?.Number("estimate") / summary.Number("full_time_annual_hours"), EstimateTable.Source + " hours / " + ValuationTable.Source + " full_time_annual_hours");
            }
        }

        Covered(figures, "T2", published, estimates.Of("annual_hours", "survey", "all", "form", "isco_major_group", "direction"));
        figures.AssertAgree();
    }

    /// <summary>T3: the standard error and CV of each survey value (LCU and PPP$) are those of the value's estimate.</summary>
    [Theory]
    [MemberData(nameof(AgreementStudies.All), MemberType = typeof(AgreementStudies))]
    public void Annex_value_precision_restates_contrib_estimate(string study)
    {
        var outputs = runs.Get(study);
        var figures = new Figures($"{study}: annex T3 standard errors vs contrib estimate");
        foreach (var row in outputs.Annex.Table("T3"))
        {
            if (outputs.Annex.SourceOf(row) != "survey") continue;
            var method = Scopes.MethodOf(row.Dimension("CUST_BREAKDOWN"));
            var lcu = outputs.Estimates.Find("value_" + method + "_lcu", row.Scope, "survey", "");
            Compare(figures, row, "value_lcu_se", lcu, "se");
            Compare(figures, row, "value_lcu_cv", lcu, "cv", 100);
            Compare(figures, row, "value_ppp_se", outputs.Estimates.Find("value_" + method + "_ppp", row.Scope, "survey", ""), "se");
        }

        figures.AssertAgree();
    }

    /// <summary>T4: hours, specialist value and volunteers by SDG goal (equal split), with SE and CV.</summary>
    [Theory]
    [MemberData(nameof(AgreementStudies.All), MemberType = typeof(AgreementStudies))]
    public void Annex_sdg_table_restates_contrib_estimate(string study)
    {
        var outputs = runs.Get(study);
        var estimates = outputs.Estimates;
        var figures = new Figures($"{study}: annex T4 vs contrib estimate");
        var published = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in outputs.Annex.Table("T4"))
        {
            published.Add(row.Scope + "|" + row.Breakdown);
            var hours = estimates.Find("annual_hours", row.Scope, "survey", row.Breakdown);
            Compare(figures, row, "hours", hours, withFlag: true);
            Compare(figures, row, "hours_se", hours, "se");
            Compare(figures, row, "hours_cv", hours, "cv", 100);
            // The value column is in LCU for one country and in US$ for a region (its unit says which).
            var unit = row.Cell("value")?.Unit.ToLowerInvariant() ?? "lcu";
            var value = estimates.Find("value_specialist_" + unit, row.Scope, "survey", row.Breakdown);
            Compare(figures, row, "value", value, withFlag: true);
            Compare(figures, row, "value_cv", value, "cv", 100);
            var volunteers = estimates.Find("volunteers", row.Scope, "survey", row.Breakdown);
            Compare(figures, row, "volunteers", volunteers, withFlag: true);
            Compare(figures, row, "volunteers_cv", volunteers, "cv", 100);
        }

        Covered(figures, "T4", published, estimates.Of("annual_hours", "survey", "all", "sdg"));
        figures.AssertAgree();
    }

    /// <summary>
    /// Compares one annex cell with one column of an estimate (times <paramref name="scale"/>); a withheld cell
    /// publishes nothing. With <paramref name="withFlag"/> the cell's flag must be the estimate's quality flag.
    /// </summary>
    private static void Compare(Figures figures, TidyRow row, string measure, CsvRecord? estimate, string column = "estimate", double scale = 1, bool withFlag = false)
    {
        var cell = row.Cell(measure);
        if (cell?.Value is not { } value) return;
        if (estimate is null)
        {
            figures.Problem($"{row} {measure} = {Figures.Text(value)}: {EstimateTable.Source} has no such estimate");
            return;
        }

        figures.Same($"{row} {measure}", value, Annex + " " + cell.Record, estimate.Number(column) * scale, EstimateTable.Source + " " + estimate + " " + column + (scale == 1 ? "" : " x100"));
        if (!withFlag) return;
        var expected = estimate["flag"] switch
        {
            "publish" or "admin" => "",
            "caution" => "u",
            var other => "(withheld: " + other + ")",
        };
        if (cell.Flag != expected) figures.Problem($"{row} {measure}: flag '{cell.Flag}' but the estimate's quality flag is '{estimate["flag"]}' ({estimate})");
    }

    /// <summary>Every estimate of the table's breakdowns has a row in the table.</summary>
    private static void Covered(Figures figures, string table, HashSet<string> published, IEnumerable<(CsvRecord Record, string Scope, string Breakdown)> estimates)
    {
        foreach (var (record, scope, breakdown) in estimates)
            if (!published.Contains(scope + "|" + breakdown))
                figures.Problem($"{table} has no row for {scope} {(breakdown.Length == 0 ? "total" : breakdown)} ({EstimateTable.Source} {record})");
    }
}
