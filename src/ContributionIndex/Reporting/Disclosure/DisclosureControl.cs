namespace ContributionIndex.Reporting.Disclosure;

/// <summary>Why a cell is or is not published.</summary>
public enum CellStatus
{
    /// <summary>Published.</summary>
    Published,

    /// <summary>Suppressed: fewer respondents than the minimum count (primary).</summary>
    PrimaryCount,

    /// <summary>Suppressed: CV above the maximum (primary; too unreliable to publish).</summary>
    PrimaryCv,

    /// <summary>Suppressed so that a primary cell cannot be recovered from the table's totals (secondary, complementary).</summary>
    Secondary,
}

/// <summary>The primary suppression rules.</summary>
/// <param name="MinimumCount">A cell with 1 to MinimumCount − 1 respondents is suppressed (default 10); empty cells (0 respondents) are published whatever their CV.</param>
/// <param name="MaximumCv">A cell whose CV is above this share is suppressed (default 0.333, Statistics Canada's "F": CV above 33.3 %).</param>
public sealed record DisclosureRules(int MinimumCount = 10, double MaximumCv = 0.333)
{
    /// <summary>The defaults: minimum 10 respondents, CV at most 33.3 %.</summary>
    public static DisclosureRules Default { get; } = new();
}

/// <summary>The outcome of disclosure control: a status per cell, and the linear-algebra audit of the pattern.</summary>
public sealed class DisclosureResult
{
    private readonly CellStatus[,] status;

    internal DisclosureResult(CellStatus[,] status, int rounds, int auditRepairs)
    {
        this.status = status;
        Rounds = rounds;
        AuditRepairs = auditRepairs;
    }

    /// <summary>The status of the cell at [row, column].</summary>
    public CellStatus this[int row, int column] => status[row, column];

    /// <summary>Whether the cell at [row, column] is suppressed (primary or secondary).</summary>
    public bool IsSuppressed(int row, int column) => status[row, column] != CellStatus.Published;

    /// <summary>Rows of the table.</summary>
    public int RowCount => status.GetLength(0);

    /// <summary>Columns of the table.</summary>
    public int ColumnCount => status.GetLength(1);

    /// <summary>Cells suppressed by the primary rules.</summary>
    public int PrimaryCount => Count(s => s is CellStatus.PrimaryCount or CellStatus.PrimaryCv);

    /// <summary>Cells suppressed as complements.</summary>
    public int SecondaryCount => Count(s => s == CellStatus.Secondary);

    /// <summary>How many rounds of complement selection and audit ran until nothing changed.</summary>
    public int Rounds { get; }

    /// <summary>How many complements the audit added because two suppressed cells per line still left a cell determined.</summary>
    public int AuditRepairs { get; }

    /// <summary>The suppressed cells as a [row, column] mask.</summary>
    public bool[,] SuppressedMask()
    {
        var mask = new bool[RowCount, ColumnCount];
        for (var r = 0; r < RowCount; r++)
        for (var c = 0; c < ColumnCount; c++)
            mask[r, c] = IsSuppressed(r, c);
        return mask;
    }

    private int Count(Func<CellStatus, bool> predicate)
    {
        var n = 0;
        foreach (var s in status) n += predicate(s) ? 1 : 0;
        return n;
    }
}

/// <summary>
/// Cell suppression for published tables (methodology/disclosure-control.md): primary suppression by minimum unweighted
/// count and maximum CV, then complementary (secondary) suppression until no suppressed cell can be recovered from the
/// table's row, column and hierarchical totals. Pure functions; the same table always gives the same pattern.
/// </summary>
public static class DisclosureControl
{
    /// <summary>Applies primary and secondary suppression to <paramref name="table"/>.</summary>
    /// <exception cref="InvalidOperationException">A suppressed cell cannot be protected (every other cell of its lines is empty).</exception>
    public static DisclosureResult Apply(DisclosureTable table, DisclosureRules? rules = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        rules ??= DisclosureRules.Default;
        var system = table.System();
        var initial = system.Cells.Select(cell => Primary(cell, rules)).ToArray();
        var final = system.Protect(initial, out var rounds, out var repairs);
        var status = new CellStatus[table.Rows.Size, table.Columns.Size];
        for (var i = 0; i < final.Length; i++) status[i / table.Columns.Size, i % table.Columns.Size] = final[i];
        return new DisclosureResult(status, rounds, repairs);
    }

    /// <summary>
    /// Applies primary and secondary suppression to a set of linked tables jointly, so that no suppressed cell can be
    /// recovered from any table of the set. Each group of cells connected through shared lines is protected on its own;
    /// with <paramref name="withholdUnprotectable"/>, a group that no complement can protect is withheld whole (every
    /// non-empty cell) instead of throwing.
    /// </summary>
    /// <param name="tables">The linked tables.</param>
    /// <param name="rules">Primary rules; default <see cref="DisclosureRules.Default"/>.</param>
    /// <param name="withholdUnprotectable">Whether to withhold an unprotectable group rather than throw.</param>
    /// <exception cref="InvalidOperationException">A suppressed cell cannot be protected and <paramref name="withholdUnprotectable"/> is false.</exception>
    public static LinkedDisclosureResult Apply(LinkedTables tables, DisclosureRules? rules = null, bool withholdUnprotectable = false)
    {
        ArgumentNullException.ThrowIfNull(tables);
        rules ??= DisclosureRules.Default;
        var system = tables.System();
        var status = system.Cells.Select(cell => Primary(cell, rules)).ToArray();
        var rounds = 0;
        var repairs = 0;
        var withheld = 0;
        foreach (var component in system.Components())
        {
            if (component.All(c => status[c] == CellStatus.Published)) continue;
            var part = system.Restrict(component);
            CellStatus[] result;
            try
            {
                result = part.Protect([.. component.Select(c => status[c])], out var r, out var repaired);
                rounds = Math.Max(rounds, r);
                repairs += repaired;
            }
            catch (InvalidOperationException) when (withholdUnprotectable)
            {
                result = [.. component.Select(c => status[c] != CellStatus.Published ? status[c] : system.Cells[c].UnweightedCount > 0 ? CellStatus.Secondary : CellStatus.Published)];
                withheld += component.Length;
            }

            for (var i = 0; i < component.Length; i++) status[component[i]] = result[i];
        }

        return new LinkedDisclosureResult(tables, status, rounds, repairs, withheld);
    }

    /// <summary>The primary status of one cell.</summary>
    public static CellStatus Primary(DisclosureCell cell, DisclosureRules rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        if (cell.UnweightedCount == 0) return CellStatus.Published; // empty: nothing to disclose, nothing unreliable
        if (cell.UnweightedCount < rules.MinimumCount) return CellStatus.PrimaryCount;
        if (cell.Cv is { } cv && (double.IsNaN(cv) || cv > rules.MaximumCv)) return CellStatus.PrimaryCv;
        return CellStatus.Published;
    }
}

/// <summary>
/// Checks a suppression pattern against the table's additive lines: a suppressed cell is pinned when the published cells
/// and the line equations determine it exactly (methodology/disclosure-control.md, "Audit").
/// </summary>
public static class DisclosureAudit
{
    /// <summary>
    /// The suppressed cells whose value follows from the published cells through the line equations. The unknowns are the
    /// suppressed cells; with the coefficient matrix A (lines × unknowns, entries −1, 0, +1) a cell k is determined exactly
    /// when the unit vector e_k lies in the row space of A, i.e. when no null-space vector of A moves it. Reduced row echelon
    /// form shows this: k is determined iff its column is a pivot column whose row has no entry in a free column.
    /// </summary>
    public static IReadOnlyList<(int Row, int Column)> PinnedCells(DisclosureTable table, bool[,] suppressed)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(suppressed);
        var columns = table.Columns.Size;
        return [.. table.System().Pinned(Flatten(suppressed)).Select(i => (i / columns, i % columns))];
    }

    /// <summary>
    /// A direction in which every suppressed cell moves (a combination of null-space vectors with no zero entry), or null
    /// when some cell is pinned. Adding a small multiple of it to the true values keeps every line sum and, for positive
    /// values, keeps them positive: each suppressed cell then has a feasibility interval of positive width.
    /// </summary>
    public static double[]? CommonDirection(DisclosureTable table, bool[,] suppressed, out IReadOnlyList<(int Row, int Column)> unknowns)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(suppressed);
        var columns = table.Columns.Size;
        var direction = table.System().CommonDirection(Flatten(suppressed), out var cells);
        unknowns = [.. cells.Select(i => (i / columns, i % columns))];
        return direction;
    }

    /// <summary>The suppressed keys of a linked set that the published cells of all its tables determine exactly (empty for a safe pattern).</summary>
    /// <param name="tables">The linked tables.</param>
    /// <param name="suppressed">The keys withheld in every table where they appear.</param>
    public static IReadOnlyList<string> PinnedCells(LinkedTables tables, IReadOnlySet<string> suppressed)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(suppressed);
        return [.. tables.System().Pinned(tables.Mask(suppressed)).Select(i => tables.Keys[i])];
    }

    /// <summary>
    /// For a linked set: a change of the suppressed keys' values that keeps every line of every table and moves every
    /// suppressed key (null when some key is pinned); <paramref name="unknowns"/> lists the keys in the vector's order.
    /// </summary>
    public static double[]? CommonDirection(LinkedTables tables, IReadOnlySet<string> suppressed, out IReadOnlyList<string> unknowns)
    {
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(suppressed);
        var direction = tables.System().CommonDirection(tables.Mask(suppressed), out var cells);
        unknowns = [.. cells.Select(i => tables.Keys[i])];
        return direction;
    }

    private static bool[] Flatten(bool[,] mask)
    {
        var flat = new bool[mask.Length];
        var columns = mask.GetLength(1);
        for (var r = 0; r < mask.GetLength(0); r++)
        for (var c = 0; c < columns; c++)
            flat[r * columns + c] = mask[r, c];
        return flat;
    }
}
