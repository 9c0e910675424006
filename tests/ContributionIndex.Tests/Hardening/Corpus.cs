using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using ClosedXML.Excel;
using ContributionIndex.Ingest;

namespace ContributionIndex.Tests.Hardening;

/// <summary>One entry of TestData/hardening/corpus.csv: a malformed or tricky input and its documented outcome.</summary>
public sealed record CorpusEntry(
    int Id, string File, string Options, string Outcome, string Rule, long Line, int Column, int Exit, long Read, long Rejected, string Note)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Id:00} {File}");

    /// <summary>The input options as study-file keys (encoding, delimiter, decimal, thousands, format), without tolerance.</summary>
    public IReadOnlyList<(string Key, string Value)> InputOptions =>
        [.. Pairs().Where(p => p.Key != "tolerance")];

    /// <summary>The rejection tolerance of the run (1 unless the entry says otherwise).</summary>
    public string Tolerance => Pairs().FirstOrDefault(p => p.Key == "tolerance").Value ?? "1";

    private IEnumerable<(string Key, string Value)> Pairs() =>
        Options.Split('|', StringSplitOptions.RemoveEmptyEntries).Select(o => (o[..o.IndexOf('=')], o[(o.IndexOf('=') + 1)..]));
}

/// <summary>Loads the corpus manifest (with the library's own tabular reader) and materialises entries in a scratch folder.</summary>
internal static class Corpus
{
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "TestData", "hardening");

    public static IReadOnlyList<CorpusEntry> Entries { get; } = Load();

    public static TheoryData<CorpusEntry> All()
    {
        var data = new TheoryData<CorpusEntry>();
        foreach (var entry in Entries) data.Add(entry);
        return data;
    }

    private static List<CorpusEntry> Load()
    {
        using var reader = TabularFile.Open(Path.Combine(Folder, "corpus.csv"), new TabularOptions { Delimiter = ",", Encoding = "utf-8", Decimal = "." });
        var entries = new List<CorpusEntry>();
        foreach (var row in reader.ReadRows())
        {
            Assert.Empty(row.Problems);
            int Int(int i) => int.Parse(row[i], CultureInfo.InvariantCulture);
            entries.Add(new CorpusEntry(Int(0), row[1], row[2], row[3], row[4], Int(5), Int(6), Int(7), Int(8), Int(9), row[10]));
        }

        return entries;
    }

    /// <summary>
    /// Writes the entry's study and data into <paramref name="folder"/> and returns the study path. Data entries run
    /// with study.template.yaml; study-file entries are copied beside clean.csv and wages.csv.
    /// </summary>
    public static string Materialise(CorpusEntry entry, string folder)
    {
        File.Copy(Path.Combine(Folder, "wages.csv"), Path.Combine(folder, "wages.csv"));
        File.Copy(Path.Combine(Folder, "clean.csv"), Path.Combine(folder, "clean.csv"), overwrite: true);
        var name = entry.File.StartsWith("gen:", StringComparison.Ordinal) ? entry.File[4..] : entry.File;
        if (entry.Outcome == "study-error")
        {
            var studyPath = Path.Combine(folder, name);
            if (File.Exists(Path.Combine(Folder, name))) File.Copy(Path.Combine(Folder, name), studyPath);
            return studyPath;
        }

        var dataPath = Path.Combine(folder, name);
        if (entry.File.StartsWith("gen:", StringComparison.Ordinal)) Generate(name, dataPath);
        else File.Copy(Path.Combine(Folder, name), dataPath, overwrite: true);
        return WriteStudy(folder, name, entry.InputOptions, entry.Tolerance);
    }

    public static string WriteStudy(string folder, string dataFile, IEnumerable<(string Key, string Value)> options, string tolerance)
    {
        var template = File.ReadAllText(Path.Combine(Folder, "study.template.yaml"));
        var optionLines = string.Concat(options.Select(o => $"    {o.Key}: \"{o.Value}\"\n"));
        var study = template.Replace("{{path}}", dataFile, StringComparison.Ordinal)
            .Replace("{{options}}\n", optionLines, StringComparison.Ordinal)
            .Replace("{{tolerance}}", tolerance, StringComparison.Ordinal);
        var path = Path.Combine(folder, "study.yaml");
        File.WriteAllText(path, study);
        return path;
    }

    /// <summary>The rows of clean.csv (header first), read with the library's reader.</summary>
    public static IReadOnlyList<string[]> CleanTable()
    {
        using var reader = TabularFile.Open(Path.Combine(Folder, "clean.csv"));
        return [[.. reader.Headers], .. reader.ReadRows().Select(r => Enumerable.Range(0, r.FieldCount).Select(i => r[i]).ToArray())];
    }

    private static readonly HashSet<string> NumericColumns = ["w", "h", "age"];

    /// <summary>The entries the test builds instead of committing them (large or binary files).</summary>
    private static void Generate(string name, string path)
    {
        switch (name)
        {
            case "clean.xlsx":
                WriteXlsx(path, (_, _) => { });
                break;
            case "formula.xlsx":
                WriteXlsx(path, (sheet, _) => sheet.Cell("G3").FormulaA1 = "=2+2");
                break;
            case "error-cell.xlsx":
                WriteXlsx(path, (_, _) => { });
                InjectErrorCell(path, "C4", "#DIV/0!");
                break;
            case "zip-named.csv":
                WriteXlsx(path + ".xlsx", (_, _) => { });
                File.Move(path + ".xlsx", path);
                break;
            case "zip-bomb.xlsx":
                WriteZipBomb(path, 513L * 1024 * 1024);
                break;
            case "huge-field.csv":
                WriteHugeField(path, ContributionIndex.Diagnostics.InputLimits.MaxFieldChars);
                break;
            case "field-over-limit.csv":
                WriteHugeField(path, 5 * 1024 * 1024);
                break;
            default:
                throw new ArgumentException($"no generator for {name}", nameof(name));
        }
    }

    private static void WriteXlsx(string path, Action<IXLWorksheet, IReadOnlyList<string[]>> change)
    {
        var table = CleanTable();
        using var workbook = new XLWorkbook();
        var sheet = workbook.AddWorksheet("data");
        for (var r = 0; r < table.Count; r++)
        {
            for (var c = 0; c < table[r].Length; c++)
            {
                var text = table[r][c];
                var cell = sheet.Cell(r + 1, c + 1);
                if (r > 0 && NumericColumns.Contains(table[0][c]) && text.Length > 0)
                    cell.Value = double.Parse(text, CultureInfo.InvariantCulture);
                else
                    cell.SetValue(text);
            }
        }

        change(sheet, table);
        workbook.SaveAs(path);
    }

    /// <summary>Replaces a cell of the first sheet by a true error cell (<c>t="e"</c>), as Excel writes #DIV/0!.</summary>
    private static void InjectErrorCell(string path, string reference, string error)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Update);
        var entry = zip.GetEntry("xl/worksheets/sheet1.xml")!;
        string xml;
        using (var reader = new StreamReader(entry.Open())) xml = reader.ReadToEnd();
        var pattern = new Regex($"<(?<p>\\w+:)?c r=\"{reference}\"[^>]*?(/>|>.*?</\\k<p>c>)");
        Assert.Matches(pattern, xml);
        xml = pattern.Replace(xml, m => $"<{m.Groups["p"].Value}c r=\"{reference}\" t=\"e\"><{m.Groups["p"].Value}v>{error}</{m.Groups["p"].Value}v></{m.Groups["p"].Value}c>", 1);
        entry.Delete();
        using var writer = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml").Open(), new UTF8Encoding(false));
        writer.Write(xml);
    }

    /// <summary>A zip of a few KB that declares (and really inflates to) more than the 512 MiB cap.</summary>
    private static void WriteZipBomb(string path, long inflatedBytes)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        var zeros = new byte[1 << 20];
        using var stream = zip.CreateEntry("xl/worksheets/sheet1.xml", CompressionLevel.Fastest).Open();
        for (long written = 0; written < inflatedBytes; written += zeros.Length) stream.Write(zeros);
    }

    /// <summary>clean.csv with the activity text of the first data row replaced by <paramref name="size"/> characters.</summary>
    private static void WriteHugeField(string path, int size)
    {
        var table = CleanTable();
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false)) { NewLine = "\n" };
        for (var r = 0; r < table.Count; r++)
        {
            var cells = table[r].Select(c => c.IndexOfAny([',', '"', '\n']) >= 0 ? '"' + c.Replace("\"", "\"\"", StringComparison.Ordinal) + '"' : c).ToArray();
            if (r == 1) cells[^1] = new string('x', size);
            writer.WriteLine(string.Join(',', cells));
        }
    }
}
