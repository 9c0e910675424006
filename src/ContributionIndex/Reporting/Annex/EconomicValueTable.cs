using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Valuation;

namespace ContributionIndex.Reporting;

/// <summary>T3: economic value by valuation method, from the valuation run with the estimation engine's sampling error.</summary>
internal sealed class EconomicValueTable(AnnexContext ctx)
{
    public ReportTable Build()
    {
        var l = ctx.L;
        List<ReportColumn> columns =
        [
            .. ctx.Dimensions("country", "source", "method", "currency"),
            .. ctx.WithPrecisionColumns("value_lcu", "col.value_lcu", NumberStyle.Integer, "LCU", AnnexSdmxCodes.ValueLcu),
            ctx.Col("value_usd", "col.value_usd", NumberStyle.Integer, "USD", AnnexSdmxCodes.ValueUsd),
            ctx.Col("value_ppp", "col.value_ppp", NumberStyle.Integer, "PPP", AnnexSdmxCodes.ValuePpp),
            AnnexContext.Prec("value_ppp_se", ctx.Heading("col.value_ppp", "col.se"), NumberStyle.Integer, "PPP"),
            ctx.Col("pct_gdp", "col.pct_gdp", NumberStyle.TwoDecimals, "PT", AnnexSdmxCodes.ValueGdp),
        ];
        var rows = new List<ReportRow>();
        var headline = ctx.Parameters.HeadlineMethod;
        // One quantity per scope, method and source, shown in LCU, US$, PPP$ and % of GDP (all withheld together), the
        // pool the sum of its countries (methodology/disclosure-control.md, "Quantities, not columns").
        var quantities = new Dictionary<string, List<BlockCell>>(StringComparer.Ordinal);
        foreach (var summary in ctx.Valuation.Summaries)
        {
            var region = summary.Country == ValuationSummary.RegionCode;
            var scope = region ? VolunteerEstimates.RegionalScope : summary.Country;
            foreach (var value in summary.Values)
            {
                var label = ctx.MethodLabel(value.Method) + (value.Method == headline ? " (" + l.Text("method.headline") + ")" : "");
                var lcu = ctx.Find(scope, PersonVariables.Value(value.Method, MoneyUnit.LocalCurrency), source: summary.SourceKind);
                var ppp = ctx.Find(scope, PersonVariables.Value(value.Method, MoneyUnit.PppDollar), source: summary.SourceKind);
                var measure = AnnexLinks.ValueMeasure(value.Method, summary.SourceKind);
                if (!quantities.TryGetValue(measure, out var cellsOfMeasure)) quantities[measure] = cellsOfMeasure = [];
                cellsOfMeasure.Add(new BlockCell(rows.Count, scope, AnnexDisclosure.TotalCategory, value.ValueUsd ?? value.ValueLcuCurrent ?? 0,
                    ctx.Persons(scope, summary.SourceKind), ctx.IsPrimary(scope, summary.SourceKind, lcu, ppp)));
                var cells = new List<Cell>
                {
                    Cell.Label(ctx.CountryName(summary.Country)),
                    Cell.Label(l.Text("source." + InputKinds.Code(summary.SourceKind))),
                    Cell.Label(label),
                    Cell.Label(summary.Currency.Length > 0 ? summary.Currency : "—"),
                };
                // The values are the valuation run's; the estimation engine adds their sampling error (survey only).
                var lcuFlag = lcu is null || lcu.IsAdministrative ? CellFlag.None : AnnexContext.FlagOf(lcu.Estimate);
                cells.Add(region ? Cell.Withheld(CellFlag.NotApplicable)
                    : lcuFlag == CellFlag.Suppressed ? Cell.Withheld(lcuFlag) : Cell.NumberOrNotAvailable(value.ValueLcuCurrent, lcuFlag));
                cells.AddRange(region || lcu is null
                    ? [Cell.Withheld(CellFlag.NotApplicable), Cell.Withheld(CellFlag.NotApplicable)]
                    : AnnexContext.WithPrecision(lcu, 1).Skip(1));
                cells.Add(Cell.NumberOrNotAvailable(value.ValueUsd));
                cells.Add(Cell.NumberOrNotAvailable(value.ValuePpp));
                cells.Add(ppp is null ? Cell.Withheld(CellFlag.NotAvailable) : AnnexContext.WithPrecision(ppp, 1)[1]);
                cells.Add(region ? Cell.Withheld(CellFlag.NotApplicable) : Cell.NumberOrNotAvailable(value.ShareOfGdpPercent));
                rows.Add(new ReportRow(cells, 0, value.Method == headline ? RowRole.Total : RowRole.Data,
                    ctx.Area(summary.Country, ("CUST_BREAKDOWN", AnnexSdmxCodes.MethodCode(value.Method)), ("SOURCE", InputKinds.Code(summary.SourceKind)))));
            }
        }

        foreach (var (measure, cells) in quantities) ctx.Links.Pooled("T3", measure, cells, ctx.Pool, AnnexLinks.Range(4, 10));
        var notes = new List<ReportNote>
        {
            new(1, l.Format("note.headline", ctx.MethodLabel(headline))),
            new(2, l.Format("note.conversion", ctx.PerCountry(c => c.LcuPerUsd), ctx.PerCountry(c => c.LcuPerPppDollar))),
            new(3, l.Text("note.hour_log")),
        };
        return ctx.Table("T3", "t3.units", columns, rows, notes, totalsMayNotSum: false);
    }
}
