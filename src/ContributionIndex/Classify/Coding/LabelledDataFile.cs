using System.Globalization;
using System.Security.Cryptography;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Classify.Coding;

/// <summary>Reads coded descriptions (training data or a reviewed review queue) from TSV or CSV.</summary>
/// <remarks>
/// Required columns: <c>text</c>, <c>isco_major</c> (or <c>isco_code</c>, whose first digit is the major group) and
/// <c>sdg_goals</c> (goals 1–17 separated by ';'). Optional: <c>language</c>, <c>direction</c> (the Forum direction) and <c>group</c> (or <c>concept</c>, as in the generated files: the situation id
/// for group-aware cross-validation). A code of two or more digits also gives the sub-major group (its first two digits),
/// which must be an ISCO-08 sub-major group. Other columns are ignored. Files ending in
/// .tsv are tab-separated without quoting (the committed training data); others are RFC 4180 CSV with ',' separators.
/// </remarks>
public static class LabelledDataFile
{
    /// <summary>Reads every row; a malformed row stops reading with file, line, column and how to fix it.</summary>
    public static IReadOnlyList<LabelledActivity> Read(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads coded descriptions from a stream; <paramref name="displayName"/> names it in messages and decides TSV or CSV.</summary>
    public static IReadOnlyList<LabelledActivity> Read(Stream stream, string displayName)
    {
        var separator = displayName.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase) ? '\t' : ',';
        using var reader = new StreamReader(stream, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        using var records = DelimitedRecords.Read(reader, separator, quoting: separator == ',').GetEnumerator();
        if (!records.MoveNext())
            throw new InputDataException(SourceLocation.OfFile(displayName), "the coded-descriptions file is empty.", "Give a header line with text, isco_major and sdg_goals.");
        var header = records.Current.Fields;
        var text = Find(header, displayName, "text");
        var isco = FindOptional(header, "isco_major") ?? Find(header, displayName, "isco_code");
        var goals = Find(header, displayName, "sdg_goals");
        var language = FindOptional(header, "language");
        var group = FindOptional(header, "group") ?? FindOptional(header, "concept");
        var direction = FindOptional(header, "direction");

        var rows = new List<LabelledActivity>();
        while (records.MoveNext())
        {
            var (line, fields) = records.Current;
            string Field(int index) => index < fields.Length ? fields[index] : string.Empty;
            var description = Field(text);
            if (string.IsNullOrWhiteSpace(description))
                throw new InputDataException(new SourceLocation(displayName, line, text + 1, header[text]), "the description is empty.", "Remove the row or write the task.");
            var iscoField = Field(isco).Trim();
            if (iscoField.Length == 0 || iscoField[0] is < '1' or > '9' || !iscoField.All(char.IsAsciiDigit))
                throw new InputDataException(new SourceLocation(displayName, line, isco + 1, header[isco]),
                    $"'{iscoField}' is not an ISCO-08 code of a civilian major group.", "Write the major group 1–9 or a longer ISCO-08 code that starts with it.");
            int? subMajor = null;
            if (iscoField.Length >= 2)
            {
                var candidate = (iscoField[0] - '0') * 10 + (iscoField[1] - '0');
                if (!IscoSubMajorGroups.Contains(candidate))
                    throw new InputDataException(new SourceLocation(displayName, line, isco + 1, header[isco]),
                        $"'{iscoField}' does not start with an ISCO-08 sub-major group ({candidate} does not exist).", "Write the major group alone or a valid ISCO-08 code, for example 9321.");
                subMajor = candidate;
            }

            rows.Add(new LabelledActivity(
                description,
                language is int l ? Field(l).Trim() : string.Empty,
                iscoField[0] - '0',
                ParseGoals(Field(goals), new SourceLocation(displayName, line, goals + 1, header[goals])))
            {
                IscoSubMajorGroup = subMajor,
                Group = group is int g ? Field(g).Trim() : string.Empty,
                Direction = direction is int d ? Field(d).Trim() : string.Empty,
                // The first goal as written is the primary one (methodology/coding/rules.md section 2).
                PrimaryGoal = FirstGoal(Field(goals)),
            });
        }

        return rows;
    }

    private static int? FirstGoal(string goals) =>
        int.TryParse(goals.Split(';')[0].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var goal) ? goal : null;

    /// <summary>The ISCO-08 sub-major groups of the civilian major groups 1–9 (ILO, ISCO-08 structure, 2012).</summary>
    internal static IReadOnlySet<int> IscoSubMajorGroups { get; } = new HashSet<int>
    {
        11, 12, 13, 14, 21, 22, 23, 24, 25, 26, 31, 32, 33, 34, 35, 41, 42, 43, 44, 51, 52, 53, 54,
        61, 62, 63, 71, 72, 73, 74, 75, 81, 82, 83, 91, 92, 93, 94, 95, 96,
    };

    /// <summary>Parses "3;13" into ascending distinct goals; throws with the location when a goal is not 1–17 or none is given.</summary>
    internal static IReadOnlyList<int> ParseGoals(string field, SourceLocation location)
    {
        var goals = new SortedSet<int>();
        foreach (var part in field.Split([';', ',', ' '], StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var goal) || goal is < 1 or > 17)
                throw new InputDataException(location, $"'{part}' is not an SDG goal.", "Write goals 1–17 separated by ';', for example 3;13.");
            goals.Add(goal);
        }

        if (goals.Count == 0)
            throw new InputDataException(location, "no SDG goal is given.", "Write at least one goal 1–17, for example 13.");
        return [.. goals];
    }

    /// <summary>The SHA-256 of a file as lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static int Find(string[] header, string file, string name) =>
        FindOptional(header, name) ?? throw new InputDataException(SourceLocation.OfFile(file),
            $"the header has no '{name}' column.", "Coded-description files need the columns text, isco_major (or isco_code) and sdg_goals.");

    private static int? FindOptional(string[] header, string name)
    {
        for (var i = 0; i < header.Length; i++)
            if (string.Equals(header[i].Trim(), name, StringComparison.OrdinalIgnoreCase)) return i;
        return null;
    }
}
