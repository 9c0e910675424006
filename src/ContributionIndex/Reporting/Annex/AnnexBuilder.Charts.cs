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
    /// <summary>The annex context's builder of the charts C1–C4.</summary>
    internal sealed partial class Context
    {
        public IReadOnlyList<ChartSpec> Charts()
        {
            var charts = new List<ChartSpec>();
            var main = Regional && _scopes.Contains(VolunteerEstimates.RegionalScope) ? VolunteerEstimates.RegionalScope : _scopes.FirstOrDefault();
            if (main is null) return charts;

            // A chart point is the number of a table cell: a cell withheld as [c] (primary or complement) is not plotted.
            var goals = _set.ByDomain(main, VolunteerMeasures.AnnualHours, "sdg")
                .Where(g => g.DomainValue != "unknown" && !Withheld(g.Estimate, AnnexLinks.Key("hours", main, "sdg", g.DomainValue))).ToArray();
            if (goals.Length > 0)
                charts.Add(new ChartSpec("C1", _l.Format("c1.title", _area, _period), ChartKind.HorizontalBar, _l.Text("c1.axis"),
                    [new ChartSeries(_l.Text("col.hours"), goals.Select(g => new ChartPoint(CategoryLabel("sdg", g.DomainValue), g.Estimate.Value / 1000)).ToArray())], _source));

            // C2: value by method with its 95 % interval: PPP$ millions for a region, % of GDP for one country.
            var gdp = Regional ? null : _valuation.Parameters.Countries[main].Gdp;
            var c2 = new List<ChartPoint>();
            foreach (var method in ValuationMethods.All)
            {
                var e = Find(main, PersonVariables.Value(method, Regional ? MoneyUnit.PppDollar : MoneyUnit.LocalCurrency))?.Estimate;
                if (e is null || Withheld(e, method == ValuationMethod.Specialist ? AnnexLinks.Key("value", main, All, All) : null)) continue;
                var scale = Regional ? 1e-6 : gdp is { } g ? 100 / g : double.NaN;
                if (!double.IsFinite(scale)) continue;
                c2.Add(new ChartPoint(_l.Text("method." + method.Code()), e.Value * scale, e.ConfidenceLow * scale, e.ConfidenceHigh * scale));
            }

            if (c2.Count > 0)
                charts.Add(new ChartSpec("C2", _l.Format("c2.title", _area, _period), ChartKind.BarWithRange,
                    Regional ? _l.Text("c2.axis_ppp") : _l.Text("c2.axis"), [new ChartSeries(_l.Text("col.value"), c2)], _source));

            // C3: volunteer rate by sex, per country for a region, by age group for one country.
            var series = new List<ChartSeries>();
            foreach (var (sex, key) in new[] { ("female", "sex.F"), ("male", "sex.M") })
            {
                var points = new List<ChartPoint>();
                foreach (var scope in Regional ? _scopes.Where(s => s != VolunteerEstimates.RegionalScope) : [main])
                    if (Find(scope, VolunteerMeasures.VolunteerRate, PersonVariables.Sex, sex)?.Estimate is { } e && !Withheld(e, AnnexLinks.Key("volunteers", scope, PersonVariables.Sex, sex)))
                        points.Add(new ChartPoint(CountryName(scope), 100 * e.Value, 100 * e.ConfidenceLow, 100 * e.ConfidenceHigh));
                series.Add(new ChartSeries(_l.Text(key), points));
            }

            if (!Regional)
            {
                var ages = _set.ByDomain(main, VolunteerMeasures.VolunteerRate, PersonVariables.AgeGroup)
                    .Where(a => !Withheld(a.Estimate, AnnexLinks.Key("volunteers", main, PersonVariables.AgeGroup, a.DomainValue)))
                    .Select(a => new ChartPoint(AgeLabel(a.DomainValue), 100 * a.Estimate.Value, 100 * a.Estimate.ConfidenceLow, 100 * a.Estimate.ConfidenceHigh)).ToArray();
                series = [new ChartSeries(_l.Text("dim.sex"), series.SelectMany(s => s.Points.Select(p => p with { Category = s.Name })).Concat(ages).ToArray())];
            }

            if (series.Any(s => s.Points.Count > 0))
                charts.Add(new ChartSpec("C3", _l.Format(Regional ? "c3.title" : "c3.title_country", _area, _period), ChartKind.GroupedBar, _l.Text("c3.axis"), series, _source));

            if (RunIndex() is { Ranks: { } rankAnalysis })
            {
                var points = rankAnalysis.Units.Where(u => u.NominalRank is not null).OrderBy(u => u.NominalRank)
                    .Select(u => new ChartPoint(CountryName(u.Unit), u.NominalRank!.Value, u.Rank05, u.Rank95)).ToArray();
                charts.Add(new ChartSpec("C4", _l.Format("c4.title", _area, _period), ChartKind.PointWithInterval, _l.Text("col.rank"), [new ChartSeries(_l.Text("col.rank"), points)], _source));
            }

            return charts;
        }

        /// <summary>Whether a chart must leave out an estimate: its own flag suppresses it, or disclosure control withholds its quantity in the tables.</summary>
        private bool Withheld(SurveyEstimate estimate, string? key) =>
            FlagOf(estimate) == CellFlag.Suppressed || (key is not null && Links.Suppressed.Contains(key));
    }
}
