using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace ContributionIndex.Rendering;

/// <summary>
/// Makes an Open XML package byte-reproducible: System.IO.Packaging names the core-properties part with a random
/// GUID, gives relationships random ids and stamps zip entries with the clock. This rewrites the package with a fixed
/// part name, sequential relationship ids and the study's release date on every entry.
/// </summary>
internal static partial class ReproducibleZip
{
    public static byte[] Rewrite(byte[] package, DateTimeOffset timestamp)
    {
        var entries = new List<(string Name, byte[] Content)>();
        using (var input = new ZipArchive(new MemoryStream(package), ZipArchiveMode.Read))
        {
            foreach (var entry in input.Entries)
            {
                using var stream = entry.Open();
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                entries.Add((entry.FullName, copy.ToArray()));
            }
        }

        var renames = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, content) in entries)
        {
            var match = CorePropertiesName().Match(name);
            if (match.Success) renames[match.Groups[1].Value] = "core";
            if (!name.EndsWith(".rels", StringComparison.Ordinal)) continue;
            // Random relationship ids (R + 16 hex digits) get sequential ids, replaced wherever they are referenced.
            foreach (Match id in RandomRelationshipId().Matches(Encoding.UTF8.GetString(content)))
                renames.TryAdd(id.Groups[1].Value, "Rci" + (renames.Count + 1).ToString("D4", System.Globalization.CultureInfo.InvariantCulture));
        }

        // The zip's own date field has a 1980 floor and two-second resolution; a release date is well inside it.
        var stamp = new DateTimeOffset(timestamp.UtcDateTime.Date, TimeSpan.Zero);
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                var newName = Rename(name, renames);
                var newContent = content;
                if (name.EndsWith(".rels", StringComparison.Ordinal) || name.EndsWith(".xml", StringComparison.Ordinal))
                {
                    var text = Encoding.UTF8.GetString(content);
                    newContent = Encoding.UTF8.GetBytes(Rename(text, renames));
                }

                var entry = zip.CreateEntry(newName, CompressionLevel.Optimal);
                entry.LastWriteTime = stamp;
                using var stream = entry.Open();
                stream.Write(newContent);
            }
        }

        return output.ToArray();
    }

    private static string Rename(string text, Dictionary<string, string> renames)
    {
        foreach (var (from, to) in renames) text = text.Replace(from, to, StringComparison.Ordinal);
        return text;
    }

    [GeneratedRegex(@"core-properties/([0-9a-f]{32})\.psmdcp$")]
    private static partial Regex CorePropertiesName();

    [GeneratedRegex("Id=\"(R[0-9a-f]{16})\"")]
    private static partial Regex RandomRelationshipId();
}
