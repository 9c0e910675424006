using System.Globalization;
using ContributionIndex.Cli;
using ContributionIndex.Synthesis;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Pipeline.Partial;

public class PartialMergeTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Writes one partition: the study, wages and the rows of the log that <paramref name="keep"/> selects.</summary>
    private static string Partition(string source, string name, Func<string[], bool> keep)
    {
        var folder = Path.Combine(Path.GetDirectoryName(source)!, "part-" + name);
        Directory.CreateDirectory(Path.Combine(folder, "wages"));
        File.Copy(Path.Combine(Path.GetDirectoryName(source)!, "study.yaml"), Path.Combine(folder, "study.yaml"));
        foreach (var wage in Directory.GetFiles(Path.Combine(Path.GetDirectoryName(source)!, "wages")))
            File.Copy(wage, Path.Combine(folder, "wages", Path.GetFileName(wage)));
        var lines = File.ReadAllLines(source);
        File.WriteAllLines(Path.Combine(folder, "hours.csv"), [lines[0], .. lines.Skip(1).Where(l => keep(l.Split(',')))]);
        return folder;
    }

    private static (string Whole, List<string> Parts) SplitAndValue(int rows, Func<string[], string> key)
    {
        var synth = HourLogSynthesizer.Write(rows, SampleStudies.NewTemporaryFolder(), seed: 42);
        var whole = Path.Combine(Path.GetDirectoryName(synth.StudyPath)!, "whole");
        Assert.Equal(ExitCodes.Success, Run("value", synth.StudyPath, "--out", whole).Code);
        var keys = File.ReadLines(synth.DataPath).Skip(1).Select(l => key(l.Split(','))).Distinct().Order(StringComparer.Ordinal).ToList();
        var parts = new List<string>();
        foreach (var k in keys)
        {
            var folder = Partition(synth.DataPath, k, f => key(f) == k);
            var (code, stdout, stderr) = Run("value", Path.Combine(folder, "study.yaml"), "--out", Path.Combine(folder, "out"), "--partial");
            Assert.True(code == ExitCodes.Success, stderr);
            Assert.Contains("partial.json", stdout);
            parts.Add(Path.Combine(folder, "out", "partial.json"));
        }

        return (whole, parts);
    }

    [Fact]
    public void Merging_a_split_by_country_gives_the_whole_runs_summary_byte_for_byte()
    {
        var (whole, parts) = SplitAndValue(6000, f => f[2]);
        Assert.Equal(4, parts.Count);
        var merged = Path.Combine(Path.GetDirectoryName(whole)!, "merged");
        // Reverse order on purpose: cells are disjoint, so the order of the files does not matter. Folders are named
        // instead of files: merge looks for partial.json in them.
        var (code, stdout, stderr) = Run(["merge", .. Enumerable.Reverse(parts).Select(p => Path.GetDirectoryName(p)!), "--out", merged]);
        Assert.True(code == ExitCodes.Success, stderr);
        Assert.Contains("merged 4 partial files: read 6000", stdout);
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "summary.csv")), File.ReadAllBytes(Path.Combine(merged, "summary.csv")));
        Assert.Equal(File.ReadAllBytes(Path.Combine(whole, "method_range.csv")), File.ReadAllBytes(Path.Combine(merged, "method_range.csv")));
    }

    [Fact]
    public void Merging_a_split_by_quarter_gives_the_whole_runs_hours_and_values_to_1e_12()
    {
        // A person's entries fall in several quarters, so "volunteers" (distinct persons) is not additive over this
        // split and is left out; every hour and value sum is, and must agree to 1e-12 relative (scale.md).
        var (whole, parts) = SplitAndValue(6000, f => ((int.Parse(f[3][5..7], CultureInfo.InvariantCulture) - 1) / 3).ToString(CultureInfo.InvariantCulture));
        Assert.Equal(4, parts.Count);
        var merged = Path.Combine(Path.GetDirectoryName(whole)!, "merged");
        Assert.Equal(ExitCodes.Success, Run(["merge", .. parts, "--out", merged]).Code);
        var expected = File.ReadAllLines(Path.Combine(whole, "summary.csv"));
        var actual = File.ReadAllLines(Path.Combine(merged, "summary.csv"));
        Assert.Equal(expected.Length, actual.Length);
        var header = expected[0].Split(',');
        var volunteers = Array.IndexOf(header, "volunteers");
        Assert.True(volunteers >= 0);
        for (var line = 1; line < expected.Length; line++)
        {
            var e = expected[line].Split(',');
            var a = actual[line].Split(',');
            for (var i = 0; i < e.Length; i++)
            {
                if (i == volunteers) continue;
                if (double.TryParse(e[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var x))
                {
                    var y = double.Parse(a[i], NumberStyles.Float, CultureInfo.InvariantCulture);
                    Assert.True(Math.Abs(x - y) <= 1e-12 * Math.Abs(x), $"{header[i]} line {line}: {x:R} vs {y:R}");
                }
                else
                {
                    Assert.Equal(e[i], a[i]);
                }
            }
        }
    }

    [Fact]
    public void Partials_made_with_other_parameters_are_refused()
    {
        var (whole, parts) = SplitAndValue(1500, f => f[2]);
        var study = Path.Combine(Path.GetDirectoryName(parts[0])!, "..", "study.yaml");
        File.WriteAllText(study, File.ReadAllText(study).Replace("lcu_per_usd: {value: 87.8561", "lcu_per_usd: {value: 88", StringComparison.Ordinal));
        var odd = Path.GetDirectoryName(parts[0])!;
        Assert.Equal(ExitCodes.Success, Run("value", study, "--out", odd, "--partial").Code);
        var (code, _, stderr) = Run(["merge", parts[1], parts[0], "--out", Path.Combine(Path.GetDirectoryName(whole)!, "merged")]);
        Assert.Equal(ExitCodes.DataRejected, code);
        Assert.Contains("other valuation parameters", stderr);
    }

    [Fact]
    public void A_file_that_is_not_a_partial_is_refused_with_its_name()
    {
        var folder = SampleStudies.NewTemporaryFolder();
        var bogus = Path.Combine(folder, "partial.json");
        File.WriteAllText(bogus, "{\"format\": \"something-else\"}");
        var (code, _, stderr) = Run("merge", bogus, "--out", Path.Combine(folder, "out"));
        Assert.Equal(ExitCodes.DataRejected, code);
        Assert.Contains("partial.json", stderr);
        Assert.Contains("not a partial aggregate", stderr);
    }
}
