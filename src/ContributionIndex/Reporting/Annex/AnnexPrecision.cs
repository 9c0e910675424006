namespace ContributionIndex.Reporting;

/// <summary>
/// The precision policy's presentation rules that depend on a column's values (methodology/reporting.md): currency in
/// millions or thousands, applied to the finished tables after disclosure control, so the scale is chosen from
/// published values only and the cells keep the model's numbers in units.
/// </summary>
internal static class AnnexPrecision
{
    /// <summary>The unit codes of currency columns (local currency, US dollars, PPP dollars).</summary>
    private static readonly HashSet<string> CurrencyUnits = new(StringComparer.Ordinal) { "LCU", "USD", "PPP" };

    /// <summary>
    /// Currency rule: a currency measure is shown in millions with one decimal, or in thousands with one decimal when
    /// any non-zero value the column publishes is below one million (in millions it would show as 0.0 or with one
    /// significant digit: T3's platform hour-log rows next to survey totals). Its SE and interval columns
    /// (<c>{id}_…</c> in the same unit) follow the measure's scale; the heading names the scale in the annex's language.
    /// </summary>
    public static IReadOnlyList<ReportTable> ScaleCurrency(IReadOnlyList<ReportTable> tables, ReportLanguage l) =>
        tables.Select(t => ScaleCurrency(t, l)).ToList();

    private static ReportTable ScaleCurrency(ReportTable table, ReportLanguage l)
    {
        var columns = table.Columns.ToArray();
        var changed = false;
        for (var c = 0; c < columns.Length; c++)
        {
            var measure = columns[c];
            if (measure.Kind != ColumnKind.Measure || measure.Unit is null || !CurrencyUnits.Contains(measure.Unit) || measure.Style.Percent) continue;
            var small = table.Rows.Any(r => r.Cells[c].Value is { } v && v != 0 && Math.Abs(v) < 1e6);
            var style = small ? NumberStyle.Thousands : NumberStyle.Millions;
            var key = small ? "col.in_thousands" : "col.in_millions";
            for (var p = 0; p < columns.Length; p++)
            {
                var column = columns[p];
                var follows = p == c || (column.Kind == ColumnKind.Precision && column.Unit == measure.Unit && column.Id.StartsWith(measure.Id + "_", StringComparison.Ordinal));
                if (!follows || column.Style.Scale != 0) continue;
                columns[p] = column with { Style = style, Heading = l.Format(key, column.Heading) };
                changed = true;
            }
        }

        return changed ? new ReportTable(table.Id, table.Title, table.Units, table.Period, columns, table.Rows, table.Notes, table.Source, table.TotalsMayNotSum) : table;
    }
}
