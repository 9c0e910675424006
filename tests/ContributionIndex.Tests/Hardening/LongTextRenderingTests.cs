using ClosedXML.Excel;
using ContributionIndex.Rendering;
using ContributionIndex.Rendering.Pdf;
using ContributionIndex.Tests.Rendering;

namespace ContributionIndex.Tests.Hardening;

/// <summary>
/// Issue #15: a title over 32,767 characters crashed the xlsx writer, and the PDF renderer was super-linear on long
/// unbroken text. Study texts are refused above InputLimits.MaxLabelChars (ErrorMessageTests); the renderers guard
/// annexes built in code and texts from data.
/// </summary>
public class LongTextRenderingTests
{
    private static ContributionIndex.Reporting.Annex WithTitle(ContributionIndex.Reporting.Annex annex, string title) =>
        new(annex.Cover with { Title = title }, annex.Tables, annex.Charts, annex.Metadata, annex.Language);

    [Fact]
    public void A_cover_title_longer_than_an_excel_cell_is_cut_visibly_not_a_crash()
    {
        var annex = SampleAnnex.Build("en");
        var title = string.Concat(Enumerable.Repeat("Volunteer work ", 3000)); // 45,000 characters
        var bytes = ExcelRenderer.Render(WithTitle(annex, title), "0.1.0");
        using var workbook = new XLWorkbook(new MemoryStream(bytes));
        var shown = workbook.Worksheets.First().Cell(1, 1).GetString();
        Assert.True(shown.Length <= ExcelRenderer.MaxCellChars, $"{shown.Length} characters");
        var keep = shown.LastIndexOf("…[+", StringComparison.Ordinal);
        Assert.True(keep > 30_000, shown[^40..]);
        Assert.Equal(title[..keep], shown[..keep]);
        Assert.Equal($"…[+{title.Length - keep}]", shown[keep..]); // the cut says how many characters are missing
        Assert.Equal("short", ExcelRenderer.FitCell("short"));
    }

    /// <summary>
    /// The layout work, counted as characters handed to PDFsharp's measurement, grows at most linearly with an
    /// unbroken title: 10× the title costs less than 10× the extra work (the page footer used to re-measure the whole
    /// title once per removed character, quadratic: 10,000 characters took 55 s).
    /// </summary>
    [Fact]
    public void Pdf_layout_of_a_long_unbroken_title_measures_a_linear_number_of_characters()
    {
        var annex = SampleAnnex.Build("en");
        long Measured(int length)
        {
            var before = PdfRenderer.MeasuredCharacters;
            var bytes = PdfRenderer.Render(WithTitle(annex, new string('W', length)), "0.1.0");
            Assert.True(bytes.Length > 1000);
            return PdfRenderer.MeasuredCharacters - before;
        }

        var baseline = Measured(10);
        var ten = Measured(10_000) - baseline;
        var hundred = Measured(100_000) - baseline;
        Assert.True(hundred <= 10 * Math.Max(ten, 1) + 100_000, $"10,000 characters: {ten} measured; 100,000: {hundred}");
        Assert.True(hundred <= 4 * 100_000L, $"100,000 characters: {hundred} characters measured (at most 4 per character of the title)");
    }
}
