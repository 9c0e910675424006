namespace ContributionIndex.Reporting.Disclosure;

/// <summary>One published cell as disclosure control sees it: the estimate, the respondents behind it and its CV.</summary>
/// <param name="Value">The weighted estimate (a total, typically hours or a value; not negative in volunteer tables).</param>
/// <param name="UnweightedCount">Sample records contributing to the cell.</param>
/// <param name="Cv">Coefficient of variation as a share (0.25 is 25 %), or null when not estimated.</param>
public readonly record struct DisclosureCell(double Value, long UnweightedCount, double? Cv = null);

/// <summary>
/// How the categories of one dimension (rows or columns) add up: each relation says that the category at
/// <c>Total</c> is the sum of the categories at <c>Parts</c>. A flat dimension with a total has one relation; a
/// hierarchy adds one relation per group (subtotal = members) and one for the grand total (total = subtotals).
/// </summary>
public sealed class Margin
{
    /// <summary>Creates a dimension of <paramref name="size"/> categories (margins included) with the given additive relations.</summary>
    public Margin(int size, IReadOnlyList<(int Total, IReadOnlyList<int> Parts)> relations)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        ArgumentNullException.ThrowIfNull(relations);
        foreach (var (total, parts) in relations)
        {
            if (total < 0 || total >= size || parts.Count == 0 || parts.Any(p => p < 0 || p >= size || p == total))
                throw new ArgumentException("Every relation needs a total and at least one part, all within the dimension and distinct.", nameof(relations));
        }

        Size = size;
        Relations = relations;
    }

    /// <summary>Number of categories, margins included.</summary>
    public int Size { get; }

    /// <summary>The additive relations: the category at Total is the sum of the categories at Parts.</summary>
    public IReadOnlyList<(int Total, IReadOnlyList<int> Parts)> Relations { get; }

    /// <summary><paramref name="categories"/> categories with no total (the dimension adds nothing up).</summary>
    public static Margin WithoutTotal(int categories) => new(categories, []);

    /// <summary><paramref name="categories"/> categories followed by their total at index <paramref name="categories"/>.</summary>
    public static Margin WithTotal(int categories) =>
        new(categories + 1, [(categories, Enumerable.Range(0, categories).ToArray())]);

    /// <summary>
    /// One level of hierarchy: for each group its subtotal, then its members; the grand total last. For group sizes
    /// [2, 3] the layout is subtotal A (0), A1, A2, subtotal B (3), B1, B2, B3, total (7).
    /// </summary>
    public static Margin Grouped(IReadOnlyList<int> groupSizes)
    {
        ArgumentNullException.ThrowIfNull(groupSizes);
        if (groupSizes.Count == 0 || groupSizes.Any(s => s <= 0)) throw new ArgumentException("Every group needs at least one member.", nameof(groupSizes));
        var relations = new List<(int, IReadOnlyList<int>)>();
        var subtotals = new List<int>();
        var index = 0;
        foreach (var size in groupSizes)
        {
            subtotals.Add(index);
            relations.Add((index, Enumerable.Range(index + 1, size).ToArray()));
            index += size + 1;
        }

        relations.Add((index, subtotals.ToArray()));
        return new Margin(index + 1, relations);
    }
}

/// <summary>A 2-D published table: cells over rows × columns, margins included, and how each dimension adds up.</summary>
public sealed class DisclosureTable
{
    private readonly DisclosureCell[,] cells;

    /// <summary>Creates the table; <paramref name="cells"/> is indexed [row, column] and must match the margins' sizes.</summary>
    public DisclosureTable(DisclosureCell[,] cells, Margin rows, Margin columns)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(columns);
        if (cells.GetLength(0) != rows.Size || cells.GetLength(1) != columns.Size)
            throw new ArgumentException($"The cells are {cells.GetLength(0)} × {cells.GetLength(1)} but the margins describe {rows.Size} × {columns.Size}.", nameof(cells));
        this.cells = (DisclosureCell[,])cells.Clone();
        Rows = rows;
        Columns = columns;
    }

    /// <summary>How the rows add up.</summary>
    public Margin Rows { get; }

    /// <summary>How the columns add up.</summary>
    public Margin Columns { get; }

    /// <summary>The cell at [row, column].</summary>
    public DisclosureCell this[int row, int column] => cells[row, column];

    /// <summary>
    /// The additive lines of the table: each is a list of cells with coefficient −1 for the total and +1 for the parts,
    /// so that the published values of a line sum to zero. A cell with a suppressed neighbour in a line can be
    /// recovered from that line unless another cell of the line is suppressed too.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<(int Row, int Column, int Sign)>> Lines()
    {
        var lines = new List<IReadOnlyList<(int, int, int)>>();
        foreach (var (total, parts) in Rows.Relations)
        {
            for (var c = 0; c < Columns.Size; c++)
                lines.Add([(total, c, -1), .. parts.Select(p => (p, c, 1))]);
        }

        foreach (var (total, parts) in Columns.Relations)
        {
            for (var r = 0; r < Rows.Size; r++)
                lines.Add([(r, total, -1), .. parts.Select(p => (r, p, 1))]);
        }

        return lines;
    }

    /// <summary>The table as an additive system: cell [r, c] is number r × columns + c.</summary>
    internal AdditiveSystem System()
    {
        var columns = Columns.Size;
        var lines = Lines().Select(line => line.Select(x => (x.Row * columns + x.Column, x.Sign)).ToArray()).ToList();
        var cells = new DisclosureCell[Rows.Size * columns];
        for (var r = 0; r < Rows.Size; r++)
        for (var c = 0; c < columns; c++)
            cells[r * columns + c] = this[r, c];
        return new AdditiveSystem(cells, lines, i => $"[{i / columns}, {i % columns}]");
    }
}
