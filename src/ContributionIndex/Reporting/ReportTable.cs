namespace ContributionIndex.Reporting;

/// <summary>
/// One statistical table of the annex, independent of output format: title with what, where and when, units,
/// columns, rows, numbered notes and the source line (methodology/reporting.md).
/// </summary>
public sealed record ReportTable
{
    /// <summary>Creates a table and checks that every row has one cell per column and every note reference exists.</summary>
    /// <exception cref="ArgumentException">The shape is inconsistent.</exception>
    public ReportTable(
        string id,
        string title,
        string units,
        string period,
        IReadOnlyList<ReportColumn> columns,
        IReadOnlyList<ReportRow> rows,
        IReadOnlyList<ReportNote> notes,
        string source,
        bool totalsMayNotSum)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        if (columns.Count == 0) throw new ArgumentException($"Table {id} has no columns.", nameof(columns));
        if (columns.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count() != columns.Count)
            throw new ArgumentException($"Table {id} has duplicate column ids.", nameof(columns));
        var noteNumbers = notes.Select(n => n.Number).ToHashSet();
        for (var r = 0; r < rows.Count; r++)
        {
            if (rows[r].Cells.Count != columns.Count)
                throw new ArgumentException($"Table {id} row {r + 1} has {rows[r].Cells.Count} cells for {columns.Count} columns.", nameof(rows));
            for (var c = 0; c < columns.Count; c++)
            {
                var cell = rows[r].Cells[c];
                if (columns[c].IsNumeric && cell.Text is not null)
                    throw new ArgumentException($"Table {id} row {r + 1} column {columns[c].Id} is numeric but holds text.", nameof(rows));
                if (!columns[c].IsNumeric && cell.Value is not null)
                    throw new ArgumentException($"Table {id} row {r + 1} column {columns[c].Id} is a label but holds a number.", nameof(rows));
                foreach (var n in cell.Notes)
                    if (!noteNumbers.Contains(n))
                        throw new ArgumentException($"Table {id} row {r + 1} refers to note {n}, which the table does not have.", nameof(rows));
            }
        }

        Id = id;
        Title = title;
        Units = units;
        Period = period;
        Columns = columns.ToArray();
        Rows = rows.ToArray();
        Notes = notes.OrderBy(n => n.Number).ToArray();
        Source = source;
        TotalsMayNotSum = totalsMayNotSum;
    }

    /// <summary>Stable identifier (e.g. <c>T1</c>), used for sheet names, file names and the contents list.</summary>
    public string Id { get; }

    /// <summary>Title in the report language: what, where and when (e.g. "Volunteers by sex and age, Kazakhstan, 2023").</summary>
    public string Title { get; }

    /// <summary>Units line (e.g. "persons, thousands; rate in % of population aged 15+").</summary>
    public string Units { get; }

    /// <summary>Reference period as shown (e.g. "2023").</summary>
    public string Period { get; }

    /// <summary>The columns, dimensions first.</summary>
    public IReadOnlyList<ReportColumn> Columns { get; }

    /// <summary>The rows in display order.</summary>
    public IReadOnlyList<ReportRow> Rows { get; }

    /// <summary>Numbered notes, ascending.</summary>
    public IReadOnlyList<ReportNote> Notes { get; }

    /// <summary>The source line ("Source: …") in the report language.</summary>
    public string Source { get; }

    /// <summary>Whether the table shows rounded components with totals, so the "totals may not sum" remark applies.</summary>
    public bool TotalsMayNotSum { get; }

    /// <summary>Whether any cell of the table carries the flag.</summary>
    public bool Uses(CellFlag flag) => Rows.Any(r => r.Cells.Any(c => c.Flag == flag));

    /// <inheritdoc />
    public bool Equals(ReportTable? other) =>
        other is not null && Id == other.Id && Title == other.Title && Units == other.Units && Period == other.Period &&
        Source == other.Source && TotalsMayNotSum == other.TotalsMayNotSum && Columns.SequenceEqual(other.Columns) &&
        Rows.SequenceEqual(other.Rows) && Notes.SequenceEqual(other.Notes);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Title, Rows.Count);
}
