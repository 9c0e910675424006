using System.Globalization;
using System.IO.Compression;
using System.Text;
using ClosedXML.Excel;
using ContributionIndex.Ingest;

namespace ContributionIndex.Tests.Ingest;

/// <summary>
/// The streaming XLSX reader (#15, memory): the same text as the ClosedXML 0.95 whole-workbook reader gave for every
/// kind of cell, numbers kept in a workbook without styles.xml (which ClosedXML dropped), and a live heap that does not
/// grow with the rows.
/// </summary>
[Collection(MemoryMeasurementCollection.Name)]
public class XlsxStreamingTests
{
    /// <summary>
    /// A workbook with every kind of cell ClosedXML writes: each data cell's text and numeric flag equal what the former
    /// reader computed from ClosedXML's loaded workbook (its CellText, replayed here on a fresh XLWorkbook of the same file).
    /// </summary>
    [Fact]
    public void Every_cell_kind_reads_as_the_former_ClosedXML_reader_read_it()
    {
        using var dir = new TempDirectory();
        var path = dir.File("kinds.xlsx");
        using (var workbook = new XLWorkbook())
        {
            workbook.AddWorksheet("Notes").Cell(1, 1).Value = "read me";
            var sheet = workbook.AddWorksheet("Data");
            string[] headers = ["text", "number", "date", "datetime", "timespan", "bool", "percent", "as-text", "custom", "custom-date", "rich", "spaces"];
            for (var c = 0; c < headers.Length; c++) sheet.Cell(3, c + 1).Value = headers[c]; // header on row 3: rows 1–2 empty
            var random = new Random(15);
            for (var r = 4; r < 44; r++)
            {
                if (r == 10) continue; // an empty row is skipped
                int i = r - 4;
                sheet.Cell(r, 1).Value = i % 7 == 0 ? "" : $"Текст {i} \"q\" <&>" + (i % 5 == 0 ? "\nвторая строка" : "");
                sheet.Cell(r, 2).Value = i % 3 == 0 ? random.NextDouble() * Math.Pow(10, random.Next(-8, 12)) * (i % 2 == 0 ? -1 : 1) : i * 1000 + 0.25;
                sheet.Cell(r, 3).Value = new DateTime(2023, 1, 1).AddDays(i * 11);
                sheet.Cell(r, 4).Value = new DateTime(2023, 3, 8, 13, 45, 30).AddMinutes(i * 97);
                sheet.Cell(r, 5).Value = TimeSpan.FromMinutes(i * 37.5);
                sheet.Cell(r, 6).Value = i % 2 == 0;
                sheet.Cell(r, 7).Value = i / 40.0;
                sheet.Cell(r, 7).Style.NumberFormat.NumberFormatId = 10;
                sheet.Cell(r, 8).Value = i * 1.5;
                sheet.Cell(r, 8).Style.NumberFormat.NumberFormatId = 49;
                sheet.Cell(r, 9).Value = i / 3.0;
                sheet.Cell(r, 9).Style.NumberFormat.Format = "0.000";
                sheet.Cell(r, 10).Value = 45000 + i;
                sheet.Cell(r, 10).Style.NumberFormat.Format = "dd/mm/yyyy";
                var rich = sheet.Cell(r, 11).RichText;
                rich.AddText("жирный ").SetBold();
                rich.AddText(i.ToString(CultureInfo.InvariantCulture)).SetItalic();
                sheet.Cell(r, 12).Value = i % 4 == 0 ? "  padded  " : "x";
            }

            sheet.Range("A45:C45").Merge();
            sheet.Cell(45, 1).Value = "merged";
            sheet.Cell(46, 14).Value = "beyond the header"; // ragged
            workbook.SaveAs(path);
        }

        var expected = FormerReader(path, "Data");
        using var reader = TabularFile.Open(path, new TabularOptions { Sheet = "data" });
        Assert.Equal("Data", reader.SheetName);
        Assert.Equal(3, reader.HeaderLine);
        Assert.Equal(expected.Headers, reader.Headers);
        var rows = reader.ReadRows().ToList();
        Assert.Equal(expected.Rows.Select(r => r.Line), rows.Select(r => r.Line));
        for (var k = 0; k < rows.Count; k++)
        {
            var (line, fields, numeric) = expected.Rows[k];
            Assert.Equal(fields, rows[k].Fields);
            Assert.Equal(numeric, Enumerable.Range(0, rows[k].FieldCount).Select(rows[k].IsNumericCell).ToArray());
            Assert.Equal(line == 46 ? ["row.ragged"] : Array.Empty<string>(), rows[k].Problems.Select(p => p.Rule));
        }

        // Spot checks against hand-written values (independent of ClosedXML).
        Assert.Equal("2023-01-01", rows[0][2]);
        Assert.Equal("2023-03-08T13:45:30", rows[0][3]);
        Assert.Equal("00:37:30", rows[1][4]);
        Assert.Equal("true", rows[0][5]);
        Assert.Equal("0.025", rows[1][6]);
        Assert.Equal("1.5", rows[1][7]);
        Assert.False(rows[1].IsNumericCell(7)); // text format (49): text, as ClosedXML gave it
        Assert.Equal("жирный 1", rows[1][10]);
        Assert.Equal("  padded  ", rows[0][11]);
    }

    /// <summary>The former reader: ClosedXML's whole-workbook load and the CellText rules of XlsxTabularReader before #15.</summary>
    private static (string[] Headers, List<(long Line, string[] Fields, bool[] Numeric)> Rows) FormerReader(string path, string sheetName)
    {
        using var workbook = new XLWorkbook(path);
        var sheet = workbook.Worksheet(sheetName);
        var header = sheet.FirstRowUsed();
        int headerRow = header.RowNumber(), width = header.LastCellUsed().Address.ColumnNumber;
        var headers = Enumerable.Range(1, width).Select(c => Text(sheet.Cell(headerRow, c), out _).Trim()).ToArray();
        var rows = new List<(long, string[], bool[])>();
        for (var r = headerRow + 1; r <= sheet.LastRowUsed().RowNumber(); r++)
        {
            var lastUsed = sheet.Row(r).LastCellUsed()?.Address.ColumnNumber ?? 0;
            if (lastUsed == 0) continue;
            var n = Math.Max(width, lastUsed);
            var fields = new string[n];
            var numeric = new bool[n];
            for (var c = 1; c <= n; c++) fields[c - 1] = Text(sheet.Cell(r, c), out numeric[c - 1]);
            rows.Add((r, fields, numeric));
        }

        return (headers, rows);

        static string Text(IXLCell cell, out bool isNumber)
        {
            isNumber = false;
            if (cell.IsEmpty()) return "";
            switch (cell.DataType)
            {
                case XLDataType.Number:
                    isNumber = true;
                    return cell.GetDouble().ToString("R", CultureInfo.InvariantCulture);
                case XLDataType.Boolean:
                    return cell.GetBoolean() ? "true" : "false";
                case XLDataType.DateTime:
                    var date = cell.GetDateTime();
                    return date.TimeOfDay == TimeSpan.Zero
                        ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                        : date.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
                case XLDataType.TimeSpan:
                    return cell.GetTimeSpan().ToString("c", CultureInfo.InvariantCulture);
                default:
                    return cell.GetString();
            }
        }
    }

    /// <summary>
    /// Issue #15: an XLSX input without a styles part lost its numeric cells (ClosedXML 0.95 never stored the value of a
    /// number cell when the workbook had no stylesheet), so ISCO codes were empty in every row with exit 0. Now the
    /// numbers are read as numbers.
    /// </summary>
    [Fact]
    public void A_workbook_without_styles_keeps_its_numbers()
    {
        using var dir = new TempDirectory();
        var path = dir.File("nostyles.xlsx");
        using (var workbook = new XLWorkbook())
        {
            var sheet = workbook.AddWorksheet("S");
            sheet.Cell(1, 1).Value = "id";
            sheet.Cell(1, 2).Value = "isco";
            sheet.Cell(1, 3).Value = "hours";
            for (var r = 2; r <= 4; r++)
            {
                sheet.Cell(r, 1).Value = $"P{r}";
                sheet.Cell(r, 2).Value = 9110 + r;
                sheet.Cell(r, 3).Value = r * 1.25;
            }

            workbook.SaveAs(path);
        }

        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            zip.GetEntry("xl/styles.xml")!.Delete();
            Rewrite(zip, "xl/_rels/workbook.xml.rels", xml => System.Text.RegularExpressions.Regex.Replace(xml, "<Relationship [^>]*styles[^>]*/>", ""));
            Rewrite(zip, "[Content_Types].xml", xml => System.Text.RegularExpressions.Regex.Replace(xml, "<Override [^>]*styles\\.xml[^>]*/>", ""));
            // Cells written by ClosedXML carry s="0"; a workbook without styles has none.
            foreach (var sheetEntry in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)).ToList())
                Rewrite(zip, sheetEntry.FullName, xml => System.Text.RegularExpressions.Regex.Replace(xml, " s=\"\\d+\"", ""));
        }

        using (var zip = ZipFile.OpenRead(path)) Assert.Null(zip.GetEntry("xl/styles.xml"));
        using var reader = TabularFile.Open(path);
        var rows = reader.ReadRows().ToList();
        Assert.Equal(3, rows.Count);
        for (var k = 0; k < 3; k++)
        {
            var r = k + 2;
            Assert.Equal($"P{r}", rows[k][0]);
            Assert.Equal((9110 + r).ToString(CultureInfo.InvariantCulture), rows[k][1]);
            Assert.Equal(NumberParseStatus.Ok, rows[k].TryGetNumber(2, out var hours));
            Assert.Equal(r * 1.25, hours);
            Assert.Empty(rows[k].Problems);
        }
    }

    private static void Rewrite(ZipArchive zip, string name, Func<string, string> change)
    {
        var entry = zip.GetEntry(name)!;
        string xml;
        using (var stream = new StreamReader(entry.Open())) xml = stream.ReadToEnd();
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry(name).Open(), new UTF8Encoding(false));
        writer.Write(change(xml));
    }

    /// <summary>Inline strings (t="inlineStr", plain and rich), shared formulas and error cells written by hand, as other tools write them.</summary>
    [Fact]
    public void Inline_strings_shared_formulas_and_error_cells_written_by_hand()
    {
        using var dir = new TempDirectory();
        var path = dir.File("hand.xlsx");
        WriteWorkbook(path, writer =>
        {
            writer.Write("""<row r="1"><c r="A1" t="inlineStr"><is><t>id</t></is></c><c r="B1" t="inlineStr"><is><r><t>ho</t></r><r><t>urs</t></r><rPh sb="0" eb="1"><t>ふり</t></rPh></is></c></row>""");
            writer.Write("""<row r="2"><c r="A2" t="inlineStr"><is><t xml:space="preserve"> a </t></is></c><c r="B2"><f t="shared" ref="B2:B3" si="0">A2*2</f><v>4</v></c></row>""");
            writer.Write("""<row r="3"><c r="A3" t="inlineStr"><is><t>b</t></is></c><c r="B3"><f t="shared" si="0"/><v>6</v></c></row>""");
            writer.Write("""<row r="5"><c r="A5" t="inlineStr"><is><t>c</t></is></c><c r="B5" t="e"><v>#DIV/0!</v></c></row>""");
            writer.Write("""<row r="6"><c t="inlineStr"><is><t>d</t></is></c><c><v>2.5</v></c></row>""");
        });

        using var reader = TabularFile.Open(path);
        Assert.Equal(["id", "hours"], reader.Headers);
        var rows = reader.ReadRows().ToList();
        Assert.Equal([2L, 3, 5, 6], rows.Select(r => r.Line));
        Assert.Equal(" a ", rows[0][0]);
        Assert.Equal(("cell.formula", 2, "=A2*2"), (rows[0].Problems[0].Rule, rows[0].Problems[0].Column, rows[0].Problems[0].RawValue));
        Assert.Equal("cell.formula", Assert.Single(rows[1].Problems).Rule);
        Assert.Contains("B3", rows[1].Problems[0].Reason);
        Assert.Contains("A2*2", rows[1].Problems[0].Reason);
        var error = Assert.Single(rows[2].Problems);
        Assert.Equal(("cell.error", 2, "#DIV/0!"), (error.Rule, error.Column, error.RawValue));
        // Cells without references follow their predecessors: row 6 is after row 5, its cells in columns A and B.
        Assert.Equal("d", rows[3][0]);
        Assert.Equal(NumberParseStatus.Ok, rows[3].TryGetNumber(1, out var value));
        Assert.Equal(2.5, value);
    }

    /// <summary>
    /// Memory (#15): the reader keeps one row, not the workbook. The live managed heap, measured after full collections at
    /// 50,000, 100,000, 150,000 and 200,000 rows, stays flat (the former reader held every cell of the sheet), and stays
    /// far below the size of the sheet's XML.
    /// </summary>
    [Fact]
    public void A_200000_row_sheet_streams_with_a_flat_live_heap()
    {
        const int Rows = 200_000;
        using var dir = new TempDirectory();
        var path = dir.File("big.xlsx");
        WriteWorkbook(path, writer =>
        {
            writer.Write("""<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>""");
            for (var r = 2; r <= Rows + 1; r++)
                writer.Write(string.Create(CultureInfo.InvariantCulture,
                    $"<row r=\"{r}\"><c r=\"A{r}\" t=\"inlineStr\"><is><t>person-{r}</t></is></c><c r=\"B{r}\"><v>{r * 0.25}</v></c><c r=\"C{r}\" t=\"s\"><v>{4 + r % 3}</v></c><c r=\"D{r}\"><v>{r % 97}</v></c></row>"));
        }, sharedStrings: ["id", "hours", "sex", "age", "F", "M", "X"]);

        long sheetBytes;
        using (var zip = ZipFile.OpenRead(path)) sheetBytes = zip.GetEntry("xl/worksheets/sheet1.xml")!.Length;
        var live = new List<long>();
        double hours = 0;
        using (var reader = TabularFile.Open(path))
        {
            long count = 0;
            foreach (var row in reader.ReadRows())
            {
                Assert.Equal(NumberParseStatus.Ok, row.TryGetNumber(1, out var h));
                hours += h;
                if (++count % 50_000 == 0) live.Add(GC.GetTotalMemory(forceFullCollection: true));
            }

            Assert.Equal(Rows, count);
        }

        Assert.Equal(Enumerable.Range(2, Rows).Sum(r => r * 0.25), hours);
        Assert.Equal(4, live.Count);
        // Flat: 150,000 more rows add less than 2 MiB of live objects (the whole sheet would be tens of MB).
        Assert.True(live[^1] - live[0] < 2 << 20, $"live heap grew from {live[0]} to {live[^1]} bytes over 150,000 rows");
        Assert.True(sheetBytes > 20_000_000, $"the sheet XML has {sheetBytes} bytes");
    }

    /// <summary>A minimal workbook: one sheet whose rows <paramref name="rows"/> writes, optional shared strings, no styles part.</summary>
    private static void WriteWorkbook(string path, Action<TextWriter> rows, IReadOnlyList<string>? sharedStrings = null)
    {
        const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        const string Rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        void Entry(string name, Action<TextWriter> write)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name, CompressionLevel.Fastest).Open(), new UTF8Encoding(false), 1 << 16);
            write(writer);
        }

        Entry("[Content_Types].xml", w => w.Write("""<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"""));
        Entry("_rels/.rels", w => w.Write($"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{Rels}/officeDocument" Target="xl/workbook.xml"/></Relationships>"""));
        Entry("xl/workbook.xml", w => w.Write($"""<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{Main}" xmlns:r="{Rels}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"""));
        Entry("xl/_rels/workbook.xml.rels", w => w.Write($"""<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{Rels}/worksheet" Target="worksheets/sheet1.xml"/>{(sharedStrings is null ? "" : $"<Relationship Id=\"rId2\" Type=\"{Rels}/sharedStrings\" Target=\"sharedStrings.xml\"/>")}</Relationships>"""));
        Entry("xl/worksheets/sheet1.xml", w =>
        {
            w.Write($"""<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{Main}"><sheetData>""");
            rows(w);
            w.Write("</sheetData></worksheet>");
        });
        if (sharedStrings is not null)
            Entry("xl/sharedStrings.xml", w => w.Write($"""<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{Main}">{string.Concat(sharedStrings.Select(s => $"<si><t>{s}</t></si>"))}</sst>"""));
    }
}
