using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using ContributionIndex.Cli.Commands;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Pipeline;
using ContributionIndex.Rendering;
using ContributionIndex.Rendering.Pdf;
using ContributionIndex.Reporting;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Ingest;
using UglyToad.PdfPig;

namespace ContributionIndex.Tests.Reporting.Attack;

/// <summary>
/// An automated attacker against the published annex (methodology/disclosure-control.md, "The attacker test"). For random
/// small studies (<see cref="SmallStudies"/>) it builds the annex twice from the same estimates: under the study's
/// disclosure rules (what is published) and with every rule off (the truth behind each withheld cell, same rows and
/// columns). It then tries to recover every withheld quantity from all published outputs:
/// <list type="number">
/// <item>unit conversion: every number of the xlsx workbook (read back with ClosedXML, chart data included), of the tidy
/// CSVs, the SDMX-CSV, the Open SDG CSVs and the PDF text (PdfPig) is compared with each withheld value in every unit
/// the study's published constants give (LCU, US$, PPP$, % of GDP, FTE; in units, thousands, millions, per cent);</item>
/// <item>differencing and linear combinations: a linear programme with one unknown per withheld additive cell, every
/// relation that holds among the published cells (categories to their total, countries to their pool, one quantity
/// shown in two tables, a row's units related by a published rate) and non-negativity; the minimum and maximum of each
/// unknown are computed with a simplex, and the feasible interval must not collapse;</item>
/// <item>ranks: the rank of a withheld score must be neither published nor follow from the other ranks or the row order.</item>
/// </list>
/// </summary>
public sealed partial class DisclosureAttackerTests
{
    /// <summary>A withheld cell is recovered when its feasible interval is narrower than this share of its value.</summary>
    public const double ProtectionShare = 1e-3;

    /// <summary>The columns whose quantities add up (categories to totals, countries to the pool), by table.</summary>
    private static readonly Dictionary<string, string[]> AdditiveColumns = new(StringComparer.Ordinal)
    {
        ["T1"] = ["volunteers"],
        ["T2"] = ["hours", "fte"],
        ["T3"] = ["value_lcu", "value_usd", "value_ppp", "pct_gdp"],
        ["T4"] = ["hours", "value", "volunteers"],
        ["T6"] = ["value_ppp"],
    };

    private static readonly QualityRules NoRules = new(double.PositiveInfinity, true, double.PositiveInfinity, true, 1);

    /// <summary>A random small study (seed), its annex under a minimum count and CV limit, and the rule-free annex of the same estimates.</summary>
    private static (Study Study, VolunteerEstimateSet Estimates, Annex Published, Annex Truth) Run(TempDirectory dir, int seed, int minimumCount, double cautionLimit)
    {
        var study = StudyLoader.Load(SmallStudies.Create(seed, dir.Path));
        var settings = VolunteerEstimationSettings.FromStudy(study);
        var rules = (settings.Options.Quality ?? QualityRules.StatisticsCanada) with
        {
            MinimumUnweightedCount = minimumCount,
            CautionLimit = cautionLimit,
            PublishLimit = Math.Min(cautionLimit, QualityRules.StatisticsCanada.PublishLimit),
        };
        (VolunteerEstimateSet, Annex) Build(QualityRules quality)
        {
            var s = settings with { Options = settings.Options with { Quality = quality } };
            var estimates = VolunteerEstimates.Run(study, new StudyRecordSource(study), null, s);
            return (estimates, AnnexBuilder.Build(StudyRun.FromEstimates(study, estimates), ReportLanguage.ForAnnex("en"), new AnnexOptions()));
        }

        var (estimates, published) = Build(rules);
        return (study, estimates, published, Build(NoRules).Item2);
    }

    [Theory]
    [InlineData(11, 10, 0.333)]
    [InlineData(23, 30, 0.333)]
    [InlineData(5, 120, 0.333)]
    [InlineData(13, 10, 0.06)]
    public void No_withheld_cell_of_a_random_small_study_can_be_recovered_from_the_published_outputs(int seed, int minimumCount, double cautionLimit)
    {
        using var dir = new TempDirectory();
        var (study, _, published, truth) = Run(dir, seed, minimumCount, cautionLimit);
        var constants = Constants(study);
        var targets = Withheld(published, truth);
        Assert.True(targets.Count(t => AdditiveColumns.ContainsKey(t.Table.Id)) >= 10, $"only {targets.Count} withheld cells: the small study must need withholding");

        var failures = new List<string>();
        failures.AddRange(ConversionAttack(published, targets, constants, dir));
        failures.AddRange(LinearAttack(published, truth, constants));
        failures.AddRange(RankAttack(published));
        Assert.True(failures.Count == 0, $"seed {seed}, minimum {minimumCount}: {failures.Count} withheld cells recovered:\n" + string.Join("\n", failures.Distinct().Take(25)));
    }

    [Fact]
    public void Hour_log_cells_of_fewer_than_the_minimum_distinct_persons_are_not_published()
    {
        // Hour-log cells count registered persons (one row per person): a cell of one or two persons gives their hours away.
        using var dir = new TempDirectory();
        var (study, estimates, published, _) = Run(dir, 11, 10, 0.333);
        // The cells T2 publishes per country: the total and the form, ISCO major group and direction breakdowns.
        var small = estimates.Estimates.Where(e => e.IsAdministrative && e.Estimate.UnweightedCount < 10 && e.Estimate.Value != 0 && e.Measure == VolunteerMeasures.AnnualHours
                                                   && e.Scope != VolunteerEstimates.RegionalScope && e.Domain is VolunteerEstimates.AllDomain or "form" or "isco_major_group" or "direction").ToList();
        Assert.True(small.Count >= 3, $"only {small.Count} small hour-log cells: the small study must have some");
        var t2 = published.Tables.Single(t => t.Id == "T2");
        var hours = t2.Columns.Select((c, i) => (c, i)).Single(x => x.c.Id == "hours").i;
        // Each small cell's own row: the country, the hour-log source, and the breakdown's SDMX code (none for the total).
        ReportRow RowOf(VolunteerEstimate e) => t2.Rows.Single(r => r.Role != RowRole.GroupHeading
            && r.DimensionValues["REF_AREA"] == AnnexBuilder.M49(study, e.Scope) && r.DimensionValues.GetValueOrDefault("SOURCE") == "hour-log"
            && (e.Domain == VolunteerEstimates.AllDomain ? r.Role == RowRole.Total
                : AnnexSdmxCodes.SdmxOf(e.Domain, e.DomainValue) is var (dim, code) && r.DimensionValues.GetValueOrDefault(dim) == code));
        var shown = small.Select(e => (e, Row: RowOf(e))).Where(x => x.Row.Cells[hours].Value is not null || x.Row.Cells[hours].Flag != CellFlag.Suppressed)
            .Select(x => $"{x.e.Scope} {x.e.Domain}={x.e.DomainValue}: {x.e.Estimate.UnweightedCount} persons, {x.Row.Cells[hours].Value:R} published").ToList();
        Assert.True(shown.Count == 0, string.Join("\n", shown.Take(10)));
    }

    [Fact]
    public void An_indicator_resting_on_fewer_than_the_minimum_respondents_is_withheld()
    {
        // The disability ratio's numerator is the volunteers with a disability: in a small study, a handful per country.
        using var dir = new TempDirectory();
        var (study, estimates, published, _) = Run(dir, 11, 10, 0.333);
        var table = estimates.Survey;
        var disability = table.Domain(PersonVariables.Disability);
        var volunteer = table.VariableArray(PersonVariables.Volunteer);
        var population = table.VariableArray(PersonVariables.Population);
        var t5 = published.Tables.Single(t => t.Id == "T5");
        var value = t5.Columns.Select((c, i) => (c, i)).Single(x => x.c.Id == "value").i;
        var checkedUnits = 0;
        foreach (var country in estimates.Countries)
        {
            var respondents = Enumerable.Range(0, table.Count).Count(i => table.Countries[i] == country && population[i] == 1 && volunteer[i] != 0 && disability[i] == "yes");
            if (respondents >= 10) continue;
            var row = t5.Rows.Single(r => r.DimensionValues["REF_AREA"] == AnnexBuilder.M49(study, country) && r.DimensionValues["SERIES"] == "VOL_SOC_DISABILITY_RATIO");
            Assert.True(row.Cells[value].Value is null, $"{country}: the disability ratio rests on {respondents} volunteers with a disability and is published as {row.Cells[value].Value:R}");
            Assert.Equal(CellFlag.Suppressed, row.Cells[value].Flag);
            checkedUnits++;
        }

        Assert.True(checkedUnits > 0, "no country with few volunteers with a disability: the small study must have one");
    }

    [Fact]
    public void The_simplex_finds_the_interval_of_a_hand_worked_system()
    {
        // x + y = 10, x − z = 2, all ≥ 0: x ∈ [2, 10], y ∈ [0, 8], z ∈ [0, 8].
        var region = new FeasibleRegion([[1, 1, 0], [1, 0, -1]], [10, 2], 3);
        Assert.True(region.Feasible);
        Assert.Equal(2, region.Min(0), 9);
        Assert.Equal(10, region.Max(0), 9);
        Assert.Equal(8, region.Max(1), 9);
        Assert.Equal(0, region.Min(2), 9);
        // x + y = 10 alone leaves x unbounded below only by 0; with y free above it stays ≤ 10; without equations it is unbounded.
        Assert.Equal(double.PositiveInfinity, new FeasibleRegion([[1, -1]], [0], 2).Max(0));
    }

    /// <summary>The study's published constants (notes of T2 and T3): exchange rate, PPP, GDP / 100, full-time hours, per country.</summary>
    private static List<double> Constants(Study study)
    {
        var constants = new List<double> { 1000, 1e6 };
        foreach (var c in study.Countries)
        {
            var p = c;
            foreach (var k in new[] { p.LcuPerUsd?.Value, p.LcuPerPppDollar?.Value, p.Gdp?.Value / 100, p.FullTimeAnnualHours?.Value, p.LcuPerUsd?.Value / p.LcuPerPppDollar?.Value })
                if (k is { } v && v > 0) constants.Add(v);
        }

        return constants;
    }

    private sealed record Target(ReportTable Table, int Row, int Column, double Value)
    {
        public string Name => $"{Table.Id} row {Row + 1} {Table.Columns[Column].Id} ({string.Join(",", Table.Rows[Row].DimensionValues.Select(d => d.Key + "=" + d.Value))}) = {Value.ToString("R", CultureInfo.InvariantCulture)}";
    }

    /// <summary>Every cell withheld as [c] whose true value the rule-free annex shows.</summary>
    private static List<Target> Withheld(Annex published, Annex truth)
    {
        var list = new List<Target>();
        foreach (var table in published.Tables)
        {
            var reference = truth.Tables.Single(t => t.Id == table.Id);
            Assert.Equal(reference.Rows.Count, table.Rows.Count);
            for (var r = 0; r < table.Rows.Count; r++)
            for (var c = 0; c < table.Columns.Count; c++)
                if (table.Rows[r].Cells[c].Flag == CellFlag.Suppressed && reference.Rows[r].Cells[c].Value is { } v && double.IsFinite(v))
                {
                    Assert.Null(table.Rows[r].Cells[c].Value);
                    list.Add(new Target(table, r, c, v));
                }
        }

        return list;
    }

    // 1. Unit conversion: no published number in any format is a withheld value in some unit.

    private static IEnumerable<string> ConversionAttack(Annex annex, List<Target> targets, List<double> constants, TempDirectory dir)
    {
        var factors = new List<double> { 1, 1e-3, 1e-6, 100, 1e3 };
        foreach (var k in constants.Skip(2)) factors.AddRange([1 / k, k, 1e-3 / k, 1e-6 / k, 1e-3 * k, 1e-6 * k]);
        // Measures only: a precision cell (SE, CV) of a withheld value is withheld too, but its number does not give the value.
        // Values below 1,000 (ranks, hours of a few persons, ratios) recur by chance among unrelated cells: the linear attack covers them.
        var candidates = targets.Where(t => Math.Abs(t.Value) >= 1000 && t.Table.Columns[t.Column].Kind == ColumnKind.Measure)
            .SelectMany(t => factors.Select(f => (Value: t.Value * f, Target: t))).OrderBy(x => x.Value).ToArray();
        var values = candidates.Select(c => c.Value).ToArray();

        // The workbook stores the model's numbers: an exact match (relative 1e-9) of any withheld value in any unit is a leak.
        var xlsx = dir.File("annex.xlsx");
        ExcelRenderer.WriteFile(annex, xlsx, "0.1.0");
        using (var workbook = new XLWorkbook(xlsx))
        {
            foreach (var sheet in workbook.Worksheets)
            foreach (var cell in sheet.CellsUsed())
            {
                if (cell.DataType != XLDataType.Number) continue;
                var n = cell.GetDouble();
                foreach (var hit in Near(values, n, 1e-9 * Math.Abs(n)))
                    yield return $"xlsx {sheet.Name}!{cell.Address}: {n.ToString("R", CultureInfo.InvariantCulture)} is {candidates[hit].Target.Name} in another unit";
            }
        }

        // Text formats print rounded numbers: a printed number with seven or more significant digits that a withheld value
        // rounds to in some unit is a leak (shorter numbers recur by chance).
        var texts = new List<(string Format, string Text)>();
        foreach (var table in annex.Tables) texts.Add(("tidy csv " + table.Id, TidyCsvRenderer.Render(table)));
        texts.Add(("sdmx-csv", SdmxCsvRenderer.Render(annex, "2023")));
        foreach (var (path, text) in OpenSdgRenderer.Render(annex)) texts.Add(("open sdg " + path, text));
        using (var pdf = PdfDocument.Open(PdfRenderer.Render(annex, "0.1.0")))
            texts.Add(("pdf", string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords().Select(w => w.Text)))));
        foreach (var (format, text) in texts)
        foreach (Match m in Number().Matches(text))
        {
            var token = m.Value.Replace(",", "", StringComparison.Ordinal);
            var digits = token.Replace(".", "", StringComparison.Ordinal).TrimStart('0').Length;
            if (digits < 7 || !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)) continue;
            var decimals = token.Contains('.', StringComparison.Ordinal) ? token.Length - token.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
            foreach (var hit in Near(values, n, 0.5 * Math.Pow(10, -decimals) * (1 + 1e-9)))
                yield return $"{format}: '{m.Value}' is {candidates[hit].Target.Name} rounded, in another unit";
        }
    }

    [GeneratedRegex(@"(?<![0-9.])[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|(?<![0-9.,])[0-9]+(?:\.[0-9]+)?")]
    private static partial Regex Number();

    private static IEnumerable<int> Near(double[] sorted, double value, double tolerance)
    {
        var i = Array.BinarySearch(sorted, value - tolerance);
        if (i < 0) i = ~i;
        for (; i < sorted.Length && sorted[i] <= value + tolerance; i++) yield return i;
    }

    // 2. Linear combinations: the feasible interval of every withheld additive cell.

    private static IEnumerable<string> LinearAttack(Annex published, Annex truth, List<double> constants)
    {
        // One entry per additive cell with a true value: published (a constant) or withheld (an unknown).
        var cells = new List<(Target Cell, bool Known)>();
        foreach (var table in published.Tables)
        {
            if (!AdditiveColumns.TryGetValue(table.Id, out var ids)) continue;
            var reference = truth.Tables.Single(t => t.Id == table.Id);
            foreach (var id in ids)
            {
                var c = table.Columns.Select((col, i) => (col, i)).SingleOrDefault(x => x.col.Id == id).i;
                if (table.Columns[c].Id != id) continue;
                for (var r = 0; r < table.Rows.Count; r++)
                {
                    if (reference.Rows[r].Cells[c].Value is not { } v || !double.IsFinite(v)) continue;
                    var cell = table.Rows[r].Cells[c];
                    if (cell.Value is not null) cells.Add((new Target(table, r, c, v), true));
                    else if (cell.Flag == CellFlag.Suppressed) cells.Add((new Target(table, r, c, v), false));
                }
            }
        }

        // Relations, each a list of (cell, coefficient) summing to zero, kept when they hold for the true values.
        var relations = new List<(int Cell, double Coefficient)[]>();
        void Try((int Cell, double Coefficient)[] relation)
        {
            if (relation.All(x => cells[x.Cell].Known)) return;
            var sum = relation.Sum(x => x.Coefficient * cells[x.Cell].Cell.Value);
            var scale = relation.Sum(x => Math.Abs(x.Coefficient * cells[x.Cell].Cell.Value));
            if (scale > 0 && Math.Abs(sum) <= 1e-9 * scale) relations.Add(relation);
        }

        string Text(Target t, string column) => t.Table.Columns.Select((c, i) => (c, i)).Where(x => x.c.Id == column).Select(x => t.Table.Rows[t.Row].Cells[x.i].Text ?? "").FirstOrDefault() ?? "";
        string Area(Target t) => t.Table.Rows[t.Row].DimensionValues.GetValueOrDefault("REF_AREA") ?? "";
        var indexed = cells.Select((c, i) => (c.Cell, i)).ToList();

        // Categories to their total: the data rows of one breakdown of one area and source against the area's total row.
        foreach (var group in indexed.Where(x => x.Cell.Table.Rows[x.Cell.Row].Role == RowRole.Data)
                     .GroupBy(x => (x.Cell.Table.Id, x.Cell.Column, Area(x.Cell), Text(x.Cell, "source"), Text(x.Cell, "breakdown"))))
        {
            var total = indexed.Where(x => x.Cell.Table.Id == group.Key.Item1 && x.Cell.Column == group.Key.Item2 && x.Cell.Table.Rows[x.Cell.Row].Role == RowRole.Total
                                           && Area(x.Cell) == group.Key.Item3 && Text(x.Cell, "source") == group.Key.Item4).ToList();
            foreach (var t in total) Try([(t.i, -1), .. group.Select(g => (g.i, 1.0))]);
        }

        // Countries to their pool: rows that differ only in the area.
        string RowKey(Target t)
        {
            var row = t.Table.Rows[t.Row];
            var labels = t.Table.Columns.Select((c, i) => (c, i)).Where(x => x.c.Kind == ColumnKind.Dimension && x.c.Id != "country").Select(x => row.Cells[x.i].Text);
            var dims = row.DimensionValues.Where(d => d.Key != "REF_AREA").OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Key + "=" + d.Value);
            return t.Table.Id + "|" + t.Column + "|" + row.Role + "|" + string.Join("|", labels) + "|" + string.Join("|", dims);
        }

        foreach (var group in indexed.GroupBy(x => RowKey(x.Cell)).Where(g => g.Count() >= 3))
            foreach (var total in group)
                Try([(total.i, -1), .. group.Where(g => g.i != total.i).Select(g => (g.i, 1.0))]);

        // One quantity in two places (the same area and the same value; below 1,000 only between total rows, as the hours
        // of a few persons recur by chance), and a row's units related by a published constant.
        bool Total(Target t) => t.Table.Rows[t.Row].Role == RowRole.Total;
        var byValue = indexed.Where(x => Math.Abs(x.Cell.Value) >= 1).OrderBy(x => x.Cell.Value).ToList();
        for (var a = 0; a < byValue.Count; a++)
            for (var b = a + 1; b < byValue.Count && byValue[b].Cell.Value <= byValue[a].Cell.Value * (1 + 1e-9); b++)
                if (Area(byValue[a].Cell) == Area(byValue[b].Cell) && (Math.Abs(byValue[a].Cell.Value) >= 1000 || (Total(byValue[a].Cell) && Total(byValue[b].Cell))))
                    Try([(byValue[a].i, 1), (byValue[b].i, -1)]);
        foreach (var row in indexed.GroupBy(x => (x.Cell.Table.Id, x.Cell.Row)))
        {
            var list = row.ToList();
            foreach (var x in list)
            foreach (var y in list)
            foreach (var k in constants.Skip(2))
                if (x.i != y.i && y.Cell.Value != 0 && Math.Abs(x.Cell.Value / y.Cell.Value - k) <= 1e-9 * k)
                    Try([(x.i, 1), (y.i, -k)]);
        }

        // Connected groups of unknowns; each group is one linear programme over y = x / |true value| ≥ 0.
        var unknowns = Enumerable.Range(0, cells.Count).Where(i => !cells[i].Known).ToList();
        var parent = unknowns.ToDictionary(u => u, u => u);
        int Find(int x) => parent[x] == x ? x : parent[x] = Find(parent[x]);
        foreach (var relation in relations)
        {
            var us = relation.Where(x => !cells[x.Cell].Known).Select(x => x.Cell).ToList();
            for (var i = 1; i < us.Count; i++) parent[Find(us[i])] = Find(us[0]);
        }

        foreach (var group in unknowns.GroupBy(Find))
        {
            var members = group.ToList();
            var local = members.Select((u, i) => (u, i)).ToDictionary(x => x.u, x => x.i);
            var rows = new List<double[]>();
            var rhs = new List<double>();
            foreach (var relation in relations.Where(r => r.Any(x => local.ContainsKey(x.Cell))))
            {
                var row = new double[members.Count];
                var b = 0.0;
                foreach (var (cell, coefficient) in relation)
                {
                    if (local.TryGetValue(cell, out var j)) row[j] += coefficient * Math.Abs(cells[cell].Cell.Value);
                    else b -= coefficient * Published(published, cells[cell].Cell);
                }

                var norm = row.Max(Math.Abs);
                if (norm == 0) continue;
                rows.Add([.. row.Select(v => v / norm)]);
                rhs.Add(b / norm);
            }

            if (rows.Count == 0) continue;
            var region = new FeasibleRegion(rows, rhs, members.Count);
            if (!region.Feasible)
            {
                yield return $"the attacker's system around {cells[members[0]].Cell.Name} is infeasible (a published number disagrees with the truth)";
                continue;
            }

            for (var j = 0; j < members.Count; j++)
            {
                var target = cells[members[j]].Cell;
                if (target.Value == 0) continue;
                var width = region.Max(j) - region.Min(j);
                if (width < ProtectionShare)
                    yield return $"differencing: {target.Name} lies in [{region.Min(j) * Math.Abs(target.Value):G6}, {region.Max(j) * Math.Abs(target.Value):G6}]";
            }
        }
    }

    /// <summary>A published cell's number (the model's, unrounded: the strongest attacker).</summary>
    private static double Published(Annex annex, Target t) => annex.Tables.Single(x => x.Id == t.Table.Id).Rows[t.Row].Cells[t.Column].Value!.Value;

    // 3. Ranks of withheld scores.

    private static IEnumerable<string> RankAttack(Annex annex)
    {
        var t6 = annex.Tables.SingleOrDefault(t => t.Id == "T6");
        if (t6 is null) yield break;
        int Column(string id) => t6.Columns.Select((c, i) => (c, i)).Single(x => x.c.Id == id).i;
        var score = Column("score");
        var rank = Column("rank");
        var rows = t6.Rows.Where(r => r.Role == RowRole.Data).ToList();
        var withheld = rows.Where(r => r.Cells[score].Flag == CellFlag.Suppressed).ToList();
        if (withheld.Count == 0) yield break;
        var ranks = new HashSet<int>(rows.Where(r => r.Cells[rank].Value is not null).Select(r => (int)r.Cells[rank].Value!.Value));
        // C4 plots ranks: its points are published ranks too.
        foreach (var point in annex.Charts.Where(c => c.Id == "C4").SelectMany(c => c.Series).SelectMany(s => s.Points)) ranks.Add((int)point.Value);
        foreach (var row in withheld)
        {
            var name = row.Cells[0].Text;
            if (row.Cells[rank].Value is not null) yield return $"rank: T6 publishes the rank of {name}, whose score is withheld";
            if (annex.Charts.Where(c => c.Id == "C4").SelectMany(c => c.Series).SelectMany(s => s.Points).Any(p => p.Category == name))
                yield return $"rank: C4 plots the rank of {name}, whose score is withheld";
            var open = Enumerable.Range(1, rows.Count).Where(r => !ranks.Contains(r)).ToList();
            if (open.Count == 1) yield return $"rank: the other ranks leave only rank {open[0]} for {name}";
            // Rows are in rank order: a withheld row between published rows shows its rank by its place.
            var index = rows.IndexOf(row);
            if (rows.Skip(index + 1).Any(r => r.Cells[score].Flag != CellFlag.Suppressed))
                yield return $"rank: the row of {name} stands at place {index + 1} of the rank-ordered table";
        }
    }
}
