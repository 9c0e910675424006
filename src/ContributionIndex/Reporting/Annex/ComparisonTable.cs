using ContributionIndex.Estimation.Volunteering;

namespace ContributionIndex.Reporting;

/// <summary>
/// T11: which differences between sexes and between countries are significant (issue #19), for the volunteer rate (T1)
/// and hours per volunteer (T2). A method table like T7–T9: its rows are comparisons, not observations of an SDMX series,
/// so they carry no SDMX dimensions (tidy CSV, xlsx and PDF only). Built after linked-table disclosure control: a pair is shown only when both of its
/// values are published in T1/T2, so no difference can reveal a withheld value. The comparisons are the run's
/// (<see cref="Pipeline.StudyRun.Comparisons"/>); the table only lays them out.
/// </summary>
internal sealed class ComparisonTable(AnnexContext ctx)
{
    /// <summary>The table, or null when nothing can be compared (one country without a sex breakdown, or every pair withheld).</summary>
    public ReportTable? Build()
    {
        var l = ctx.L;
        var level = ctx.Design.ConfidenceLevel;
        List<ReportColumn> columns =
        [
            .. ctx.Dimensions("compared_measure", "country", "pair", "significance"),
            ctx.Col("difference", "col.difference", NumberStyle.OneDecimal, "DIFFERENCE"),
            AnnexContext.Prec("difference_se", ctx.Heading("col.difference", "col.se"), NumberStyle.OneDecimal, "DIFFERENCE"),
            AnnexContext.Prec("difference_ci_low", l.Format("col.ci_low", ctx.LevelPercent), NumberStyle.OneDecimal, "DIFFERENCE"),
            AnnexContext.Prec("difference_ci_high", l.Format("col.ci_high", ctx.LevelPercent), NumberStyle.OneDecimal, "DIFFERENCE"),
            AnnexContext.Prec("p_value", l.Text("col.p_value"), new NumberStyle(3), "P"),
        ];
        var rows = new List<ReportRow>();
        var notSignificant = new List<string>();
        bool omitted = false;
        int shownSexes = 0;
        // T2 shows hours per volunteer by country, not by sex: only the volunteer rate is compared between the sexes.
        foreach (var c in ctx.Run.Comparisons.Where(c => c.Measure == VolunteerMeasures.VolunteerRate || c.Compare == PersonVariables.Country))
        {
            var (domain, a, b) = c.Compare == PersonVariables.Sex
                ? (PersonVariables.Sex, (Scope: c.Scope, Value: c.LevelA), (Scope: c.Scope, Value: c.LevelB))
                : (AnnexContext.All, (Scope: c.LevelA, Value: AnnexContext.All), (Scope: c.LevelB, Value: AnnexContext.All));
            var first = ctx.Find(a.Scope, c.Measure, domain, a.Value);
            var second = ctx.Find(b.Scope, c.Measure, domain, b.Value);
            if (!Published(first, c.Measure, a.Scope, domain, a.Value) || !Published(second, c.Measure, b.Scope, domain, b.Value) || !double.IsFinite(c.StandardError))
            {
                omitted = true;
                continue;
            }

            // Rates differ in percentage points; hours per volunteer in hours.
            double scale = c.Measure == VolunteerMeasures.VolunteerRate ? 100 : 1;
            var flag = AnnexContext.FlagOf(first!.Estimate) == CellFlag.LowReliability || AnnexContext.FlagOf(second!.Estimate) == CellFlag.LowReliability
                ? CellFlag.LowReliability : CellFlag.None;
            string Name(string scope, string value) => c.Compare == PersonVariables.Sex ? ctx.CategoryLabel(PersonVariables.Sex, value) : ctx.CountryName(scope);
            var pair = l.Format("t11.pair", Name(a.Scope, a.Value), Name(b.Scope, b.Value));
            var measure = l.Text("t11.measure." + c.Measure);
            var area = ctx.CountryName(c.Scope);
            var verdict = l.Text(c.Significant ? "t11.significant" : "t11.not_significant");
            if (!c.Significant) notSignificant.Add(l.Format("t11.item", pair, area, measure));
            if (c.Compare == PersonVariables.Sex) shownSexes++;
            rows.Add(new ReportRow(
            [
                Cell.Label(measure), Cell.Label(area), Cell.Label(pair), Cell.Label(verdict),
                Cell.Number(c.Difference * scale, flag), Cell.NumberOrNotAvailable(c.StandardError * scale),
                Cell.NumberOrNotAvailable(c.ConfidenceLow(level) * scale), Cell.NumberOrNotAvailable(c.ConfidenceHigh(level) * scale),
                Cell.NumberOrNotAvailable(c.P),
            ], 0, RowRole.Data));
        }

        if (rows.Count == 0) return null;
        // A single-country study compares only women and men: its title, units and method note say no more.
        bool countries = rows.Count > shownSexes;
        var notes = new List<ReportNote>
        {
            new(1, l.Format("t11.method", ctx.LevelPercent) + (countries ? " " + l.Text("t11.method_countries") : "") + " " + l.Text("t11.multiplicity")),
            new(2, notSignificant.Count == 0 ? l.Format("t11.all_significant", ctx.LevelPercent)
                : notSignificant.Count == rows.Count ? l.Format("t11.none_significant", ctx.LevelPercent)
                : l.Format("t11.not_significant_list", ctx.LevelPercent, string.Join("; ", notSignificant))),
        };
        if (ctx.Index is not null) notes.Add(new(notes.Count + 1, l.Text("t11.ranks")));
        if (omitted) notes.Add(new(notes.Count + 1, l.Text("t11.withheld")));
        return new ReportTable("T11", ctx.Title(countries ? "t11.title" : "t11.title_sexes"), l.Text(countries ? "t11.units" : "t11.units_sexes"), ctx.Period,
            columns, rows, notes, ctx.Source, totalsMayNotSum: false);
    }

    /// <summary>
    /// Whether a compared value is published: its estimate is released by the quality rules and, after linked-table
    /// disclosure control, neither the volunteers (T1) nor, for hours per volunteer, the hours (T2) behind it are withheld.
    /// </summary>
    private bool Published(VolunteerEstimate? estimate, string measure, string scope, string domain, string value)
    {
        if (estimate is null || AnnexContext.FlagOf(estimate.Estimate) == CellFlag.Suppressed || !double.IsFinite(estimate.Estimate.Value)) return false;
        var suppressed = ctx.Links.Suppressed;
        if (suppressed.Contains(AnnexLinks.Key("volunteers", scope, domain, value))) return false;
        return measure != VolunteerMeasures.HoursPerVolunteer || !suppressed.Contains(AnnexLinks.Key("hours", scope, domain, value));
    }
}
