using System.Globalization;
using ContributionIndex.Ingest;
using Xunit;

namespace ContributionIndex.Tests.Ingest.StatFiles;

/// <summary>
/// Every SPSS and Stata fixture (written by R haven/foreign and GNU PSPP, tests/r/stat-files.R) read cell by cell and
/// compared with the CSV twin the same script wrote: values, missing values (empty), value labels, variable labels.
/// </summary>
public sealed class StatFileTwinTests
{
    internal static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "statfiles");

    public static TheoryData<string, string, string> Fixtures() => new()
    {
        { "survey-none.sav", "survey-none", "sav" },
        { "survey-byte.sav", "survey-byte", "sav" },
        { "survey.zsav", "survey-zsav", "sav" },
        { "pspp-cp1251.sav", "pspp-cp1251", "sav" },
        { "survey-114-cp1251.dta", "survey-114-cp1251", "dta" },
        { "survey-115.dta", "survey-115", "dta" },
        { "survey-117.dta", "survey-117", "dta" },
        { "survey-118.dta", "survey-118", "dta" },
        { "survey-119.dta", "survey-119", "dta" },
    };

    internal static List<string[]> ReadCsv(string path, out IReadOnlyList<string> headers)
    {
        using var reader = TabularFile.Open(path, TabularOptions.Default with { Encoding = "utf-8", Delimiter = ",", Decimal = ".", AllowNoDataRows = true });
        headers = reader.Headers;
        return [.. reader.ReadRows().Select(r => r.Fields.ToArray())];
    }

    private static bool SameCell(string expected, string actual) =>
        double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var e)
            ? double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) && a.Equals(e)
            : string.Equals(expected, actual, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Every_cell_equals_the_twin(string file, string twin, string format)
    {
        // The 114 file is Windows-1251 without any encoding mark: it is read as Russian Stata 10 users have it.
        var options = file.Contains("114", StringComparison.Ordinal) ? TabularOptions.Default with { Encoding = "windows-1251" } : TabularOptions.Default;
        var expected = ReadCsv(Path.Combine(Folder, twin + ".csv"), out var expectedHeaders);
        using var reader = TabularFile.Open(Path.Combine(Folder, file), options);
        Assert.Equal(format, reader.Format);
        Assert.Equal(expectedHeaders, reader.Headers);
        var rows = reader.ReadRows().Select(r => (r.Line, Fields: r.Fields.ToArray(), Numeric: Enumerable.Range(0, r.FieldCount).Select(r.IsNumericCell).ToArray())).ToList();
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(i + 1, rows[i].Line);
            for (var c = 0; c < expectedHeaders.Count; c++)
            {
                Assert.True(SameCell(expected[i][c], rows[i].Fields[c]),
                    $"{file} case {i + 1} {expectedHeaders[c]}: expected '{expected[i][c]}', read '{rows[i].Fields[c]}'");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Value_and_variable_labels_equal_the_twin(string file, string twin, string format)
    {
        _ = format;
        var options = file.Contains("114", StringComparison.Ordinal) ? TabularOptions.Default with { Encoding = "windows-1251" } : TabularOptions.Default;
        var labels = ReadCsv(Path.Combine(Folder, twin + ".labels.csv"), out _);
        var vars = ReadCsv(Path.Combine(Folder, twin + ".vars.csv"), out _);
        using var reader = TabularFile.Open(Path.Combine(Folder, file), options);
        var actual = reader.Variables.SelectMany(v => v.ValueLabels.Select(l => (v.Name, l.Key, l.Value))).ToList();
        Assert.Equal(labels.Count, actual.Count);
        foreach (var label in labels)
        {
            Assert.Contains(actual, a => a.Name == label[0] && SameCell(label[1], a.Key) && a.Value == label[2]);
        }

        Assert.Equal(vars.Count, reader.Variables.Count);
        for (var i = 0; i < vars.Count; i++)
        {
            Assert.Equal(vars[i][0], reader.Variables[i].Name);
            Assert.Equal(vars[i][1], reader.Variables[i].Label ?? "");
            Assert.Equal(vars[i][2] == "true", reader.Variables[i].IsNumeric);
        }
    }

    [Fact]
    public void The_encoding_and_weight_come_from_the_file()
    {
        using var pspp = TabularFile.Open(Path.Combine(Folder, "pspp-cp1251.sav"));
        Assert.Equal("windows-1251", pspp.EncodingName);
        Assert.Equal("hours", pspp.WeightColumn);
        using var haven = TabularFile.Open(Path.Combine(Folder, "survey-byte.sav"));
        Assert.Equal("utf-8", haven.EncodingName);
        Assert.Null(haven.WeightColumn);
    }

    [Fact]
    public void A_declared_format_and_the_magic_bytes_decide_not_the_extension()
    {
        var copy = Path.Combine(Path.GetTempPath(), $"statfile-{Guid.NewGuid():N}.csv");
        File.Copy(Path.Combine(Folder, "survey-118.dta"), copy);
        try
        {
            using var reader = TabularFile.Open(copy);
            Assert.Equal("dta", reader.Format);
            using var declared = TabularFile.Open(Path.Combine(Folder, "survey.zsav"), TabularOptions.Default with { Format = "sav" });
            Assert.Equal("sav", declared.Format);
        }
        finally
        {
            File.Delete(copy);
        }
    }
}
