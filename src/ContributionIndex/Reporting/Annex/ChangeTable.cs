using System.Globalization;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Ingest;

namespace ContributionIndex.Reporting;

/// <summary>
/// T10: change since the previous survey wave (issue #19, methodology/change-over-time.md) — the run's
/// <see cref="WaveChangeSet"/> laid out: rate, hours, hours per volunteer and the headline value at current prices, for
/// all persons and by sex, with difference, SE, interval, p-value and the 5 % significance flag. A change is withheld
/// when either wave's estimate is: primary here or in the previous wave, linked in the previous wave's annex
/// (<paramref name="withheldBefore"/>), or linked in this annex (<see cref="AnnexLinks.Derived(string, int, int[], string[])"/>).
/// </summary>
internal sealed class ChangeTable(AnnexContext ctx, IReadOnlySet<string> withheldBefore)
{
    public const string Id = "T10";

    /// <summary>Columns from the significance label to the p-value: what a withheld change withholds.</summary>
    private static readonly int[] Withheld = AnnexLinks.Range(3, 10);

    public ReportTable? Build()
    {
        if (ctx.Run.Changes is not { Changes.Count: > 0 } changes) return null;
        var l = ctx.L;
        var before = changes.PreviousYear.ToString(CultureInfo.InvariantCulture);
        var now = changes.CurrentYear.ToString(CultureInfo.InvariantCulture);
        var style = NumberStyle.OneDecimal;
        List<ReportColumn> columns =
        [
            .. ctx.Dimensions("country", "indicator", "category"),
            ReportColumn.Dimension("significant", l.Text("col.change_significant")),
            ctx.Col("previous", "col.change_previous", style, "NUMBER") with { Heading = l.Format("col.change_previous", before) },
            ctx.Col("current", "col.change_current", style, "NUMBER") with { Heading = l.Format("col.change_current", now) },
            ctx.Col("difference", "col.change_difference", style, "NUMBER"),
            AnnexContext.Prec("difference_se", ctx.Heading("col.change_difference", "col.se"), style, "NUMBER"),
            AnnexContext.Prec("difference_ci_low", l.Format("col.ci_low", ctx.LevelPercent), style, "NUMBER"),
            AnnexContext.Prec("difference_ci_high", l.Format("col.ci_high", ctx.LevelPercent), style, "NUMBER"),
            AnnexContext.Prec("p", l.Text("col.change_p"), new NumberStyle(3), "NUMBER"),
        ];
        var headline = ctx.Parameters.HeadlineMethod;
        var rows = new List<ReportRow>();
        foreach (var scope in ctx.Parameters.CountryOrder)
        {
            var country = ctx.CountryName(scope);
            var currency = ctx.Parameters.Countries[scope].Currency;
            foreach (var measure in WaveChanges.Measures(headline))
            {
                var label = WaveChanges.IsValue(measure) ? l.Format("change.value", ctx.MethodLabel(headline), currency, now) : l.Text("change." + measure);
                foreach (var (domain, category) in Categories)
                {
                    if (changes.Find(scope, measure, domain, category) is not { } change) continue;
                    var categoryLabel = domain == AnnexContext.All ? l.Text("dim.all_persons") : ctx.CategoryLabel(domain, category);
                    var keys = Keys(measure, scope, domain, category, headline);
                    var primary = AnnexContext.FlagOf(change.Current.Estimate) == CellFlag.Suppressed || AnnexContext.FlagOf(change.Previous.Estimate) == CellFlag.Suppressed
                                  || keys.Any(withheldBefore.Contains);
                    if (keys.Length > 0) ctx.Links.Derived(Id, rows.Count, Withheld, keys);
                    var cells = new List<Cell> { Cell.Label(country), Cell.Label(label), Cell.Label(categoryLabel) };
                    if (primary)
                        cells.AddRange(Enumerable.Repeat(Cell.Withheld(CellFlag.Suppressed), columns.Count - 3));
                    else
                    {
                        var scale = Scale(measure);
                        // Without a p-value (no variance, or no df) there is no test: [x], not "no".
                        cells.Add(double.IsNaN(change.P) ? Cell.Withheld(CellFlag.NotAvailable) : Cell.Label(l.Text(change.Significant ? "change.yes" : "change.no")));
                        cells.Add(Cell.NumberOrNotAvailable(change.PreviousValue * scale));
                        cells.Add(Cell.NumberOrNotAvailable(change.Current.Estimate.Value * scale));
                        cells.Add(Cell.NumberOrNotAvailable(change.Difference * scale));
                        cells.Add(Cell.NumberOrNotAvailable(change.StandardError * scale));
                        cells.Add(Cell.NumberOrNotAvailable(change.ConfidenceLow * scale));
                        cells.Add(Cell.NumberOrNotAvailable(change.ConfidenceHigh * scale));
                        cells.Add(Cell.NumberOrNotAvailable(change.P));
                    }

                    rows.Add(new ReportRow(cells, domain == AnnexContext.All ? 0 : 1, domain == AnnexContext.All ? RowRole.Total : RowRole.Data));
                }
            }
        }

        var deflators = string.Join("; ", ctx.Parameters.CountryOrder.Select(c => (ctx.Regional ? ctx.CountryName(c) + " " : "") +
            WaveChanges.Deflator(ctx.Study, c, changes.PreviousYear).ToString("0.####", l.NumberFormat)));
        var df = changes.Changes.Select(c => c.DegreesOfFreedom).Distinct().Select(d => d.ToString("0.##", l.NumberFormat));
        var notes = new List<ReportNote>
        {
            new(1, l.Format("note.change.method", string.Join("; ", df), before, now, deflators)),
            new(2, l.Text("note.change.withheld")),
        };
        return new ReportTable(Id, l.Format("t10.title", ctx.AreaName, before, now), l.Text("t10.units"), before + "–" + now, columns, rows, notes, ctx.Source, totalsMayNotSum: false);
    }

    /// <summary>The domain categories of the table: all persons, then women and men.</summary>
    private static readonly (string Domain, string Category)[] Categories =
        [(AnnexContext.All, AnnexContext.All), (PersonVariables.Sex, "female"), (PersonVariables.Sex, "male")];

    /// <summary>Rates in per cent (differences in percentage points), hours and values in millions, hours per volunteer as they are.</summary>
    private static double Scale(string measure) => measure switch
    {
        VolunteerMeasures.VolunteerRate => 100,
        VolunteerMeasures.HoursPerVolunteer => 1,
        _ => 1e-6,
    };

    /// <summary>
    /// The published quantities of this annex a change is computed from (methodology/disclosure-control.md): the rate is
    /// withheld with its volunteers (T1), hours per volunteer with hours and volunteers, the headline value with T3's
    /// value; hours by sex are published nowhere else (no key, primary rule only).
    /// </summary>
    private static string[] Keys(string measure, string scope, string domain, string category, Valuation.ValuationMethod headline)
    {
        string Key(string m) => AnnexLinks.Key(m, scope, domain, category);
        var total = domain == AnnexContext.All;
        return measure switch
        {
            VolunteerMeasures.VolunteerRate => [Key("volunteers")],
            VolunteerMeasures.AnnualHours => total ? [Key("hours")] : [],
            VolunteerMeasures.HoursPerVolunteer => total ? [Key("hours"), Key("volunteers")] : [Key("volunteers")],
            _ => total ? [AnnexLinks.ValueKey(headline, scope, InputKind.Survey)] : [],
        };
    }

    /// <summary>
    /// The table's last note, written once disclosure control has run: which published changes of all persons and by sex
    /// are significant at 5 % and which are not (withheld rows are named in neither list).
    /// </summary>
    public static ReportTable WithSentence(ReportTable table, ReportLanguage l, int previousYear, int currentYear)
    {
        var significant = new List<string>();
        var not = new List<string>();
        var yes = l.Text("change.yes");
        foreach (var row in table.Rows)
        {
            if (row.Cells[3].Text is not { } flag) continue;
            var name = l.Text("change.short." + ShortKey(row.Cells[1].Text!, l));
            var what = row.Role == RowRole.Total ? name : l.Format("change.of", name, row.Cells[2].Text!);
            (flag == yes ? significant : not).Add(what);
        }

        if (significant.Count + not.Count == 0) return table;
        var from = previousYear.ToString(CultureInfo.InvariantCulture);
        var to = currentYear.ToString(CultureInfo.InvariantCulture);
        var sentence = not.Count == 0 ? l.Format("note.change.sentence.all", from, to, string.Join(", ", significant))
            : significant.Count == 0 ? l.Format("note.change.sentence.none", from, to, string.Join(", ", not))
            : l.Format("note.change.sentence.both", from, to, string.Join(", ", significant), string.Join(", ", not));
        var notes = table.Notes.Append(new ReportNote(table.Notes.Max(n => n.Number) + 1, sentence)).ToList();
        return new ReportTable(table.Id, table.Title, table.Units, table.Period, table.Columns, table.Rows, notes, table.Source, table.TotalsMayNotSum);
    }

    /// <summary>The measure of a row from its indicator label (the value's label is formatted, so it is recognised by what is left).</summary>
    private static string ShortKey(string label, ReportLanguage l) =>
        new[] { VolunteerMeasures.VolunteerRate, VolunteerMeasures.AnnualHours, VolunteerMeasures.HoursPerVolunteer }.FirstOrDefault(m => l.Text("change." + m) == label) ?? "value";
}
