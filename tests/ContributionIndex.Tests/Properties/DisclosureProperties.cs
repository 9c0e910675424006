using ContributionIndex.Reporting.Disclosure;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace ContributionIndex.Tests.Hardening;

/// <summary>
/// Random tables (flat or one-level hierarchical rows, totals on both dimensions, counts 0–40, some CVs): the
/// suppression pattern protects every suppressed cell.
/// </summary>
public class DisclosureProperties
{
    /// <summary>
    /// The checks that make a pattern safe: primary cells suppressed; every line with a suppressed cell has at least two;
    /// no suppressed cell determined by the line equations (rank argument, <see cref="DisclosureAudit.PinnedCells"/>); and,
    /// constructively, a second table that agrees with every published cell and every total but differs in every suppressed
    /// cell (true values plus a small multiple of a null-space direction), all values staying positive.
    /// </summary>
    internal static void AssertSafe(DisclosureTable table, DisclosureResult result, DisclosureRules? rules = null)
    {
        rules ??= DisclosureRules.Default;
        for (var r = 0; r < table.Rows.Size; r++)
        for (var c = 0; c < table.Columns.Size; c++)
        {
            if (DisclosureControl.Primary(table[r, c], rules) != CellStatus.Published)
                Assert.True(result.IsSuppressed(r, c), $"primary cell [{r}, {c}] is published");
        }

        foreach (var line in table.Lines())
        {
            var suppressed = line.Count(cell => result.IsSuppressed(cell.Row, cell.Column));
            Assert.True(suppressed is 0 or >= 2, $"a line has exactly one suppressed cell: {string.Join(" ", line)}");
        }

        var mask = result.SuppressedMask();
        Assert.Empty(DisclosureAudit.PinnedCells(table, mask));
        var direction = DisclosureAudit.CommonDirection(table, mask, out var unknowns);
        if (unknowns.Count == 0) return;
        Assert.NotNull(direction);

        // Step t: half the largest step that keeps every suppressed value positive.
        var t = 0.5 * unknowns.Select((cell, k) => table[cell.Row, cell.Column].Value / Math.Abs(direction![k])).Min();
        Assert.True(t > 0);
        var alternative = new double[table.Rows.Size, table.Columns.Size];
        for (var r = 0; r < table.Rows.Size; r++)
        for (var c = 0; c < table.Columns.Size; c++)
            alternative[r, c] = table[r, c].Value;
        for (var k = 0; k < unknowns.Count; k++) alternative[unknowns[k].Row, unknowns[k].Column] += t * direction![k];
        foreach (var line in table.Lines())
        {
            var sum = line.Sum(cell => cell.Sign * alternative[cell.Row, cell.Column]);
            var scale = line.Sum(cell => Math.Abs(table[cell.Row, cell.Column].Value)) + 1;
            Assert.True(Math.Abs(sum) <= 1e-9 * scale, $"the alternative table breaks a line by {sum}");
        }

        for (var k = 0; k < unknowns.Count; k++)
        {
            var (r, c) = unknowns[k];
            Assert.True(alternative[r, c] > 0 && alternative[r, c] != table[r, c].Value, $"cell [{r}, {c}] is not moved");
        }
    }

    /// <summary>A random table from a seed: rows flat (2–6) or grouped (2–3 groups of 1–3), columns 2–5, totals everywhere.</summary>
    internal static DisclosureTable RandomTable(int seed)
    {
        var random = new Random(seed);
        var grouped = random.Next(2) == 0;
        var columnCategories = random.Next(2, 6);
        int[] groups = grouped ? [.. Enumerable.Range(0, random.Next(2, 4)).Select(_ => random.Next(1, 4))] : [];
        var rows = grouped ? Margin.Grouped(groups) : Margin.WithTotal(random.Next(2, 7));
        var columns = Margin.WithTotal(columnCategories);
        var parts = rows.Relations.SelectMany(r => r.Parts).ToHashSet();
        var totals = rows.Relations.Select(r => r.Total).ToHashSet();
        // Leaves: rows that are no relation's total.
        var leaves = Enumerable.Range(0, rows.Size).Where(r => !totals.Contains(r)).ToArray();
        var cells = new DisclosureCell[rows.Size, columns.Size];
        foreach (var leaf in leaves)
        {
            for (var j = 0; j < columnCategories; j++)
            {
                var count = random.Next(10) < 2 ? 0 : random.Next(1, 41);
                var value = count == 0 ? 0 : Math.Round(count * (5 + random.NextDouble() * 95), 2);
                double? cv = random.Next(4) == 0 ? Math.Round(random.NextDouble() * 0.6, 3) : null;
                AddUp(cells, rows, columns, leaf, j, value, count);
                cells[leaf, j] = cells[leaf, j] with { Cv = cv };
            }
        }

        _ = parts;
        return new DisclosureTable(cells, rows, columns);
    }

    /// <summary>Adds a leaf cell's value and count to it and to every margin cell above it.</summary>
    private static void AddUp(DisclosureCell[,] cells, Margin rows, Margin columns, int row, int column, double value, long count)
    {
        foreach (var r in Ancestors(rows, row))
        foreach (var c in Ancestors(columns, column))
            cells[r, c] = cells[r, c] with { Value = cells[r, c].Value + value, UnweightedCount = cells[r, c].UnweightedCount + count };
    }

    private static List<int> Ancestors(Margin margin, int index)
    {
        var result = new List<int> { index };
        for (var i = 0; i < result.Count; i++)
            result.AddRange(margin.Relations.Where(rel => rel.Parts.Contains(result[i])).Select(rel => rel.Total));
        return result;
    }

    [Property(MaxTest = 300)]
    public void Random_tables_are_protected(int seed)
    {
        var table = RandomTable(seed);
        var result = DisclosureControl.Apply(table);
        AssertSafe(table, result);
    }

    [Property(MaxTest = 100)]
    public void The_pattern_is_deterministic(int seed)
    {
        var table = RandomTable(seed);
        Assert.Equal(DisclosureControl.Apply(table).SuppressedMask(), DisclosureControl.Apply(table).SuppressedMask());
    }

    [Property(MaxTest = 100)]
    public void Stricter_rules_never_publish_more_primary_cells(int seed, PositiveInt extra)
    {
        var table = RandomTable(seed);
        var loose = DisclosureControl.Apply(table);
        var strict = DisclosureControl.Apply(table, new DisclosureRules(MinimumCount: 10 + extra.Get % 20, MaximumCv: 0.2));
        Assert.True(strict.PrimaryCount >= loose.PrimaryCount);
        AssertSafe(table, strict, new DisclosureRules(MinimumCount: 10 + extra.Get % 20, MaximumCv: 0.2));
    }
}
