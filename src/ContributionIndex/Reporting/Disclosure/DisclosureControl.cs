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
        var rows = table.Rows.Size;
        var columns = table.Columns.Size;
        var status = new CellStatus[rows, columns];
        for (var r = 0; r < rows; r++)
        for (var c = 0; c < columns; c++)
            status[r, c] = Primary(table[r, c], rules);

        var lines = table.Lines();
        var rounds = 0;
        var repairs = 0;
        while (true)
        {
            rounds++;
            var changed = false;
            // Stage 1: every line with a suppressed cell gets a second one (the smallest publishable cell of the line).
            bool again;
            do
            {
                again = false;
                foreach (var line in lines)
                {
                    if (line.Count(cell => status[cell.Row, cell.Column] != CellStatus.Published) != 1) continue;
                    var complement = SmallestCandidate(table, status, line)
                        ?? throw new InvalidOperationException(Unprotectable(line, status));
                    status[complement.Row, complement.Column] = CellStatus.Secondary;
                    again = changed = true;
                }
            }
            while (again);

            // Stage 2: a pattern with two suppressed cells per line can still pin a cell (a "bridge" between two groups of
            // suppressed cells). For the first pinned cell, suppress the smallest publishable cell that frees it — first
            // among the cells sharing a line with it, then anywhere; if no single cell frees it, the smallest candidate is
            // suppressed anyway and the next round continues from the larger pattern.
            var pinned = DisclosureAudit.PinnedCells(table, Mask(status));
            if (pinned.Count > 0)
            {
                var (row, column) = pinned[0];
                var local = lines.Where(l => l.Any(cell => cell.Row == row && cell.Column == column))
                    .SelectMany(l => l).Select(cell => (cell.Row, cell.Column)).ToHashSet();
                var candidates = new List<(int Row, int Column)>();
                for (var r = 0; r < rows; r++)
                for (var c = 0; c < columns; c++)
                {
                    if (status[r, c] == CellStatus.Published && table[r, c].UnweightedCount != 0 && table[r, c].Value != 0) candidates.Add((r, c));
                }

                if (candidates.Count == 0)
                    throw new InvalidOperationException($"Cell [{row}, {column}] can be recovered from the totals and no publishable non-empty cell is left to suppress; merge categories.");
                var ordered = candidates.OrderBy(c => local.Contains(c) ? 0 : 1).ThenBy(c => Key(table, c)).ToList();
                var choice = ordered[0];
                foreach (var candidate in ordered)
                {
                    var mask = Mask(status);
                    mask[candidate.Row, candidate.Column] = true;
                    if (!DisclosureAudit.PinnedCells(table, mask).Contains((row, column)))
                    {
                        choice = candidate;
                        break;
                    }
                }

                status[choice.Row, choice.Column] = CellStatus.Secondary;
                repairs++;
                changed = true;
            }

            if (!changed) return new DisclosureResult(status, rounds, repairs);
        }
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

    /// <summary>
    /// The publishable cell of a line with the smallest value, then count, then position. Empty and zero-valued cells are
    /// never complements: an intruder knows they cannot go below zero, so they protect nothing.
    /// </summary>
    private static (int Row, int Column)? SmallestCandidate(DisclosureTable table, CellStatus[,] status, IReadOnlyList<(int Row, int Column, int Sign)> line)
    {
        (int Row, int Column)? best = null;
        foreach (var (row, column, _) in line)
        {
            if (status[row, column] != CellStatus.Published) continue;
            var cell = table[row, column];
            if (cell.UnweightedCount == 0 || cell.Value == 0) continue;
            if (best is null || Key(table, (row, column)).CompareTo(Key(table, best.Value)) < 0) best = (row, column);
        }

        return best;
    }

    private static (double, long, int, int) Key(DisclosureTable table, (int Row, int Column) at) =>
        (Math.Abs(table[at.Row, at.Column].Value), table[at.Row, at.Column].UnweightedCount, at.Row, at.Column);

    private static bool[,] Mask(CellStatus[,] status)
    {
        var mask = new bool[status.GetLength(0), status.GetLength(1)];
        for (var r = 0; r < mask.GetLength(0); r++)
        for (var c = 0; c < mask.GetLength(1); c++)
            mask[r, c] = status[r, c] != CellStatus.Published;
        return mask;
    }

    private static string Unprotectable(IReadOnlyList<(int Row, int Column, int Sign)> line, CellStatus[,] status)
    {
        var (row, column, _) = line.First(cell => status[cell.Row, cell.Column] != CellStatus.Published);
        return $"Cell [{row}, {column}] is suppressed but every other cell of one of its lines is empty or zero, so it would be recovered from the total; publish that total as suppressed or merge categories.";
    }
}

/// <summary>
/// Checks a suppression pattern against the table's additive lines: a suppressed cell is pinned when the published cells
/// and the line equations determine it exactly (methodology/disclosure-control.md, "Audit").
/// </summary>
public static class DisclosureAudit
{
    private const double Tolerance = 1e-9;

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
        var unknowns = new List<(int Row, int Column)>();
        var index = new Dictionary<(int, int), int>();
        for (var r = 0; r < suppressed.GetLength(0); r++)
        for (var c = 0; c < suppressed.GetLength(1); c++)
        {
            if (!suppressed[r, c]) continue;
            index[(r, c)] = unknowns.Count;
            unknowns.Add((r, c));
        }

        if (unknowns.Count == 0) return [];
        var rows = new List<double[]>();
        foreach (var line in table.Lines())
        {
            var row = new double[unknowns.Count];
            var any = false;
            foreach (var (r, c, sign) in line)
            {
                if (index.TryGetValue((r, c), out var k))
                {
                    row[k] = sign;
                    any = true;
                }
            }

            if (any) rows.Add(row);
        }

        var pivotOf = ReducedRowEchelon(rows, unknowns.Count);
        var pinned = new List<(int, int)>();
        foreach (var (column, pivotRow) in pivotOf)
        {
            var others = false;
            for (var j = 0; j < unknowns.Count && !others; j++)
                others = j != column && Math.Abs(rows[pivotRow][j]) > Tolerance;
            if (!others) pinned.Add(unknowns[column]);
        }

        return [.. pinned.Order()];
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
        var cells = new List<(int Row, int Column)>();
        var index = new Dictionary<(int, int), int>();
        for (var r = 0; r < suppressed.GetLength(0); r++)
        for (var c = 0; c < suppressed.GetLength(1); c++)
        {
            if (!suppressed[r, c]) continue;
            index[(r, c)] = cells.Count;
            cells.Add((r, c));
        }

        unknowns = cells;
        var rows = new List<double[]>();
        foreach (var line in table.Lines())
        {
            var row = new double[cells.Count];
            foreach (var (r, c, sign) in line)
                if (index.TryGetValue((r, c), out var k)) row[k] = sign;
            if (row.Any(v => v != 0)) rows.Add(row);
        }

        var pivotOf = ReducedRowEchelon(rows, cells.Count);
        var pivotColumns = pivotOf.Keys.ToHashSet();
        var free = Enumerable.Range(0, cells.Count).Where(j => !pivotColumns.Contains(j)).ToList();
        // Null-space basis: one vector per free column f (x_f = 1, other free = 0, pivots = −row entry).
        var basis = free.Select(f =>
        {
            var v = new double[cells.Count];
            v[f] = 1;
            foreach (var (column, pivotRow) in pivotOf) v[column] = -rows[pivotRow][f];
            return v;
        }).ToList();

        // Combine with weights 1, π, π², … (irrational ratios avoid accidental cancellation of an entry).
        var direction = new double[cells.Count];
        var weight = 1.0;
        foreach (var v in basis)
        {
            for (var j = 0; j < v.Length; j++) direction[j] += weight * v[j];
            weight *= Math.PI;
        }

        return direction.All(d => Math.Abs(d) > Tolerance) ? direction : null;
    }

    /// <summary>Gauss–Jordan elimination in place with partial pivoting; returns pivot column → row.</summary>
    private static Dictionary<int, int> ReducedRowEchelon(List<double[]> rows, int width)
    {
        var pivotOf = new Dictionary<int, int>();
        var next = 0;
        for (var column = 0; column < width && next < rows.Count; column++)
        {
            var best = next;
            for (var i = next + 1; i < rows.Count; i++)
                if (Math.Abs(rows[i][column]) > Math.Abs(rows[best][column])) best = i;
            if (Math.Abs(rows[best][column]) <= Tolerance) continue;
            (rows[next], rows[best]) = (rows[best], rows[next]);
            var pivot = rows[next][column];
            for (var j = 0; j < width; j++) rows[next][j] /= pivot;
            for (var i = 0; i < rows.Count; i++)
            {
                if (i == next) continue;
                var factor = rows[i][column];
                if (Math.Abs(factor) <= Tolerance) continue;
                for (var j = 0; j < width; j++) rows[i][j] -= factor * rows[next][j];
            }

            pivotOf[column] = next;
            next++;
        }

        return pivotOf;
    }
}
