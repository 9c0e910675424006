namespace ContributionIndex.Reporting.Disclosure;

/// <summary>
/// Tables that publish some of the same cells (linked tables, e.g. volunteers by sex and by age group with the same
/// total): every distinct published quantity is one cell named by a key, and each table adds its additive lines over
/// those keys. Protecting the set jointly (<see cref="DisclosureControl.Apply(LinkedTables, DisclosureRules?, bool)"/>)
/// means a key suppressed in one table is suppressed in all, and no suppressed key can be recovered by combining the
/// lines of several tables (methodology/disclosure-control.md, "Linked tables").
/// </summary>
public sealed class LinkedTables
{
    private readonly List<string> keys = [];
    private readonly List<DisclosureCell> cells = [];
    private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);
    private readonly List<(int Cell, int Sign)[]> lines = [];
    private readonly HashSet<string> lineSignatures = new(StringComparer.Ordinal);

    /// <summary>The keys in the order they were first added.</summary>
    public IReadOnlyList<string> Keys => keys;

    /// <summary>Number of additive lines (duplicates from tables sharing a margin are kept once).</summary>
    public int LineCount => lines.Count;

    /// <summary>The cell of <paramref name="key"/> as first added.</summary>
    public DisclosureCell this[string key] => cells[index[key]];

    /// <summary>Whether <paramref name="key"/> is in the set.</summary>
    public bool Contains(string key) => index.ContainsKey(key);

    /// <summary>
    /// Adds a cell, or returns the existing one: a key added again (the same total in a second table) keeps the first
    /// cell; its primary status must agree, which holds when both come from the same estimate.
    /// </summary>
    public void AddCell(string key, DisclosureCell cell)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (index.ContainsKey(key)) return;
        index[key] = cells.Count;
        keys.Add(key);
        cells.Add(cell);
    }

    /// <summary>Adds an additive line over keys already added: the values with their signs (−1 total, +1 parts) sum to zero.</summary>
    public void AddLine(IEnumerable<(string Key, int Sign)> line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var resolved = line.Select(x => index.TryGetValue(x.Key, out var i) ? (i, x.Sign) : throw new ArgumentException($"The key '{x.Key}' of a line was not added as a cell.", nameof(line)))
            .OrderBy(x => x.i).ToArray();
        if (resolved.Length < 2) throw new ArgumentException("A line needs a total and at least one part.", nameof(line));
        if (lineSignatures.Add(string.Join(",", resolved.Select(x => $"{x.i}:{x.Sign}")))) lines.Add(resolved);
    }

    /// <summary>Adds a table whose cell [r, c] is the quantity <paramref name="keyOf"/>(r, c): its cells (first addition wins) and its lines.</summary>
    public void AddTable(DisclosureTable table, Func<int, int, string> keyOf)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(keyOf);
        for (var r = 0; r < table.Rows.Size; r++)
        for (var c = 0; c < table.Columns.Size; c++)
            AddCell(keyOf(r, c), table[r, c]);
        foreach (var line in table.Lines()) AddLine(line.Select(x => (keyOf(x.Row, x.Column), x.Sign)));
    }

    /// <summary>The additive lines over keys: each key with coefficient −1 (total) or +1 (part); the values of a line sum to zero.</summary>
    public IReadOnlyList<IReadOnlyList<(string Key, int Sign)>> Lines() =>
        [.. lines.Select(line => (IReadOnlyList<(string, int)>)[.. line.Select(x => (keys[x.Cell], x.Sign))])];

    internal int IndexOf(string key) => index[key];

    internal AdditiveSystem System() => new(cells, lines, i => "'" + keys[i] + "'");

    internal bool[] Mask(IReadOnlySet<string> suppressed) => [.. keys.Select(suppressed.Contains)];
}

/// <summary>The outcome of disclosure control over linked tables: a status per key.</summary>
public sealed class LinkedDisclosureResult
{
    private readonly LinkedTables tables;
    private readonly CellStatus[] status;

    internal LinkedDisclosureResult(LinkedTables tables, CellStatus[] status, int rounds, int auditRepairs, int withheldWhole)
    {
        this.tables = tables;
        this.status = status;
        Rounds = rounds;
        AuditRepairs = auditRepairs;
        WithheldWhole = withheldWhole;
    }

    /// <summary>The status of <paramref name="key"/>.</summary>
    public CellStatus this[string key] => status[tables.IndexOf(key)];

    /// <summary>The suppressed keys (primary or secondary).</summary>
    public IReadOnlySet<string> Suppressed => tables.Keys.Where((_, i) => status[i] != CellStatus.Published).ToHashSet(StringComparer.Ordinal);

    /// <summary>Keys suppressed by the primary rules.</summary>
    public int PrimaryCount => status.Count(s => s is CellStatus.PrimaryCount or CellStatus.PrimaryCv);

    /// <summary>Keys suppressed as complements.</summary>
    public int SecondaryCount => status.Count(s => s == CellStatus.Secondary);

    /// <summary>The largest number of rounds any connected group needed.</summary>
    public int Rounds { get; }

    /// <summary>Complements the audit added (summed over connected groups).</summary>
    public int AuditRepairs { get; }

    /// <summary>Cells in connected groups that no complement could protect and that were withheld whole.</summary>
    public int WithheldWhole { get; }
}
