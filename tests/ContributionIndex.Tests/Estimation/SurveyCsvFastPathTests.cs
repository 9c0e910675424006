using System.Globalization;
using System.Text;
using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation;
using ContributionIndex.Ingest;

namespace ContributionIndex.Tests.Estimation;

/// <summary>
/// The survey CSV read from its bytes (<see cref="SurveyCsvFastPath"/>) against the row reader on the same file: every
/// number bit for bit, every label code and label, every model cell's text and number, the row filter; and files the fast
/// path must leave to the row reader (quotes, bad cells) give the row reader's result or error.
/// </summary>
public sealed class SurveyCsvFastPathTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "ci-fastcsv-" + Guid.NewGuid().ToString("N"));

    public SurveyCsvFastPathTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public static TheoryData<int, char, char, string, bool> Files() => new()
    {
        { 1, ',', '.', "\n", false },
        { 2, ',', '.', "\r\n", true },
        { 3, ';', ',', "\n", false },
        { 4, '\t', '.', "\r\n", false },
        { 5, ';', '.', "\n", true },
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void BytesReadEqualsRowReadOnRandomFiles(int seed, char delimiter, char decimalSeparator, string lineEnd, bool bom)
    {
        var path = RandomFile(seed, 2500, delimiter, decimalSeparator, lineEnd, bom, extra: null);
        var request = Request(path, where: new RowFilter("region", "r2"));
        string[] model = ["y", "sex", "x", "region", "count"];
        var fast = SurveySample.Read(request, model);
        var rows = SurveySample.Read(request, model, fastCsv: false);
        Assert.True(fast.ReadFromBytes);
        Assert.False(rows.ReadFromBytes);
        AssertSame(rows, fast);
    }

    [Fact]
    public void SlowNumberTextIsParsedAsTheRowReaderParsesIt()
    {
        // 17 significant digits, exponents, a leading '+', spaces and '-0' take TabularNumber.Parse; the rest the byte parser.
        var path = Path.Combine(folder, "numbers.csv");
        var lines = new StringBuilder("w,x,y,rep1,rep2\n");
        string[] xs = ["0.1", "123456789012345.6", "0.30000000000000004", "1e-3", "+2.5", " 7 ", "-0", "-12.75", "", "99999999999999999", "0.000001", "1234567.125"];
        for (int i = 0; i < xs.Length; i++) lines.Append(CultureInfo.InvariantCulture, $"{1 + i * 0.1:R},{xs[i]},{i % 2},1,2\n");
        File.WriteAllText(path, lines.ToString());
        var request = new QuickEstimateRequest { DataPath = path, Weights = "w", Means = ["x"], ReplicateWeights = "rep*", ReplicateType = ReplicateMethod.Bootstrap };
        var fast = SurveySample.Read(request, ["y", "x"]);
        var rows = SurveySample.Read(request, ["y", "x"], fastCsv: false);
        Assert.True(fast.ReadFromBytes);
        AssertSame(rows, fast);
        Assert.True(double.IsNegative(fast.Numbers["x"][6]));
        Assert.Equal(0.30000000000000004, fast.Numbers["x"][2]);
    }

    [Fact]
    public void CyrillicLabelsAndALastLineWithoutLineEndAreReadAsTheRowReaderReadsThem()
    {
        var path = Path.Combine(folder, "cyrillic.csv");
        var text = new StringBuilder("w;oblast;y;rep1;rep2\r\n");
        string[] oblasts = ["Алматы", "Астана", " Шымкент", "Қарағанды", ""];
        for (int i = 0; i < 3000; i++)
            text.Append(CultureInfo.InvariantCulture, $"{100 + i % 7},5;{oblasts[i % oblasts.Length]};{i % 2};{i % 3};{i % 4},25\r\n");
        text.Append("7;Алматы;1;1;1"); // no line end after the last line
        File.WriteAllText(path, text.ToString());
        var request = new QuickEstimateRequest { DataPath = path, Weights = "w", Totals = ["y"], By = ["oblast"], ReplicateWeights = "rep*", ReplicateType = ReplicateMethod.Bootstrap };
        var fast = SurveySample.Read(request, ["oblast", "y"]);
        var rows = SurveySample.Read(request, ["oblast", "y"], fastCsv: false);
        Assert.True(fast.ReadFromBytes);
        Assert.Equal(3001, fast.RowCount);
        Assert.Equal("Қарағанды", fast.Labels["oblast"].Values[3]);
        AssertSame(rows, fast);
    }

    [Fact]
    public void QuotedFieldLeavesTheFileToTheRowReader()
    {
        var path = RandomFile(7, 600, ',', '.', "\n", false, extra: (400, line =>
        {
            var fields = line.Split(',');
            fields[3] = "\"" + fields[3] + "\"";
            return string.Join(',', fields);
        }));
        var request = Request(path, where: null);
        var fast = SurveySample.Read(request, ["y", "region"]);
        var rows = SurveySample.Read(request, ["y", "region"], fastCsv: false);
        Assert.False(fast.ReadFromBytes);
        AssertSame(rows, fast);
    }

    [Fact]
    public void BadCellIsReportedByTheRowReaderWithItsLineAndColumn()
    {
        var path = RandomFile(8, 600, ',', '.', "\n", false, extra: (300, line => "-5" + line[line.IndexOf(',', StringComparison.Ordinal)..]));
        var request = Request(path, where: null);
        var fast = Assert.Throws<InputDataException>(() => SurveySample.Read(request, ["y"]));
        var rows = Assert.Throws<InputDataException>(() => SurveySample.Read(request, ["y"], fastCsv: false));
        Assert.Equal(rows.Message, fast.Message);
        Assert.Contains("302", fast.Message, StringComparison.Ordinal); // data row 300 is line 302 (header on line 1)
        Assert.Contains("negative", fast.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RaggedLineIsReportedByTheRowReader()
    {
        var path = RandomFile(9, 300, ',', '.', "\n", false, extra: (120, line => line + ",extra"));
        var request = Request(path, where: null);
        var fast = Assert.Throws<InputDataException>(() => SurveySample.Read(request, ["y"]));
        var rows = Assert.Throws<InputDataException>(() => SurveySample.Read(request, ["y"], fastCsv: false));
        Assert.Equal(rows.Message, fast.Message);
    }

    private static QuickEstimateRequest Request(string path, RowFilter? where) => new()
    {
        DataPath = path,
        Weights = "w",
        Strata = "stratum",
        Psu = "psu",
        Totals = ["x"],
        By = ["sex"],
        ReplicateWeights = "rep*",
        ReplicateType = ReplicateMethod.Bootstrap,
        Where = where,
    };

    /// <summary>A survey file: weights with 0–4 decimals, labels with stray spaces, a factor with gaps, an optional number with gaps and negatives, five replicate weights.</summary>
    private string RandomFile(int seed, int rows, char delimiter, char decimalSeparator, string lineEnd, bool bom, (int Row, Func<string, string> Edit)? extra)
    {
        var random = new Random(seed);
        string Number(double value, int decimals) => value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).Replace('.', decimalSeparator);
        var text = new StringBuilder();
        string d = delimiter.ToString();
        text.Append(string.Join(d, "w", "stratum", "psu", "sex", "region", "x", "y", "count", "rep1", "rep2", "rep3", "rep4", "rep5")).Append(lineEnd);
        for (int i = 0; i < rows; i++)
        {
            double w = 50 + random.NextDouble() * 200;
            string[] regions = ["r1", "r2", "r3", " r2", "", "r4 "];
            var fields = new List<string>
            {
                Number(w, random.Next(5)),
                "s" + random.Next(4).ToString(CultureInfo.InvariantCulture),
                "p" + random.Next(40).ToString(CultureInfo.InvariantCulture),
                random.Next(2) == 0 ? "F" : "M",
                regions[random.Next(regions.Length)],
                random.Next(10) == 0 ? "" : Number(random.NextDouble() * 40 - 10, random.Next(4)),
                random.Next(2).ToString(CultureInfo.InvariantCulture),
                random.Next(6).ToString(CultureInfo.InvariantCulture),
            };
            for (int k = 0; k < 5; k++) fields.Add(Number(w * random.Next(4) / 2.0, 2));
            var line = string.Join(d, fields);
            if (extra is { } edit && edit.Row == i) line = edit.Edit(line);
            text.Append(line).Append(lineEnd);
        }
        var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"survey-{seed}.csv"));
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(bom));
        return path;
    }

    private static void AssertSame(SurveySample expected, SurveySample actual)
    {
        Assert.Equal(expected.RowCount, actual.RowCount);
        Assert.Equal(expected.Numbers.Keys.Order(), actual.Numbers.Keys.Order());
        foreach (var (name, values) in expected.Numbers) AssertBits(values, actual.Numbers[name]);
        Assert.Equal(expected.ReplicateColumns.Length, actual.ReplicateColumns.Length);
        for (int r = 0; r < expected.ReplicateColumns.Length; r++) AssertBits(expected.ReplicateColumns[r], actual.ReplicateColumns[r]);
        Assert.Equal(expected.Labels.Keys.Order(), actual.Labels.Keys.Order());
        foreach (var (name, labels) in expected.Labels)
        {
            Assert.Equal(labels.Codes, actual.Labels[name].Codes);
            Assert.Equal(labels.Values, actual.Labels[name].Values);
        }
        Assert.Equal(expected.Include, actual.Include);
        Assert.Equal(expected.ModelColumns.Keys.Order(), actual.ModelColumns.Keys.Order());
        foreach (var (name, column) in expected.ModelColumns)
        {
            var other = actual.ModelColumns[name];
            AssertBits(column.Numbers, other.Numbers);
            Assert.Equal(column.Text, other.Text);
            Assert.Equal(column.AllNumbers, other.AllNumbers);
        }
    }

    private static void AssertBits(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]), $"row {i}: {expected[i]:R} vs {actual[i]:R}");
    }
}
