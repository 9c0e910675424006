using ContributionIndex.Estimation.Volunteering;

namespace ContributionIndex.Reporting;

/// <summary>T5: the Volunteer Contribution Index indicators of the run, with their replicate SEs and intervals.</summary>
internal sealed class IndicatorTable(AnnexContext ctx)
{
    public ReportTable Build()
    {
        var l = ctx.L;
        List<ReportColumn> columns =
        [
            .. ctx.Dimensions("country", "indicator", "unit"),
            ctx.Col("value", "col.value", NumberStyle.TwoDecimals, "VARIOUS", AnnexSdmxCodes.Indicator),
            AnnexContext.Prec("se", l.Text("col.se"), NumberStyle.TwoDecimals, "VARIOUS"),
            AnnexContext.Prec("ci_low", l.Format("col.ci_low", ctx.LevelPercent), NumberStyle.TwoDecimals, "VARIOUS"),
            AnnexContext.Prec("ci_high", l.Format("col.ci_high", ctx.LevelPercent), NumberStyle.TwoDecimals, "VARIOUS"),
        ];
        var rows = new List<ReportRow>();
        var set = ctx.Indicators;
        var notes = new List<ReportNote> { new(1, ctx.Design.HasReplicates ? l.Format("t5.replicates", ctx.DesignName, ctx.LevelPercent) : l.Text("t5.no_se")) };
        foreach (var unit in set.Units)
        {
            foreach (var code in VolunteerIndicatorEstimates.Codes)
            {
                var indicator = set.Find(unit, code);
                ctx.Links.Derived("T5", rows.Count, [3, 4, 5, 6], AnnexLinks.IndicatorIngredients(unit, code, ctx.Parameters.HeadlineMethod));
                var cells = new List<Cell> { Cell.Label(ctx.CountryName(unit)), Cell.Label(l.Text("indicator." + code)), Cell.Label(UnitLabel(code)) };
                if (indicator is null || !double.IsFinite(indicator.Value))
                {
                    cells.AddRange(Enumerable.Repeat(Cell.Withheld(CellFlag.NotAvailable), 4));
                }
                else if (indicator.SupportCount < ctx.MinimumCount)
                {
                    // Few respondents behind a numerator or denominator: withheld like a small cell, and so are the scores built on it.
                    ctx.Links.Withhold(AnnexLinks.IndicatorKey(unit, code));
                    cells.AddRange(Enumerable.Repeat(Cell.Withheld(CellFlag.Suppressed), 4));
                }
                else
                {
                    var (low, high) = indicator.Interval(ctx.Design.ConfidenceLevel);
                    cells.AddRange([Cell.Number(indicator.Value), Cell.NumberOrNotAvailable(indicator.StandardError), Cell.NumberOrNotAvailable(low), Cell.NumberOrNotAvailable(high)]);
                }

                rows.Add(new ReportRow(cells, 0, RowRole.Data,
                    ctx.Area(unit, ("SERIES", AnnexSdmxCodes.IndicatorSeries(code)), ("UNIT_MEASURE", AnnexSdmxCodes.IndicatorUnit(Unit(code))))));
            }
        }

        return ctx.Table("T5", "t5.units", columns, rows, notes, totalsMayNotSum: false);
    }

    /// <summary>The unit of an indicator in the annex language (the code of <see cref="Unit"/> named in words).</summary>
    private string UnitLabel(string code) => ctx.L.Text("unit.ind." + Unit(code) switch
    {
        "%" => "percent",
        "FTE / 1000" => "fte_per_1000",
        "h" => "hours",
        "1 / 1000" => "per_1000",
        "0–100" => "index",
        _ => "ratio",
    });

    /// <summary>The unit code of an indicator (methodology/indicators.md), from which the SDMX unit is derived.</summary>
    public static string Unit(string code) => code switch
    {
        "econ_value_gdp" or "soc_participation" or "soc_formal_share" or "hc_certified_share" or "hc_retention" => "%",
        "econ_fte_per_1000" => "FTE / 1000",
        "soc_hours_per_volunteer" or "hc_training_hours" => "h",
        "soc_beneficiaries_per_1000" => "1 / 1000",
        "soc_regional_equity" => "0–100",
        _ => "ratio",
    };
}
