using System.Globalization;
using ContributionIndex.Reporting.Disclosure;

namespace ContributionIndex.Tests.Hardening;

/// <summary>
/// Random linked tables shaped like the annex: 2–4 breakdowns (sex, age, …) of the same scopes, each with 2–5 categories,
/// all sharing one total per scope, and a pool column adding the scopes. Protected jointly, no suppressed key can be
/// recovered from any table of the set. The worked example shows why joint protection is needed: protected one by one,
/// a total withheld in one table is printed in another. Methodology: methodology/disclosure-control.md, "Linked tables".
/// </summary>
public class LinkedDisclosureProperties
{
    private sealed record Case(LinkedTables Set, int Scopes, int[] Categories, Func<int, int, int, string> KeyOf, Func<int, DisclosureTable> TableOf);

    /// <summary>
    /// One random case: 5–59 persons per scope, each with a value (0 for a third of them, else 25–225) and, in each
    /// breakdown, a random category (so some cells are small or empty); a cell is the sum over its persons, so every line
    /// of every table holds exactly and the tables agree on their shared totals. Cell keys: "b{breakdown}|s{scope}|c{category}"; the total row
    /// "total|s{scope}" and the pool column "…|pool" are shared by all breakdowns.
    /// </summary>
    private static Case Generate(Random random)
    {
        var scopes = random.Next(2, 5);
        var breakdowns = random.Next(2, 5);
        // Person-level counts and values per scope, then split among each breakdown's categories.
        var categories = Enumerable.Range(0, breakdowns).Select(_ => random.Next(2, 5)).ToArray();
        var perPerson = Enumerable.Range(0, scopes).Select(_ => random.Next(5, 40)).ToArray();
        var weight = Enumerable.Range(0, scopes).Select(_ => 50 + 100 * random.NextDouble()).ToArray();
        var personValues = Enumerable.Range(0, scopes)
            .Select(s => Enumerable.Range(0, perPerson[s]).Select(_ => random.Next(2) == 0 ? 0.0 : weight[s] * (0.5 + random.NextDouble())).ToArray()).ToArray();
        var cellsOf = new DisclosureCell[breakdowns][,];
        for (var b = 0; b < breakdowns; b++)
        {
            var k = categories[b];
            var cells = new DisclosureCell[k + 1, scopes + 1];
            for (var s = 0; s < scopes; s++)
            {
                // Split the scope's persons among the categories at random (some categories end up small or empty).
                // A third of the persons report no hours (value 0): a small category of only such persons has value 0
                // and count > 0, is never a complement, so the total must be, which is how one table's pattern can leak
                // through another table's publication of the same total.
                var person = personValues[s];
                var values = new double[k];
                var counts = new long[k];
                foreach (var v in person)
                {
                    var c = random.Next(k);
                    values[c] += v;
                    counts[c]++;
                }

                for (var c = 0; c < k; c++) cells[c, s] = new DisclosureCell(values[c], counts[c]);
                var total = person.Sum();
                cells[k, s] = new DisclosureCell(total, perPerson[s]);
            }

            for (var c = 0; c <= k; c++)
            {
                var value = 0.0;
                long count = 0;
                for (var s = 0; s < scopes; s++)
                {
                    value += cells[c, s].Value;
                    count += cells[c, s].UnweightedCount;
                }

                cells[c, scopes] = new DisclosureCell(value, count);
            }

            cellsOf[b] = cells;
        }

        string KeyOf(int b, int category, int scope)
        {
            var s = scope == scopes ? "pool" : "s" + scope.ToString(CultureInfo.InvariantCulture);
            return category == categories[b] ? "total|" + s : string.Create(CultureInfo.InvariantCulture, $"b{b}|{s}|c{category}");
        }

        DisclosureTable TableOf(int b) => new(cellsOf[b], Margin.WithTotal(categories[b]), Margin.WithTotal(scopes));
        var set = new LinkedTables();
        for (var b = 0; b < breakdowns; b++)
        {
            var breakdown = b;
            set.AddTable(TableOf(b), (r, c) => KeyOf(breakdown, r, c));
        }

        return new Case(set, scopes, categories, KeyOf, TableOf);
    }

    [Fact]
    public void Random_linked_tables_protected_jointly_leave_no_key_recoverable_from_any_table()
    {
        var random = new Random(20261125);
        var withSuppression = 0;
        for (var run = 0; run < 300; run++)
        {
            var @case = Generate(random);
            var set = @case.Set;
            var result = DisclosureControl.Apply(set);
            var suppressed = result.Suppressed;
            if (suppressed.Count > 0) withSuppression++;

            // Primary keys are suppressed; the audit over every line of every table pins nothing.
            foreach (var key in set.Keys)
            {
                if (DisclosureControl.Primary(set[key], DisclosureRules.Default) != CellStatus.Published)
                    Assert.Contains(key, suppressed);
            }

            Assert.Empty(DisclosureAudit.PinnedCells(set, suppressed));
            AssertAlternativeExists(set, suppressed);

        }

        Assert.True(withSuppression > 200, $"only {withSuppression} of 300 cases suppress anything");
    }

    [Fact]
    public void A_total_withheld_in_one_table_and_printed_in_another_gives_the_small_cell_away_unless_protected_jointly()
    {
        // One scope. Hours by direction: c1 = 5 persons, 120 h (primary: n < 10); c2 = 30 persons who reported 0 h (never a
        // complement: a zero protects nothing); total 35 persons, 120 h. The only complement for c1 is the total.
        // Hours by form: organisation 20 persons 70 h, direct 15 persons 50 h, the same total.
        var direction = new DisclosureTable(new DisclosureCell[,] { { new(120, 5) }, { new(0, 30) }, { new(120, 35) } }, Margin.WithTotal(2), Margin.WithoutTotal(1));
        var form = new DisclosureTable(new DisclosureCell[,] { { new(70, 20) }, { new(50, 15) }, { new(120, 35) } }, Margin.WithTotal(2), Margin.WithoutTotal(1));
        string[] directionKeys = ["direction|c1", "direction|c2", "total"];
        string[] formKeys = ["form|organisation", "form|direct", "total"];

        // Table by table: the direction table withholds c1 and the total; the form table has nothing to hide and prints
        // the total, 120 h, so c1 = 120 − 0 = 120 h.
        var alone = DisclosureControl.Apply(direction);
        Assert.Equal([true, false, true], [alone.IsSuppressed(0, 0), alone.IsSuppressed(1, 0), alone.IsSuppressed(2, 0)]);
        Assert.Equal(0, DisclosureControl.Apply(form).PrimaryCount + DisclosureControl.Apply(form).SecondaryCount);

        // Jointly: the total is withheld in both tables, and the form table gives up its smallest cell (direct, 50 h) so
        // that the total cannot be rebuilt from organisation + direct.
        var set = new LinkedTables();
        set.AddTable(direction, (r, _) => directionKeys[r]);
        set.AddTable(form, (r, _) => formKeys[r]);
        var joint = DisclosureControl.Apply(set);
        Assert.Equal(["direction|c1", "form|direct", "total"], joint.Suppressed.Order(StringComparer.Ordinal));
        Assert.Equal((CellStatus.PrimaryCount, CellStatus.Secondary, CellStatus.Secondary), (joint["direction|c1"], joint["total"], joint["form|direct"]));
        Assert.Empty(DisclosureAudit.PinnedCells(set, joint.Suppressed));
        AssertAlternativeExists(set, joint.Suppressed);

        // The table-by-table outcome audited over both tables: the form table prints the total, so only c1 is unknown and pinned.
        Assert.Equal(["direction|c1"], DisclosureAudit.PinnedCells(set, new HashSet<string> { "direction|c1" }));
    }

    [Fact]
    public void A_group_that_no_complement_protects_throws_or_is_withheld_whole_on_request()
    {
        // Hours of one scope: c1 = 3 persons with 0 h (primary: n < 10), c2 = 30 persons with 0 h, total 33 persons, 0 h.
        // Zeros are never complements, so c1 cannot be protected on its line. An unrelated table (d1, d2, its total) is fine.
        var set = new LinkedTables();
        set.AddTable(new DisclosureTable(new DisclosureCell[,] { { new(0, 3) }, { new(0, 30) }, { new(0, 33) } }, Margin.WithTotal(2), Margin.WithoutTotal(1)),
            (r, _) => ((string[])["c1", "c2", "total"])[r]);
        set.AddTable(new DisclosureTable(new DisclosureCell[,] { { new(50, 20) }, { new(70, 25) }, { new(120, 45) } }, Margin.WithTotal(2), Margin.WithoutTotal(1)),
            (r, _) => ((string[])["d1", "d2", "other total"])[r]);

        var ex = Assert.Throws<InvalidOperationException>(() => DisclosureControl.Apply(set));
        Assert.Contains("'c1'", ex.Message, StringComparison.Ordinal);

        var withheld = DisclosureControl.Apply(set, withholdUnprotectable: true);
        Assert.Equal(["c1", "c2", "total"], withheld.Suppressed.Order(StringComparer.Ordinal));
        Assert.Equal(3, withheld.WithheldWhole);
    }

    /// <summary>
    /// The constructive certificate: a second set of values, equal on every published key and on every line of every
    /// table, positive, and different in every suppressed key (true values plus t × the common direction).
    /// </summary>
    internal static void AssertAlternativeExists(LinkedTables set, IReadOnlySet<string> suppressed)
    {
        if (suppressed.Count == 0) return;
        var direction = DisclosureAudit.CommonDirection(set, suppressed, out var unknowns);
        Assert.NotNull(direction);
        var values = set.Keys.ToDictionary(k => k, k => set[k].Value, StringComparer.Ordinal);
        var movable = unknowns.Select((key, i) => (key, i)).Where(x => values[x.key] > 0).ToList();
        var t = movable.Count == 0 ? 1 : 0.5 * movable.Min(x => values[x.key] / Math.Abs(direction![x.i]));
        for (var i = 0; i < unknowns.Count; i++) values[unknowns[i]] += t * direction![i];
        foreach (var line in set.Lines())
        {
            var sum = line.Sum(x => x.Sign * values[x.Key]);
            var scale = line.Sum(x => Math.Abs(set[x.Key].Value)) + 1;
            Assert.True(Math.Abs(sum) <= 1e-9 * scale, $"the alternative breaks a line by {sum}");
        }

        for (var i = 0; i < unknowns.Count; i++)
            Assert.NotEqual(set[unknowns[i]].Value, values[unknowns[i]]);
    }
}
