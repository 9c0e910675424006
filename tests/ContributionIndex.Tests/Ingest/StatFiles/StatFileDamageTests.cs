using System.Buffers.Binary;
using System.Text;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using Xunit;

namespace ContributionIndex.Tests.Ingest.StatFiles;

/// <summary>
/// Damaged SPSS and Stata files, made by mutating the good fixtures in code: each is one <see cref="InputDataException"/>
/// naming the file and the byte offset (or case), never an end-of-stream or index exception.
/// </summary>
public sealed class StatFileDamageTests
{
    private static byte[] Fixture(string name) => File.ReadAllBytes(Path.Combine(StatFileTwinTests.Folder, name));

    private static InputDataException Read(byte[] bytes, string extension, TabularOptions? options = null)
    {
        var path = Path.Combine(Path.GetTempPath(), $"damaged-{Guid.NewGuid():N}{extension}");
        File.WriteAllBytes(path, bytes);
        try
        {
            return Assert.Throws<InputDataException>(() =>
            {
                using var reader = TabularFile.Open(path, options);
                foreach (var row in reader.ReadRows()) _ = row.Fields;
            });
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static int IndexOf(byte[] bytes, ReadOnlySpan<byte> pattern, int from = 0)
    {
        var at = bytes.AsSpan(from).IndexOf(pattern);
        Assert.True(at >= 0, "pattern not found in the fixture");
        return from + at;
    }

    private static void AssertNamesFileAndOffset(InputDataException ex, string expected)
    {
        Assert.Contains("damaged-", ex.Message, StringComparison.Ordinal);
        Assert.Contains("byte offset", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("survey-none.sav")]
    [InlineData("survey-byte.sav")]
    [InlineData("survey.zsav")]
    [InlineData("pspp-cp1251.sav")]
    public void A_truncated_sav_is_refused(string name)
    {
        var bytes = Fixture(name);
        var ex = Read(bytes[..(bytes.Length * 2 / 3)], ".sav");
        Assert.Contains("damaged-", ex.Message, StringComparison.Ordinal);
        Assert.Contains("byte offset", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("survey-114-cp1251.dta")]
    [InlineData("survey-115.dta")]
    [InlineData("survey-117.dta")]
    [InlineData("survey-118.dta")]
    [InlineData("survey-119.dta")]
    public void A_truncated_dta_is_refused(string name)
    {
        var bytes = Fixture(name);
        var ex = Read(bytes[..(bytes.Length * 2 / 3)], ".dta");
        Assert.Contains("damaged-", ex.Message, StringComparison.Ordinal);
        Assert.Contains("byte offset", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_declared_sav_with_the_wrong_magic_is_refused()
    {
        var bytes = Fixture("survey-none.sav");
        "XXXX"u8.CopyTo(bytes);
        AssertNamesFileAndOffset(Read(bytes, ".sav", TabularOptions.Default with { Format = "sav" }), "signature");
        AssertNamesFileAndOffset(Read(bytes, ".dta", TabularOptions.Default with { Format = "dta" }), "not a Stata file");
    }

    [Fact]
    public void An_absurd_declared_case_count_is_refused_before_any_row()
    {
        var sav = Fixture("survey-none.sav");
        BinaryPrimitives.WriteInt32LittleEndian(sav.AsSpan(80), int.MaxValue);
        AssertNamesFileAndOffset(Read(sav, ".sav"), "declares 2147483647 cases");

        var dta = Fixture("survey-118.dta");
        var n = IndexOf(dta, "<N>"u8) + 3;
        BinaryPrimitives.WriteInt64LittleEndian(dta.AsSpan(n), 10_000_000_000);
        AssertNamesFileAndOffset(Read(dta, ".dta"), "declares 10000000000 observations");
    }

    [Fact]
    public void A_zsav_block_that_overruns_is_refused()
    {
        var bytes = Fixture("survey.zsav");
        // The zlib data header follows the dictionary termination record (999, 0) and names itself first.
        var header = IndexOf(bytes, [0xE7, 0x03, 0, 0, 0, 0, 0, 0]) + 8;
        Assert.Equal(header, BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(header)));
        var trailer = (int)BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(header + 8));
        var compressedSize = trailer + 24 + 20;
        var overrun = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(overrun.AsSpan(compressedSize), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(compressedSize)) + 100_000);
        AssertNamesFileAndOffset(Read(overrun, ".zsav"), "overruns");

        // A block whose data inflate to more than its index declares.
        var larger = (byte[])bytes.Clone();
        var uncompressedSize = trailer + 24 + 16;
        BinaryPrimitives.WriteInt32LittleEndian(larger.AsSpan(uncompressedSize), BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(uncompressedSize)) - 8);
        AssertNamesFileAndOffset(Read(larger, ".zsav"), "overruns");
    }

    [Fact]
    public void A_value_label_table_pointing_at_a_missing_variable_is_refused()
    {
        // pspp-cp1251.sav: the labels of sex (dictionary index 2) are followed by the record (4, 1 variable, index 2).
        var bytes = Fixture("pspp-cp1251.sav");
        var at = IndexOf(bytes, [4, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0], 176);
        var missing = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(missing.AsSpan(at + 8), 99);
        AssertNamesFileAndOffset(Read(missing, ".sav"), "points at variable 99, which does not exist");
        // Index 7 is a continuation record of the 20-byte string 'region' (records 6–8), not a variable.
        var continuation = (byte[])bytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(continuation.AsSpan(at + 8), 7);
        AssertNamesFileAndOffset(Read(continuation, ".sav"), "continuation");
    }

    [Fact]
    public void Text_the_declared_encoding_cannot_decode_is_refused()
    {
        var bytes = Fixture("pspp-cp1251.sav");
        var at = IndexOf(bytes, "WINDOWS-1251"u8);
        var utf8 = (byte[])bytes.Clone();
        "UTF-8\0\0\0\0\0\0\0"u8.CopyTo(utf8.AsSpan(at));
        AssertNamesFileAndOffset(Read(utf8, ".sav"), "cannot be decoded as utf-8");
        var unknown = (byte[])bytes.Clone();
        "NO-SUCH-CODE"u8.CopyTo(unknown.AsSpan(at));
        AssertNamesFileAndOffset(Read(unknown, ".sav"), "'NO-SUCH-CODE', which is not known");
    }

    [Fact]
    public void A_damaged_file_through_the_cli_is_one_error_line_exit_1_and_nothing_written()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"damaged-study-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var data = Path.Combine(folder, "survey_2023.sav");
        File.Copy(Path.Combine(StatFileTwinTests.Folder, "samples", "kg_lfs_volunteer_module_2023.sav"), data);
        var study = Path.Combine(folder, "study.yaml");
        var init = new StringWriter();
        Assert.Equal(0, ContributionIndex.Cli.Program.Run(["init", data, "--country", "KG", "--out", study], init, new StringWriter()));
        var bytes = File.ReadAllBytes(data);
        File.WriteAllBytes(data, bytes[..(bytes.Length / 2)]);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var output = Path.Combine(folder, "out");
        Assert.Equal(1, ContributionIndex.Cli.Program.Run(["value", study, "--out", output], stdout, stderr));
        var lines = stderr.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("error: survey_2023.sav: at byte offset ", line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any(), "nothing may be written for a damaged input");
        Directory.Delete(folder, recursive: true);
    }
}
