using System.Diagnostics;
using ClosedXML.Excel;
using ContributionIndex.Rendering;
using ContributionIndex.Rendering.Pdf;
using ContributionIndex.Reporting;
using ContributionIndex.Tests.Ingest;
using ContributionIndex.Tests.Reporting;
using PdfSharp.Pdf.IO;

namespace ContributionIndex.Tests.Rendering;

/// <summary>Issue #14, files and charts: PDF outline, links and metadata; workbook print setup; CSV BOM; chart titles, notes and labels.</summary>
public sealed class RenderedFilesTests(RegionalAnnexFixture fixture) : IClassFixture<RegionalAnnexFixture>
{
    [Fact]
    public void The_pdf_has_a_bookmark_per_table_and_chart_linked_contents_and_title_and_language()
    {
        var annex = SampleAnnex.Build("kk");
        var bytes = PdfRenderer.Render(annex, "0.1.0");
        using var document = PdfReader.Open(new MemoryStream(bytes), PdfDocumentOpenMode.Import);
        var bookmarks = document.Outlines.Select(o => o.Title).ToArray();
        var lang = annex.Language;
        foreach (var table in annex.Tables)
            Assert.Contains(lang.Format("table.label", table.Id) + ". " + table.Title, bookmarks);
        foreach (var chart in annex.Charts)
            Assert.Contains(lang.Format("chart.label", chart.Id) + ". " + chart.Title, bookmarks);

        // The contents page (page 2) links each entry: tables, charts and the methodology.
        var annotations = document.Pages[1].Annotations;
        var links = Enumerable.Range(0, annotations.Count).Count(i => annotations[i].Elements.GetName("/Subtype") == "/Link");
        Assert.Equal(annex.Tables.Count + annex.Charts.Count + 1, links);

        Assert.Equal(annex.Cover.Title, document.Info.Title);
        var text = System.Text.Encoding.Latin1.GetString(bytes);
        Assert.Contains("/Lang(kk)", text);
        Assert.Contains("/DisplayDocTitle true", text);
    }

    [Fact]
    public void Wrapping_a_long_unbroken_text_is_fast()
    {
        var annex = SampleAnnex.Build("en");
        var longText = new string('x', 10_000);
        annex = new Annex(annex.Cover, annex.Tables, annex.Charts, [.. annex.Metadata, new MetadataEntry("long", "unbroken", longText)], annex.Language);
        var watch = Stopwatch.StartNew();
        var bytes = PdfRenderer.Render(annex, "0.1.0");
        watch.Stop();
        // It took 55 s when every prefix of the word was re-measured; linear wrapping takes well under a second more.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"rendering took {watch.Elapsed}");
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(bytes);
        Assert.True(pdf.GetPages().Sum(p => p.Letters.Count(l => l.Value == "x")) >= 10_000);
    }

    [Fact]
    public void Every_sheet_prints_landscape_one_page_wide_with_header_rows_repeated()
    {
        var annex = SampleAnnex.Build("ru");
        using var workbook = ExcelRenderer.Build(annex, "0.1.0");
        foreach (var ws in workbook.Worksheets)
        {
            Assert.Equal(XLPageOrientation.Landscape, ws.PageSetup.PageOrientation);
            Assert.Equal(XLPaperSize.A4Paper, ws.PageSetup.PaperSize);
            Assert.Equal(1, ws.PageSetup.PagesWide);
        }

        var cover = workbook.Worksheet(ExcelRenderer.CoverSheetName(annex.Language));
        Assert.Equal(1, cover.PageSetup.PagesTall);
        foreach (var table in annex.Tables)
        {
            var ws = workbook.Worksheet(ExcelRenderer.TableSheetName(table));
            Assert.Equal(0, ws.PageSetup.PagesTall);
            Assert.Equal(ExcelRenderer.HeaderRow(table), ws.PageSetup.LastRowToRepeatAtTop);
            var layout = ExcelRenderer.Layout(table, annex.Language);
            for (var c = 0; c < layout.Count; c++)
            {
                // No heading word is wider than its column, so none is split inside the word.
                Assert.True(ws.Column(c + 1).Width >= ExcelRenderer.LongestWordWidth(layout[c].Heading), layout[c].Heading);
                Assert.True(ExcelRenderer.WrappedLines(layout[c].Heading, ws.Column(c + 1).Width) * ExcelRenderer.LineHeight <= ws.Row(ExcelRenderer.HeaderRow(table)).Height);
            }
        }
    }

    [Fact]
    public void Wrapped_lines_count_words_whole()
    {
        Assert.Equal(1, ExcelRenderer.WrappedLines("Единица", 9));
        Assert.Equal(2, ExcelRenderer.WrappedLines("Единица измерения", 12));
        Assert.Equal(3, ExcelRenderer.WrappedLines("a\nb c", 3));
        Assert.True(ExcelRenderer.LongestWordWidth("Единица измерения") >= "измерения".Length);
    }

    [Theory]
    [InlineData("kk")]
    [InlineData("ru")]
    [InlineData("en")]
    public void Tidy_csv_files_start_with_a_utf8_bom(string language)
    {
        using var dir = new TempDirectory();
        var paths = TidyCsvRenderer.WriteFiles(SampleAnnex.Build(language), dir.Path, "kz-");
        foreach (var path in paths)
        {
            var bytes = File.ReadAllBytes(path);
            Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
            Assert.StartsWith("table_id,", System.Text.Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3));
        }
    }

    [Theory]
    [InlineData("kk")]
    [InlineData("ru")]
    [InlineData("en")]
    public void Value_method_labels_wrap_inside_their_slot_without_overlap(string language)
    {
        var lang = ReportLanguage.Load(language);
        // Chart C2 names the opportunity-cost policy in use (the longest labels), so every policy's label must fit too.
        foreach (var opportunity in new[] { "opportunity", "opportunity.zero", "opportunity.minimum-wage", "opportunity.share-of-average", "opportunity.imputed" })
        {
            string[] methods = ["specialist", "generalist", "hybrid", opportunity];
            var labels = methods.Select(m => lang.Text("method." + m)).ToArray();
            // The PDF's chart: the body width (A4 less margins) in ScottPlot's logical units.
            var slot = ChartRenderer.CategorySlot((595.28 - 84) * ChartRenderer.UnitsPerPoint, labels.Length);
            using var measure = new ChartRenderer.TickLabelMeasure(AnnexFontResolver.Install().Faces.Family);
            var (fitted, rotated) = ChartRenderer.FitCategoryLabels(labels, slot, measure.Width);
            Assert.False(rotated, $"{opportunity}: labels turned");
            for (var i = 0; i < labels.Length; i++)
            {
                Assert.Equal(labels[i], fitted[i].Replace('\n', ' '));
                foreach (var line in fitted[i].Split('\n')) Assert.True(measure.Width(line) < slot, $"'{line}' is wider than its slot");
            }
        }
    }

    [Fact]
    public void Turned_labels_get_the_room_of_their_turned_height()
    {
        // Two lines of 100 and 60 units turned 45°: (100 + 2 × 15.6) × √½ + 15.6 (hand calculation).
        var height = ChartRenderer.TurnedLabelHeight(["aaaaaaaaaa\nbbbbbb"], s => s.Length * 10.0);
        Assert.Equal((100 + 2 * 15.6) * Math.Sqrt(0.5) + 15.6, height, 9);
    }

    [Fact]
    public void A_word_wider_than_its_slot_turns_the_labels()
    {
        var (_, rotated) = ChartRenderer.FitCategoryLabels(["short", new string('w', 40)], 100, s => s.Length * 7.0);
        Assert.True(rotated);
    }

    [Fact]
    public void Chart_titles_say_what_is_plotted_and_notes_explain_the_intervals()
    {
        var lang = fixture.Annex.Language;
        var charts = fixture.Annex.Charts.ToDictionary(c => c.Id);
        // C3 of a region plots women and men by country; C4 plots ranks.
        Assert.StartsWith(lang.Text("c3.title_by_country").Split('{')[0], charts["C3"].Title);
        Assert.Equal([lang.Text("sex.F"), lang.Text("sex.M")], charts["C3"].Series.Select(s => s.Name));
        Assert.StartsWith(lang.Text("c4.title_rank").Split('{')[0], charts["C4"].Title);
        Assert.Contains("rank", charts["C4"].Title, StringComparison.OrdinalIgnoreCase);
        Assert.Matches(@"\d+(\.\d+)?% confidence intervals", charts["C2"].Note);
        Assert.Matches(@"\d+(\.\d+)?% confidence intervals", charts["C3"].Note);
        Assert.Contains("90%", charts["C4"].Note);
        Assert.Equal("", charts["C1"].Note);
    }
}
