using System.Globalization;
using System.Text;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Valuation;

/// <summary>One row of a wage table: the average gross hourly wage of an ISCO-08 group.</summary>
/// <param name="Isco">ISCO-08 code, 1 to 4 digits (major group to unit group).</param>
/// <param name="HourlyWage">Average gross hourly wage in local currency.</param>
/// <param name="Currency">ISO 4217 code of the wage.</param>
/// <param name="Year">The year the wage refers to (its price year, for CPI rebasing).</param>
/// <param name="Source">Publication and quality tag of the wage.</param>
public sealed record WageEntry(string Isco, double HourlyWage, string Currency, int Year, string Source);

/// <summary>The ISCO level a wage was found at: 4, 3, 2 or 1 digits, or 0 for the generalist fallback.</summary>
public static class WageLevels
{
    /// <summary>The level recorded when no ISCO wage applies and the generalist wage was used.</summary>
    public const int GeneralistFallback = 0;
}

/// <summary>The result of a specialist wage lookup.</summary>
/// <param name="Entry">The wage row found, or null when the generalist fallback applies.</param>
/// <param name="Level">Digits of the ISCO code matched (4 to 1), or <see cref="WageLevels.GeneralistFallback"/>.</param>
public readonly record struct WageLookup(WageEntry? Entry, int Level);

/// <summary>
/// A country's table of hourly wages by ISCO-08 group (CSV <c>isco,hourly_wage,currency,year,source</c>), looked up by
/// climbing the ISCO hierarchy 4 → 3 → 2 → 1 digits (ILO 2011 [M]: most detailed level with a reliable wage).
/// </summary>
public sealed class WageTable
{
    /// <summary>The required header, in order.</summary>
    public static readonly IReadOnlyList<string> Header = ["isco", "hourly_wage", "currency", "year", "source"];

    private readonly Dictionary<string, WageEntry> _byCode;

    /// <summary>Creates a table from entries (codes must be unique digit strings of 1–4 characters).</summary>
    public WageTable(IEnumerable<WageEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        _byCode = new Dictionary<string, WageEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (!IsIscoCode(entry.Isco)) throw new ArgumentException($"'{entry.Isco}' is not an ISCO-08 code of 1 to 4 digits.", nameof(entries));
            if (!_byCode.TryAdd(entry.Isco, entry)) throw new ArgumentException($"ISCO code '{entry.Isco}' appears twice.", nameof(entries));
        }
    }

    /// <summary>The entries, ordered by code.</summary>
    public IEnumerable<WageEntry> Entries => _byCode.Values.OrderBy(e => e.Isco, StringComparer.Ordinal);

    /// <summary>Number of entries.</summary>
    public int Count => _byCode.Count;

    /// <summary>
    /// Finds the wage of a task's ISCO code at the most detailed level present: the code itself (up to 4 digits), then
    /// its 3-, 2- and 1-digit parents. A missing or malformed code, or no match at any level, gives the generalist fallback.
    /// </summary>
    public WageLookup Find(string? isco)
    {
        if (isco is null) return new WageLookup(null, WageLevels.GeneralistFallback);
        // Called several times per record: the ladder is walked on spans, so no substring is allocated.
        var code = isco.AsSpan().Trim();
        if (!IsIscoCode(code)) return new WageLookup(null, WageLevels.GeneralistFallback);
        var byPrefix = _byCode.GetAlternateLookup<ReadOnlySpan<char>>();
        for (var length = code.Length; length >= 1; length--)
        {
            if (byPrefix.TryGetValue(code[..length], out var entry)) return new WageLookup(entry, length);
        }

        return new WageLookup(null, WageLevels.GeneralistFallback);
    }

    /// <summary>Whether the text is an ISCO-08 code of 1 to 4 ASCII digits.</summary>
    public static bool IsIscoCode(string? code) =>
        code is not null && IsIscoCode(code.AsSpan());

    private static bool IsIscoCode(ReadOnlySpan<char> code) => code.Length is >= 1 and <= 4 && !code.ContainsAnyExceptInRange('0', '9');

    /// <summary>Loads a wage table CSV (UTF-8, comma-separated, invariant numbers) and checks every row.</summary>
    /// <param name="path">The file to read.</param>
    /// <param name="expectedCurrency">The country's currency; every row must use it.</param>
    /// <param name="displayPath">The path to show in messages (as written in the study file); defaults to <paramref name="path"/>.</param>
    /// <exception cref="StudyFileException">The file is missing, its header is wrong, or a row is invalid (message names file, line and column).</exception>
    public static WageTable Load(string path, string expectedCurrency, string? displayPath = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var shown = displayPath ?? path;
        if (!File.Exists(path))
        {
            throw new StudyFileException(SourceLocation.OfFile(shown), $"the wage table {SpecialFiles.Absence(path)}.",
                "Check the 'wages' path of the country in the study file (relative paths start at the study file's folder).");
        }

        using var reader = new StreamReader(path, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        return Read(reader, expectedCurrency, shown);
    }

    /// <summary>Reads a wage table from text (see <see cref="Load"/>).</summary>
    public static WageTable Read(TextReader reader, string expectedCurrency, string displayPath)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var headerLine = reader.ReadLine();
        if (headerLine is null)
            throw new StudyFileException(new SourceLocation(displayPath, 1, 0), "the wage table is empty.", "Write the header 'isco,hourly_wage,currency,year,source' and one row per ISCO group.");

        var header = SplitCsvLine(headerLine, displayPath, 1).Select(h => h.Trim().ToLowerInvariant()).ToArray();
        if (!header.SequenceEqual(Header))
        {
            throw new StudyFileException(new SourceLocation(displayPath, 1, 0),
                $"the wage table header is '{Diagnostics.MessageText.Excerpt(headerLine.Trim())}' but must be 'isco,hourly_wage,currency,year,source'.",
                "Rename or reorder the columns.");
        }

        var entries = new List<WageEntry>();
        var lines = new Dictionary<string, long>(StringComparer.Ordinal);
        long line = 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            var fields = SplitCsvLine(text, displayPath, line);
            if (fields.Count != Header.Count)
            {
                throw new StudyFileException(new SourceLocation(displayPath, line, 0),
                    string.Create(CultureInfo.InvariantCulture, $"the row has {fields.Count} fields but the wage table needs {Header.Count}."),
                    "Quote a source text that contains commas.");
            }

            var isco = fields[0].Trim();
            if (!IsIscoCode(isco))
            {
                throw new StudyFileException(new SourceLocation(displayPath, line, 1, "isco"),
                    $"'{isco}' is not an ISCO-08 code of 1 to 4 digits.", "Write the major, sub-major, minor or unit group code, e.g. 3 or 3422.");
            }

            var wageText = fields[1].Trim();
            if (!double.TryParse(wageText, NumberStyles.Float, CultureInfo.InvariantCulture, out var wage) || !double.IsFinite(wage) || wage <= 0)
            {
                throw new StudyFileException(new SourceLocation(displayPath, line, 2, "hourly_wage"),
                    $"'{wageText}' is not a positive hourly wage.", "Write a number with a decimal point, e.g. 1836.63.");
            }

            var currency = fields[2].Trim();
            if (!string.Equals(currency, expectedCurrency, StringComparison.Ordinal))
            {
                throw new StudyFileException(new SourceLocation(displayPath, line, 3, "currency"),
                    $"the wage is in '{currency}' but the country's currency is '{expectedCurrency}'.", "Convert the wage or fix the currency code.");
            }

            var yearText = fields[3].Trim();
            if (!int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year < 1900 || year > 2200)
            {
                throw new StudyFileException(new SourceLocation(displayPath, line, 4, "year"),
                    $"'{yearText}' is not a year.", "Write the four-digit year the wage refers to.");
            }

            if (lines.TryGetValue(isco, out var firstLine))
            {
                throw new StudyFileException(new SourceLocation(displayPath, line, 1, "isco"),
                    string.Create(CultureInfo.InvariantCulture, $"ISCO code '{isco}' already appears on line {firstLine}."), "Keep one wage per ISCO group.");
            }

            lines[isco] = line;
            entries.Add(new WageEntry(isco, wage, currency, year, fields[4].Trim()));
        }

        return new WageTable(entries);
    }

    /// <summary>Splits one comma-separated line (RFC 4180 quoting, doubled quotes inside quoted fields).</summary>
    internal static List<string> SplitCsvLine(string text, string displayPath, long line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"' && field.ToString().Trim().Length == 0) { field.Clear(); quoted = true; }
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }

        if (quoted)
        {
            throw new StudyFileException(new SourceLocation(displayPath, line, fields.Count + 1),
                "a quoted field is not closed on its line.", "Close the quote; fields of parameter tables cannot span lines.");
        }

        fields.Add(field.ToString());
        for (var i = 0; i < fields.Count; i++)
        {
            if (fields[i].Length > InputLimits.MaxFieldChars)
            {
                throw new StudyFileException(new SourceLocation(displayPath, line, i + 1),
                    string.Create(CultureInfo.InvariantCulture, $"the field is {fields[i].Length} characters long, more than {InputLimits.MaxFieldChars} (the field size limit)."),
                    "Check the line ends and quotes of the file.");
            }
        }

        return fields;
    }
}
