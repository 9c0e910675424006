using System.Globalization;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;

namespace ContributionIndex.Reporting;

/// <summary>T1: participation of the population in volunteer work, by domain.</summary>
internal sealed class ParticipationTable(AnnexContext ctx)
{
    private const string All = AnnexContext.All;

    public ReportTable Build()
    {
        var l = ctx.L;
        List<ReportColumn> columns =
        [
            .. ctx.Dimensions("country", "breakdown", "category"),
            .. ctx.WithPrecisionColumns("volunteers", "col.volunteers", NumberStyle.Integer, "PERSONS", AnnexSdmxCodes.Volunteers),
            .. ctx.WithPrecisionColumns("rate", "col.rate", NumberStyle.PercentOneDecimal, "PROPORTION", AnnexSdmxCodes.VolunteerRate, ci: true),
            AnnexContext.Prec("n", l.Text("col.n"), NumberStyle.Integer, "NUMBER"),
        ];
        var rows = new List<ReportRow>();
        var blocks = new DomainBlocks();
        foreach (var scope in ctx.Scopes)
        {
            var country = ctx.CountryName(scope);
            void Add(string breakdown, string category, int indent, RowRole role, VolunteerEstimate? volunteers, VolunteerEstimate? rate, Dictionary<string, string> dims, string? domain = null, string? code = null)
            {
                if (volunteers is null) return;
                if (domain is not null && code is not null && !volunteers.IsAdministrative)
                {
                    var cell = AnnexContext.Block(rows.Count, scope, code, volunteers);
                    if (domain == "form") ctx.Links.Show("T1", "volunteers", domain, cell, AnnexLinks.Range(3, 10)); // forms overlap: no block
                    else blocks.Add(domain, cell);
                }

                var cells = new List<Cell> { Cell.Label(country), Cell.Label(breakdown), Cell.Label(category) };
                cells.AddRange(AnnexContext.WithPrecision(volunteers, 1));
                cells.AddRange(rate is null ? Enumerable.Repeat(Cell.Withheld(CellFlag.NotApplicable), 5) : AnnexContext.WithPrecision(rate, 1, ci: true));
                cells.Add(Cell.Number(volunteers.Estimate.UnweightedCount));
                rows.Add(new ReportRow(cells, indent, role, dims));
            }

            Add(l.Text("dim.total"), l.Text("dim.all_persons"), 0, RowRole.Total, ctx.Find(scope, VolunteerMeasures.Volunteers), ctx.Find(scope, VolunteerMeasures.VolunteerRate),
                ctx.Area(scope, ("AGE", AnnexSdmxCodes.AllAges)), All, AnnexDisclosure.TotalCategory);
            foreach (var domain in new[] { PersonVariables.Sex, PersonVariables.AgeGroup, PersonVariables.UrbanRural, PersonVariables.Region })
            {
                var byDomain = ctx.Set.ByDomain(scope, VolunteerMeasures.Volunteers, domain);
                if (byDomain.Count == 0) continue;
                var breakdown = ctx.DomainLabel(domain);
                rows.Add(AnnexContext.GroupHeading(columns.Count, country, breakdown, ""));
                foreach (var v in byDomain)
                {
                    var (dim, code) = AnnexSdmxCodes.SdmxOf(domain, v.DomainValue);
                    Add(breakdown, ctx.CategoryLabel(domain, v.DomainValue), 1, RowRole.Data, v, ctx.Find(scope, VolunteerMeasures.VolunteerRate, domain, v.DomainValue),
                        ctx.Area(scope, ("AGE", domain == PersonVariables.AgeGroup ? code : AnnexSdmxCodes.AllAges), (dim, code)), domain, v.DomainValue);
                }
            }

            // Forms overlap (a person may volunteer both ways): the rows do not add up to the total (note 4); each rate is a mean over the population.
            var forms = ctx.DomainLabel("form");
            rows.Add(AnnexContext.GroupHeading(columns.Count, country, forms, ""));
            foreach (var (form, measure, rate) in new[]
                     {
                         ("organisation", VolunteerMeasures.VolunteersOrganisation, VolunteerMeasures.VolunteerRateOrganisation),
                         ("direct", VolunteerMeasures.VolunteersDirect, VolunteerMeasures.VolunteerRateDirect),
                     })
                Add(forms, ctx.CategoryLabel("form", form), 1, RowRole.Data, ctx.Find(scope, measure), ctx.Find(scope, rate),
                    ctx.Area(scope, ("AGE", AnnexSdmxCodes.AllAges), AnnexSdmxCodes.SdmxOf("form", form)), "form", form);
        }

        var notes = new List<ReportNote>
        {
            new(1, l.Format("note.survey_design", ctx.DesignName, ctx.LevelPercent)),
            new(2, l.Format("note.quality_rule", (ctx.Set.Settings.Options.Quality ?? QualityRules.StatisticsCanada).MinimumUnweightedCount.ToString(CultureInfo.InvariantCulture))),
            new(3, l.Text("note.hour_log")),
            new(4, l.Text("t1.forms_overlap")),
        };
        // Volunteers by sex, age, urbanisation and region add up to all persons, and countries to their pool.
        blocks.Link(ctx.Links, "T1", "volunteers", ctx.Pool, AnnexLinks.Range(3, 10));
        ctx.DisclosureNote(rows, notes);
        return ctx.Table("T1", "t1.units", columns, rows, notes, totalsMayNotSum: true);
    }
}
