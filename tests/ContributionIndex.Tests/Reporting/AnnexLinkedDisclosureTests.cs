using ContributionIndex.Cli.Commands;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Pipeline;
using ContributionIndex.Reporting;
using ContributionIndex.Reporting.Disclosure;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Hardening;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Reporting;

/// <summary>
/// Linked-table audit of the whole annex (methodology/disclosure-control.md, "Linked tables"), rebuilt from the published
/// tables alone: every quantity printed in several tables (a country's volunteers in T1 and T4, its hours in T2 and T4, its
/// specialist value in T4 and T3) is one unknown, every additive line of T1, T2 and T4 is one equation, and a quantity is
/// unknown when it is [c] wherever it appears. The audit asserts that each quantity is withheld everywhere or nowhere,
/// that no withheld quantity follows from the published ones through the lines of all tables together (and a second set
/// of values fits every line while moving every withheld one), and that derived cells (T2 hours per volunteer, T5, T6)
/// are withheld with their ingredients.
/// </summary>
public sealed class AnnexLinkedDisclosureTests(RegionalAnnexFixture fixture) : IClassFixture<RegionalAnnexFixture>
{
    private const string Pool = "XCA4";

    /// <summary>Builds the annex of a sample study, optionally with a minimum respondent count per cell other than 10.</summary>
    private static Annex BuildAnnex(string code, int? minimumCount = null)
    {
        var study = StudyLoader.Load(SampleStudies.Study(code));
        var settings = VolunteerEstimationSettings.FromStudy(study);
        if (minimumCount is { } m)
            settings = settings with { Options = settings.Options with { Quality = (settings.Options.Quality ?? QualityRules.StatisticsCanada) with { MinimumUnweightedCount = m } } };
        var estimates = VolunteerEstimates.Run(study, new StudyRecordSource(study), null, settings);
        return AnnexBuilder.Build(StudyRun.FromEstimates(study, estimates), ReportLanguage.ForAnnex("en"), new AnnexOptions());
    }

    [Theory]
    [InlineData("kz", null)]
    [InlineData("kg", null)]
    [InlineData("tj", null)]
    [InlineData("uz", null)]
    [InlineData("kz", 150)]
    [InlineData("tj", 150)]
    [InlineData("uz", 150)]
    public void Every_single_country_sample_annex_passes_the_linked_audit(string code, int? minimumCount) => Audit(BuildAnnex(code, minimumCount));

    [Fact]
    public void The_regional_annex_passes_the_linked_audit() => Audit(fixture.Annex);

    [Fact]
    public void The_regional_annex_with_small_cells_passes_the_linked_audit_and_suppresses_across_tables()
    {
        // 200: the regenerated samples (#16) give every region at least 120 respondents, so the rule needs a higher count to bite on values and SDG hours.
        var published = Audit(BuildAnnex("regional", 200));
        Assert.True(published.Withheld.Count > 20, $"only {published.Withheld.Count} quantities withheld: the rule must bite");
        // Across tables: the withheld quantities are of more than one measure (with the regenerated samples of #16 no value
        // or SDG-hours cell falls under the rule; volunteers and their derived rates and hours are withheld across T1, T2 and T5).
        var measures = published.Withheld.Select(k => k.Split('|')[0]).Distinct(StringComparer.Ordinal).ToList();
        Assert.True(measures.Count >= 2, "withheld measures: " + string.Join(", ", measures));
    }

    [Fact]
    public void A_country_too_small_to_publish_is_withheld_in_every_table()
    {
        // The smallest survey country's total n + 1 as the minimum count: its total is primary, the larger countries' are
        // not. The total must then be [c] in T1 and T4, its hours in T2 and T4, its value in T3 and T4, and its
        // indicators in T5.
        var t1 = fixture.Annex.Tables.Single(t => t.Id == "T1");
        var n = Column(t1, "n");
        var totals = t1.Rows.Where(r => r.Role == RowRole.Total && r.DimensionValues["REF_AREA"] != Pool)
            .Select(r => (Area: r.DimensionValues["REF_AREA"], N: (int)r.Cells[n].Value!.Value)).OrderBy(x => x.N).ToList();
        Assert.True(totals.Count >= 2 && totals[0].N + 1 <= totals[1].N, "the sample needs two countries of different sizes");
        var small = totals[0].Area;

        var annex = BuildAnnex("regional", totals[0].N + 1);
        var published = Audit(annex);
        foreach (var key in new[] { $"volunteers|{small}|total", $"hours|{small}|total", $"value|{small}|total" })
            Assert.Contains(key, published.Withheld);
        // The pool total is the sum of the countries' totals, so a second total is withheld as its complement (the smaller
        // of the others), in every table; the largest country's total stays published.
        Assert.Contains($"volunteers|{totals[1].Area}|total", published.Withheld);
        Assert.DoesNotContain($"volunteers|{totals[^1].Area}|total", published.Withheld);
        var t5 = annex.Tables.Single(t => t.Id == "T5");
        var participation = t5.Rows.Single(r => r.DimensionValues["REF_AREA"] == small && r.DimensionValues["SERIES"] == "VOL_SOC_PARTICIPATION");
        Assert.Equal(CellFlag.Suppressed, participation.Cells[Column(t5, "value")].Flag);
        Assert.Null(participation.Cells[Column(t5, "value")].Value);
    }

    private static int Column(ReportTable table, string id) => table.Columns.Select((c, i) => (c, i)).Single(x => x.c.Id == id).i;

    private static string Text(ReportTable table, ReportRow row, string id) => row.Cells[Column(table, id)].Text ?? "";

    /// <summary>What the published annex shows: the linked set, where each key is printed, and which keys are withheld everywhere.</summary>
    private sealed class Published
    {
        public LinkedTables Set { get; } = new();

        public Dictionary<string, List<(string Table, int Row, Cell Cell)>> Places { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Withheld { get; } = new(StringComparer.Ordinal);

        /// <summary>Block key → area → category → key (the total as category "").</summary>
        public Dictionary<string, Dictionary<string, Dictionary<string, string>>> Blocks { get; } = new(StringComparer.Ordinal);

        public void Place(string key, ReportTable table, int row, int column)
        {
            Set.AddCell(key, new DisclosureCell(1, 1));
            if (!Places.TryGetValue(key, out var list)) Places[key] = list = [];
            list.Add((table.Id, row, table.Rows[row].Cells[column]));
        }

        public void InBlock(string block, string area, string category, string key)
        {
            if (!Blocks.TryGetValue(block, out var areas)) Blocks[block] = areas = new(StringComparer.Ordinal);
            if (!areas.TryGetValue(area, out var categories)) areas[area] = categories = new(StringComparer.Ordinal);
            categories[category] = key;
        }
    }

    /// <summary>Rebuilds the linked set from the published tables and runs every check; returns it for further assertions.</summary>
    private static Published Audit(Annex annex)
    {
        var l = annex.Language;
        var p = new Published();
        var survey = l.Text("source.survey");

        var t1 = annex.Tables.Single(t => t.Id == "T1");
        for (var r = 0; r < t1.Rows.Count; r++)
        {
            var row = t1.Rows[r];
            var area = row.DimensionValues.GetValueOrDefault("REF_AREA");
            if (area is null || row.Role is not (RowRole.Data or RowRole.Total)) continue;
            var breakdown = Text(t1, row, "breakdown");
            var category = Text(t1, row, "category");
            var key = row.Role == RowRole.Total ? $"volunteers|{area}|total" : $"volunteers|{area}|{breakdown}|{category}";
            p.Place(key, t1, r, Column(t1, "volunteers"));
            if (row.Role == RowRole.Data && breakdown != l.Text("dim.form")) p.InBlock("T1|" + breakdown, area, category, key);
        }

        var t2 = annex.Tables.Single(t => t.Id == "T2");
        var t2Totals = new List<(string Area, string Key)>();
        for (var r = 0; r < t2.Rows.Count; r++)
        {
            var row = t2.Rows[r];
            var area = row.DimensionValues.GetValueOrDefault("REF_AREA");
            if (area is null || row.Role is not (RowRole.Data or RowRole.Total) || Text(t2, row, "source") != survey) continue;
            var key = row.Role == RowRole.Total ? $"hours|{area}|total" : $"hours|{area}|{Text(t2, row, "breakdown")}|{Text(t2, row, "category")}";
            p.Place(key, t2, r, Column(t2, "hours"));
            if (row.Role == RowRole.Data) p.InBlock("T2|" + Text(t2, row, "breakdown"), area, Text(t2, row, "category"), key);
        }

        var t4 = annex.Tables.Single(t => t.Id == "T4");
        for (var r = 0; r < t4.Rows.Count; r++)
        {
            var row = t4.Rows[r];
            var area = row.DimensionValues["REF_AREA"];
            var goal = Text(t4, row, "goal");
            foreach (var measure in new[] { "hours", "value" })
            {
                var key = row.Role == RowRole.Total ? $"{measure}|{area}|total" : $"{measure}|{area}|sdg|{goal}";
                p.Place(key, t4, r, Column(t4, measure));
                if (row.Role == RowRole.Data) p.InBlock("T4|" + measure, area, goal, key);
            }

            if (row.Role == RowRole.Total) p.Place($"volunteers|{area}|total", t4, r, Column(t4, "volunteers"));
        }

        var t3 = annex.Tables.Single(t => t.Id == "T3");
        for (var r = 0; r < t3.Rows.Count; r++)
        {
            var row = t3.Rows[r];
            if (row.DimensionValues.GetValueOrDefault("CUST_BREAKDOWN") == "RC_SPEC" && Text(t3, row, "source") == survey)
                p.Place($"value|{row.DimensionValues["REF_AREA"]}|total", t3, r, Column(t3, "value_usd"));
        }

        // The lines: in each block, an area's total is the sum of its categories, and the pool is the sum of the countries
        // for each category and for the total (a category absent in a country is an empty cell).
        foreach (var (block, areas) in p.Blocks)
        {
            var measure = block.StartsWith("T1", StringComparison.Ordinal) ? "volunteers" : block.EndsWith("|value", StringComparison.Ordinal) ? "value" : "hours";
            foreach (var (area, categories) in areas)
            {
                var total = $"{measure}|{area}|total";
                if (p.Set.Contains(total)) p.Set.AddLine([(total, -1), .. categories.Values.Select(k => (k, 1))]);
            }

            var countries = areas.Keys.Where(a => a != Pool).ToList();
            if (!areas.ContainsKey(Pool) || countries.Count < 2) continue;
            foreach (var category in areas[Pool].Keys)
                p.Set.AddLine([(areas[Pool][category], -1), .. countries.Where(a => areas[a].ContainsKey(category)).Select(a => (areas[a][category], 1))]);
            if (p.Set.Contains($"{measure}|{Pool}|total"))
                p.Set.AddLine([($"{measure}|{Pool}|total", -1), .. countries.Select(a => $"{measure}|{a}|total").Where(p.Set.Contains).Select(k => (k, 1))]);
        }

        // 1. Each quantity is withheld everywhere or nowhere: a [c] in one table is never printed in another.
        foreach (var (key, places) in p.Places)
        {
            var withheld = places.Count(x => x.Cell.Flag == CellFlag.Suppressed);
            Assert.True(withheld == 0 || withheld == places.Count,
                $"{key} is withheld in {string.Join(", ", places.Where(x => x.Cell.Flag == CellFlag.Suppressed).Select(x => x.Table))} but printed in {string.Join(", ", places.Where(x => x.Cell.Flag != CellFlag.Suppressed).Select(x => x.Table))}");
            if (withheld > 0)
            {
                p.Withheld.Add(key);
                Assert.All(places, x => Assert.Null(x.Cell.Value));
            }
        }

        // 2. No withheld quantity follows from the printed ones through the lines of all tables; constructively, other values fit.
        Assert.Empty(DisclosureAudit.PinnedCells(p.Set, p.Withheld));
        if (p.Withheld.Count > 0)
        {
            var direction = DisclosureAudit.CommonDirection(p.Set, p.Withheld, out var unknowns);
            Assert.NotNull(direction);
            var move = unknowns.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => direction![x.i], StringComparer.Ordinal);
            foreach (var line in p.Set.Lines())
                Assert.True(Math.Abs(line.Sum(x => x.Sign * move.GetValueOrDefault(x.Key))) < 1e-9, "the direction breaks a line");
        }

        // 3. Derived cells go with their ingredients: hours per volunteer (T2 total), participation and value share (T5).
        var t5 = annex.Tables.Single(t => t.Id == "T5");
        foreach (var (key, places) in p.Places.Where(x => p.Withheld.Contains(x.Key) && x.Key.EndsWith("|total", StringComparison.Ordinal)))
        {
            var area = key.Split('|')[1];
            if (key.StartsWith("volunteers|", StringComparison.Ordinal))
            {
                foreach (var row in t2.Rows.Where(r => r.Role == RowRole.Total && r.DimensionValues["REF_AREA"] == area && Text(t2, r, "source") == survey))
                    Assert.Equal(CellFlag.Suppressed, row.Cells[Column(t2, "hours_per_volunteer")].Flag);
                foreach (var row in t5.Rows.Where(r => r.DimensionValues["REF_AREA"] == area && r.DimensionValues["SERIES"] is "VOL_SOC_PARTICIPATION" or "VOL_SOC_HOURS_PER_VOLUNTEER"))
                    Assert.Null(row.Cells[Column(t5, "value")].Value);
            }

            if (key.StartsWith("value|", StringComparison.Ordinal))
            {
                foreach (var row in t5.Rows.Where(r => r.DimensionValues["REF_AREA"] == area && r.DimensionValues["SERIES"] == "VOL_ECON_VALUE_GDP"))
                    Assert.Null(row.Cells[Column(t5, "value")].Value);
            }
        }

        // A table with a [c] carries the confidentiality note.
        foreach (var table in annex.Tables.Where(t => t.Uses(CellFlag.Suppressed)))
            Assert.Contains(table.Notes, n => n.Text == l.Text("note.disclosure"));
        return p;
    }
}
