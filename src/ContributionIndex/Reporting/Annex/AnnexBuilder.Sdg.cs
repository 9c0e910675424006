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
    /// <summary>The annex context's builder of T4: hours and value by SDG.</summary>
    internal sealed partial class Context
    {
        public ReportTable Sdg()
        {
            // The estimates by SDG carry the specialist value in LCU (one country) or US$ (a region: LCUs never add).
            var valueMeasure = PersonVariables.Value(ValuationMethod.Specialist, Regional ? MoneyUnit.UsDollar : MoneyUnit.LocalCurrency);
            var valueKey = Regional ? "col.value_usd" : "col.value_lcu";
            var columns = new List<ReportColumn>
            {
                ReportColumn.Dimension("country", _l.Text("dim.country")),
                ReportColumn.Dimension("goal", _l.Text("dim.goal")),
                Col("hours", "col.hours", NumberStyle.Integer, "HOURS", new SdmxMeasure("VOL_HRS", "HOURS")),
                Prec("hours_se", Heading("col.hours", "col.se"), NumberStyle.Integer, "HOURS"),
                Prec("hours_cv", Heading("col.hours", "col.cv"), NumberStyle.OneDecimal, "PT"),
                Col("value", valueKey, NumberStyle.Integer, Regional ? "USD" : "LCU", new SdmxMeasure(Regional ? "VOL_VAL_USD" : "VOL_VAL_LCU", Regional ? "CU_USD" : "CUR_LCU")),
                Prec("value_cv", Heading(valueKey, "col.cv"), NumberStyle.OneDecimal, "PT"),
                Col("volunteers", "col.volunteers", NumberStyle.Integer, "PERSONS", new SdmxMeasure("VOL_NUM", "NUMBER")),
                Prec("volunteers_cv", Heading("col.volunteers", "col.cv"), NumberStyle.OneDecimal, "PT"),
            };
            var rows = new List<ReportRow>();
            var sdgBlock = new List<BlockCell>();
            var valueBlock = new List<BlockCell>();
            foreach (var scope in _scopes)
            {
                var country = CountryName(scope);
                void Add(string label, RowRole role, string domain, string value, Dictionary<string, string> dims)
                {
                    var hours = Find(scope, VolunteerMeasures.AnnualHours, domain, value);
                    if (hours is null) return;
                    if (!hours.IsAdministrative)
                    {
                        // A goal row is primary-suppressed when any of its additive measures (hours, value) is.
                        var valueEstimate = Find(scope, valueMeasure, domain, value);
                        var primary = FlagOf(hours.Estimate) == CellFlag.Suppressed || (valueEstimate is not null && !valueEstimate.IsAdministrative && FlagOf(valueEstimate.Estimate) == CellFlag.Suppressed);
                        var category = domain == All ? AnnexDisclosure.TotalCategory : value;
                        sdgBlock.Add(new BlockCell(rows.Count, scope, category, hours.Estimate.Value, hours.Estimate.UnweightedCount, primary));
                        if (valueEstimate is not null && !valueEstimate.IsAdministrative)
                            valueBlock.Add(new BlockCell(rows.Count, scope, category, valueEstimate.Estimate.Value, valueEstimate.Estimate.UnweightedCount, primary));
                        if (domain == All && Find(scope, VolunteerMeasures.Volunteers) is { IsAdministrative: false } volunteers)
                            Links.Show("T4", "volunteers", All, Block(rows.Count, scope, AnnexDisclosure.TotalCategory, volunteers), [7, 8]);
                        else if (domain != All)
                            Links.Derived("T4", rows.Count, [7, 8], AnnexLinks.Key("hours", scope, domain, value)); // volunteers by goal go with the goal's hours
                    }

                    var cells = new List<Cell> { Cell.Label(country), Cell.Label(label) };
                    cells.AddRange(WithPrecision(hours, 1));
                    var v = WithPrecision(Find(scope, valueMeasure, domain, value), 1);
                    cells.Add(v[0]);
                    cells.Add(v[2]);
                    var n = WithPrecision(Find(scope, VolunteerMeasures.Volunteers, domain, value), 1);
                    cells.Add(n[0]);
                    cells.Add(n[2]);
                    rows.Add(new ReportRow(cells, 0, role, dims));
                }

                foreach (var goal in _set.ByDomain(scope, VolunteerMeasures.AnnualHours, "sdg"))
                    Add(CategoryLabel("sdg", goal.DomainValue), RowRole.Data, "sdg", goal.DomainValue, Area(scope, SdmxOf("sdg", goal.DomainValue)));
                Add(_l.Text("dim.total"), RowRole.Total, All, All, Area(scope));
            }

            var rule = _set.Settings.SdgAllocation switch
            {
                AllocationRule.PrimaryOnly => "t4.allocation.primary",
                AllocationRule.EqualSplit => "t4.allocation.equal",
                AllocationRule.UserWeights => "t4.allocation.weights",
                _ => "t4.allocation.full",
            };
            var notes = new List<ReportNote>
            {
                new(1, _l.Format("t4.allocation", _l.Text(rule))),
                new(2, _l.Text("t4.volunteers_overlap")),
            };
            // Hours and values by goal add up to the total (equal split or primary goal), and countries to their pool.
            Links.Block("T4", "hours", "sdg", sdgBlock, Regional ? VolunteerEstimates.RegionalScope : null, [2, 3, 4]);
            if (valueBlock.Count > 0) Links.Block("T4", "value", "sdg", valueBlock, Regional ? VolunteerEstimates.RegionalScope : null, [5, 6]);
            DisclosureNote(rows, notes);
            return new ReportTable("T4", _l.Format("t4.title", _area, _period), _l.Text(Regional ? "t4.units_usd" : "t4.units"), _period, columns, rows, notes, _source,
                totalsMayNotSum: _set.Settings.SdgAllocation != AllocationRule.FullAttribution);
        }
    }
}
