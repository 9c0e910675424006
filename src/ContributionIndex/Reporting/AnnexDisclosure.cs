using ContributionIndex.Reporting.Disclosure;

namespace ContributionIndex.Reporting;

/// <summary>One cell of an additive annex block: where it is in the table rows, which scope and category it belongs to, and whether the estimation's quality rules already suppress it.</summary>
internal sealed record BlockCell(int RowIndex, string Scope, string Category, double Value, long Count, bool Primary);

/// <summary>
/// Secondary suppression for the additive blocks of the annex (methodology/disclosure-control.md): a block is one breakdown
/// (categories and their total) across the survey scopes (countries and, for a region, their pool as column total).
/// Primary suppression is the estimation's quality rule (<see cref="CellFlag.Suppressed"/>); this adds complements so that
/// no suppressed cell can be recovered from the published totals, and withholds every measure of a suppressed row.
/// </summary>
internal static class AnnexDisclosure
{
    /// <summary>The key of the total category of a block.</summary>
    public const string TotalCategory = "\u0000total";

    // Primary status comes from the estimate's flag: NaN CV marks it suppressed, a null CV publishes it.
    private static readonly DisclosureRules FlagRules = new(MinimumCount: 1, MaximumCv: double.PositiveInfinity);

    /// <summary>Suppresses complements in every block and rewrites cells <paramref name="firstHidden"/>..<paramref name="lastHidden"/> of each suppressed row as [c]; returns how many rows were newly hidden.</summary>
    public static int Protect(List<ReportRow> rows, IEnumerable<List<BlockCell>> blocks, string? poolScope, int firstHidden, int lastHidden)
    {
        var hidden = 0;
        foreach (var block in blocks)
        {
            var (table, at) = Layout(block, poolScope);
            bool[,] mask;
            try
            {
                mask = DisclosureControl.Apply(table, FlagRules).SuppressedMask();
            }
            catch (InvalidOperationException)
            {
                // No complement protects the pattern: withhold every non-empty cell of the block.
                mask = new bool[table.Rows.Size, table.Columns.Size];
                for (var r = 0; r < table.Rows.Size; r++)
                for (var c = 0; c < table.Columns.Size; c++)
                    mask[r, c] = table[r, c].UnweightedCount > 0;
            }

            foreach (var cell in block)
            {
                var (r, c) = at[cell];
                if (!mask[r, c]) continue;
                var old = rows[cell.RowIndex];
                var cells = old.Cells.ToArray();
                var changed = false;
                for (var i = firstHidden; i <= lastHidden; i++)
                {
                    if (cells[i].Flag == CellFlag.Suppressed) continue;
                    cells[i] = Cell.Withheld(CellFlag.Suppressed);
                    changed = true;
                }

                if (!changed) continue;
                rows[cell.RowIndex] = old with { Cells = cells };
                hidden++;
            }
        }

        return hidden;
    }

    /// <summary>The block as a disclosure table: categories (then their total) × scopes (then the pool when present).</summary>
    public static (DisclosureTable Table, Dictionary<BlockCell, (int Row, int Column)> At) Layout(List<BlockCell> block, string? poolScope)
    {
        var categories = block.Select(b => b.Category).Where(c => c != TotalCategory).Distinct().ToList();
        var hasTotal = block.Any(b => b.Category == TotalCategory);
        var scopes = block.Select(b => b.Scope).Where(s => s != poolScope).Distinct().ToList();
        var hasPool = poolScope is not null && scopes.Count > 1 && block.Any(b => b.Scope == poolScope);
        var rowMargin = hasTotal ? Margin.WithTotal(categories.Count) : Margin.WithoutTotal(categories.Count);
        var columnMargin = hasPool ? Margin.WithTotal(scopes.Count) : Margin.WithoutTotal(scopes.Count + (poolScope is not null && block.Any(b => b.Scope == poolScope) ? 1 : 0));
        if (!hasPool && poolScope is not null && block.Any(b => b.Scope == poolScope)) scopes.Add(poolScope);
        var cells = new DisclosureCell[rowMargin.Size, columnMargin.Size];
        var at = new Dictionary<BlockCell, (int, int)>();
        foreach (var b in block)
        {
            var r = b.Category == TotalCategory ? categories.Count : categories.IndexOf(b.Category);
            var c = hasPool && b.Scope == poolScope ? scopes.Count : scopes.IndexOf(b.Scope);
            cells[r, c] = new DisclosureCell(b.Value, b.Primary ? Math.Max(1, b.Count) : b.Count, b.Primary ? double.NaN : null);
            at[b] = (r, c);
        }

        return (new DisclosureTable(cells, rowMargin, columnMargin), at);
    }
}
