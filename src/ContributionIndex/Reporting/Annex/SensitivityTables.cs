using System.Globalization;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Indicators.Sensitivity;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Reporting;

/// <summary>
/// T7: the method range of the survey value per country — every method, and the generalist method under both wage
/// bases — with each value's difference from the headline (#16; methodology/valuation.md §7).
/// </summary>
internal sealed class ValuationSensitivityTable(AnnexContext ctx)
{
    public ReportTable Build()
    {
        var l = ctx.L;
        List<ReportColumn> columns =
        [
            .. ctx.Dimensions("country", "method", "currency"),
            ctx.Col("value_lcu", "col.value_lcu", NumberStyle.Integer, "LCU"),
            ctx.Col("diff_headline", "col.diff_headline", NumberStyle.OneDecimal, "PT"),
        ];
        var rows = new List<ReportRow>();
        var headline = ctx.Parameters.HeadlineMethod;
        var basis = ctx.Parameters.GeneralistBasis;
        var other = basis == GeneralistWageBasis.Average ? GeneralistWageBasis.CommunitySocialServices : GeneralistWageBasis.Average;
        foreach (var summary in ctx.Valuation.Summaries.Where(s => s.SourceKind == InputKind.Survey && s.Country != ValuationSummary.RegionCode))
        {
            var country = ctx.Parameters.Countries[summary.Country];
            var reference = summary[headline].ValueLcuCurrent;
            void Add(string label, double? value, ValuationMethod flagOf, RowRole role)
            {
                // A value whose estimate T3 suppresses is withheld here too (the alternative generalist shares the generalist's flag).
                var estimate = ctx.Find(summary.Country, PersonVariables.Value(flagOf, MoneyUnit.LocalCurrency));
                var flag = estimate is null ? CellFlag.None : AnnexContext.FlagOf(estimate.Estimate);
                var suppressed = flag == CellFlag.Suppressed;
                // The specialist value is T3's and T4's value total: withheld here whenever linked disclosure control withholds it there.
                if (flagOf == ValuationMethod.Specialist && value == summary[ValuationMethod.Specialist].ValueLcuCurrent)
                    ctx.Links.Derived("T7", rows.Count, [3, 4], AnnexLinks.Key("value", summary.Country, AnnexContext.All, AnnexDisclosure.TotalCategory));
                rows.Add(new ReportRow(
                [
                    Cell.Label(ctx.CountryName(summary.Country)), Cell.Label(label), Cell.Label(summary.Currency),
                    suppressed ? Cell.Withheld(flag) : Cell.NumberOrNotAvailable(value, flag),
                    suppressed || value is null || reference is not > 0 ? Cell.Withheld(suppressed ? flag : CellFlag.NotAvailable) : Cell.Number(100 * ((value.Value / reference.Value) - 1)),
                ], 0, role));
            }

            foreach (var method in ValuationMethods.All)
            {
                var label = ctx.MethodLabel(method) + (method == headline ? " (" + l.Text("method.headline") + ")" : "");
                Add(label, summary[method].ValueLcuCurrent, method, method == headline ? RowRole.Total : RowRole.Data);
                if (method == ValuationMethod.Generalist)
                {
                    Add(l.Text("method.generalist." + StudyChoices.Word(other)) + " — " + l.Text("method.sensitivity"),
                        GeneralistSensitivity.Value(summary, country, other), method, RowRole.Data);
                }
            }
        }

        var notes = new List<ReportNote>
        {
            new(1, l.Format("note.headline", ctx.MethodLabel(headline))),
            new(2, l.Text("note.t7.generalist")),
        };
        ctx.DisclosureNote(rows, notes);
        return ctx.Table("T7", "t7.units", columns, rows, notes, totalsMayNotSum: false);
    }
}

/// <summary>
/// T8: survey estimates and platform hour logs side by side per country — the survey's organisation-based hours, the
/// platform's registered hours and the coverage ratio (#16; methodology/reporting.md, "Data sources side by side").
/// </summary>
internal sealed class SourceComparisonTable(AnnexContext ctx)
{
    private static readonly NumberStyle Coverage = new(3);

    public ReportTable? Build()
    {
        var coverage = SourceCoverage.Of(ctx.Set);
        if (coverage.Count == 0) return null;
        var l = ctx.L;
        List<ReportColumn> columns =
        [
            .. ctx.Dimensions("country"),
            ctx.Col("survey_org_hours", "col.survey_org_hours", NumberStyle.Integer, "H"),
            AnnexContext.Prec("survey_org_hours_ci_low", l.Format("col.ci_low", ctx.LevelPercent), NumberStyle.Integer, "H"),
            AnnexContext.Prec("survey_org_hours_ci_high", l.Format("col.ci_high", ctx.LevelPercent), NumberStyle.Integer, "H"),
            ctx.Col("platform_hours", "col.platform_hours", NumberStyle.Integer, "H"),
            // Three decimals: a platform can register a small fraction of a per cent of the survey's hours.
            ctx.Col("coverage", "col.coverage", Coverage, "PT"),
            AnnexContext.Prec("coverage_low", l.Format("col.ci_low", ctx.LevelPercent), Coverage, "PT"),
            AnnexContext.Prec("coverage_high", l.Format("col.ci_high", ctx.LevelPercent), Coverage, "PT"),
        ];
        var rows = new List<ReportRow>();
        foreach (var row in coverage)
        {
            var estimate = ctx.Find(row.Country, VolunteerMeasures.HoursOrganisation);
            var flag = estimate is null ? CellFlag.None : AnnexContext.FlagOf(estimate.Estimate);
            var suppressed = flag == CellFlag.Suppressed;
            var interval = row.RatioInterval;
            // The survey's organisation-based hours are T2's hours by form: withheld here whenever withheld there.
            ctx.Links.Derived("T8", rows.Count, [1, 2, 3, 5, 6, 7], AnnexLinks.Key("hours", row.Country, "form", "organisation"));
            rows.Add(new ReportRow(
            [
                Cell.Label(ctx.CountryName(row.Country)),
                suppressed ? Cell.Withheld(flag) : Cell.Number(row.SurveyOrganisationHours, flag),
                suppressed ? Cell.Withheld(flag) : Cell.Number(row.SurveyOrganisationHoursLow),
                suppressed ? Cell.Withheld(flag) : Cell.Number(row.SurveyOrganisationHoursHigh),
                Cell.Number(row.PlatformHours),
                suppressed ? Cell.Withheld(flag) : Cell.NumberOrNotAvailable(row.Ratio is { } r ? 100 * r : null, flag),
                suppressed || interval is null ? Cell.Withheld(suppressed ? flag : CellFlag.NotAvailable) : Cell.Number(100 * interval.Value.Low),
                suppressed || interval is null ? Cell.Withheld(suppressed ? flag : CellFlag.NotAvailable) : Cell.Number(100 * interval.Value.High),
            ], 0, RowRole.Data));
        }

        var notes = new List<ReportNote>
        {
            new(1, l.Text("note.t8.sources")),
            new(2, l.Text("note.t8.ratio")),
        };
        ctx.DisclosureNote(rows, notes);
        return ctx.Table("T8", "t8.units", columns, rows, notes, totalsMayNotSum: false);
    }
}

/// <summary>
/// T9: the index's sensitivity to each indicator's goalposts — the study's goalposts, the countries they clip, and the
/// largest change of any country's score and the ranks that change when the goalpost range is halved or 1.5 times as
/// wide (#16; methodology/index.md, "Goalpost sensitivity"). None when the study has no index.
/// </summary>
internal sealed class GoalpostSensitivityTable(AnnexContext ctx)
{
    public ReportTable? Build()
    {
        if (ctx.Index is not { } outcome) return null;
        var l = ctx.L;
        var data = outcome.Index.Data;
        var framework = data.Framework;
        var shifts = GoalpostSensitivity.Compute(data, outcome.Index.Result.Options);
        List<ReportColumn> columns =
        [
            .. ctx.Dimensions("indicator"),
            ReportColumn.Dimension("goalposts", l.Text("col.goalposts")),
            ctx.Col("clipped", "col.clipped", NumberStyle.Integer, "NUMBER"),
            ReportColumn.Dimension("factor", l.Text("col.goalpost_factor")),
            ctx.Col("upper", "col.upper_used", NumberStyle.TwoDecimals, "VARIOUS"),
            ctx.Col("max_change", "col.max_score_change", NumberStyle.TwoDecimals, "SCORE"),
            ctx.Col("ranks_changed", "col.ranks_changed", NumberStyle.Integer, "NUMBER"),
        ];
        var rows = new List<ReportRow>();
        foreach (var shift in shifts)
        {
            framework.TryGetIndicator(shift.Indicator, out var index);
            var definition = framework.Indicators[index];
            rows.Add(new ReportRow(
            [
                Cell.Label(l.Has("indicator." + shift.Indicator) ? l.Text("indicator." + shift.Indicator) : shift.Indicator),
                Cell.Label(Number(definition.Lower!.Value) + "–" + Number(definition.Upper!.Value)),
                Cell.Number(GoalpostSensitivity.Clipped(data, index).Count),
                Cell.Label("× " + Number(shift.Factor)),
                Cell.Number(shift.Upper),
                Cell.Number(shift.MaxAbsoluteChange),
                Cell.Number(shift.RanksChanged),
            ], 0, RowRole.Data));
        }

        var notes = new List<ReportNote> { new(1, l.Text("note.t9.rule")), new(2, l.Text("note.t9.rationale")) };
        return ctx.Table("T9", "t9.units", columns, rows, notes, totalsMayNotSum: false);
    }

    private string Number(double x) => x.ToString("#,0.##", ctx.L.NumberFormat);
}
