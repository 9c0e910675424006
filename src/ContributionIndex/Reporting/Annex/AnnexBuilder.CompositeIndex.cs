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
    /// <summary>The annex context's builder of T6: the composite index with score SEs and rank intervals.</summary>
    internal sealed partial class Context
    {
        private StudyIndex? RunIndex() => _run.Index;

        public ReportTable? CompositeIndex()
        {
            if (RunIndex() is not { } outcome) return null;
            var result = outcome.Index.Result;
            var pillars = result.Framework.Pillars;
            var columns = new List<ReportColumn>
            {
                ReportColumn.Dimension("country", _l.Text("dim.country")),
                Col("score", "col.score", NumberStyle.OneDecimal, "SCORE", new SdmxMeasure("VOL_IDX", "INDEX", Nature: "M")),
                Prec("score_se", Heading("col.score", "col.se"), NumberStyle.OneDecimal, "SCORE"),
                Col("rank", "col.rank", NumberStyle.Integer, "RANK", new SdmxMeasure("VOL_IDX_RANK", "RANK", Nature: "M")),
                Prec("rank_low", _l.Text("col.rank_low"), NumberStyle.OneDecimal, "RANK"),
                Prec("rank_high", _l.Text("col.rank_high"), NumberStyle.OneDecimal, "RANK"),
            };
            for (var p = 0; p < pillars.Length; p++)
                columns.Add(ReportColumn.Measure("pillar_" + pillars[p].Name, _l.Text("dim.pillar") + ": " + PillarLabel(pillars[p].Name), NumberStyle.OneDecimal, "SCORE"));
            columns.Add(Col("value_ppp", "col.value_ppp", NumberStyle.Integer, "PPP"));
            var units = result.Units;
            var rows = new List<ReportRow>();
            foreach (var unit in Enumerable.Range(0, units.Length).OrderBy(u => result.IndexRank(u) ?? int.MaxValue).ThenBy(u => units[u], StringComparer.Ordinal))
            {
                var ranks = outcome.Ranks?.Units.FirstOrDefault(x => x.Unit == units[unit]);
                var cells = new List<Cell>
                {
                    Cell.Label(CountryName(units[unit])),
                    Cell.NumberOrNotAvailable(result.IndexScore(unit)),
                    Cell.NumberOrNotAvailable(outcome.Index.StandardErrors[unit]),
                    Cell.NumberOrNotAvailable(result.IndexRank(unit)),
                    Cell.NumberOrNotAvailable(ranks?.Rank05),
                    Cell.NumberOrNotAvailable(ranks?.Rank95),
                };
                for (var p = 0; p < pillars.Length; p++) cells.Add(Cell.NumberOrNotAvailable(result.PillarScore(unit, p)));
                var summary = _valuation.Summaries.FirstOrDefault(x => x.SourceKind == InputKind.Survey && x.Country == units[unit]);
                cells.Add(Cell.NumberOrNotAvailable(summary?[_valuation.Parameters.HeadlineMethod].ValuePpp));
                // Scores follow from the unit's indicators, and the PPP value is T3's: withheld with any of their ingredients.
                var ingredients = VolunteerIndicatorEstimates.Codes.Select(code => AnnexLinks.IndicatorIngredients(units[unit], code)).ToList();
                var headlineValue = AnnexLinks.Key("value", units[unit], All, AnnexDisclosure.TotalCategory);
                Links.Derived("T6", rows.Count, [1, 2, .. Enumerable.Range(6, pillars.Length)], s => ingredients.Any(i => i(s)));
                Links.Derived("T6", rows.Count, [cells.Count - 1], s => _valuation.Parameters.HeadlineMethod == ValuationMethod.Specialist && s.Contains(headlineValue));
                rows.Add(new ReportRow(cells, 0, RowRole.Data, Area(units[unit])));
            }

            var notes = new List<ReportNote>();
            if (outcome.Ranks is { } analysis) notes.Add(new(notes.Count + 1, _l.Format("t6.interval", analysis.Runs.ToString(CultureInfo.InvariantCulture))));
            notes.Add(new(notes.Count + 1, _design.HasReplicates ? _l.Text("t6.se") : _l.Text("t6.no_se")));
            return new ReportTable("T6", _l.Format("t6.title", _area, _period), _l.Text("t6.units"), _period, columns, rows, notes, _source, totalsMayNotSum: false);
        }

        private string PillarLabel(string name) => _l.Has("pillar." + name) ? _l.Text("pillar." + name) : name;
    }
}
