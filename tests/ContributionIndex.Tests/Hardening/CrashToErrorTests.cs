using System.Globalization;
using System.Text;
using ContributionIndex.Diagnostics;
using ContributionIndex.Rendering.Pdf;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Rendering;

namespace ContributionIndex.Tests.Hardening;

/// <summary>Errors that used to crash or hang (issue #15): each must now be one clear error with its place.</summary>
public class CrashToErrorTests
{
    [Fact]
    public void Yaml_nested_deeper_than_the_limit_is_a_study_error_with_line_and_column_not_a_stack_overflow()
    {
        var yaml = "id: x\nyear: 2023\nextra: " + new string('[', 100_000) + new string(']', 100_000) + "\n";
        var ex = Assert.Throws<StudyFileException>(() => StudyLoader.Parse(yaml, "study.yaml"));
        Assert.Contains("nested more than", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, ex.Location.Line);
        Assert.Equal(7 + StudyLoader.MaxNestingDepth, ex.Location.Column); // the root mapping is level 1, "extra: " is 7 characters
    }

    [Fact]
    public void Yaml_nested_block_mappings_deeper_than_the_limit_are_refused()
    {
        var sb = new StringBuilder("id: x\n");
        for (var i = 0; i < 200; i++) sb.Append(new string(' ', i)).Append('k').Append(i).Append(":\n");
        var ex = Assert.Throws<StudyFileException>(() => StudyLoader.Parse(sb.ToString(), "study.yaml"));
        Assert.Contains("nested more than", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_tab_in_yaml_indentation_is_reported_at_its_line_and_column()
    {
        var yaml = "id: x\nyear: 2023\ninputs:\n  - name: a\n\t path: b.csv\n";
        var ex = Assert.Throws<StudyFileException>(() => StudyLoader.Parse(yaml, "study.yaml"));
        Assert.Equal((5L, 1), (ex.Location.Line, ex.Location.Column));
        Assert.Contains("tab", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_tab_as_indentation_of_a_nested_mapping_is_reported_at_its_line_and_column_not_1_1()
    {
        var yaml = "id: x\nyear:\t2023\nfoo:\n\tbar: 1\n";
        var ex = Assert.Throws<StudyFileException>(() => StudyLoader.Parse(yaml, "study.yaml"));
        Assert.Equal((4L, 1), (ex.Location.Line, ex.Location.Column));
        Assert.Contains("tab", ex.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("th-TH")]
    [InlineData("ar-SA")]
    [InlineData("fa-IR")]
    public void Pdf_creation_date_is_gregorian_whatever_the_current_culture(string culture)
    {
        var saved = CultureInfo.CurrentCulture;
        byte[] bytes;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo(culture);
            bytes = PdfRenderer.Render(SampleAnnex.Build("en"), "0.1.0");
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }

        var text = Encoding.Latin1.GetString(bytes);
        var index = text.IndexOf("/CreationDate(D:", StringComparison.Ordinal);
        Assert.True(index >= 0, "no /CreationDate in the PDF");
        var year = text.Substring(index + "/CreationDate(D:".Length, 4);
        Assert.Equal(SampleAnnex.Release.UtcDateTime.Year.ToString(CultureInfo.InvariantCulture), year);
    }

    [Fact]
    public void Special_files_are_told_from_regular_files()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new ContributionIndex.Tests.Ingest.TempDirectory();
        File.WriteAllText(dir.File("a.csv"), "x\n");
        Assert.Null(SpecialFiles.Describe(dir.File("a.csv")));
        Assert.Null(SpecialFiles.Describe(dir.Path));
        Assert.Null(SpecialFiles.Describe(dir.File("missing.csv")));
        Assert.Equal("a character device", SpecialFiles.Describe("/dev/zero"));
    }

    [Fact]
    public async Task A_device_or_fifo_as_input_is_refused_naming_the_file_instead_of_hanging()
    {
        if (OperatingSystem.IsWindows()) return;
        var ex = Assert.Throws<InputDataException>(() => ContributionIndex.Ingest.TabularFile.Open("/dev/zero"));
        Assert.Contains("character device", ex.Message, StringComparison.Ordinal);
        Assert.Equal("/dev/zero", ex.Location.File);

        using var dir = new ContributionIndex.Tests.Ingest.TempDirectory();
        var fifo = dir.File("pipe.csv");
        using (var mk = System.Diagnostics.Process.Start("mkfifo", [fifo])) mk.WaitForExit();
        var task = Task.Run(() => Assert.Throws<InputDataException>(() => ContributionIndex.Ingest.TabularFile.Open(fifo)));
        var fifoError = await task.WaitAsync(TimeSpan.FromSeconds(20)); // a hang fails by timeout
        Assert.Contains("named pipe", fifoError.Message, StringComparison.Ordinal);

        var study = Assert.Throws<StudyFileException>(() => StudyLoader.Load("/dev/zero"));
        Assert.Contains("character device", study.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_record_longer_than_the_limit_is_refused_naming_file_and_line()
    {
        using var dir = new ContributionIndex.Tests.Ingest.TempDirectory();
        var options = new ContributionIndex.Ingest.TabularOptions { MaxCsvRecordBytes = 64 * 1024 };
        File.WriteAllText(dir.File("long.csv"), "a,b\n1,2\n3," + new string('x', 1_000_000) + "\n5,6\n");
        var ex = Assert.Throws<InputDataException>(() =>
        {
            using var reader = ContributionIndex.Ingest.TabularFile.Open(dir.File("long.csv"), options);
            foreach (var row in reader.ReadRows()) _ = row;
        });
        Assert.Contains("record size limit", ex.Message, StringComparison.Ordinal);
        Assert.Equal((dir.File("long.csv"), 3L), (ex.Location.File, ex.Location.Line));

        File.WriteAllText(dir.File("zeros.csv"), new string('0', 1_000_000));
        var header = Assert.Throws<InputDataException>(() => ContributionIndex.Ingest.TabularFile.Open(dir.File("zeros.csv"), options).Dispose());
        Assert.Contains("record size limit", header.Message, StringComparison.Ordinal);
        Assert.Equal(1L, header.Location.Line);
    }

    /// <summary>A Parquet file of one row group: 40 rows of a text id and a double.</summary>
    private static async Task WriteSmallParquet(string path)
    {
        var id = new Parquet.Schema.DataField<string>("id");
        var hours = new Parquet.Schema.DataField<double>("hours");
        await using var stream = File.Create(path);
        await using var writer = await Parquet.ParquetWriter.CreateAsync(new Parquet.Schema.ParquetSchema(id, hours), stream);
        using var group = writer.CreateRowGroup();
        await group.WriteAsync(id, Enumerable.Range(1, 40).Select(i => "P" + i.ToString(CultureInfo.InvariantCulture)).ToArray());
        await group.WriteAsync<double>(hours, Enumerable.Range(1, 40).Select(i => i * 1.5).ToArray());
        group.CompleteValidate();
    }

    [Fact]
    public async Task A_flipped_bit_anywhere_in_a_parquet_file_is_an_input_error_naming_the_file()
    {
        using var dir = new ContributionIndex.Tests.Ingest.TempDirectory();
        var clean = dir.File("clean.parquet");
        await WriteSmallParquet(clean);

        var bytes = await File.ReadAllBytesAsync(clean);
        var damaged = dir.File("damaged.parquet");
        var unexplained = new List<string>();
        // Bits flipped in the data pages (the first row group's pages follow the 4-byte magic); the footer has its own test.
        foreach (var offset in new[] { 20, 40, 60, 100, 140 })
        {
            var copy = (byte[])bytes.Clone();
            copy[offset] ^= 0x10;
            await File.WriteAllBytesAsync(damaged, copy);
            try
            {
                using var reader = ContributionIndex.Ingest.TabularFile.Open(damaged);
                foreach (var row in reader.ReadRows()) _ = row;
            }
            catch (InputDataException ex) when (ex.Location.File == damaged)
            {
            }
            catch (Exception ex)
            {
                unexplained.Add($"byte {offset}: {ex.GetType().Name}: {ex.Message}");
            }
        }

        Assert.Empty(unexplained);
    }

    [Fact]
    public async Task Flipping_any_byte_of_a_parquet_footer_is_an_input_error_naming_the_file_quickly()
    {
        using var dir = new ContributionIndex.Tests.Ingest.TempDirectory();
        var clean = dir.File("clean.parquet");
        await WriteSmallParquet(clean);

        var bytes = await File.ReadAllBytesAsync(clean);
        var footerStart = bytes.Length - 8 - BitConverter.ToInt32(bytes, bytes.Length - 8);
        var damaged = dir.File("damaged.parquet");
        var unexplained = new List<string>();
        var errors = 0;
        // Every byte of the footer metadata, its length and the closing magic, with three flips each: the lowest bit,
        // the highest bit (a varint's continuation) and all bits. Before the footer check, flipping the metadata's last
        // byte (its stop byte) made Parquet.Net read on for ever, and schema flips escaped as internal errors.
        foreach (var mask in new byte[] { 0x01, 0x80, 0xFF })
        {
            for (var offset = footerStart; offset < bytes.Length; offset++)
            {
                var copy = (byte[])bytes.Clone();
                copy[offset] ^= mask;
                await File.WriteAllBytesAsync(damaged, copy);
                var read = Task.Run(() =>
                {
                    try
                    {
                        using var reader = ContributionIndex.Ingest.TabularFile.Open(damaged);
                        foreach (var row in reader.ReadRows()) _ = row;
                        return null;
                    }
                    catch (InputDataException ex) when (ex.Location.File == damaged)
                    {
                        errors++;
                        return null;
                    }
                    catch (Exception ex)
                    {
                        return $"byte {offset} ^ 0x{mask:X2}: {ex.GetType().Name}: {ex.Message}";
                    }
                });
                // A generous per-file bound (one read takes milliseconds): a regression guard against a hang, not a benchmark.
                if (await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(30))) != read)
                {
                    unexplained.Add($"byte {offset} ^ 0x{mask:X2}: still reading after 30 s");
                    break;
                }

                if (await read is { } problem) unexplained.Add(problem);
            }
        }

        Assert.Empty(unexplained);
        // Parquet has no checksum: a flip in a statistic or an unused field reads as a (different) valid file. Most
        // flips break the structure and are refused (380 of the 795 when written).
        Assert.True(errors > bytes.Length - footerStart, $"only {errors} flips were refused");
    }

    [Fact]
    public void A_legacy_xls_workbook_is_refused_by_its_magic_bytes_and_parquet_is_recognised_by_them()
    {
        using var dir = new ContributionIndex.Tests.Ingest.TempDirectory();
        byte[] ole2 = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0, 1, 2, 3, 0xFF, 0xFE];
        foreach (var name in new[] { "data.xls", "data.csv" })
        {
            File.WriteAllBytes(dir.File(name), ole2);
            var ex = Assert.Throws<InputDataException>(() => ContributionIndex.Ingest.TabularFile.Open(dir.File(name)).Dispose());
            Assert.Contains("Excel 97", ex.Message, StringComparison.Ordinal);
            Assert.Equal(dir.File(name), ex.Location.File);
        }
    }

    [Fact]
    public void A_nul_in_an_argument_is_a_usage_error_naming_the_argument()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = ContributionIndex.Cli.Program.Run(["validate", "stu\0dy.yaml"], stdout, stderr);
        Assert.Equal(ContributionIndex.Cli.ExitCodes.UsageError, code);
        Assert.Contains("argument 2 contains a NUL character", stderr.ToString(), StringComparison.Ordinal);
    }
}
