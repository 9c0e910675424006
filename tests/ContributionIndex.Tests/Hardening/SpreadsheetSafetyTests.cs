using System.Globalization;
using System.Text;
using ContributionIndex.Cli;
using ContributionIndex.Ingest;
using ContributionIndex.Tests.Ingest;

namespace ContributionIndex.Tests.Hardening;

/// <summary>
/// Input text that starts with = + - @ (or tab/CR) must never start a cell of a CSV output, where a spreadsheet would
/// run it as a formula. Every command that writes CSV runs on hostile input, and every cell of every CSV it writes is
/// checked: such a cell must be a number (e.g. -1.5) or be escaped with a leading apostrophe.
/// </summary>
public class SpreadsheetSafetyTests
{
    private static readonly string[] Hostile = ["=HYPERLINK(\"http://x\",\"y\")", "+7 701", "-2+3", "@SUM(A1)", "=1+1"];

    private static (int Exit, string Stderr) Cli(params string[] args)
    {
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var exit = Program.Run(args, stdout, stderr);
        return (exit, stderr.ToString());
    }

    /// <summary>Every cell of every CSV under <paramref name="folder"/> that a spreadsheet would take for a formula.</summary>
    internal static List<string> FormulaCells(string folder)
    {
        var found = new List<string>();
        foreach (var path in Directory.EnumerateFiles(folder, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            using var reader = TabularFile.Open(path, new TabularOptions { AllowNoDataRows = true, Decimal = "." });
            var rows = reader.ReadRows().Select(r => (r.Line, r.Fields)).Prepend((reader.HeaderLine, reader.Headers));
            foreach (var (line, fields) in rows)
            {
                for (var i = 0; i < fields.Count; i++)
                {
                    var cell = fields[i];
                    if (cell.Length == 0 || cell[0] is not ('=' or '+' or '-' or '@' or '\t' or '\r')) continue;
                    if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) continue;
                    found.Add($"{Path.GetFileName(path)}:{line}:{i + 1}: {cell}");
                }
            }
        }

        return found;
    }

    [Fact]
    public void The_scanner_finds_an_unescaped_formula_and_passes_numbers_and_escaped_text()
    {
        using var scratch = new TempDirectory();
        File.WriteAllText(scratch.File("a.csv"), "name,value\n=1+1,-1.5\n'=2+2,+3e5\n");
        Assert.Equal(["a.csv:2:1: =1+1"], FormulaCells(scratch.Path));
    }

    [Fact]
    public void Value_outputs_escape_hostile_ids_and_rejected_values()
    {
        using var scratch = new TempDirectory();
        var table = Corpus.CleanTable().Select(r => r.ToArray()).ToList();
        table[1][0] = Hostile[0]; // person_id of a valued record
        table[2][0] = Hostile[0];
        table[3][1] = Hostile[1]; // activity_id
        table[5][7] = Hostile[3]; // ISCO: rejected, the raw value goes to quarantine
        table[6][0] = Hostile[2];
        File.WriteAllText(scratch.File("data.csv"), string.Concat(table.Select(r => string.Join(',', r.Select(Quote)) + "\n")), new UTF8Encoding(false));
        File.Copy(Path.Combine(Corpus.Folder, "wages.csv"), scratch.File("wages.csv"));
        var study = Corpus.WriteStudy(scratch.Path, "data.csv", [], "1");
        var (exit, stderr) = Cli("value", study, "--out", scratch.File("out"));
        Assert.True(exit == 0, stderr);
        Assert.Empty(FormulaCells(scratch.File("out")));
        // The values are kept, only prefixed: nothing is lost.
        var valued = File.ReadAllText(scratch.File("out/valued_records.csv"));
        Assert.Contains("'" + Hostile[0].Replace("\"", "\"\"", StringComparison.Ordinal), valued, StringComparison.Ordinal);
        Assert.Contains("'" + Hostile[3], File.ReadAllText(scratch.File("out/quarantine.csv")), StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_output_escapes_hostile_domain_labels()
    {
        using var scratch = new TempDirectory();
        var table = Corpus.CleanTable().Select(r => r.ToArray()).ToList();
        for (var r = 1; r < table.Count; r++) table[r][9] = Hostile[r % Hostile.Length];
        File.WriteAllText(scratch.File("data.csv"), string.Concat(table.Select(r => string.Join(',', r.Select(Quote)) + "\n")), new UTF8Encoding(false));
        Directory.CreateDirectory(scratch.File("out"));
        var (exit, stderr) = Cli("estimate", "--data", scratch.File("data.csv"), "--weights", "w", "--total", "h", "--by", "sex", "--out", scratch.File("out/estimates.csv"));
        Assert.True(exit == 0, stderr);
        Assert.Empty(FormulaCells(scratch.File("out")));
    }

    [Fact]
    public void Index_outputs_escape_hostile_unit_and_indicator_names()
    {
        using var scratch = new TempDirectory();
        File.WriteAllText(scratch.File("framework.csv"), "indicator,pillar,direction,lower,upper,weight\n\"@ind\",\"=pillar\",+,0,10,\nplain,\"=pillar\",+,0,10,\n");
        var data = new StringBuilder("unit,indicator,value\n");
        foreach (var unit in new[] { "\"=1+1\"", "\"-KAZ\"", "\"+KGZ\"", "UZB" })
            data.Append(CultureInfo.InvariantCulture, $"{unit},\"@ind\",{unit.Length}\n{unit},plain,{unit.Length * 2}\n");
        File.WriteAllText(scratch.File("data.csv"), data.ToString());
        var (exit, stderr) = Cli("index", "--framework", scratch.File("framework.csv"), "--data", scratch.File("data.csv"), "--out", scratch.File("out"));
        Assert.True(exit == 0, stderr);
        Assert.NotEmpty(Directory.EnumerateFiles(scratch.File("out"), "*.csv"));
        Assert.Empty(FormulaCells(scratch.File("out")));
    }

    [Fact]
    public void Classify_output_and_review_queue_escape_hostile_input_columns()
    {
        using var scratch = new TempDirectory();
        var input = new StringBuilder("id,text\n");
        input.Append("\"=1+1\",\"=помощь соседям\"\n\"+7\",\"@тренер в секции\"\n\"-3\",\"-уборка снега\"\n");
        File.WriteAllText(scratch.File("input.csv"), input.ToString(), new UTF8Encoding(false));
        Directory.CreateDirectory(scratch.File("out"));
        var (exit, stderr) = Cli("classify", "--input", scratch.File("input.csv"), "--text-column", "text", "--out", scratch.File("out/coded.csv"));
        Assert.True(exit == 0, stderr);
        Assert.Empty(FormulaCells(scratch.File("out")));
        Assert.Contains("'=1+1", File.ReadAllText(scratch.File("out/coded.csv")), StringComparison.Ordinal);
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
