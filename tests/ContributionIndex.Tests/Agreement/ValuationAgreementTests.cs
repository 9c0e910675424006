using System.Globalization;

namespace ContributionIndex.Tests.Agreement;

/// <summary>
/// Valuation totals per country, source and method: <c>contrib value</c>'s summary.csv is what <c>contrib estimate</c>
/// and <c>contrib report</c> write as their valuation outputs, what estimates.csv estimates, and what the annex's
/// economic-value table (T3) and index table (T6) publish.
/// </summary>
[Collection(AgreementCollection.Name)]
public sealed class ValuationAgreementTests(AgreementRuns runs)
{
    private const string Annex = "the annex (tidy CSV)";

    /// <summary>summary.csv and method_range.csv of estimate and report are those of value, figure by figure.</summary>
    [Theory]
    [MemberData(nameof(AgreementStudies.All), MemberType = typeof(AgreementStudies))]
    public void Estimate_and_report_write_the_valuation_summary_of_contrib_value(string study)
    {
        var outputs = runs.Get(study);
        var figures = new Figures($"{study}: valuation outputs of contrib estimate and contrib report vs contrib value");
        foreach (var (file, keys) in new[] { ("summary.csv", new[] { "source_kind", "country", "method" }), ("method_range.csv", new[] { "source_kind", "country", "unit" }) })
        {
            var reference = CsvFile.Read(Path.Combine(outputs.ValueFolder, file));
            foreach (var (command, folder) in new[] { ("contrib estimate", outputs.EstimateFolder), ("contrib report", Path.Combine(outputs.ReportFolder, "valuation")) })
                CompareFiles(figures, reference, CsvFile.Read(Path.Combine(folder, file)), command, keys);
        }

        figures.AssertAgree();
    }

    /// <summary>T3's value in LCU, US$, PPP$ and % of GDP per source, country and method, and T6's PPP$ value, are contrib value's.</summary>
    [Theory]
    [MemberData(nameof(AgreementStudies.All), MemberType = typeof(AgreementStudies))]
    public void Annex_economic_value_table_restates_contrib_value(string study)
    {
        var outputs = runs.Get(study);
        var annex = outputs.Annex;
        var valuation = outputs.Valuation;
        var figures = new Figures($"{study}: annex T3 and T6 values vs contrib value");
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in annex.Table("T3"))
        {
            var source = annex.SourceOf(row);
            var method = Scopes.MethodOf(row.Dimension("CUST_BREAKDOWN"));
            var summary = valuation.Find(source, row.Scope, method);
            var what = $"T3 {source} {row.Scope} {method}";
            if (summary is null)
            {
                figures.Problem($"{what} ({row}): contrib value has no such summary row");
                continue;
            }

            seen[summary.ToString()] = seen.GetValueOrDefault(summary.ToString()) + 1;
            Same(figures, what, row, "value_lcu", summary, "value_lcu_current");
            Same(figures, what, row, "value_usd", summary, "value_usd");
            Same(figures, what, row, "value_ppp", summary, "value_ppp");
            Same(figures, what, row, "pct_gdp", summary, "share_of_gdp_percent");
        }

        foreach (var record in valuation.Records)
        {
            var count = seen.GetValueOrDefault(record.ToString());
            if (count != 1) figures.Problem($"contrib value's {record["source_kind"]} {record["country"]} {record["method"]} ({record}) is in T3 {count} times, not once");
        }

        if (annex.Tables.ContainsKey("T6"))
        {
            foreach (var row in annex.Table("T6"))
            {
                var headline = valuation.Headline("survey", row.Scope);
                if (headline is null) figures.Problem($"T6 {row.Scope}: contrib value has no headline survey value");
                else Same(figures, $"T6 {row.Scope} headline value", row, "value_ppp", headline, "value_ppp");
            }
        }

        figures.AssertAgree();
    }

    /// <summary>estimates.csv's totals of volunteers, hours, FTE and value by every method and unit are contrib value's.</summary>
    [Theory]
    [MemberData(nameof(AgreementStudies.All), MemberType = typeof(AgreementStudies))]
    public void Estimates_of_volunteers_hours_and_value_restate_contrib_value(string study)
    {
        var outputs = runs.Get(study);
        var estimates = outputs.Estimates;
        var figures = new Figures($"{study}: contrib estimate totals vs contrib value");
        foreach (var summary in outputs.Valuation.Records)
        {
            var source = summary["source_kind"];
            var scope = Scopes.OfCountry(summary["country"]);
            var method = summary["method"];
            var pairs = new List<(string Variable, string Column)>
            {
                ("value_" + method + "_lcu", "value_lcu_current"),
                ("value_" + method + "_lcu_base", "value_lcu_base"),
                ("value_" + method + "_usd", "value_usd"),
                ("value_" + method + "_ppp", "value_ppp"),
            };
            if (summary["headline"] == "1") pairs.AddRange([("volunteers", "volunteers"), ("annual_hours", "hours_annual"), ("fte", "fte")]);
            foreach (var (variable, column) in pairs)
            {
                var reference = summary.Number(column);
                if (reference is null) continue; // e.g. no LCU total for a pool of currencies
                var estimate = estimates.Find(variable, scope, source, "");
                var what = $"{source} {scope} {variable} (summary {column})";
                if (estimate is null) figures.Problem($"{what}: {EstimateTable.Source} has no total");
                else figures.Same(what, estimate.Number("estimate"), EstimateTable.Source + " " + estimate, reference, ValuationTable.Source);
            }
        }

        figures.AssertAgree();
    }

    private static void Same(Figures figures, string what, TidyRow row, string measure, CsvRecord summary, string column)
    {
        var cell = row.Cell(measure);
        if (cell is null)
        {
            figures.Problem($"{what}: the annex row {row} has no {measure} cell");
            return;
        }

        // A withheld cell ([c], [x], [z]) publishes no figure; one the valuation has no figure for must be withheld.
        if (cell.Value is null && (cell.Flag.Length > 0 || summary.Number(column) is null)) return;
        figures.Same($"{what} {measure}", cell.Value, Annex + " " + cell.Record, summary.Number(column), ValuationTable.Source + " " + summary + " " + column);
    }

    /// <summary>Compares two CSV files with the same header row by row (rows matched on <paramref name="keys"/>): numbers exactly, text equal.</summary>
    private static void CompareFiles(Figures figures, CsvFile reference, CsvFile other, string command, string[] keys)
    {
        var name = Path.GetFileName(reference.Path);
        if (!reference.Header.SequenceEqual(other.Header))
        {
            figures.Problem($"{command} {name}: header {string.Join(",", other.Header)} differs from contrib value's {string.Join(",", reference.Header)}");
            return;
        }

        string Key(CsvRecord r) => string.Join("|", keys.Select(k => r[k]));
        var others = other.Records.ToDictionary(Key, StringComparer.Ordinal);
        if (others.Count != reference.Records.Count)
            figures.Problem($"{command} {name}: {other.Records.Count} rows, contrib value's has {reference.Records.Count}");
        foreach (var r in reference.Records)
        {
            if (!others.TryGetValue(Key(r), out var o))
            {
                figures.Problem($"{command} {name}: no row {Key(r)}");
                continue;
            }

            foreach (var column in reference.Header.Where(c => !keys.Contains(c)))
            {
                var a = r[column];
                var b = o[column];
                var what = $"{name} {Key(r)} {column}";
                if (double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y))
                    figures.Same(what, y, command + " " + o, x, "contrib value " + r);
                else if (a != b)
                    figures.Problem($"{what}: {command} '{b}' but contrib value '{a}'");
            }
        }
    }
}
