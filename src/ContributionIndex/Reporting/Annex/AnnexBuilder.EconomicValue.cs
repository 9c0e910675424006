using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Indicators.Composite;
using ContributionIndex.Indicators.Sensitivity;
using ContributionIndex.Indicators.Taxonomy;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Reporting.Sdmx;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Reporting;

public static partial class AnnexBuilder
{
    /// <summary>The annex context's builder of T3: economic value by valuation method.</summary>
    internal sealed partial class Context
    {
        public ReportTable EconomicValue()
        {
            var columns = new List<ReportColumn>
            {
                ReportColumn.Dimension("country", _l.Text("dim.country")),
                ReportColumn.Dimension("source", _l.Text("source.kind")),
                ReportColumn.Dimension("method", _l.Text("dim.method")),
                ReportColumn.Dimension("currency", _l.Text("col.unit")),
                Col("value_lcu", "col.value_lcu", NumberStyle.Integer, "LCU", new SdmxMeasure("VOL_VAL_LCU", "CUR_LCU")),
                Prec("value_lcu_se", Heading("col.value_lcu", "col.se"), NumberStyle.Integer, "LCU"),
                Prec("value_lcu_cv", Heading("col.value_lcu", "col.cv"), NumberStyle.OneDecimal, "PT"),
                Col("value_usd", "col.value_usd", NumberStyle.Integer, "USD", new SdmxMeasure("VOL_VAL_USD", "CU_USD")),
                Col("value_ppp", "col.value_ppp", NumberStyle.Integer, "PPP", new SdmxMeasure("VOL_VAL_PPP", "CU_PPP")),
                Prec("value_ppp_se", Heading("col.value_ppp", "col.se"), NumberStyle.Integer, "PPP"),
                Col("pct_gdp", "col.pct_gdp", NumberStyle.TwoDecimals, "PT", new SdmxMeasure("VOL_VAL_GDP", "PT")),
            };
            var rows = new List<ReportRow>();
            var headline = _valuation.Parameters.HeadlineMethod;
            foreach (var summary in _valuation.Summaries)
            {
                var scope = summary.Country == ValuationSummary.RegionCode ? VolunteerEstimates.RegionalScope : summary.Country;
                foreach (var value in summary.Values)
                {
                    var label = _l.Text("method." + value.Method.Code()) + (value.Method == headline ? " (" + _l.Text("method.headline") + ")" : "");
                    var lcu = Find(scope, PersonVariables.Value(value.Method, MoneyUnit.LocalCurrency), source: summary.SourceKind);
                    var ppp = Find(scope, PersonVariables.Value(value.Method, MoneyUnit.PppDollar), source: summary.SourceKind);
                    // The specialist value is T4's value total (in LCU or, converted at a published rate, US$ and PPP).
                    if (summary.SourceKind == InputKind.Survey && value.Method == ValuationMethod.Specialist)
                        Links.Derived("T3", rows.Count, [4, 5, 6, 7, 8, 9, 10], AnnexLinks.Key("value", scope, All, AnnexDisclosure.TotalCategory));
                    var cells = new List<Cell>
                    {
                        Cell.Label(CountryName(summary.Country)),
                        Cell.Label(_l.Text("source." + InputKinds.Code(summary.SourceKind))),
                        Cell.Label(label),
                        Cell.Label(summary.Currency.Length > 0 ? summary.Currency : "—"),
                    };
                    // The values are the valuation run's; the estimation engine adds their sampling error (survey only).
                    var lcuFlag = lcu is null || lcu.IsAdministrative ? CellFlag.None : FlagOf(lcu.Estimate);
                    cells.Add(summary.Country == ValuationSummary.RegionCode ? Cell.Withheld(CellFlag.NotApplicable)
                        : lcuFlag == CellFlag.Suppressed ? Cell.Withheld(lcuFlag) : Cell.NumberOrNotAvailable(value.ValueLcuCurrent, lcuFlag));
                    cells.AddRange(summary.Country == ValuationSummary.RegionCode || lcu is null
                        ? [Cell.Withheld(CellFlag.NotApplicable), Cell.Withheld(CellFlag.NotApplicable)]
                        : WithPrecision(lcu, 1).Skip(1));
                    cells.Add(Cell.NumberOrNotAvailable(value.ValueUsd));
                    cells.Add(Cell.NumberOrNotAvailable(value.ValuePpp));
                    cells.Add(ppp is null ? Cell.Withheld(CellFlag.NotAvailable) : WithPrecision(ppp, 1)[1]);
                    cells.Add(summary.Country == ValuationSummary.RegionCode ? Cell.Withheld(CellFlag.NotApplicable) : Cell.NumberOrNotAvailable(value.ShareOfGdpPercent));
                    rows.Add(new ReportRow(cells, 0, value.Method == headline ? RowRole.Total : RowRole.Data,
                        Area(summary.Country, ("CUST_BREAKDOWN", MethodCode(value.Method)))));
                }
            }

            var notes = new List<ReportNote>
            {
                new(1, _l.Format("note.headline", _l.Text("method." + headline.Code()))),
                new(2, _l.Format("note.conversion",
                    string.Join(", ", _valuation.Parameters.CountryOrder.Select(c => c + " " + Rate(_valuation.Parameters.Countries[c].LcuPerUsd))),
                    string.Join(", ", _valuation.Parameters.CountryOrder.Select(c => c + " " + Rate(_valuation.Parameters.Countries[c].LcuPerPppDollar))))),
                new(3, _l.Text("note.hour_log")),
            };
            return new ReportTable("T3", _l.Format("t3.title", _area, _period), _l.Text("t3.units"), _period, columns, rows, notes, _source, totalsMayNotSum: false);
        }

        private static string Rate(double? rate) => rate is { } r ? r.ToString("R", CultureInfo.InvariantCulture) : "—";

        private static string MethodCode(ValuationMethod method) => method switch
        {
            ValuationMethod.Specialist => "RC_SPEC",
            ValuationMethod.Generalist => "RC_GEN",
            ValuationMethod.Hybrid => "RC_HYB",
            _ => "OC",
        };
    }
}
