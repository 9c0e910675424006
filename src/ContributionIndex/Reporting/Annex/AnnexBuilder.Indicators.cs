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
    /// <summary>The annex context's builder of T5: the Volunteer Contribution Index indicators.</summary>
    internal sealed partial class Context
    {
        private VolunteerIndicatorSet IndicatorSet() => _run.Indicators;

        public ReportTable Indicators()
        {
            var columns = new List<ReportColumn>
            {
                ReportColumn.Dimension("country", _l.Text("dim.country")),
                ReportColumn.Dimension("indicator", _l.Text("dim.indicator")),
                ReportColumn.Dimension("unit", _l.Text("col.unit")),
                Col("value", "col.value", NumberStyle.TwoDecimals, "VARIOUS", new SdmxMeasure("VOL_IND", "VARIOUS")),
                Prec("se", _l.Text("col.se"), NumberStyle.TwoDecimals, "VARIOUS"),
                Prec("ci_low", _l.Format("col.ci_low", LevelPercent), NumberStyle.TwoDecimals, "VARIOUS"),
                Prec("ci_high", _l.Format("col.ci_high", LevelPercent), NumberStyle.TwoDecimals, "VARIOUS"),
            };
            var rows = new List<ReportRow>();
            var set = IndicatorSet();
            var notes = new List<ReportNote> { new(1, _design.HasReplicates ? _l.Format("t5.replicates", DesignName, LevelPercent) : _l.Text("t5.no_se")) };
            foreach (var unit in set.Units)
            {
                foreach (var code in VolunteerIndicatorEstimates.Codes)
                {
                    var indicator = set.Find(unit, code);
                    Links.Derived("T5", rows.Count, [3, 4, 5, 6], AnnexLinks.IndicatorIngredients(unit, code));
                    var cells = new List<Cell> { Cell.Label(CountryName(unit)), Cell.Label(_l.Text("indicator." + code)), Cell.Label(IndicatorUnit(code)) };
                    if (indicator is null || !double.IsFinite(indicator.Value))
                    {
                        cells.AddRange(Enumerable.Repeat(Cell.Withheld(CellFlag.NotAvailable), 4));
                    }
                    else
                    {
                        var (low, high) = indicator.Interval(_design.ConfidenceLevel);
                        cells.AddRange([Cell.Number(indicator.Value), Cell.NumberOrNotAvailable(indicator.StandardError), Cell.NumberOrNotAvailable(low), Cell.NumberOrNotAvailable(high)]);
                    }

                    rows.Add(new ReportRow(cells, 0, RowRole.Data, Area(unit, ("SERIES", "VOL_" + code.ToUpperInvariant()), ("UNIT_MEASURE", IndicatorSdmxUnit(code)))));
                }
            }

            return new ReportTable("T5", _l.Format("t5.title", _area, _period), _l.Text("t5.units"), _period, columns, rows, notes, _source, totalsMayNotSum: false);
        }

        /// <summary>The unit of an indicator (methodology/indicators.md).</summary>
        private static string IndicatorUnit(string code) => code switch
        {
            "econ_value_gdp" or "soc_participation" or "soc_formal_share" or "hc_certified_share" or "hc_retention" => "%",
            "econ_fte_per_1000" => "FTE / 1000",
            "soc_hours_per_volunteer" or "hc_training_hours" => "h",
            "soc_beneficiaries_per_1000" => "1 / 1000",
            "soc_regional_equity" => "0–100",
            _ => "ratio",
        };

        private static string IndicatorSdmxUnit(string code) => IndicatorUnit(code) switch
        {
            "%" => "PT",
            "h" => "HOURS",
            "FTE / 1000" => "PER_1000_FTE",
            "1 / 1000" => "PER_1000_POP",
            "0–100" => "INDEX",
            _ => "RATIO",
        };
    }
}
