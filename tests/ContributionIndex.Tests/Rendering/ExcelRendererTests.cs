using System.IO.Compression;
using ClosedXML.Excel;
using ContributionIndex.Rendering;
using ContributionIndex.Tests.Ingest;

namespace ContributionIndex.Tests.Rendering;

public sealed class ExcelRendererTests
{
    [Fact]
    public void Tables_read_back_with_numbers_as_numbers_flags_in_their_own_columns_and_frozen_headers()
    {
        using var dir = new TempDirectory();
        var annex = SampleAnnex.Build("kk");
        var path = dir.File("annex.xlsx");
        ExcelRenderer.WriteFile(annex, path, "0.1.0");

        using var workbook = new XLWorkbook(path);
        var lang = annex.Language;
        Assert.Equal(
            [lang.Text("sheet.cover"), lang.Text("sheet.contents"), lang.Text("sheet.notes"), lang.Text("sheet.metadata"), "T1", "T4", lang.Text("sheet.charts")],
            workbook.Worksheets.Select(w => w.Name));

        var ws = workbook.Worksheet("T1");
        var headerRow = 5; // title, units, source, totals remark, header
        Assert.Equal(headerRow, ws.SheetView.SplitRow);
        Assert.Equal(lang.Text("table.totals_rounding"), ws.Cell(4, 1).GetString());
        // breakdown, category, volunteers, volunteers flag, SE, SE flag, rate, rate flag, CV, CV flag, notes
        var headers = Enumerable.Range(1, 11).Select(c => ws.Cell(headerRow, c).GetString()).ToArray();
        Assert.Equal(lang.Text("col.volunteers"), headers[2]);
        Assert.Equal(lang.Format("column.flag", lang.Text("col.volunteers")), headers[3]);
        Assert.Equal(lang.Text("notes.heading"), headers[10]);

        // First data row: the total (group heading rows are not written to sheets).
        var total = ws.Row(headerRow + 1);
        Assert.Equal(XLDataType.Number, total.Cell(3).DataType);
        Assert.Equal(1234567.891, total.Cell(3).GetDouble());
        Assert.Equal("#,##0", total.Cell(3).Style.NumberFormat.Format);
        Assert.Equal(0.0861, total.Cell(7).GetDouble());
        Assert.Equal("#,##0.0%", total.Cell(7).Style.NumberFormat.Format);
        Assert.True(total.Cell(3).Style.Font.Bold);

        var men = ws.Row(headerRow + 3);
        Assert.Equal(lang.Text("sex.M"), men.Cell(2).GetString());
        Assert.Equal(1, men.Cell(2).Style.Alignment.Indent);
        Assert.Equal(534567.641, men.Cell(3).GetDouble());
        Assert.Equal("[u]", men.Cell(4).GetString());

        // Hostile input label stays text, suppressed cells show [c] as text and carry no number.
        var hostile = ws.Row(headerRow + 4);
        Assert.Equal(SampleAnnex.HostileLabel, hostile.Cell(2).GetString());
        Assert.Equal(XLDataType.Text, hostile.Cell(2).DataType);
        Assert.Equal("[c]", hostile.Cell(3).GetString());
        Assert.Equal(XLDataType.Text, hostile.Cell(3).DataType);
        Assert.Equal(lang.Format("notes.reference", "1"), hostile.Cell(11).GetString());
        var minus = ws.Row(headerRow + 5);
        Assert.Equal(XLDataType.Text, minus.Cell(2).DataType);
        Assert.StartsWith("-Шымкент", minus.Cell(2).GetString());
        Assert.Equal(-0.5, minus.Cell(3).GetDouble());

        foreach (var sheet in workbook.Worksheets)
            foreach (var cell in sheet.CellsUsed())
                Assert.False(cell.HasFormula, $"{sheet.Name}!{cell.Address} holds a formula");
        foreach (var sheet in workbook.Worksheets)
            Assert.Empty(sheet.MergedRanges);

        Assert.Equal(SampleAnnex.Release.UtcDateTime, workbook.Properties.Created);
        Assert.Equal(SampleAnnex.HostileLabel, workbook.Worksheet(lang.Text("sheet.notes")).Cell(3, 3).GetString()[^SampleAnnex.HostileLabel.Length..]);
        var metadata = workbook.Worksheet(lang.Text("sheet.metadata"));
        Assert.Equal(XLDataType.Text, metadata.Cell(4, 3).DataType);
        Assert.StartsWith("+e3b0", metadata.Cell(4, 3).GetString());
        Assert.Equal(17, workbook.Worksheet("T4").CellsUsed(c => c.DataType == XLDataType.Number).Count());
        Assert.InRange(ws.Column(1).Width, 10, 46); // as wide as its labels, at most 46
    }

    [Fact]
    public void Two_runs_give_identical_workbook_content()
    {
        using var dir = new TempDirectory();
        var annex = SampleAnnex.Build("ru");
        ExcelRenderer.WriteFile(annex, dir.File("a.xlsx"), "0.1.0");
        ExcelRenderer.WriteFile(SampleAnnex.Build("ru"), dir.File("b.xlsx"), "0.1.0");
        Assert.Equal(Entries(dir.File("a.xlsx")), Entries(dir.File("b.xlsx")));
        Assert.Equal(File.ReadAllBytes(dir.File("a.xlsx")), File.ReadAllBytes(dir.File("b.xlsx")));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp"));
    }

    internal static SortedDictionary<string, string> Entries(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var entries = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var reader = new StreamReader(entry.Open());
            entries[entry.FullName] = reader.ReadToEnd();
        }

        return entries;
    }
}
