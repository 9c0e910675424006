namespace ContributionIndex.Reporting;

/// <summary>How a row stands in its table.</summary>
public enum RowRole
{
    /// <summary>An ordinary data row.</summary>
    Data,

    /// <summary>A total (or all-persons) row, shown in bold.</summary>
    Total,

    /// <summary>A heading that opens a breakdown group (e.g. "By sex"); it has no values.</summary>
    GroupHeading,
}

/// <summary>One table row: its cells (one per column), indentation, role and SDMX dimension values.</summary>
/// <param name="Cells">One cell per column of the table, in column order.</param>
/// <param name="Indent">Indentation level of the first label (0 = flush; 1 = a category inside a breakdown).</param>
/// <param name="Role">Data, total or group heading.</param>
/// <param name="Dimensions">
/// SDMX dimension values of the row (e.g. <c>REF_AREA=398</c>, <c>SEX=F</c>); dimensions not given are <c>_T</c>.
/// Empty for a group heading.
/// </param>
public sealed record ReportRow(
    IReadOnlyList<Cell> Cells,
    int Indent = 0,
    RowRole Role = RowRole.Data,
    IReadOnlyDictionary<string, string>? Dimensions = null)
{
    /// <summary>The SDMX dimension values (never null).</summary>
    public IReadOnlyDictionary<string, string> DimensionValues => Dimensions ?? EmptyDimensions;

    private static readonly IReadOnlyDictionary<string, string> EmptyDimensions = new Dictionary<string, string>();

    /// <inheritdoc />
    public bool Equals(ReportRow? other) =>
        other is not null && Indent == other.Indent && Role == other.Role && Cells.SequenceEqual(other.Cells) &&
        DimensionValues.OrderBy(p => p.Key, StringComparer.Ordinal).SequenceEqual(other.DimensionValues.OrderBy(p => p.Key, StringComparer.Ordinal));

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Indent, Role, Cells.Count);
}

/// <summary>A numbered note of a table, referred to as <c>[note N]</c>.</summary>
/// <param name="Number">Note number, from 1 within its table.</param>
/// <param name="Text">The note text in the report language.</param>
public sealed record ReportNote(int Number, string Text);
