using System.Globalization;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Ingest;
using ContributionIndex.Valuation;

namespace ContributionIndex.Reporting;

/// <summary>T6: the run's composite index with score SEs and rank intervals; none when the study has no index.</summary>
internal sealed class CompositeIndexTable(AnnexContext ctx)
{
    public ReportTable? Build()
    {
        if (ctx.Index is not { } outcome) return null;
        var l = ctx.L;
        var result = outcome.Index.Result;
        var pillars = result.Framework.Pillars;
        var headline = ctx.Parameters.HeadlineMethod;
        var scoreStyle = new NumberStyle(ScoreDecimals(result));
        List<ReportColumn> columns =
        [
            .. ctx.Dimensions("country"),
            ctx.Col("score", "col.score", scoreStyle, "SCORE", AnnexSdmxCodes.IndexScore),
            AnnexContext.Prec("score_se", ctx.Heading("col.score", "col.se"), NumberStyle.OneDecimal, "SCORE"),
            ctx.Col("rank", "col.rank", NumberStyle.Integer, "RANK", AnnexSdmxCodes.IndexRank),
            AnnexContext.Prec("rank_low", l.Text("col.rank_low"), NumberStyle.Integer, "RANK"),
            AnnexContext.Prec("rank_high", l.Text("col.rank_high"), NumberStyle.Integer, "RANK"),
        ];
        for (var p = 0; p < pillars.Length; p++)
            columns.Add(ReportColumn.Measure("pillar_" + pillars[p].Name, l.Text("dim.pillar") + ": " + PillarLabel(pillars[p].Name), NumberStyle.OneDecimal, "SCORE"));
        columns.Add(ctx.Col("value_ppp", "col.value_ppp", NumberStyle.Integer, "PPP"));
        var units = result.Units;
        var rows = new List<ReportRow>();
        foreach (var unit in Enumerable.Range(0, units.Length).OrderBy(u => result.IndexRank(u) ?? int.MaxValue).ThenBy(u => units[u], StringComparer.Ordinal))
        {
            var ranks = outcome.Ranks?.Units.FirstOrDefault(x => x.Unit == units[unit]);
            var cells = new List<Cell>
            {
                Cell.Label(ctx.CountryName(units[unit])),
                Cell.NumberOrNotAvailable(result.IndexScore(unit)),
                Cell.NumberOrNotAvailable(outcome.Index.StandardErrors[unit]),
                Cell.NumberOrNotAvailable(result.IndexRank(unit)),
                Cell.NumberOrNotAvailable(ranks?.Rank05),
                Cell.NumberOrNotAvailable(ranks?.Rank95),
            };
            for (var p = 0; p < pillars.Length; p++) cells.Add(Cell.NumberOrNotAvailable(result.PillarScore(unit, p)));
            var summary = ctx.Valuation.Summaries.FirstOrDefault(x => x.SourceKind == InputKind.Survey && x.Country == units[unit]);
            cells.Add(Cell.NumberOrNotAvailable(summary?[headline].ValuePpp));
            // Scores follow from the unit's indicators, and the PPP value is T3's: withheld with any of their ingredients.
            var ingredients = VolunteerIndicatorEstimates.Codes.Select(code => AnnexLinks.IndicatorIngredients(units[unit], code, headline)).ToList();
            var headlineValue = AnnexLinks.ValueKey(headline, units[unit], InputKind.Survey);
            ctx.Links.Derived("T6", rows.Count, [1, 2, .. Enumerable.Range(6, pillars.Length)], s => ingredients.Any(i => i(s)));
            ctx.Links.Derived("T6", rows.Count, [cells.Count - 1], headlineValue);
            rows.Add(new ReportRow(cells, 0, RowRole.Data, ctx.Area(units[unit])));
        }

        var notes = new List<ReportNote>();
        if (outcome.Ranks is { } analysis) notes.Add(new(notes.Count + 1, l.Format("t6.interval", analysis.Runs.ToString(CultureInfo.InvariantCulture))));
        notes.Add(new(notes.Count + 1, ctx.Design.HasReplicates ? l.Text("t6.se") : l.Text("t6.no_se")));
        notes.Add(new(notes.Count + 1, l.Format("t6.ties", l.FormatNumber(Math.Pow(10, -scoreStyle.Decimals), scoreStyle))));
        return ctx.Table("T6", "t6.units", columns, rows, notes, totalsMayNotSum: false);
    }

    /// <summary>
    /// Rank rule (methodology/disclosure-control.md, "Ranks"): ranks are a permutation, so once any unit's score is
    /// withheld, no rank is published — each published rank would narrow the withheld unit's rank and, with one unit
    /// withheld, give it exactly. The rank and its interval are withheld for every unit, and the rows of withheld scores
    /// move after the published ones (in their order), so that the row order does not show their rank either.
    /// Applied after linked-table disclosure control; returns the table unchanged when no score is withheld.
    /// </summary>
    internal static ReportTable WithholdRanks(ReportTable table)
    {
        const int score = 1;
        if (table.Rows.All(r => r.Cells[score].Flag != CellFlag.Suppressed)) return table;
        var rankColumns = table.Columns.Select((c, i) => (c, i)).Where(x => x.c.Unit == "RANK").Select(x => x.i).ToArray();
        var rows = table.Rows.Select(r =>
        {
            var cells = r.Cells.ToArray();
            foreach (var c in rankColumns) cells[c] = Cell.Withheld(CellFlag.Suppressed);
            return r with { Cells = cells };
        }).ToList();
        rows = [.. rows.Where(r => r.Cells[score].Flag != CellFlag.Suppressed), .. rows.Where(r => r.Cells[score].Flag == CellFlag.Suppressed)];
        return new ReportTable(table.Id, table.Title, table.Units, table.Period, table.Columns, rows, table.Notes, table.Source, table.TotalsMayNotSum);
    }

    /// <summary>
    /// Ranks follow the unrounded scores (as the SDR's do; methodology/index.md), so the score is printed with the fewest
    /// decimals, at least one and at most six, at which every two ranked units with different ranks show different
    /// scores; exactly equal scores share a rank (competition ranking).
    /// </summary>
    internal static int ScoreDecimals(ContributionIndex.Indicators.Composite.IndexResult result)
    {
        var ranked = Enumerable.Range(0, result.Units.Length)
            .Where(u => result.IndexRank(u) is not null && double.IsFinite(result.IndexScore(u)))
            .OrderBy(u => result.IndexRank(u)).ToArray();
        for (var decimals = 1; decimals < 6; decimals++)
        {
            var distinct = true;
            for (var i = 1; i < ranked.Length && distinct; i++)
            {
                if (result.IndexRank(ranked[i]) == result.IndexRank(ranked[i - 1])) continue;
                distinct = Math.Round(result.IndexScore(ranked[i]), decimals, MidpointRounding.AwayFromZero) !=
                           Math.Round(result.IndexScore(ranked[i - 1]), decimals, MidpointRounding.AwayFromZero);
            }

            if (distinct) return decimals;
        }

        return 6;
    }

    private string PillarLabel(string name) => ctx.L.Has("pillar." + name) ? ctx.L.Text("pillar." + name) : name;
}
