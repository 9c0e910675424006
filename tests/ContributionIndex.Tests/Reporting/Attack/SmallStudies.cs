using System.Text;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Reporting.Attack;

/// <summary>
/// Random small studies for the disclosure attacker: the committed regional sample (four countries, surveys and platform
/// hour logs) with a seeded random subset of each survey's PSUs (at least two per stratum, so the design stays
/// estimable) and of each platform's volunteers, written with the study file and its parameters into a folder of its
/// own. Fewer respondents per cell means many cells below the minimum count, in every table.
/// </summary>
internal static class SmallStudies
{
    /// <summary>Writes the study into <paramref name="folder"/> and returns the study file's path.</summary>
    public static string Create(int seed, string folder)
    {
        var random = new Random(seed);
        var source = SampleStudies.Folder;
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        Directory.CreateDirectory(Path.Combine(folder, "parameters"));
        foreach (var file in Directory.GetFiles(Path.Combine(source, "parameters")))
            File.Copy(file, Path.Combine(folder, "parameters", Path.GetFileName(file)));
        foreach (var file in Directory.GetFiles(Path.Combine(source, "data")))
        {
            var name = Path.GetFileName(file);
            // Byte-preserving text: UTF-16 for the one UTF-16 file, Latin-1 (one char per byte) for UTF-8 and windows-1251.
            var encoding = name.StartsWith("tj_lfs", StringComparison.Ordinal) ? Encoding.Unicode : Encoding.Latin1;
            var lines = encoding.GetString(File.ReadAllBytes(file)).Split('\n');
            var kept = name.Contains("_lfs_", StringComparison.Ordinal)
                ? Survey(lines, random, 0.12 + 0.25 * random.NextDouble())
                : HourLog(lines, random, 0.03 + 0.2 * random.NextDouble());
            File.WriteAllBytes(Path.Combine(folder, "data", name), encoding.GetBytes(string.Join('\n', kept)));
        }

        // The sample's three deliberate errors per country are a larger share of a small file.
        var study = File.ReadAllText(Path.Combine(source, "regional.yaml"))
            .Replace("rejection_tolerance: 0.01", "rejection_tolerance: 0.5", StringComparison.Ordinal);
        var path = Path.Combine(folder, "regional.yaml");
        File.WriteAllText(path, study);
        return path;
    }

    private static char Delimiter(string header) => new[] { '\t', ';', ',' }.MaxBy(c => header.Count(x => x == c));

    /// <summary>The header, then the rows of a random share of each stratum's PSUs (at least two).</summary>
    private static List<string> Survey(string[] lines, Random random, double share)
    {
        var delimiter = Delimiter(lines[0]);
        var rows = lines.Skip(1).Where(l => l.Trim('\r', '\0', '\uFEFF').Length > 0).ToList();
        string Field(string line, int i) => line.Split(delimiter)[i].Replace("\0", "", StringComparison.Ordinal);
        var keep = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stratum in rows.GroupBy(r => Field(r, 3)))
        {
            var psus = stratum.Select(r => Field(r, 4)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var chosen = psus.Where(_ => random.NextDouble() < share).ToList();
            foreach (var psu in psus.Where(p => !chosen.Contains(p)).Take(Math.Max(0, Math.Min(2, psus.Count) - chosen.Count))) chosen.Add(psu);
            keep.UnionWith(chosen);
        }

        return [lines[0], .. rows.Where(r => keep.Contains(Field(r, 4))), ""];
    }

    /// <summary>The header, then every entry of a random share of the volunteers (at least three).</summary>
    private static List<string> HourLog(string[] lines, Random random, double share)
    {
        var rows = lines.Skip(1).Where(l => l.Trim('\r').Length > 0).ToList();
        var persons = rows.Select(r => r.Split(',')[1]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var chosen = persons.Where(_ => random.NextDouble() < share).ToHashSet(StringComparer.Ordinal);
        foreach (var p in persons.Take(3)) chosen.Add(p);
        return [lines[0], .. rows.Where(r => chosen.Contains(r.Split(',')[1])), ""];
    }
}
