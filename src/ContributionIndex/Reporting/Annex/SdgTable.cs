using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Indicators.Taxonomy;
using ContributionIndex.Valuation;

namespace ContributionIndex.Reporting;

/// <summary>T4: hours, specialist value and volunteers by SDG.</summary>
internal sealed class SdgTable(AnnexContext ctx)
{
    private const string All = AnnexContext.All;

    public ReportTable Build()
    {
        var l = ctx.L;
        var regional = ctx.Regional;
        // The estimates by SDG carry the specialist value in LCU (one country) or US$ (a region: LCUs never add).
        var valueMeasure = PersonVariables.Value(ValuationMethod.Specialist, regional ? MoneyUnit.UsDollar : MoneyUnit.LocalCurrency);
        var valueKey = regional ? "col.value_usd" : "col.value_lcu";
        List<ReportColumn> columns =
        [
            .. ctx.Dimensions("country", "goal"),
            .. ctx.WithPrecisionColumns("hours", "col.hours", NumberStyle.Integer, "HOURS", AnnexSdmxCodes.Hours),
            ctx.Col("value", valueKey, NumberStyle.Integer, regional ? "USD" : "LCU", regional ? AnnexSdmxCodes.ValueUsd : AnnexSdmxCodes.ValueLcu),
            AnnexContext.Prec("value_cv", ctx.Heading(valueKey, "col.cv"), NumberStyle.OneDecimal, "PT"),
            ctx.Col("volunteers", "col.volunteers", NumberStyle.Integer, "PERSONS", AnnexSdmxCodes.Volunteers),
            AnnexContext.Prec("volunteers_cv", ctx.Heading("col.volunteers", "col.cv"), NumberStyle.OneDecimal, "PT"),
        ];
        var rows = new List<ReportRow>();
        var sdgBlock = new List<BlockCell>();
        var valueBlock = new List<BlockCell>();
        foreach (var scope in ctx.Scopes)
        {
            var country = ctx.CountryName(scope);
            void Add(string label, RowRole role, string domain, string value, Dictionary<string, string> dims)
            {
                var hours = ctx.Find(scope, VolunteerMeasures.AnnualHours, domain, value);
                if (hours is null) return;
                var valueEstimate = ctx.Find(scope, valueMeasure, domain, value);
                var volunteers = ctx.Find(scope, VolunteerMeasures.Volunteers, domain, value);
                if (!hours.IsAdministrative)
                {
                    // A goal row is primary-suppressed when any of its additive measures (hours, value) is.
                    var primary = AnnexContext.FlagOf(hours.Estimate) == CellFlag.Suppressed || (valueEstimate is not null && !valueEstimate.IsAdministrative && AnnexContext.FlagOf(valueEstimate.Estimate) == CellFlag.Suppressed);
                    var category = domain == All ? AnnexDisclosure.TotalCategory : value;
                    sdgBlock.Add(new BlockCell(rows.Count, scope, category, hours.Estimate.Value, hours.Estimate.UnweightedCount, primary));
                    if (valueEstimate is not null && !valueEstimate.IsAdministrative)
                        valueBlock.Add(new BlockCell(rows.Count, scope, category, valueEstimate.Estimate.Value, valueEstimate.Estimate.UnweightedCount, primary));
                    if (domain == All && volunteers is { IsAdministrative: false })
                        ctx.Links.Show("T4", "volunteers", All, AnnexContext.Block(rows.Count, scope, AnnexDisclosure.TotalCategory, volunteers), [7, 8]);
                    else if (domain != All)
                        ctx.Links.Derived("T4", rows.Count, [7, 8], AnnexLinks.Key("hours", scope, domain, value)); // volunteers by goal go with the goal's hours
                }

                var cells = new List<Cell> { Cell.Label(country), Cell.Label(label) };
                cells.AddRange(AnnexContext.WithPrecision(hours, 1));
                var v = AnnexContext.WithPrecision(valueEstimate, 1);
                cells.Add(v[0]);
                cells.Add(v[2]);
                var n = AnnexContext.WithPrecision(volunteers, 1);
                cells.Add(n[0]);
                cells.Add(n[2]);
                rows.Add(new ReportRow(cells, 0, role, dims));
            }

            foreach (var goal in ctx.Set.ByDomain(scope, VolunteerMeasures.AnnualHours, "sdg"))
                Add(ctx.CategoryLabel("sdg", goal.DomainValue), RowRole.Data, "sdg", goal.DomainValue, ctx.Area(scope, AnnexSdmxCodes.SdmxOf("sdg", goal.DomainValue)));
            Add(l.Text("dim.total"), RowRole.Total, All, All, ctx.Area(scope));
        }

        var rule = ctx.Set.Settings.SdgAllocation switch
        {
            AllocationRule.PrimaryOnly => "t4.allocation.primary",
            AllocationRule.EqualSplit => "t4.allocation.equal",
            AllocationRule.UserWeights => "t4.allocation.weights",
            _ => "t4.allocation.full",
        };
        var notes = new List<ReportNote>
        {
            new(1, l.Format("t4.allocation", l.Text(rule))),
            new(2, l.Text("t4.volunteers_overlap")),
        };
        // Hours and values by goal add up to the total (equal split or primary goal), and countries to their pool.
        ctx.Links.Block("T4", "hours", "sdg", sdgBlock, ctx.Pool, [2, 3, 4]);
        if (valueBlock.Count > 0) ctx.Links.Block("T4", "value", "sdg", valueBlock, ctx.Pool, [5, 6]);
        ctx.DisclosureNote(rows, notes);
        return ctx.Table("T4", regional ? "t4.units_usd" : "t4.units", columns, rows, notes,
            totalsMayNotSum: ctx.Set.Settings.SdgAllocation != AllocationRule.FullAttribution);
    }
}
