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
    /// <summary>The annex context's builder of T1: participation of the population in volunteer work, by domain.</summary>
    internal sealed partial class Context
    {
        public ReportTable Participation()
        {
            var columns = new List<ReportColumn>
            {
                ReportColumn.Dimension("country", _l.Text("dim.country")),
                ReportColumn.Dimension("breakdown", _l.Text("dim.breakdown")),
                ReportColumn.Dimension("category", _l.Text("dim.category")),
                Col("volunteers", "col.volunteers", NumberStyle.Integer, "PERSONS", new SdmxMeasure("VOL_NUM", "NUMBER")),
                Prec("volunteers_se", Heading("col.volunteers", "col.se"), NumberStyle.Integer, "PERSONS"),
                Prec("volunteers_cv", Heading("col.volunteers", "col.cv"), NumberStyle.OneDecimal, "PT"),
                Col("rate", "col.rate", NumberStyle.PercentOneDecimal, "PROPORTION", new SdmxMeasure("VOL_RATE", "PT")),
                Prec("rate_se", Heading("col.rate", "col.se"), NumberStyle.PercentOneDecimal, "PROPORTION"),
                Prec("rate_ci_low", _l.Format("col.ci_low", LevelPercent), NumberStyle.PercentOneDecimal, "PROPORTION"),
                Prec("rate_ci_high", _l.Format("col.ci_high", LevelPercent), NumberStyle.PercentOneDecimal, "PROPORTION"),
                Prec("rate_cv", Heading("col.rate", "col.cv"), NumberStyle.OneDecimal, "PT"),
                Prec("n", _l.Text("col.n"), NumberStyle.Integer, "NUMBER"),
            };
            var rows = new List<ReportRow>();
            var totals = new List<BlockCell>();
            var blocks = new Dictionary<string, List<BlockCell>>(StringComparer.Ordinal);
            foreach (var scope in _scopes)
            {
                var country = CountryName(scope);
                void Add(string breakdown, string category, int indent, RowRole role, VolunteerEstimate? volunteers, VolunteerEstimate? rate, Dictionary<string, string> dims, string? domain = null, string? code = null)
                {
                    if (volunteers is null) return;
                    if (domain is not null && code is not null && !volunteers.IsAdministrative)
                    {
                        var cell = Block(rows.Count, scope, code, volunteers);
                        if (domain == All) totals.Add(cell);
                        else if (domain == "form") Links.Show("T1", "volunteers", domain, cell, AnnexLinks.Range(3, 10)); // forms overlap: no block
                        else BlockOf(blocks, domain).Add(cell);
                    }

                    var cells = new List<Cell> { Cell.Label(country), Cell.Label(breakdown), Cell.Label(category) };
                    cells.AddRange(WithPrecision(volunteers, 1));
                    cells.AddRange(rate is null ? Enumerable.Repeat(Cell.Withheld(CellFlag.NotApplicable), 5) : WithPrecision(rate, 1, ci: true));
                    cells.Add(Cell.Number(volunteers.Estimate.UnweightedCount));
                    rows.Add(new ReportRow(cells, indent, role, dims));
                }

                Add(_l.Text("dim.total"), _l.Text("dim.all_persons"), 0, RowRole.Total, Find(scope, VolunteerMeasures.Volunteers), Find(scope, VolunteerMeasures.VolunteerRate), Area(scope, ("AGE", "Y_GE15")), All, AnnexDisclosure.TotalCategory);
                foreach (var domain in new[] { PersonVariables.Sex, PersonVariables.AgeGroup, PersonVariables.UrbanRural, PersonVariables.Region })
                {
                    var byDomain = _set.ByDomain(scope, VolunteerMeasures.Volunteers, domain);
                    if (byDomain.Count == 0) continue;
                    rows.Add(GroupHeading(scope, DomainKey(domain), columns.Count, 3));
                    foreach (var v in byDomain)
                    {
                        var (dim, code) = SdmxOf(domain, v.DomainValue);
                        Add(_l.Text(DomainKey(domain)), CategoryLabel(domain, v.DomainValue), 1, RowRole.Data, v, Find(scope, VolunteerMeasures.VolunteerRate, domain, v.DomainValue),
                            Area(scope, ("AGE", domain == PersonVariables.AgeGroup ? code : "Y_GE15"), (dim, code)), domain, v.DomainValue);
                    }
                }

                // Forms overlap (a person may volunteer both ways); the rate column does not apply, shares are in table 5.
                rows.Add(GroupHeading(scope, "dim.form", columns.Count, 3));
                Add(_l.Text("dim.form"), _l.Text("form.organisation"), 1, RowRole.Data, Find(scope, VolunteerMeasures.VolunteersOrganisation), null, Area(scope, ("AGE", "Y_GE15"), ("CUST_BREAKDOWN", "VOL_ORG")), "form", "organisation");
                Add(_l.Text("dim.form"), _l.Text("form.direct"), 1, RowRole.Data, Find(scope, VolunteerMeasures.VolunteersDirect), null, Area(scope, ("AGE", "Y_GE15"), ("CUST_BREAKDOWN", "VOL_DIR")), "form", "direct");
            }

            var notes = new List<ReportNote>
            {
                new(1, _l.Format("note.survey_design", DesignName, LevelPercent)),
                new(2, _l.Format("note.quality_rule", (_set.Settings.Options.Quality ?? QualityRules.StatisticsCanada).MinimumUnweightedCount.ToString(CultureInfo.InvariantCulture))),
                new(3, _l.Text("note.hour_log")),
            };
            // Volunteers by sex, age, urbanisation and region add up to all persons, and countries to their pool.
            foreach (var (domain, block) in blocks) Links.Block("T1", "volunteers", domain, [.. block, .. totals], Regional ? VolunteerEstimates.RegionalScope : null, AnnexLinks.Range(3, 10));
            DisclosureNote(rows, notes);
            return new ReportTable("T1", _l.Format("t1.title", _area, _period), _l.Text("t1.units"), _period, columns, rows, notes, _source, totalsMayNotSum: true);
        }
    }
}
