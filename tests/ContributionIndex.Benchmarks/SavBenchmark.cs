using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;

namespace ContributionIndex.Benchmarks;

/// <summary>
/// Section h. (#18): the same survey data as an uncompressed SPSS <c>.sav</c> (about 2.4 GB: 500,000 cases × 300
/// variables) and as CSV, each read by <c>contrib validate</c> through one study (the input's path and format differ,
/// nothing else), both measured in one run. The 24 survey columns cycle the Kyrgyzstan sample's rows (person ids made
/// unique); 200 numeric and 76 text filler variables make the width. The files are deleted after the run.
/// </summary>
internal static partial class Program
{
    private const string SavHeading = "## h. SPSS .sav vs the same data as CSV through one study";

    private static void Sav(StringBuilder report, string work, int cases)
    {
        var folder = Path.Combine(work, string.Create(Inv, $"sav-{cases}"));
        Directory.CreateDirectory(folder);
        var csv = Path.Combine(folder, "survey_2023.csv");
        var sav = Path.Combine(folder, "survey_2023.sav");
        try
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            WriteSavAndCsv(cases, csv, sav);
            Console.WriteLine($"wrote {csv} and {sav}: {clock.Elapsed.TotalSeconds:F1} s");
            // One study: proposed by `contrib init` for the CSV, then pointed at the .sav for the second run.
            var csvStudy = Path.Combine(folder, "csv.yaml");
            var yaml = StudyScaffold.Propose(csv, csvStudy, "survey", "KG").Yaml;
            File.WriteAllText(csvStudy, yaml);
            var savYaml = string.Join('\n', yaml.Split('\n')
                .Where(l => !l.StartsWith("    encoding:", StringComparison.Ordinal) && !l.StartsWith("    delimiter:", StringComparison.Ordinal) && !l.StartsWith("    decimal:", StringComparison.Ordinal))
                .Select(l => l == "    path: \"survey_2023.csv\"" ? "    path: \"survey_2023.sav\"" : l == "    format: csv" ? "    format: sav" : l));
            var savStudy = Path.Combine(folder, "sav.yaml");
            File.WriteAllText(savStudy, savYaml);

            Console.WriteLine($"load average before the runs: {LoadAverage()}");
            var fromCsv = Child("dotnet", [ContribDll(), "validate", csvStudy], folder);
            var fromSav = Child("dotnet", [ContribDll(), "validate", savStudy], folder);
            if (fromCsv.ExitCode != 0 || fromSav.ExitCode != 0) throw new InvalidOperationException("contrib validate failed: " + fromCsv.Output + fromSav.Output);
            static string Counts(string output) => string.Join('\n', output.Split('\n').Where(l => l.Contains("read ", StringComparison.Ordinal)));
            var same = Counts(fromCsv.Output) == Counts(fromSav.Output);
            var ratio = fromCsv.Seconds / fromSav.Seconds;
            var cpuRatio = fromCsv.Cpu / fromSav.Cpu;
            report.AppendLine(SavHeading).AppendLine();
            report.AppendLine(Inv, $"Input: {cases:N0} cases × 300 variables (24 survey columns of the Kyrgyzstan sample, 200 numeric and 76 40-byte text fillers): .sav uncompressed {new FileInfo(sav).Length / 1e9:N2} GB, CSV {new FileInfo(csv).Length / 1e9:N2} GB (written by the harness, deleted after the runs). Load average after the runs: {LoadAverage()}.").AppendLine();
            report.AppendLine("| run | time (s) | peak memory |");
            report.AppendLine("|---|---|---|");
            report.AppendLine(Inv, $"| `contrib validate` on the CSV | {fromCsv.Seconds:F2} ({fromCsv.Cpu:F1}) | {fromCsv.PeakBytes / 1e6:N0} MB |");
            report.AppendLine(Inv, $"| `contrib validate` on the .sav | {fromSav.Seconds:F2} ({fromSav.Cpu:F1}) | {fromSav.PeakBytes / 1e6:N0} MB |");
            report.AppendLine();
            report.AppendLine(Inv, $"- same read/accepted/rejected/valued counts from both: **{(same ? "yes" : "NO")}**");
            report.AppendLine(Inv, $"- .sav speed / CSV speed = {ratio:F2} wall, {cpuRatio:F2} CPU (target ≥ 0.5: wall **{Met(ratio >= 0.5)}**, CPU **{Met(cpuRatio >= 0.5)}**); .sav {cases / fromSav.Seconds:N0} cases/s");
            report.AppendLine(Inv, $"- .sav peak memory {fromSav.PeakBytes / 1e6:N0} MB for a {new FileInfo(sav).Length / 1e9:N2} GB file (bounded: one case buffer; rows are streamed)");
            report.AppendLine();
        }
        finally
        {
            File.Delete(csv);
            File.Delete(sav);
        }
    }

    /// <summary>Writes the same cases as CSV and as an uncompressed SPSS system file (a minimal writer: header, variable records, long names, encoding, data).</summary>
    private static void WriteSavAndCsv(int cases, string csvPath, string savPath)
    {
        var samplePath = Path.Combine(RepositoryRoot(), "samples", "central-asia", "data", "kg_lfs_volunteer_module_2023.csv");
        List<string[]> sample;
        IReadOnlyList<string> headers;
        using (var reader = TabularFile.Open(samplePath, TabularOptions.Default with { Encoding = "utf-8", Delimiter = ",", Decimal = "." }))
        {
            headers = [.. reader.Headers.Select(h => h.Trim('\uFEFF'))];
            sample = [.. reader.ReadRows().Select(r => r.Fields.ToArray())];
        }

        string[] numericLayout = ["weight", "sex", "age", "disability", "lfs_status", "hourly_wage", "work_01", "hour_01", "type_org", "stipend", "own_household", "relatives", "beneficiaries", "training_hours"];
        var layout = headers.Select(h => (Name: h, Numeric: numericLayout.Contains(h))).ToList();
        var widths = layout.Select((c, i) => c.Numeric ? 0 : Math.Max(8, (sample.Max(r => Encoding.UTF8.GetByteCount(r[i])) + 7) / 8 * 8)).ToList();
        // A value that is not a number in a numeric column ('??' in hours, a deliberate error) is empty in both files.
        foreach (var row in sample)
        {
            for (var i = 0; i < layout.Count; i++)
            {
                if (layout[i].Numeric && row[i].Length > 0 && !double.TryParse(row[i], NumberStyles.Float, CultureInfo.InvariantCulture, out _)) row[i] = "";
            }
        }

        var names = layout.Select(c => c.Name).Concat(Enumerable.Range(1, 200).Select(i => string.Create(Inv, $"num{i:D3}"))).Concat(Enumerable.Range(1, 76).Select(i => string.Create(Inv, $"txt{i:D3}"))).ToList();
        var varWidths = widths.Concat(Enumerable.Repeat(0, 200)).Concat(Enumerable.Repeat(40, 76)).ToList();
        var elements = varWidths.Sum(w => w == 0 ? 1 : (w + 7) / 8);

        using var savFile = new FileStream(savPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var sw = new BinaryWriter(savFile);
        void Text(string s, int length) { var b = new byte[length]; Array.Fill(b, (byte)' '); Encoding.ASCII.GetBytes(s).AsSpan(0, Math.Min(s.Length, length)).CopyTo(b); sw.Write(b); }
        Text("$FL2", 4);
        Text("@(#) SPSS DATA FILE ContributionIndex benchmark", 60);
        sw.Write(2); sw.Write(elements); sw.Write(0); sw.Write(0); sw.Write(cases); sw.Write(100.0);
        Text("07 Dec 26", 9); Text("00:00:00", 8); Text("", 64); Text("", 3);
        for (var v = 0; v < names.Count; v++)
        {
            var w = varWidths[v];
            var format = w == 0 ? (5 << 16) | (12 << 8) | 3 : (1 << 16) | (w << 8);
            sw.Write(2); sw.Write(w); sw.Write(0); sw.Write(0); sw.Write(format); sw.Write(format);
            Text(string.Create(Inv, $"V{v:D4}"), 8);
            for (var k = 1; k < (w + 7) / 8; k++) { sw.Write(2); sw.Write(-1); sw.Write(0); sw.Write(0); sw.Write(0); sw.Write(0); Text("", 8); }
        }

        var longNames = Encoding.UTF8.GetBytes(string.Join('\t', names.Select((n, v) => string.Create(Inv, $"V{v:D4}={n}"))));
        sw.Write(7); sw.Write(13); sw.Write(1); sw.Write(longNames.Length); sw.Write(longNames);
        var encodingName = "UTF-8"u8.ToArray();
        sw.Write(7); sw.Write(20); sw.Write(1); sw.Write(encodingName.Length); sw.Write(encodingName);
        sw.Write(999); sw.Write(0);

        using var csv = new StreamWriter(csvPath, false, new UTF8Encoding(false), 1 << 20);
        csv.Write(string.Join(',', names));
        csv.Write('\n');
        var random = new Random(18);
        var caseBytes = new byte[elements * 8];
        var filler = Enumerable.Range(0, 997).Select(i => string.Create(Inv, $"текст {i:D3} filler value 0123")).ToArray();
        var line = new StringBuilder();
        for (var c = 0; c < cases; c++)
        {
            var source = sample[c % sample.Count];
            var offset = 0;
            line.Clear();
            for (var v = 0; v < names.Count; v++)
            {
                string text;
                if (v < layout.Count) text = v == 0 ? string.Create(Inv, $"P{c:D7}") : source[v];
                else if (varWidths[v] == 0) text = (random.Next(0, 100000) / 100.0).ToString("R", Inv);
                else text = filler[random.Next(filler.Length)];
                if (v > 0) line.Append(',');
                line.Append(text.Contains(',') || text.Contains('"') ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text);
                var w = varWidths[v];
                if (w == 0)
                {
                    var value = text.Length == 0 ? -double.MaxValue : double.Parse(text, NumberStyles.Float, Inv);
                    BinaryPrimitives.WriteDoubleLittleEndian(caseBytes.AsSpan(offset), value);
                    offset += 8;
                }
                else
                {
                    var span = caseBytes.AsSpan(offset, (w + 7) / 8 * 8);
                    span.Fill((byte)' ');
                    Encoding.UTF8.GetBytes(text, span);
                    offset += span.Length;
                }
            }

            sw.Write(caseBytes);
            line.Append('\n');
            csv.Write(line);
        }
    }
}
