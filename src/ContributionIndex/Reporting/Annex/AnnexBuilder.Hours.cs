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
    /// <summary>The annex context's builder of T2: volunteer hours, FTE and hours per volunteer.</summary>
    internal sealed partial class Context
    {
        public ReportTable Hours()
        {
            var columns = new List<ReportColumn>
            {
                ReportColumn.Dimension("country", _l.Text("dim.country")),
                ReportColumn.Dimension("source", _l.Text("source.kind")),
                ReportColumn.Dimension("breakdown", _l.Text("dim.breakdown")),
                ReportColumn.Dimension("category", _l.Text("dim.category")),
                Col("hours", "col.hours", NumberStyle.Integer, "HOURS", new SdmxMeasure("VOL_HRS", "HOURS")),
                Prec("hours_se", Heading("col.hours", "col.se"), NumberStyle.Integer, "HOURS"),
                Prec("hours_cv", Heading("col.hours", "col.cv"), NumberStyle.OneDecimal, "PT"),
                Col("hours_per_volunteer", "col.hours_per_volunteer", NumberStyle.OneDecimal, "HOURS", new SdmxMeasure("VOL_HRS_PV", "HOURS")),
                Prec("hours_per_volunteer_se", Heading("col.hours_per_volunteer", "col.se"), NumberStyle.OneDecimal, "HOURS"),
                Col("fte", "col.fte", NumberStyle.Integer, "FTE", new SdmxMeasure("VOL_FTE", "FTE")),
            };
            var rows = new List<ReportRow>();
            var totals = new List<BlockCell>();
            var blocks = new Dictionary<string, List<BlockCell>>(StringComparer.Ordinal);
            var scopes = _scopes.Select(s => (Scope: s, Source: InputKind.Survey))
                .Concat(_set.Countries.Where(c => Find(c, VolunteerMeasures.AnnualHours, source: InputKind.HourLog) is not null).Select(c => (Scope: c, Source: InputKind.HourLog)));
            foreach (var (scope, source) in scopes)
            {
                var country = CountryName(scope);
                var sourceLabel = _l.Text("source." + InputKinds.Code(source));
                var fullTime = scope == VolunteerEstimates.RegionalScope ? (double?)null : _valuation.Parameters.Countries[scope].FullTimeAnnualHours;
                void Add(string breakdown, string category, int indent, RowRole role, string domain, string value, Dictionary<string, string> dims)
                {
                    var hours = Find(scope, VolunteerMeasures.AnnualHours, domain, value, source);
                    if (hours is null) return;
                    if (source == InputKind.Survey && !hours.IsAdministrative)
                    {
                        var cell = Block(rows.Count, scope, domain == All ? AnnexDisclosure.TotalCategory : value, hours);
                        if (domain == All) totals.Add(cell);
                        else BlockOf(blocks, domain).Add(cell);
                        // Hours per volunteer and hours give the volunteers (T1's total and forms).
                        Links.Derived("T2", rows.Count, [7, 8], AnnexLinks.Key("volunteers", scope, domain, value), AnnexLinks.Key("hours", scope, domain, value));
                    }

                    var cells = new List<Cell> { Cell.Label(country), Cell.Label(sourceLabel), Cell.Label(breakdown), Cell.Label(category) };
                    cells.AddRange(WithPrecision(hours, 1));
                    var perVolunteer = Find(scope, VolunteerMeasures.HoursPerVolunteer, domain, value, source);
                    if (perVolunteer is not null)
                    {
                        cells.AddRange(WithPrecision(perVolunteer, 1).Take(2));
                    }
                    else
                    {
                        // Activity classifications have no ratio estimate: the point value only, from the two totals.
                        var volunteers = Find(scope, VolunteerMeasures.Volunteers, domain, value, source);
                        var hidden = FlagOf(hours.Estimate) == CellFlag.Suppressed || volunteers is null || FlagOf(volunteers.Estimate) == CellFlag.Suppressed;
                        cells.Add(hidden ? Cell.Withheld(CellFlag.Suppressed) : Cell.NumberOrNotAvailable(hours.Estimate.Value / volunteers!.Estimate.Value));
                        cells.Add(hidden ? Cell.Withheld(CellFlag.Suppressed) : Cell.Withheld(CellFlag.NotAvailable));
                    }

                    var fte = Find(scope, VolunteerMeasures.Fte, domain, value, source);
                    cells.Add(fte is not null ? WithPrecision(fte, 1)[0]
                        : fullTime is { } ft ? WithPrecision(hours, 1 / ft)[0] : Cell.Withheld(CellFlag.NotApplicable));
                    rows.Add(new ReportRow(cells, indent, role, dims));
                }

                Add(_l.Text("dim.total"), _l.Text("dim.total"), 0, RowRole.Total, All, All, Area(scope, ("NATURE", "C")));
                foreach (var domain in new[] { "form", "isco_major_group", "direction" })
                {
                    var categories = _set.ByDomain(scope, VolunteerMeasures.AnnualHours, domain, source);
                    if (categories.Count == 0) continue;
                    rows.Add(new ReportRow([Cell.Label(country), Cell.Label(sourceLabel), Cell.Label(_l.Text(DomainKey(domain))), Cell.Label(""), .. Enumerable.Repeat(Cell.Empty, columns.Count - 4)], 0, RowRole.GroupHeading));
                    foreach (var c in categories)
                    {
                        var (dim, code) = SdmxOf(domain, c.DomainValue);
                        Add(_l.Text(DomainKey(domain)), CategoryLabel(domain, c.DomainValue), 1, RowRole.Data, domain, c.DomainValue,
                            Area(scope, (dim, code), ("NATURE", "C"), ("SOURCE", InputKinds.Code(source))));
                    }
                }
            }

            var period = _study.ReferencePeriod;
            var notes = new List<ReportNote>
            {
                new(1, _l.Format("note.annualisation", period.LengthDays.ToString(CultureInfo.InvariantCulture), period.AnnualisationFactor.ToString("R", CultureInfo.InvariantCulture))),
                new(2, _l.Format("note.fte", string.Join(", ", _valuation.Parameters.CountryOrder.Select(c => c + " " + _valuation.Parameters.Countries[c].FullTimeAnnualHours.ToString("R", CultureInfo.InvariantCulture))))),
                new(3, _l.Text("note.hour_log")),
            };
            // Hours by form, ISCO major group and direction add up to the total hours, and countries to their pool.
            // Hours, their SE and CV, and FTE (hours over a published constant) are the hours; per volunteer is derived above.
            foreach (var (domain, block) in blocks) Links.Block("T2", "hours", domain, [.. block, .. totals], Regional ? VolunteerEstimates.RegionalScope : null, [4, 5, 6, 9]);
            foreach (var total in totals) Links.Show("T2", "hours", All, total, [4, 5, 6, 9]);
            DisclosureNote(rows, notes);
            return new ReportTable("T2", _l.Format("t2.title", _area, _period), _l.Text("t2.units"), _period, columns, rows, notes, _source, totalsMayNotSum: true);
        }
    }
}
