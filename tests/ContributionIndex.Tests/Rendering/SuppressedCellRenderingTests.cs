using ClosedXML.Excel;
using ContributionIndex.Cli.Commands;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Pipeline;
using ContributionIndex.Rendering;
using ContributionIndex.Rendering.Pdf;
using ContributionIndex.Reporting;
using ContributionIndex.Tests.Ingest;
using ContributionIndex.Tests.Reporting;
using UglyToad.PdfPig;

namespace ContributionIndex.Tests.Rendering;

/// <summary>
/// The rendered Excel workbook and PDF of an annex with suppressed cells, read back: every withheld cell shows [c] and
/// its number is nowhere in the file — not in the table, not in another sheet, not in the chart data (where values are
/// scaled: hours in thousands, rates in %, PPP values in millions). The withheld numbers come from the same estimates
/// published under the default rule (<see cref="RegionalAnnexFixture"/>), so the test knows what must be absent.
/// </summary>
public sealed class SuppressedCellRenderingTests(RegionalAnnexFixture fixture) : IClassFixture<RegionalAnnexFixture>
{
    /// <summary>
    /// The regional sample with a strict quality rule (CV above 10 % suppressed instead of 33.3 %): the estimates are the
    /// reference's, and many cells are [c], among them regional hours by goal that chart C1 plots and chart data lists.
    /// </summary>
    private Annex SmallCellAnnex()
    {
        var settings = fixture.Estimates.Settings;
        var strict = settings with { Options = settings.Options with { Quality = QualityRules.StatisticsCanada with { PublishLimit = 0.05, CautionLimit = 0.10 } } };
        var estimates = VolunteerEstimates.Run(fixture.Study, new StudyRecordSource(fixture.Study), null, strict);
        return AnnexBuilder.Build(StudyRun.FromEstimates(fixture.Study, estimates), ReportLanguage.ForAnnex("en"), new AnnexOptions());
    }

    /// <summary>Each withheld cell: its table, row and column, and the number the reference annex prints there.</summary>
    private static List<(ReportTable Table, int Row, int Column, double Value)> Withheld(Annex annex, Annex reference)
    {
        var withheld = new List<(ReportTable, int, int, double)>();
        foreach (var table in annex.Tables)
        {
            var other = reference.Tables.Single(t => t.Id == table.Id);
            Assert.Equal(other.Rows.Count, table.Rows.Count);
            for (var r = 0; r < table.Rows.Count; r++)
            for (var c = 0; c < table.Columns.Count; c++)
            {
                if (table.Rows[r].Cells[c].Flag != CellFlag.Suppressed) continue;
                Assert.Null(table.Rows[r].Cells[c].Value);
                if (other.Rows[r].Cells[c].Value is { } v && other.Rows[r].Cells[c].Flag != CellFlag.Suppressed) withheld.Add((table, r, c, v));
            }
        }

        return withheld;
    }

    private static bool Same(double a, double b) => Math.Abs(a - b) <= 1e-12 * Math.Max(Math.Abs(a), Math.Abs(b));

    [Fact]
    public void The_workbook_shows_c_for_every_withheld_cell_and_contains_none_of_their_numbers()
    {
        var annex = SmallCellAnnex();
        var withheld = Withheld(annex, fixture.Annex);
        Assert.True(withheld.Count > 50, $"only {withheld.Count} withheld cells: the rule must bite");
        using var dir = new TempDirectory();
        var path = dir.File("annex.xlsx");
        ExcelRenderer.WriteFile(annex, path, "0.1.0");
        using var workbook = new XLWorkbook(path);

        // Every number anywhere in the workbook, and every text (a number written as text would be a leak too).
        var numbers = new List<double>();
        var texts = new List<string>();
        foreach (var sheet in workbook.Worksheets)
        foreach (var cell in sheet.CellsUsed())
        {
            if (cell.DataType == XLDataType.Number) numbers.Add(cell.GetDouble());
            else texts.Add(cell.GetString());
        }

        Assert.True(numbers.Count > 500, "the workbook must hold the published numbers");
        var checkedValues = 0;
        foreach (var (table, row, column, value) in withheld)
        {
            if (Math.Abs(value) < 1) continue; // shares and small ratios recur by chance among unrelated cells
            // Ranks (withheld once a score is) and whole numbers below 1,000 (hours of a few hour-log persons) recur in any
            // text and column by chance; DisclosureAttackerTests checks them by rank rule and linear programme (#15).
            if (table.Columns[column].Unit == "RANK" || (value < 1000 && value == Math.Floor(value))) continue;
            // As printed in the table, and as a chart would scale it (C1 hours in thousands, C2 PPP in millions, C3 rates in %).
            foreach (var form in new[] { value, value / 1000, value * 1e-6, value * 100 })
            {
                Assert.False(numbers.Any(n => Same(n, form)), $"{table.Id} row {row + 1} column {table.Columns[column].Id}: the withheld {value:R} appears in the workbook as {form:R}");
            }

            var printed = value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            Assert.False(texts.Any(t => t.Contains(printed, StringComparison.Ordinal)), $"{table.Id} row {row + 1} column {table.Columns[column].Id}: the withheld {printed} appears in a text");
            checkedValues++;
        }

        Assert.True(checkedValues > 50, $"only {checkedValues} values checked");

        // Each withheld cell of the rows a sheet writes (group headings are not written) shows [c] twice: as the cell's text
        // and in the measure's flag column, which repeats it for filtering.
        foreach (var table in annex.Tables)
        {
            var expected = table.Rows.Where(r => r.Role != RowRole.GroupHeading).Sum(r => r.Cells.Count(c => c.Flag == CellFlag.Suppressed));
            var shown = workbook.Worksheet(table.Id).CellsUsed().Count(c => c.DataType == XLDataType.Text && c.GetString() == "[c]");
            Assert.Equal(2 * expected, shown);
        }
    }

    [Fact]
    public void The_pdf_shows_c_for_every_withheld_cell_and_prints_none_of_their_numbers()
    {
        var annex = SmallCellAnnex();
        var withheld = Withheld(annex, fixture.Annex);
        var bytes = PdfRenderer.Render(annex, "0.1.0");
        using var pdf = PdfDocument.Open(bytes);
        var words = pdf.GetPages().SelectMany(p => p.GetWords().Select(w => w.Text)).ToList();
        var wordSet = words.ToHashSet(StringComparer.Ordinal);

        // The reference annex prints these numbers (so the check can see them); the small-cell annex must not.
        var reference = PdfRenderer.Render(fixture.Annex, "0.1.0");
        using var referencePdf = PdfDocument.Open(reference);
        var referenceWords = referencePdf.GetPages().SelectMany(p => p.GetWords().Select(w => w.Text)).ToHashSet(StringComparer.Ordinal);
        var checkedValues = 0;
        foreach (var (table, row, column, value) in withheld)
        {
            var style = table.Columns[column].Style;
            if (style != NumberStyle.Integer || Math.Abs(value) < 10_000) continue; // five digits and more: no chance match
            var printed = annex.Language.FormatNumber(value, style);
            if (!referenceWords.Contains(printed)) continue; // the reference splits or decorates it differently
            Assert.False(wordSet.Contains(printed), $"{table.Id} row {row + 1} column {table.Columns[column].Id}: the withheld value prints as '{printed}'");
            checkedValues++;
        }

        Assert.True(checkedValues > 20, $"only {checkedValues} withheld values checked against the PDF text");
        var suppressed = annex.Tables.Sum(t => t.Rows.Where(r => r.Role != RowRole.GroupHeading).Sum(r => r.Cells.Count(c => c.Flag == CellFlag.Suppressed)));
        Assert.True(words.Count(w => w == "[c]") >= suppressed, $"{words.Count(w => w == "[c]")} [c] in the PDF for {suppressed} withheld cells");
    }
}
