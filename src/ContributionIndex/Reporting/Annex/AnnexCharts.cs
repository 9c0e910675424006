using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Ingest;
using ContributionIndex.Valuation;

namespace ContributionIndex.Reporting;

/// <summary>The charts C1–C4; built after disclosure control, so that no chart plots a number the tables withhold.</summary>
internal sealed class AnnexCharts(AnnexContext ctx)
{
    /// <param name="ranksWithheld">T6 withholds its ranks (a score is withheld): C4, which plots ranks, is left out.</param>
    public IReadOnlyList<ChartSpec> Build(bool ranksWithheld)
    {
        var l = ctx.L;
        var regional = ctx.Regional;
        var charts = new List<ChartSpec>();
        // Error bars of C2 and C3 are the survey estimates' confidence intervals at the run's level.
        var ciNote = l.Format("chart.note_ci", ctx.LevelPercent);
        var main = regional && ctx.Scopes.Contains(VolunteerEstimates.RegionalScope) ? VolunteerEstimates.RegionalScope : ctx.Scopes.FirstOrDefault();
        if (main is null) return charts;

        // A chart point is the number of a table cell: a cell withheld as [c] (primary or complement) is not plotted.
        var goals = ctx.Set.ByDomain(main, VolunteerMeasures.AnnualHours, "sdg")
            .Where(g => g.DomainValue != "unknown" && !Withheld(g.Estimate, AnnexLinks.Key("hours", main, "sdg", g.DomainValue))).ToArray();
        if (goals.Length > 0)
            charts.Add(new ChartSpec("C1", ctx.Title("c1.title"), ChartKind.HorizontalBar, l.Text("c1.axis"),
                [new ChartSeries(l.Text("col.hours"), goals.Select(g => new ChartPoint(ctx.CategoryLabel("sdg", g.DomainValue), g.Estimate.Value / 1000)).ToArray())], ctx.Source));

        // C2: value by method with its confidence interval: PPP$ millions for a region, % of GDP for one country.
        var gdp = regional ? null : ctx.Parameters.Countries[main].Gdp;
        var c2 = new List<ChartPoint>();
        foreach (var method in ValuationMethods.All)
        {
            var e = ctx.Find(main, PersonVariables.Value(method, regional ? MoneyUnit.PppDollar : MoneyUnit.LocalCurrency))?.Estimate;
            if (e is null || Withheld(e, AnnexLinks.ValueKey(method, main, InputKind.Survey))) continue;
            var scale = regional ? 1e-6 : gdp is { } g ? 100 / g : double.NaN;
            if (!double.IsFinite(scale)) continue;
            c2.Add(new ChartPoint(ctx.MethodLabel(method), e.Value * scale, e.ConfidenceLow * scale, e.ConfidenceHigh * scale));
        }

        if (c2.Count > 0)
            charts.Add(new ChartSpec("C2", ctx.Title("c2.title"), ChartKind.BarWithRange,
                regional ? l.Text("c2.axis_ppp") : l.Text("c2.axis"), [new ChartSeries(l.Text("col.value"), c2)], ctx.Source) { Note = ciNote });

        // C3: volunteer rate by sex, per country for a region, by age group for one country.
        var series = new List<ChartSeries>();
        foreach (var (sex, key) in new[] { ("female", "sex.F"), ("male", "sex.M") })
        {
            var points = new List<ChartPoint>();
            foreach (var scope in regional ? ctx.Scopes.Where(s => s != VolunteerEstimates.RegionalScope) : [main])
                if (ctx.Find(scope, VolunteerMeasures.VolunteerRate, PersonVariables.Sex, sex)?.Estimate is { } e && !Withheld(e, AnnexLinks.Key("volunteers", scope, PersonVariables.Sex, sex)))
                    points.Add(new ChartPoint(ctx.CountryName(scope), 100 * e.Value, 100 * e.ConfidenceLow, 100 * e.ConfidenceHigh));
            series.Add(new ChartSeries(l.Text(key), points));
        }

        if (!regional)
        {
            var ages = ctx.Set.ByDomain(main, VolunteerMeasures.VolunteerRate, PersonVariables.AgeGroup)
                .Where(a => !Withheld(a.Estimate, AnnexLinks.Key("volunteers", main, PersonVariables.AgeGroup, a.DomainValue)))
                .Select(a => new ChartPoint(ctx.AgeLabel(a.DomainValue), 100 * a.Estimate.Value, 100 * a.Estimate.ConfidenceLow, 100 * a.Estimate.ConfidenceHigh)).ToArray();
            series = [new ChartSeries(l.Text("dim.sex"), series.SelectMany(s => s.Points.Select(p => p with { Category = s.Name })).Concat(ages).ToArray())];
        }

        if (series.Any(s => s.Points.Count > 0))
            charts.Add(new ChartSpec("C3", ctx.Title(regional ? "c3.title_by_country" : "c3.title_country"), ChartKind.GroupedBar, l.Text("c3.axis"), series, ctx.Source) { Note = ciNote });

        if (!ranksWithheld && ctx.Index is { Ranks: { } rankAnalysis })
        {
            var points = rankAnalysis.Units.Where(u => u.NominalRank is not null).OrderBy(u => u.NominalRank)
                .Select(u => new ChartPoint(ctx.CountryName(u.Unit), u.NominalRank!.Value, u.Rank05, u.Rank95)).ToArray();
            // C4 plots ranks (the nominal rank and the 5th–95th percentile of ranks), not index scores: titled so.
            charts.Add(new ChartSpec("C4", ctx.Title("c4.title_rank"), ChartKind.PointWithInterval, l.Text("col.rank"), [new ChartSeries(l.Text("col.rank"), points)], ctx.Source) { Note = l.Text("c4.note") });
        }

        return charts;
    }

    /// <summary>Whether a chart must leave out an estimate: its own flag suppresses it, or disclosure control withholds its quantity in the tables.</summary>
    private bool Withheld(SurveyEstimate estimate, string? key) =>
        AnnexContext.FlagOf(estimate) == CellFlag.Suppressed || (key is not null && ctx.Links.Suppressed.Contains(key));
}
