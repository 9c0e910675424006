using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Valuation;
using ContributionIndex.Reporting.Disclosure;

namespace ContributionIndex.Reporting;

/// <summary>One cell of an additive annex block: where it is in the table rows, which scope and category it belongs to, and whether the estimation's quality rules already suppress it.</summary>
internal sealed record BlockCell(int RowIndex, string Scope, string Category, double Value, long Count, bool Primary);

/// <summary>
/// The additive blocks of the annex (methodology/disclosure-control.md): a block is one breakdown (categories and their
/// total) across the survey scopes (countries and, for a region, their pool as column total). Primary suppression is the
/// estimation's quality rule (<see cref="CellFlag.Suppressed"/>); <see cref="AnnexLinks"/> adds complements over all
/// blocks of all tables jointly.
/// </summary>
internal static class AnnexDisclosure
{
    /// <summary>The key of the total category of a block.</summary>
    public const string TotalCategory = "\u0000total";

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

/// <summary>
/// Linked-table disclosure control of the whole annex (methodology/disclosure-control.md, "Linked tables"). The tables
/// register what they publish while they are built: additive blocks (T1 volunteers by sex, age, urbanisation and region;
/// T2 hours by form, ISCO and direction; T4 hours and values by goal), quantities shown without lines (T1 volunteers by
/// form, T3 specialist values, T4 total volunteers), and cells derived from them (T2 hours per volunteer, T5 indicators,
/// T6 scores). Each published quantity is one key (measure | scope | domain | category; a scope's total is shared by all
/// blocks and tables), so the volunteers total of T1 is the one in T4, the hours total of T2 the one in T4, and the value
/// total of T4 the one in T3. <see cref="Apply"/> protects all keys jointly and withholds every place a suppressed key is
/// shown, and every derived cell with a suppressed ingredient.
/// </summary>
internal sealed class AnnexLinks
{
    // Primary status comes from the estimate's flag: NaN CV marks it suppressed, a null CV publishes it.
    private static readonly DisclosureRules FlagRules = new(MinimumCount: 1, MaximumCv: double.PositiveInfinity);

    private readonly LinkedTables set = new();
    private readonly List<(string Key, DisclosureCell Cell)> shownOnly = [];
    private readonly List<(string Key, string Table, int Row, int[] Columns)> places = [];
    private readonly List<(string Table, int Row, int[] Columns, Func<IReadOnlySet<string>, bool> Hidden)> derived = [];
    private readonly List<(string Key, int Sign)[]> pooled = [];
    private readonly HashSet<string> withheldDerived = new(StringComparer.Ordinal);

    /// <summary>The key of a published quantity; a scope's total has no domain, so every table shares it.</summary>
    public static string Key(string measure, string scope, string domain, string category) =>
        domain == VolunteerEstimates.AllDomain || category == AnnexDisclosure.TotalCategory ? $"{measure}|{scope}|total" : $"{measure}|{scope}|{domain}|{category}";

    /// <summary>The linked set as registered so far (for tests and the audit).</summary>
    public LinkedTables Set => set;

    /// <summary>The suppressed keys after <see cref="Apply"/>.</summary>
    public IReadOnlySet<string> Suppressed { get; private set; } = new HashSet<string>();

    /// <summary>Registers an additive block (categories with their total × scopes with their pool) of one measure; a suppressed cell withholds <paramref name="columns"/> of its row (the measure and its precision).</summary>
    public void Block(string table, string measure, string domain, List<BlockCell> block, string? poolScope, int[] columns)
    {
        // An annex from administrative inputs alone (hour logs) has no survey cells to protect in this block.
        if (block.Count == 0) return;
        var (grid, at) = AnnexDisclosure.Layout(block, poolScope);
        var keyAt = new Dictionary<(int, int), string>();
        foreach (var cell in block)
        {
            var key = Key(measure, cell.Scope, domain, cell.Category);
            keyAt[at[cell]] = key;
            places.Add((key, table, cell.RowIndex, columns));
        }

        // Grid positions with no row (a category absent in one country) are empty cells of this block alone.
        set.AddTable(grid, (r, c) => keyAt.TryGetValue((r, c), out var key) ? key : $"{table}|{measure}|{domain}|empty|{r}|{c}");
    }

    /// <summary>Registers a quantity shown in a row without additive lines of its own there (it may have lines in another table).</summary>
    public void Show(string table, string measure, string domain, BlockCell cell, int[] columns)
    {
        var key = Key(measure, cell.Scope, domain, cell.Category);
        shownOnly.Add((key, new DisclosureCell(cell.Value, cell.Primary ? Math.Max(1, cell.Count) : cell.Count, cell.Primary ? double.NaN : null)));
        places.Add((key, table, cell.RowIndex, columns));
    }

    /// <summary>
    /// Registers one quantity per scope (a T3 value of one method and source) shown in every unit of its row: LCU, US$,
    /// PPP$ and % of GDP are presentations of one quantity and share one status (withheld in all or in none). When the
    /// pool is among the scopes and at least two countries are, the pool is their sum (in US$, the one unit they share):
    /// one additive line, so that no country follows from the pool minus the others.
    /// </summary>
    public void Pooled(string table, string measure, IReadOnlyList<BlockCell> cells, string? pool, int[] columns)
    {
        foreach (var cell in cells) Show(table, measure, AnnexContext.All, cell, columns);
        var countries = cells.Where(c => c.Scope != pool).ToList();
        if (pool is null || countries.Count < 2 || cells.All(c => c.Scope != pool)) return;
        pooled.Add([(Key(measure, pool, AnnexContext.All, AnnexDisclosure.TotalCategory), -1), .. countries.Select(c => (Key(measure, c.Scope, AnnexContext.All, AnnexDisclosure.TotalCategory), 1))]);
    }

    /// <summary>
    /// Withholds a derived quantity by its own rule (an indicator resting on fewer than the minimum respondents): its key
    /// counts as suppressed for every derived cell that depends on it. It has no lines: it is not a sum of published cells.
    /// </summary>
    public void Withhold(string key) => withheldDerived.Add(key);

    /// <summary>The key of an indicator of table 5 (withheld by <see cref="Withhold"/> when few respondents stand behind it).</summary>
    public static string IndicatorKey(string scope, string code) => $"indicator|{scope}|{code}";

    /// <summary>
    /// The key of a T3 value (one method, one source) of a scope: the survey's specialist value is T4's value total; the
    /// other methods and the hour-log values are quantities of their own.
    /// </summary>
    public static string ValueKey(ValuationMethod method, string scope, InputKind source) =>
        Key(ValueMeasure(method, source), scope, AnnexContext.All, AnnexDisclosure.TotalCategory);

    /// <summary>The measure part of <see cref="ValueKey"/>.</summary>
    public static string ValueMeasure(ValuationMethod method, InputKind source) =>
        source == InputKind.Survey && method == ValuationMethod.Specialist ? "value" : $"value:{method.Code()}:{InputKinds.Code(source)}";

    /// <summary>Registers cells computed from published quantities: they are withheld when any of <paramref name="ingredients"/> is suppressed.</summary>
    public void Derived(string table, int row, int[] columns, params string[] ingredients) =>
        derived.Add((table, row, columns, suppressed => ingredients.Any(suppressed.Contains)));

    /// <summary>Registers cells computed from published quantities, withheld when <paramref name="hidden"/> holds for the suppressed keys.</summary>
    public void Derived(string table, int row, int[] columns, Func<IReadOnlySet<string>, bool> hidden) => derived.Add((table, row, columns, hidden));

    /// <summary>
    /// The keys an indicator of table 5 is computed from (methodology/indicators.md): withheld when one of them is. Ratios
    /// of a category to a total are recoverable from the other two, so a representation ratio depends on its whole block.
    /// </summary>
    public static Func<IReadOnlySet<string>, bool> IndicatorIngredients(string scope, string code, ValuationMethod headline = ValuationMethod.Specialist)
    {
        var own = IndicatorKey(scope, code);
        var ingredients = Ingredients(scope, code, headline);
        return s => s.Contains(own) || ingredients(s);
    }

    private static Func<IReadOnlySet<string>, bool> Ingredients(string scope, string code, ValuationMethod headline)
    {
        string Total(string measure) => Key(measure, scope, VolunteerEstimates.AllDomain, AnnexDisclosure.TotalCategory);
        Func<IReadOnlySet<string>, bool> Any(params string[] keys) => s => keys.Any(s.Contains);
        Func<IReadOnlySet<string>, bool> Block(string domain) =>
            s => s.Contains(Total("volunteers")) || s.Any(k => k.StartsWith($"volunteers|{scope}|{domain}|", StringComparison.Ordinal));
        return code switch
        {
            "econ_value_gdp" => Any(ValueKey(headline, scope, InputKind.Survey)),
            "econ_fte_per_1000" => Any(Total("hours")),
            "soc_participation" or "hc_training_hours" => Any(Total("volunteers")),
            "soc_hours_per_volunteer" => Any(Total("hours"), Total("volunteers")),
            "soc_formal_share" => Any(Total("hours"), Key("hours", scope, "form", "organisation")),
            "soc_women_ratio" => Block(PersonVariables.Sex),
            "soc_youth_ratio" => Block(PersonVariables.AgeGroup),
            "soc_rural_ratio" => Block(PersonVariables.UrbanRural),
            "soc_regional_equity" => Block(PersonVariables.Region),
            _ => _ => false,
        };
    }

    /// <summary>
    /// Protects every registered key jointly and returns the tables with each suppressed key withheld wherever it is
    /// shown, derived cells withheld, and the confidentiality note added to a table that gained its first [c].
    /// </summary>
    public List<ReportTable> Apply(IReadOnlyList<ReportTable> tables, string disclosureNote)
    {
        foreach (var (key, cell) in shownOnly) set.AddCell(key, cell);
        foreach (var line in pooled) set.AddLine(line);
        var result = DisclosureControl.Apply(set, FlagRules, withholdUnprotectable: true);
        Suppressed = result.Suppressed.Concat(withheldDerived).ToHashSet(StringComparer.Ordinal);
        var hide = places.Where(p => Suppressed.Contains(p.Key)).Select(p => (p.Table, p.Row, p.Columns))
            .Concat(derived.Where(d => d.Hidden(Suppressed)).Select(d => (d.Table, d.Row, d.Columns)))
            .ToLookup(x => x.Table, x => (x.Row, x.Columns), StringComparer.Ordinal);
        var output = new List<ReportTable>();
        foreach (var table in tables)
        {
            if (!hide.Contains(table.Id))
            {
                output.Add(table);
                continue;
            }

            var rows = table.Rows.ToArray();
            foreach (var (row, columns) in hide[table.Id])
            {
                var cells = rows[row].Cells.ToArray();
                var changed = false;
                foreach (var c in columns)
                {
                    // A cell that cannot exist ([z], e.g. the LCU of a multi-currency region) stays [z].
                    if (cells[c].Flag is CellFlag.Suppressed or CellFlag.NotApplicable) continue;
                    cells[c] = Cell.Withheld(CellFlag.Suppressed);
                    changed = true;
                }

                if (changed) rows[row] = rows[row] with { Cells = cells };
            }

            var notes = table.Notes.ToList();
            if (rows.Any(r => r.Cells.Any(c => c.Flag == CellFlag.Suppressed)) && notes.All(n => n.Text != disclosureNote))
                notes.Add(new ReportNote(notes.Count == 0 ? 1 : notes.Max(n => n.Number) + 1, disclosureNote));
            output.Add(new ReportTable(table.Id, table.Title, table.Units, table.Period, table.Columns, rows, notes, table.Source, table.TotalsMayNotSum));
        }

        return output;
    }

    /// <summary>Columns <paramref name="first"/>..<paramref name="last"/>.</summary>
    public static int[] Range(int first, int last) => [.. Enumerable.Range(first, last - first + 1)];
}
