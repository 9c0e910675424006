using System.Globalization;
using System.Text;
using ContributionIndex.Ingest;
using ContributionIndex.Tests.Hardening;
using ContributionIndex.Tests.Ingest;
using FsCheck.Xunit;

namespace ContributionIndex.Tests.Properties;

/// <summary>
/// Properties of a whole <c>contrib value</c> run over random survey files written with the corpus study template
/// (TestData/hardening/study.template.yaml): row order, wage scaling and reruns.
/// </summary>
public class ValuationRunProperties
{
    private static readonly string[] Isco = ["9112", "2341", "3422", "5322", "2431", "9629", "0110", ""];

    /// <summary>Random survey rows (header first) in clean.csv's layout: 3–25 persons, some not volunteering.</summary>
    private static List<string[]> RandomRows(int seed)
    {
        var random = new Random(seed);
        var rows = new List<string[]> { Corpus.CleanTable()[0] };
        var persons = random.Next(3, 26);
        for (var p = 0; p < persons; p++)
        {
            var volunteered = random.Next(5) > 0;
            var weight = Math.Round(1 + random.NextDouble() * 3000, 3).ToString("R", CultureInfo.InvariantCulture);
            var hours = volunteered ? Math.Round(random.NextDouble() * 80, 2).ToString("R", CultureInfo.InvariantCulture) : "";
            rows.Add([
                (1000 + p).ToString(CultureInfo.InvariantCulture), volunteered ? "a" : "", weight, $"S{p % 2}", $"P{p % 4}",
                volunteered ? "да" : "нет", hours, volunteered ? Isco[random.Next(Isco.Length)] : "", "", random.Next(2) == 0 ? "ж" : "м",
                random.Next(15, 80).ToString(CultureInfo.InvariantCulture), volunteered ? "помощь" : "",
            ]);
        }

        return rows;
    }

    private static string Run(TempDirectory scratch, string name, IReadOnlyList<string[]> rows, double wageFactor = 1)
    {
        var folder = scratch.File(name);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "data.csv"), string.Concat(rows.Select(r => string.Join(',', r) + "\n")), new UTF8Encoding(false));
        var study = Corpus.WriteStudy(folder, "data.csv", [], "1");
        File.Copy(Path.Combine(Corpus.Folder, "wages.csv"), Path.Combine(folder, "wages.csv"));
        if (wageFactor != 1) ScaleWages(folder, study, wageFactor);
        var output = Path.Combine(folder, "out");
        var run = CorpusRun.Value(study, output);
        Assert.True(run.Exit == 0, run.Stderr);
        return output;
    }

    /// <summary>Multiplies every wage of the study (wage table, generalist, average and minimum wage) by <paramref name="factor"/>.</summary>
    private static void ScaleWages(string folder, string study, double factor)
    {
        var wages = Path.Combine(folder, "wages.csv");
        var lines = File.ReadAllLines(wages);
        for (var i = 1; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            cells[1] = (double.Parse(cells[1], CultureInfo.InvariantCulture) * factor).ToString("R", CultureInfo.InvariantCulture);
            lines[i] = string.Join(',', cells);
        }

        File.WriteAllText(wages, string.Join('\n', lines) + "\n");
        var text = File.ReadAllText(study);
        foreach (var key in new[] { "generalist_wage", "average_hourly_wage", "minimum_hourly_wage" })
        {
            var at = text.IndexOf(key + ": { value: ", StringComparison.Ordinal) + key.Length + ": { value: ".Length;
            var end = text.IndexOf(',', at);
            var value = double.Parse(text[at..end], CultureInfo.InvariantCulture) * factor;
            text = text[..at] + value.ToString("R", CultureInfo.InvariantCulture) + text[end..];
        }

        File.WriteAllText(study, text);
    }

    private static List<string[]> ReadCsv(string path)
    {
        using var reader = TabularFile.Open(path, new TabularOptions { Encoding = "utf-8", Delimiter = ",", Decimal = ".", AllowNoDataRows = true });
        return [[.. reader.Headers], .. reader.ReadRows().Select(r => r.Fields.ToArray())];
    }

    [Property(MaxTest = 15)]
    public void Reruns_are_byte_identical(int seed)
    {
        using var scratch = new TempDirectory();
        var rows = RandomRows(seed);
        var first = Run(scratch, "a", rows);
        var second = Run(scratch, "b", rows);
        foreach (var file in Directory.GetFiles(first).Select(Path.GetFileName))
            Assert.True(File.ReadAllBytes(Path.Combine(first, file!)).SequenceEqual(File.ReadAllBytes(Path.Combine(second, file!))), $"{file} differs between reruns");
    }

    [Property(MaxTest = 15)]
    public void Summaries_do_not_depend_on_row_order(int seed)
    {
        using var scratch = new TempDirectory();
        var rows = RandomRows(seed);
        var shuffle = new Random(~seed);
        List<string[]> shuffled = [rows[0], .. rows.Skip(1).OrderBy(_ => shuffle.Next())];
        var a = Run(scratch, "a", rows);
        var b = Run(scratch, "b", shuffled);
        foreach (var name in new[] { "summary.csv", "method_range.csv" })
        {
            var x = ReadCsv(Path.Combine(a, name));
            var y = ReadCsv(Path.Combine(b, name));
            Assert.Equal(x.Count, y.Count);
            for (var r = 0; r < x.Count; r++)
            for (var c = 0; c < x[r].Length; c++)
                AssertSameNumberOrText(x[r][c], y[r][c], 1e-12, $"{name} row {r} column {x[0][c]}");
        }
    }

    [Property(MaxTest = 15)]
    public void Doubling_every_wage_doubles_every_value(int seed)
    {
        using var scratch = new TempDirectory();
        var rows = RandomRows(seed);
        var single = ReadCsv(Path.Combine(Run(scratch, "a", rows), "summary.csv"));
        var doubled = ReadCsv(Path.Combine(Run(scratch, "b", rows, wageFactor: 2), "summary.csv"));
        Assert.Equal(single.Count, doubled.Count);
        var header = single[0];
        for (var r = 1; r < single.Count; r++)
        for (var c = 0; c < header.Length; c++)
        {
            if (header[c].StartsWith("value_", StringComparison.Ordinal) || header[c] == "share_of_gdp_percent")
            {
                // ×2 is exact in binary floating point, so the doubled run must give exactly twice each value.
                if (single[r][c].Length == 0) Assert.Equal("", doubled[r][c]);
                else Assert.Equal(2 * double.Parse(single[r][c], CultureInfo.InvariantCulture), double.Parse(doubled[r][c], CultureInfo.InvariantCulture));
            }
            else
            {
                Assert.Equal(single[r][c], doubled[r][c]); // hours, volunteers, FTE do not depend on wages
            }
        }
    }

    private static void AssertSameNumberOrText(string a, string b, double tolerance, string where)
    {
        if (a == b) return;
        var parsed = double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x);
        parsed &= double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y);
        Assert.True(parsed, $"{where}: '{a}' vs '{b}'");
        Assert.True(Math.Abs(x - y) <= tolerance * Math.Max(1, Math.Abs(x)), $"{where}: {x:R} vs {y:R}");
    }
}
