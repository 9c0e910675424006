using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;

namespace ContributionIndex.Tests.Ingest;

public class TabularFileTests
{
    static TabularFileTests() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private static readonly string[] Headers = ["id", "weight", "hours", "sex", "activity", "isco"];

    // One small dataset; weight and hours are numbers, the rest text. Row 2's activity spans two physical lines.
    private static readonly (string Id, double Weight, double Hours, string Sex, string Activity, string Isco)[] Data =
    [
        ("1", 1234.5, 2.5, "ж", "Помощь соседям, уборка", "0110"),
        ("2", 987.25, 10, "м", "Уборка\nпарка", "9112"),
        ("3", 15.75, 0.5, "F", "Say \"hi\"; ok", "2341"),
    ];

    // Header on line 1; rows start on lines 2, 3 and 5 (row 2 has a line break inside its quoted activity).
    private static readonly long[] ExpectedLines = [2, 3, 5];

    public static TheoryData<string, string, char, char, string?, TabularOptions> Variants() => new()
    {
        // name, encoding, delimiter, decimal, thousands, options to read it with
        { "utf8-comma-point", "utf-8", ',', '.', null, TabularOptions.Default },
        { "utf8bom-semicolon-comma", "utf-8-bom", ';', ',', null, TabularOptions.Default },
        { "utf16le-tab-point", "utf-16le", '\t', '.', null, TabularOptions.Default },
        { "utf16be-semicolon-comma", "utf-16be", ';', ',', null, TabularOptions.Default },
        { "cp1251-semicolon-comma-detected", "windows-1251", ';', ',', null, TabularOptions.Default },
        { "cp1251-declared", "windows-1251", ';', ',', null, new TabularOptions { Encoding = "windows-1251", Delimiter = ";", Decimal = "," } },
        { "cp1251-nbsp-thousands", "windows-1251", ';', ',', "\u00A0", new TabularOptions { Thousands = "space" } },
        { "utf8-comma-comma-quoted", "utf-8", ',', ',', null, TabularOptions.Default },
        { "utf8-semicolon-space-thousands", "utf-8", ';', ',', " ", new TabularOptions { Thousands = "space" } },
        { "utf8-comma-point-comma-thousands", "utf-8", ',', '.', ",", new TabularOptions { Thousands = "," } },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void Every_encoding_delimiter_and_decimal_variant_gives_identical_rows(string name, string encoding, char delimiter, char decimalSeparator, string? thousands, TabularOptions options)
    {
        using var dir = new TempDirectory();
        var path = dir.Write(name + ".csv", Serialise(encoding, delimiter, decimalSeparator, thousands));

        using var reader = TabularFile.Open(path, options);
        Assert.Equal(Headers, reader.Headers);
        Assert.Equal(1, reader.HeaderLine);
        Assert.Equal(delimiter, reader.Delimiter);
        Assert.Equal(decimalSeparator, reader.NumberFormat.DecimalSeparator);
        Assert.Equal(encoding.StartsWith("utf-16", StringComparison.Ordinal) ? "utf-16" : encoding.Replace("-bom", "", StringComparison.Ordinal),
            reader.EncodingName!.Replace("be", "", StringComparison.Ordinal));
        AssertRowsEqualData(reader, ExpectedLines);
    }

    [Fact]
    public void Xlsx_gives_the_same_values_as_csv()
    {
        using var dir = new TempDirectory();
        var path = dir.File("survey.xlsx");
        using (var workbook = new XLWorkbook())
        {
            workbook.AddWorksheet("Notes").Cell(1, 1).Value = "read me";
            var sheet = workbook.AddWorksheet("Data");
            for (var c = 0; c < Headers.Length; c++) sheet.Cell(1, c + 1).Value = Headers[c];
            for (var r = 0; r < Data.Length; r++)
            {
                var row = Data[r];
                sheet.Cell(r + 2, 1).SetValue(row.Id); // text, as ids usually are
                sheet.Cell(r + 2, 2).Value = row.Weight;
                sheet.Cell(r + 2, 3).Value = row.Hours;
                sheet.Cell(r + 2, 4).Value = row.Sex;
                sheet.Cell(r + 2, 5).Value = row.Activity;
                sheet.Cell(r + 2, 6).SetValue(row.Isco); // text keeps the leading zero of 0110
            }

            workbook.SaveAs(path);
        }

        foreach (var sheetChoice in new[] { "Data", "data", "2" })
        {
            using var reader = TabularFile.Open(path, new TabularOptions { Sheet = sheetChoice });
            Assert.Equal("Data", reader.SheetName);
            Assert.Equal(Headers, reader.Headers);
            AssertRowsEqualData(reader, [2, 3, 4]);
        }
    }

    private static void AssertRowsEqualData(TabularReader reader, long[] lines)
    {
        var rows = reader.ReadRows().ToList();
        Assert.Equal(Data.Length, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            Assert.Empty(row.Problems);
            Assert.Equal(lines[i], row.Line);
            Assert.Equal(Data[i].Id, row[0]);
            Assert.Equal(NumberParseStatus.Ok, row.TryGetNumber(1, out var weight));
            Assert.Equal(Data[i].Weight, weight);
            Assert.Equal(NumberParseStatus.Ok, row.TryGetNumber(2, out var hours));
            Assert.Equal(Data[i].Hours, hours);
            Assert.Equal(Data[i].Sex, row[3]);
            Assert.Equal(Data[i].Activity, row[4].Replace("\r\n", "\n", StringComparison.Ordinal));
            Assert.Equal(Data[i].Isco, row[5]);
        }
    }

    /// <summary>Writes the dataset as a CSV in the given encoding and number format, quoting as RFC 4180 requires, with CRLF line ends.</summary>
    private static byte[] Serialise(string encoding, char delimiter, char decimalSeparator, string? thousands)
    {
        var text = new StringBuilder();
        text.Append(string.Join(delimiter, Headers)).Append("\r\n");
        foreach (var row in Data)
        {
            string[] fields = [row.Id, FormatNumber(row.Weight, decimalSeparator, thousands), FormatNumber(row.Hours, decimalSeparator, thousands), row.Sex, row.Activity, row.Isco];
            text.Append(string.Join(delimiter, fields.Select(f => Quote(f, delimiter)))).Append("\r\n");
        }

        var content = text.ToString();
        return encoding switch
        {
            "utf-8" => new UTF8Encoding(false).GetBytes(content),
            "utf-8-bom" => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(content)],
            "utf-16le" => [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(content)],
            "utf-16be" => [.. Encoding.BigEndianUnicode.GetPreamble(), .. Encoding.BigEndianUnicode.GetBytes(content)],
            "windows-1251" => Encoding.GetEncoding(1251).GetBytes(content),
            _ => throw new ArgumentOutOfRangeException(nameof(encoding)),
        };
    }

    private static string FormatNumber(double value, char decimalSeparator, string? thousands)
    {
        var format = new NumberFormatInfo { NumberDecimalSeparator = decimalSeparator.ToString(), NumberGroupSeparator = thousands ?? "" };
        var decimals = value.ToString("R", CultureInfo.InvariantCulture).Split('.') is [_, var f] ? f.Length : 0;
        return value.ToString((thousands is null ? "F" : "N") + decimals.ToString(CultureInfo.InvariantCulture), format);
    }

    private static string Quote(string field, char delimiter) =>
        field.Contains(delimiter) || field.Contains('"') || field.Contains('\n')
            ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""
            : field;

    // ---- structural problems ----

    private static TabularReader OpenText(TempDirectory dir, string content, TabularOptions? options = null, string name = "t.csv") =>
        TabularFile.Open(dir.Write(name, new UTF8Encoding(false).GetBytes(content)), options);

    [Fact]
    public void Empty_file_is_refused_with_a_clear_message()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<InputDataException>(() => OpenText(dir, ""));
        Assert.Contains("empty", ex.Message);
        ex = Assert.Throws<InputDataException>(() => OpenText(dir, "\r\n  \r\n"));
        Assert.Contains("empty", ex.Message);
    }

    [Fact]
    public void Header_only_file_is_refused_unless_allowed()
    {
        using var dir = new TempDirectory();
        using (var reader = OpenText(dir, "a,b\r\n"))
        {
            Assert.Equal(["a", "b"], reader.Headers);
            var ex = Assert.Throws<InputDataException>(() => reader.ReadRows().ToList());
            Assert.Contains("no data rows", ex.Message);
            Assert.Equal(1, ex.Location.Line);
        }

        using (var reader = OpenText(dir, "a,b", new TabularOptions { AllowNoDataRows = true }))
            Assert.Empty(reader.ReadRows());
    }

    [Fact]
    public void Missing_file_names_the_path()
    {
        var ex = Assert.Throws<InputDataException>(() => TabularFile.Open("no/such/file.csv"));
        Assert.StartsWith("no/such/file.csv: the file does not exist.", ex.Message);
    }

    [Fact]
    public void Ragged_rows_are_reported_with_line_and_column()
    {
        using var dir = new TempDirectory();
        using var reader = OpenText(dir, "a,b,c\n1,2,3\n4,5\n\n6,7,8,9\n");
        var rows = reader.ReadRows().ToList();
        Assert.Equal([2L, 3, 5], rows.Select(r => r.Line));
        Assert.Empty(rows[0].Problems);
        var shortRow = Assert.Single(rows[1].Problems);
        Assert.Equal(("row.ragged", 3), (shortRow.Rule, shortRow.Column));
        Assert.Contains("2 fields but the header has 3", shortRow.Reason);
        var longRow = Assert.Single(rows[2].Problems);
        Assert.Equal(("row.ragged", 4, "9"), (longRow.Rule, longRow.Column, longRow.RawValue));
        Assert.Equal("", rows[1][2]); // a missing field reads as empty
    }

    [Fact]
    public void Leading_blank_lines_and_quoted_line_breaks_keep_physical_line_numbers()
    {
        using var dir = new TempDirectory();
        using var reader = OpenText(dir, "\r\n\r\nid,note\r\n1,\"two\r\nlines\"\r\n\r\n2,x\r\n");
        Assert.Equal(3, reader.HeaderLine);
        Assert.Equal([4L, 7], reader.ReadRows().Select(r => r.Line));
    }

    [Fact]
    public void Unterminated_quote_is_fatal_with_line_and_column()
    {
        using var dir = new TempDirectory();
        using var reader = OpenText(dir, "a,b,c\n1,2,3\n4,\"five,6\n7,8,9\n");
        var ex = Assert.Throws<InputDataException>(() => reader.ReadRows().ToList());
        Assert.Equal(3, ex.Location.Line);
        Assert.Equal(2, ex.Location.Column);
        Assert.Equal("b", ex.Location.ColumnName);
        Assert.Contains("never closed", ex.Message);
    }

    [Fact]
    public void Text_after_a_closing_quote_is_a_row_problem_and_stray_quotes_are_text()
    {
        using var dir = new TempDirectory();
        using var reader = OpenText(dir, "a,b,c\n1,\"two\"x,3\n4,Red \"Crescent\",6\n");
        var rows = reader.ReadRows().ToList();
        var problem = Assert.Single(rows[0].Problems);
        Assert.Equal(("row.quote", 2), (problem.Rule, problem.Column));
        Assert.Empty(rows[1].Problems);
        Assert.Equal("Red \"Crescent\"", rows[1][1]);
    }

    [Fact]
    public void Ambiguous_delimiter_asks_to_declare_it()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<InputDataException>(() => OpenText(dir, "a,b;c\n1,2;3\n"));
        Assert.Contains("delimiter cannot be detected", ex.Message);
        Assert.Contains("Declare the delimiter", ex.Message);
        using var reader = OpenText(dir, "a,b;c\n1,2;3\n", new TabularOptions { Delimiter = ";" });
        Assert.Equal(["a,b", "c"], reader.Headers);
    }

    [Fact]
    public void Single_column_file_is_read()
    {
        using var dir = new TempDirectory();
        using var reader = OpenText(dir, "activity_text\nпомогал в приюте\n");
        Assert.Equal(["activity_text"], reader.Headers);
        Assert.Equal("помогал в приюте", Assert.Single(reader.ReadRows())[0]);
    }

    [Theory]
    [InlineData("w;x\n1,234;a\n2,500;b\n", "cannot be detected")] // only thousand-like values
    [InlineData("w;v\n1.5;2,5\n", "ambiguous")] // both separators
    public void Undecidable_decimal_separator_asks_to_declare_it(string content, string expected)
    {
        using var dir = new TempDirectory();
        using var reader = OpenText(dir, content);
        var ex = Assert.Throws<InputDataException>(() => reader.ReadRows().ToList());
        Assert.Contains(expected, ex.Message);
        Assert.Contains("Declare the decimal separator", ex.Message);
        Assert.Equal(2, ex.Location.Line);
    }

    [Theory]
    [InlineData("w;d\n1,234;01.2023\n0,5;02.2023\n", ',')] // the date-like column is not evidence when only w is numeric
    [InlineData("w;x\n1,234;a\n1234,5;b\n", ',')]
    [InlineData("w\n0.125\n", '.')]
    [InlineData("w\n12\n7\n", '.')] // integers only: either works
    public void Decimal_separator_is_detected_from_numeric_columns(string content, char expected)
    {
        using var dir = new TempDirectory();
        using var reader = OpenText(dir, content);
        reader.SampleNumbersOnlyIn([0]);
        Assert.Equal(expected, reader.NumberFormat.DecimalSeparator);
        Assert.True(reader.NumberFormat.Detected);
        Assert.All(reader.ReadRows(), row => Assert.Equal(NumberParseStatus.Ok, row.TryGetNumber(0, out _)));
    }

    [Fact]
    public void Text_columns_with_number_like_values_do_not_decide_the_decimal_separator()
    {
        using var dir = new TempDirectory();
        // sdg holds "3,10" beside "SDG1": a text column. Without named numeric columns it must not contradict the weights.
        using (var reader = OpenText(dir, "w;sdg\n1.5;3,10\n2.25;SDG1\n"))
            Assert.Equal('.', reader.NumberFormat.DecimalSeparator);

        // Named numeric columns all take part, even with a stray missing-value marker.
        using (var reader = OpenText(dir, "w;h\n1,5;н/д\n2;0,25\n"))
        {
            reader.SampleNumbersOnlyIn([0, 1]);
            Assert.Equal(',', reader.NumberFormat.DecimalSeparator);
        }
    }

    [Fact]
    public void Invalid_utf8_in_a_declared_utf8_file_names_line_and_field()
    {
        using var dir = new TempDirectory();
        byte[] content = [.. "a,b\n1,ok\n2,"u8, 0xCF, 0xF0, 0xE8, .. "\n"u8];
        var path = dir.Write("bad.csv", content);
        using var reader = TabularFile.Open(path, new TabularOptions { Encoding = "utf-8" });
        var ex = Assert.Throws<InputDataException>(() => reader.ReadRows().ToList());
        Assert.Equal((3L, 2), (ex.Location.Line, ex.Location.Column));
        Assert.Contains("windows-1251", ex.Message);
    }

    [Fact]
    public void Undetectable_encoding_asks_to_declare_it()
    {
        using var dir = new TempDirectory();
        byte[] content = [.. "a,b\n1,"u8, 0x98, 0x81, 0x8D, .. "\n"u8];
        var ex = Assert.Throws<InputDataException>(() => TabularFile.Open(dir.Write("x.csv", content)));
        Assert.Contains("encoding cannot be detected", ex.Message);
    }

    [Fact]
    public void Utf16_without_a_byte_order_mark_is_refused_unless_declared()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("u16.csv", Encoding.Unicode.GetBytes("a;b\r\n1;Иван\r\n"));
        var ex = Assert.Throws<InputDataException>(() => TabularFile.Open(path));
        Assert.Contains("utf-16", ex.Message);
        using var reader = TabularFile.Open(path, new TabularOptions { Encoding = "utf-16" });
        Assert.Equal("Иван", Assert.Single(reader.ReadRows())[1]);
    }

    [Fact]
    public void Excel_separator_hint_line_is_honoured_and_counted()
    {
        using var dir = new TempDirectory();
        using var reader = OpenText(dir, "sep=;\na;b\n1,5;x\n");
        Assert.Equal(["a", "b"], reader.Headers);
        Assert.Equal(2, reader.HeaderLine);
        var row = Assert.Single(reader.ReadRows());
        Assert.Equal(3, row.Line);
        Assert.Equal(NumberParseStatus.Ok, row.TryGetNumber(0, out var value));
        Assert.Equal(1.5, value);
    }

    [Fact]
    public void Duplicate_headers_and_wildcards_are_found_case_insensitively()
    {
        using var dir = new TempDirectory();
        using var reader = OpenText(dir, "ID, Weight ,repw1,REPW2,id,repw10\n1,2,3,4,5,6\n");
        Assert.Equal(1, reader.FindColumn("weight"));
        Assert.Equal(-1, reader.FindColumn("hours"));
        Assert.Equal([2, 3, 5], reader.FindColumns("repw*"));
        var duplicate = Assert.Single(reader.DuplicateHeaders());
        Assert.Equal([0, 4], duplicate.Columns);
    }

    [Fact]
    public void A_zip_named_csv_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("book.csv");
        using (var workbook = new XLWorkbook())
        {
            workbook.AddWorksheet("S").Cell(1, 1).Value = "a";
            workbook.SaveAs(dir.File("book.xlsx"));
        }

        File.Copy(dir.File("book.xlsx"), path);
        var ex = Assert.Throws<InputDataException>(() => TabularFile.Open(path));
        Assert.Contains("zip archive", ex.Message);
    }

    // ---- XLSX specifics ----

    [Fact]
    public void Xlsx_formula_and_error_cells_are_refused_per_row_with_the_cell_reference()
    {
        using var dir = new TempDirectory();
        var path = dir.File("f.xlsx");
        using (var workbook = new XLWorkbook())
        {
            var sheet = workbook.AddWorksheet("S");
            sheet.Cell(1, 1).Value = "id";
            sheet.Cell(1, 2).Value = "hours";
            sheet.Cell(2, 1).Value = "1";
            sheet.Cell(2, 2).FormulaA1 = "1+1";
            sheet.Cell(3, 1).Value = "2";
            sheet.Cell(3, 2).Value = "ERRORCELL";
            sheet.Cell(4, 1).Value = "3";
            sheet.Cell(4, 2).Value = 4.25;
            sheet.Cell(5, 1).Value = "4";
            sheet.Cell(5, 2).Value = new DateTime(2023, 3, 8);
            workbook.SaveAs(path);
        }

        ReplaceCellWithError(path, "B3", "#N/A");

        using var reader = TabularFile.Open(path);
        var rows = reader.ReadRows().ToList();
        Assert.Equal([2L, 3, 4, 5], rows.Select(r => r.Line));
        var formula = Assert.Single(rows[0].Problems);
        Assert.Equal(("cell.formula", 2), (formula.Rule, formula.Column));
        Assert.Contains("B2", formula.Reason);
        var error = Assert.Single(rows[1].Problems);
        Assert.Equal(("cell.error", 2, "#N/A"), (error.Rule, error.Column, error.RawValue));
        Assert.Contains("B3", error.Reason);
        Assert.Empty(rows[2].Problems);
        Assert.Equal("4.25", rows[2][1]);
        Assert.Equal("2023-03-08", rows[3][1]);
    }

    /// <summary>Rewrites one cell of the first sheet as a true error cell (t="e"), which ClosedXML cannot write itself.</summary>
    private static void ReplaceCellWithError(string path, string reference, string error)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.Entries.Single(e => e.FullName.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal));
        string xml;
        using (var reader = new StreamReader(entry.Open())) xml = reader.ReadToEnd();
        var pattern = new Regex($"<(?<p>\\w+:)?c r=\"{reference}\"[^>]*?(/>|>.*?</\\k<p>c>)", RegexOptions.Singleline);
        Assert.Matches(pattern, xml);
        xml = pattern.Replace(xml, m => $"<{m.Groups["p"].Value}c r=\"{reference}\" t=\"e\"><{m.Groups["p"].Value}v>{error}</{m.Groups["p"].Value}v></{m.Groups["p"].Value}c>", 1);
        entry.Delete();
        var replacement = zip.CreateEntry(entry.FullName);
        using var writer = new StreamWriter(replacement.Open());
        writer.Write(xml);
    }

    [Fact]
    public void Xlsx_zip_bomb_guard_and_non_zip_files_give_clear_errors()
    {
        using var dir = new TempDirectory();
        var path = dir.File("big.xlsx");
        using (var workbook = new XLWorkbook())
        {
            var sheet = workbook.AddWorksheet("S");
            sheet.Cell(1, 1).Value = "a";
            sheet.Cell(2, 1).Value = 1;
            workbook.SaveAs(path);
        }

        var ex = Assert.Throws<InputDataException>(() => TabularFile.Open(path, new TabularOptions { MaxXlsxUncompressedBytes = 1000 }));
        Assert.Contains("zip bomb", ex.Message);
        using (var ok = TabularFile.Open(path)) Assert.Single(ok.ReadRows());

        var fake = dir.Write("fake.xlsx", "id,hours\n1,2\n"u8.ToArray());
        ex = Assert.Throws<InputDataException>(() => TabularFile.Open(fake));
        Assert.Contains("not an XLSX workbook", ex.Message);
    }

    [Fact]
    public void Xlsx_missing_sheet_lists_the_sheets()
    {
        using var dir = new TempDirectory();
        var path = dir.File("s.xlsx");
        using (var workbook = new XLWorkbook())
        {
            workbook.AddWorksheet("Alpha").Cell(1, 1).Value = "a";
            workbook.SaveAs(path);
        }

        var ex = Assert.Throws<InputDataException>(() => TabularFile.Open(path, new TabularOptions { Sheet = "Beta" }));
        Assert.Contains("'Alpha'", ex.Message);
        ex = Assert.Throws<InputDataException>(() => TabularFile.Open(path, new TabularOptions { Sheet = "3" }));
        Assert.Contains("1 sheets", ex.Message);
    }

    [Fact]
    public void Invalid_option_values_are_refused_with_the_choices()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("a.csv", "a\n1\n"u8.ToArray());
        var ex = Assert.Throws<InputDataException>(() => TabularFile.Open(path, new TabularOptions { Delimiter = "|" }));
        Assert.Contains("'tab'", ex.Message);
    }
}
