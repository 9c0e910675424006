namespace ContributionIndex.Reporting.Disclosure;

/// <summary>
/// The shape that suppression and its audit work on: published cells (numbered 0..n−1) and additive lines over them
/// (coefficient −1 for a total, +1 for a part, so that a line's values sum to zero). One table gives one system
/// (<see cref="DisclosureTable.Lines"/>); linked tables give one system over all their distinct cells
/// (<see cref="LinkedTables"/>). Methodology: methodology/disclosure-control.md.
/// </summary>
internal sealed class AdditiveSystem
{
    private const double Tolerance = 1e-9;
    private readonly List<int>[] linesOfCell;

    public AdditiveSystem(IReadOnlyList<DisclosureCell> cells, IReadOnlyList<(int Cell, int Sign)[]> lines, Func<int, string> name)
    {
        Cells = cells;
        Lines = lines;
        Name = name;
        linesOfCell = new List<int>[cells.Count];
        for (var i = 0; i < cells.Count; i++) linesOfCell[i] = [];
        for (var l = 0; l < lines.Count; l++)
            foreach (var (cell, _) in lines[l]) linesOfCell[cell].Add(l);
    }

    public IReadOnlyList<DisclosureCell> Cells { get; }

    public IReadOnlyList<(int Cell, int Sign)[]> Lines { get; }

    /// <summary>How a cell is named in messages (e.g. "[2, 3]" for a table, the key for linked tables).</summary>
    public Func<int, string> Name { get; }

    /// <summary>
    /// Complementary suppression to a fixed point (methodology/disclosure-control.md, "Secondary suppression"): two
    /// suppressed cells per line, then the audit's repair of pinned cells, until neither changes anything.
    /// </summary>
    /// <exception cref="InvalidOperationException">A suppressed cell cannot be protected.</exception>
    public CellStatus[] Protect(CellStatus[] initial, out int rounds, out int repairs)
    {
        var status = (CellStatus[])initial.Clone();
        rounds = 0;
        repairs = 0;
        while (true)
        {
            rounds++;
            var changed = false;
            // Stage 1: every line with a suppressed cell gets a second one (the smallest publishable cell of the line).
            bool again;
            do
            {
                again = false;
                foreach (var line in Lines)
                {
                    var suppressed = 0;
                    foreach (var (cell, _) in line) suppressed += status[cell] != CellStatus.Published ? 1 : 0;
                    if (suppressed != 1) continue;
                    var complement = SmallestCandidate(status, line) ?? throw new InvalidOperationException(Unprotectable(line, status));
                    status[complement] = CellStatus.Secondary;
                    again = changed = true;
                }
            }
            while (again);

            // Stage 2: a pattern with two suppressed cells per line can still pin a cell (a "bridge" between two groups of
            // suppressed cells). For the first pinned cell, suppress the smallest publishable cell that frees it — first
            // among the cells sharing a line with it, then anywhere; if no single cell frees it, the smallest candidate is
            // suppressed anyway and the next round continues from the larger pattern.
            var pinned = Pinned(Mask(status));
            if (pinned.Count > 0)
            {
                var target = pinned[0];
                var local = linesOfCell[target].SelectMany(l => Lines[l]).Select(x => x.Cell).ToHashSet();
                var candidates = Enumerable.Range(0, Cells.Count)
                    .Where(i => status[i] == CellStatus.Published && Cells[i].UnweightedCount != 0 && Cells[i].Value != 0).ToList();
                if (candidates.Count == 0)
                    throw new InvalidOperationException($"Cell {Name(target)} can be recovered from the totals and no publishable non-empty cell is left to suppress; merge categories.");
                var ordered = candidates.OrderBy(c => local.Contains(c) ? 0 : 1).ThenBy(Key).ToList();
                var choice = ordered[0];
                foreach (var candidate in ordered)
                {
                    var mask = Mask(status);
                    mask[candidate] = true;
                    if (!Pinned(mask).Contains(target))
                    {
                        choice = candidate;
                        break;
                    }
                }

                status[choice] = CellStatus.Secondary;
                repairs++;
                changed = true;
            }

            if (!changed) return status;
        }
    }

    /// <summary>
    /// The publishable cell of a line with the smallest value, then count, then number. Empty and zero-valued cells are
    /// never complements: an intruder knows they cannot go below zero, so they protect nothing.
    /// </summary>
    private int? SmallestCandidate(CellStatus[] status, (int Cell, int Sign)[] line)
    {
        int? best = null;
        foreach (var (cell, _) in line)
        {
            if (status[cell] != CellStatus.Published) continue;
            if (Cells[cell].UnweightedCount == 0 || Cells[cell].Value == 0) continue;
            if (best is null || Key(cell).CompareTo(Key(best.Value)) < 0) best = cell;
        }

        return best;
    }

    private (double, long, int) Key(int cell) => (Math.Abs(Cells[cell].Value), Cells[cell].UnweightedCount, cell);

    private static bool[] Mask(CellStatus[] status) => [.. status.Select(s => s != CellStatus.Published)];

    private string Unprotectable((int Cell, int Sign)[] line, CellStatus[] status)
    {
        var (cell, _) = line.First(x => status[x.Cell] != CellStatus.Published);
        return $"Cell {Name(cell)} is suppressed but every other cell of one of its lines is empty or zero, so it would be recovered from the total; publish that total as suppressed or merge categories.";
    }

    /// <summary>
    /// The suppressed cells whose value follows from the published cells through the lines. With A the lines × suppressed
    /// cells (entries −1, 0, +1), cell k is determined iff e_k is in the row space of A: in the reduced row echelon form,
    /// column k is a pivot column whose row has no entry in a free column. Returns cell numbers, ascending.
    /// </summary>
    public IReadOnlyList<int> Pinned(bool[] suppressed)
    {
        var (unknowns, rows) = Equations(suppressed);
        if (unknowns.Count == 0) return [];
        var pivotOf = ReducedRowEchelon(rows, unknowns.Count);
        var pinned = new List<int>();
        foreach (var (column, pivotRow) in pivotOf)
        {
            var others = false;
            for (var j = 0; j < unknowns.Count && !others; j++)
                others = j != column && Math.Abs(rows[pivotRow][j]) > Tolerance;
            if (!others) pinned.Add(unknowns[column]);
        }

        pinned.Sort();
        return pinned;
    }

    /// <summary>
    /// A direction in which every suppressed cell moves while every line keeps its sum (a combination of null-space vectors
    /// with no zero entry), or null when some cell is pinned.
    /// </summary>
    public double[]? CommonDirection(bool[] suppressed, out IReadOnlyList<int> unknowns)
    {
        var (cells, rows) = Equations(suppressed);
        unknowns = cells;
        var pivotOf = ReducedRowEchelon(rows, cells.Count);
        var pivotColumns = pivotOf.Keys.ToHashSet();
        var direction = new double[cells.Count];
        var prime = 1;
        // Null-space basis: one vector per free column f (x_f = 1, other free = 0, pivots = −row entry), combined with
        // weights √2, √3, √5, √7, …: square roots of distinct primes are linearly independent over the rationals, so no
        // entry cancels by accident, and unlike powers of π they stay of one magnitude however many free cells there are.
        foreach (var f in Enumerable.Range(0, cells.Count).Where(j => !pivotColumns.Contains(j)))
        {
            prime = NextPrime(prime);
            var weight = Math.Sqrt(prime);
            direction[f] += weight;
            foreach (var (column, pivotRow) in pivotOf) direction[column] -= weight * rows[pivotRow][f];
        }

        return direction.All(d => Math.Abs(d) > Tolerance) ? direction : null;
    }

    private static int NextPrime(int after)
    {
        for (var n = after + 1; ; n++)
        {
            var prime = n >= 2;
            for (var d = 2; d * d <= n && prime; d++) prime = n % d != 0;
            if (prime) return n;
        }
    }

    /// <summary>The cells connected through shared lines, as groups of cell numbers (each ascending; groups by first cell).</summary>
    public IReadOnlyList<int[]> Components()
    {
        var parent = Enumerable.Range(0, Cells.Count).ToArray();
        int Find(int x)
        {
            while (parent[x] != x) x = parent[x] = parent[parent[x]];
            return x;
        }

        foreach (var line in Lines)
            for (var i = 1; i < line.Length; i++)
            {
                var (a, b) = (Find(line[0].Cell), Find(line[i].Cell));
                if (a != b) parent[Math.Max(a, b)] = Math.Min(a, b);
            }

        return [.. Enumerable.Range(0, Cells.Count).GroupBy(Find).Select(g => g.Order().ToArray()).OrderBy(g => g[0])];
    }

    /// <summary>The system restricted to <paramref name="cells"/> (a union of components): cells renumbered 0.. in the given order.</summary>
    public AdditiveSystem Restrict(int[] cells)
    {
        var local = new Dictionary<int, int>();
        for (var i = 0; i < cells.Length; i++) local[cells[i]] = i;
        var lines = Lines.Where(l => local.ContainsKey(l[0].Cell)).Select(l => l.Select(x => (local[x.Cell], x.Sign)).ToArray()).ToList();
        return new AdditiveSystem([.. cells.Select(c => Cells[c])], lines, i => Name(cells[i]));
    }

    private (List<int> Unknowns, List<double[]> Rows) Equations(bool[] suppressed)
    {
        var unknowns = new List<int>();
        var index = new Dictionary<int, int>();
        for (var i = 0; i < suppressed.Length; i++)
        {
            if (!suppressed[i]) continue;
            index[i] = unknowns.Count;
            unknowns.Add(i);
        }

        var rows = new List<double[]>();
        if (unknowns.Count == 0) return (unknowns, rows);
        foreach (var line in Lines)
        {
            var row = new double[unknowns.Count];
            var any = false;
            foreach (var (cell, sign) in line)
            {
                if (!index.TryGetValue(cell, out var k)) continue;
                row[k] += sign;
                any = true;
            }

            if (any) rows.Add(row);
        }

        return (unknowns, rows);
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
