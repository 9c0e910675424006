using System.Globalization;
using System.Text;
using ContributionIndex.Diagnostics;
using ContributionIndex.Valuation;

namespace ContributionIndex.Reporting;

/// <summary>
/// Names of the study's regions in each annex language, from a CSV <c>region,en,ru,kk</c> (UTF-8) named by the study's
/// <c>report.region_labels</c>. Region values come from the input data (often the English or transliterated name);
/// an official annex in Kazakh or Russian must show them in that language (methodology/reporting.md, "Languages").
/// </summary>
public sealed class RegionLabels
{
    /// <summary>The required header, in order.</summary>
    public static readonly IReadOnlyList<string> Header = ["region", "en", "ru", "kk"];

    private readonly Dictionary<string, string[]> _byRegion;

    private RegionLabels(Dictionary<string, string[]> byRegion, string displayPath)
    {
        _byRegion = byRegion;
        DisplayPath = displayPath;
    }

    /// <summary>The file as the study names it, for messages.</summary>
    public string DisplayPath { get; }

    /// <summary>Number of regions labelled.</summary>
    public int Count => _byRegion.Count;

    /// <summary>The region's name in a language (<c>kk</c>, <c>ru</c> or <c>en</c>), or null when the file has no row for it.</summary>
    public string? Find(string region, string language)
    {
        var column = language switch
        {
            "en" => 0,
            "ru" => 1,
            "kk" => 2,
            _ => throw new ArgumentException($"Language '{language}' is not one of en, ru, kk.", nameof(language)),
        };
        return _byRegion.TryGetValue(region.Trim(), out var names) ? names[column] : null;
    }

    /// <summary>The study's region labels (<c>report.region_labels</c>), loaded and checked; null when the study names none.</summary>
    /// <exception cref="StudyFileException">The file is missing or a row is invalid.</exception>
    public static RegionLabels? ForStudy(Studies.Study study)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (study.Report.RegionLabels is not { Length: > 0 } labels) return null;
        return Load(study.Report.RegionLabelsFullPath.Length > 0 ? study.Report.RegionLabelsFullPath : study.ResolvePath(labels), labels);
    }

    /// <summary>Loads and checks the table: header as required, every name non-empty, each region once.</summary>
    /// <exception cref="StudyFileException">The file is missing or a row is invalid (message names file, line and column).</exception>
    public static RegionLabels Load(string path, string? displayPath = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var shown = displayPath ?? path;
        if (!File.Exists(path))
            throw new StudyFileException(SourceLocation.OfFile(shown), $"the region labels file {SpecialFiles.Absence(path)}.", "Check report.region_labels in the study file.");
        using var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return Read(reader, shown);
    }

    /// <summary>Reads a table from text (see <see cref="Load"/>).</summary>
    public static RegionLabels Read(TextReader reader, string displayPath)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var headerLine = reader.ReadLine();
        var header = headerLine is null ? [] : WageTable.SplitCsvLine(headerLine, displayPath, 1).Select(h => h.Trim().ToLowerInvariant()).ToArray();
        if (!header.SequenceEqual(Header))
        {
            throw new StudyFileException(new SourceLocation(displayPath, 1, 0),
                $"the region labels header is '{Diagnostics.MessageText.Excerpt(headerLine?.Trim())}' but must be 'region,en,ru,kk'.", "One row per region value of the data, with its name in English, Russian and Kazakh.");
        }

        var byRegion = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        long line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var fields = WageTable.SplitCsvLine(text, displayPath, line);
            if (fields.Count != Header.Count)
            {
                throw new StudyFileException(new SourceLocation(displayPath, line, 0),
                    string.Create(CultureInfo.InvariantCulture, $"the row has {fields.Count} fields but the region labels need {Header.Count}."),
                    "Quote a name that contains a comma.");
            }

            for (var i = 0; i < fields.Count; i++)
            {
                fields[i] = fields[i].Trim();
                if (fields[i].Length == 0)
                {
                    throw new StudyFileException(new SourceLocation(displayPath, line, i + 1, Header[i]),
                        $"the {Header[i]} field is empty.", "Every region needs its value in the data and a name in en, ru and kk.");
                }

                if (fields[i].Length > InputLimits.MaxLabelChars)
                {
                    throw new StudyFileException(new SourceLocation(displayPath, line, i + 1, Header[i]),
                        string.Create(CultureInfo.InvariantCulture, $"the {Header[i]} field is {fields[i].Length} characters long, more than the {InputLimits.MaxLabelChars} characters a label may have (the label size limit)."),
                        "A region label is a name, e.g. 'Almaty region'.");
                }
            }

            if (lines.TryGetValue(fields[0], out var first))
            {
                throw new StudyFileException(new SourceLocation(displayPath, line, 1, "region"),
                    string.Create(CultureInfo.InvariantCulture, $"region '{fields[0]}' already appears on line {first}."), "Keep one row per region.");
            }

            lines[fields[0]] = line;
            byRegion[fields[0]] = [fields[1], fields[2], fields[3]];
        }

        return new RegionLabels(byRegion, displayPath);
    }
}
