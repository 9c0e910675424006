using System.Globalization;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;

namespace ContributionIndex.Reporting;

/// <summary>T2: volunteer hours, FTE and hours per volunteer, by survey and hour-log source.</summary>
internal sealed class HoursTable(AnnexContext ctx)
{
    private const string All = AnnexContext.All;

    public ReportTable Build()
    {
        var l = ctx.L;
        List<ReportColumn> columns =
        [
            .. ctx.Dimensions("country", "source", "breakdown", "category"),
            .. ctx.WithPrecisionColumns("hours", "col.hours", NumberStyle.Integer, "HOURS", AnnexSdmxCodes.Hours),
            ctx.Col("hours_per_volunteer", "col.hours_per_volunteer", NumberStyle.OneDecimal, "HOURS", AnnexSdmxCodes.HoursPerVolunteer),
            AnnexContext.Prec("hours_per_volunteer_se", ctx.Heading("col.hours_per_volunteer", "col.se"), NumberStyle.OneDecimal, "HOURS"),
            ctx.Col("fte", "col.fte", NumberStyle.OneDecimal, "FTE", AnnexSdmxCodes.Fte), // one decimal: platform rows are a few jobs
        ];
        var rows = new List<ReportRow>();
        var blocks = new DomainBlocks();
        var logBlocks = new DomainBlocks();
        var scopes = ctx.Scopes.Select(s => (Scope: s, Source: InputKind.Survey))
            .Concat(ctx.Set.Countries.Where(c => ctx.Find(c, VolunteerMeasures.AnnualHours, source: InputKind.HourLog) is not null).Select(c => (Scope: c, Source: InputKind.HourLog)));
        foreach (var (scope, source) in scopes)
        {
            var country = ctx.CountryName(scope);
            var sourceLabel = l.Text("source." + InputKinds.Code(source));
            var fullTime = scope == VolunteerEstimates.RegionalScope ? (double?)null : ctx.Parameters.Countries[scope].FullTimeAnnualHours;
            void Add(string breakdown, string category, int indent, RowRole role, string domain, string value, Dictionary<string, string> dims)
            {
                var hours = ctx.Find(scope, VolunteerMeasures.AnnualHours, domain, value, source);
                if (hours is null) return;
                if (source == InputKind.Survey && !hours.IsAdministrative)
                {
                    blocks.Add(domain, AnnexContext.Block(rows.Count, scope, domain == All ? AnnexDisclosure.TotalCategory : value, hours));
                    // Hours per volunteer and hours give the volunteers (T1's total and forms).
                    ctx.Links.Derived("T2", rows.Count, [7, 8], AnnexLinks.Key("volunteers", scope, domain, value), AnnexLinks.Key("hours", scope, domain, value));
                }
                else if (hours.IsAdministrative)
                {
                    // Hour-log rows: a cell of fewer than the minimum distinct persons is primary; categories add up to the total.
                    logBlocks.Add(domain, ctx.BlockOf(rows.Count, scope, domain == All ? AnnexDisclosure.TotalCategory : value, hours));
                }

                var cells = new List<Cell> { Cell.Label(country), Cell.Label(sourceLabel), Cell.Label(breakdown), Cell.Label(category) };
                cells.AddRange(AnnexContext.WithPrecision(hours, 1));
                var perVolunteer = ctx.Find(scope, VolunteerMeasures.HoursPerVolunteer, domain, value, source);
                if (perVolunteer is not null)
                {
                    cells.AddRange(AnnexContext.WithPrecision(perVolunteer, 1).Take(2));
                }
                else
                {
                    // Activity classifications have no ratio estimate: the point value only, from the two totals.
                    var volunteers = ctx.Find(scope, VolunteerMeasures.Volunteers, domain, value, source);
                    var hidden = AnnexContext.FlagOf(hours.Estimate) == CellFlag.Suppressed || volunteers is null || AnnexContext.FlagOf(volunteers.Estimate) == CellFlag.Suppressed;
                    // The point value carries the hours' flag ([u]); its SE is [x] (not estimated), or [z] for hour logs (no sampling error).
                    var administrative = hours.IsAdministrative;
                    cells.Add(hidden ? Cell.Withheld(CellFlag.Suppressed)
                        : Cell.NumberOrNotAvailable(hours.Estimate.Value / volunteers!.Estimate.Value, administrative ? CellFlag.None : AnnexContext.FlagOf(hours.Estimate)));
                    cells.Add(hidden ? Cell.Withheld(CellFlag.Suppressed) : Cell.Withheld(administrative ? CellFlag.NotApplicable : CellFlag.NotAvailable));
                }

                var fte = ctx.Find(scope, VolunteerMeasures.Fte, domain, value, source);
                cells.Add(fte is not null ? AnnexContext.WithPrecision(fte, 1)[0]
                    : fullTime is { } ft ? AnnexContext.WithPrecision(hours, 1 / ft)[0] : Cell.Withheld(CellFlag.NotApplicable));
                rows.Add(new ReportRow(cells, indent, role, dims));
            }

            Add(l.Text("dim.total"), l.Text("dim.total"), 0, RowRole.Total, All, All, ctx.Area(scope, ("NATURE", "C"), ("SOURCE", InputKinds.Code(source))));
            foreach (var domain in new[] { "form", "isco_major_group", "direction" })
            {
                var categories = ctx.Set.ByDomain(scope, VolunteerMeasures.AnnualHours, domain, source);
                if (categories.Count == 0) continue;
                var breakdown = ctx.DomainLabel(domain);
                rows.Add(AnnexContext.GroupHeading(columns.Count, country, sourceLabel, breakdown, ""));
                foreach (var c in categories)
                {
                    var (dim, code) = AnnexSdmxCodes.SdmxOf(domain, c.DomainValue);
                    Add(breakdown, ctx.CategoryLabel(domain, c.DomainValue), 1, RowRole.Data, domain, c.DomainValue,
                        ctx.Area(scope, (dim, code), ("NATURE", "C"), ("SOURCE", InputKinds.Code(source))));
                }
            }
        }

        var period = ctx.Study.ReferencePeriod;
        var notes = new List<ReportNote>
        {
            new(1, l.Format("note.annualisation", period.LengthDays.ToString(CultureInfo.InvariantCulture), period.AnnualisationFactor.ToString("R", CultureInfo.InvariantCulture))),
            new(2, l.Format("note.fte", ctx.PerCountry(c => c.FullTimeAnnualHours))),
            new(3, l.Text("note.hour_log")),
            new(4, l.Format("note.hours_per_volunteer", period.LengthDays.ToString(CultureInfo.InvariantCulture))),
        };
        // Hours by form, ISCO major group and direction add up to the total hours, and countries to their pool.
        // Hours, their SE and CV, and FTE (hours over a published constant) are the hours; per volunteer is derived above.
        blocks.Link(ctx.Links, "T2", "hours", ctx.Pool, [4, 5, 6, 9]);
        foreach (var total in blocks.Totals) ctx.Links.Show("T2", "hours", All, total, [4, 5, 6, 9]);
        // Hour-log rows (no pool row: the hour logs are published per country): hours, hours per volunteer and FTE go together.
        logBlocks.Link(ctx.Links, "T2", "hours_log", null, AnnexLinks.Range(4, 9));
        foreach (var total in logBlocks.Totals) ctx.Links.Show("T2", "hours_log", All, total, AnnexLinks.Range(4, 9));
        ctx.DisclosureNote(rows, notes);
        return ctx.Table("T2", "t2.units", columns, rows, notes, totalsMayNotSum: true);
    }
}
