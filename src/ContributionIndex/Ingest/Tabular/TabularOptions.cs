using ContributionIndex.Studies;

namespace ContributionIndex.Ingest;

/// <summary>
/// How to read a tabular file (CSV or XLSX). Values use the spelling of the study file and of the CLI options, so they
/// can be passed through unchanged; <see cref="TabularFile.Open"/> validates them.
/// </summary>
public sealed record TabularOptions
{
    /// <summary>The default options: everything detected, no thousands separator.</summary>
    public static TabularOptions Default { get; } = new();

    /// <summary><c>auto</c> (SPSS, Stata and Parquet by their magic bytes, .xlsx by the extension, anything else CSV), <c>csv</c>, <c>xlsx</c>, <c>parquet</c>, <c>sav</c> (also .zsav) or <c>dta</c>.</summary>
    public string Format { get; init; } = "auto";

    /// <summary>CSV text encoding: <c>auto</c>, <c>utf-8</c>, <c>utf-16</c> or <c>windows-1251</c>.</summary>
    public string Encoding { get; init; } = "auto";

    /// <summary>CSV field delimiter: <c>auto</c>, <c>,</c>, <c>;</c> or <c>tab</c>.</summary>
    public string Delimiter { get; init; } = "auto";

    /// <summary>Decimal separator of numbers written as text: <c>auto</c>, <c>.</c> or <c>,</c>.</summary>
    public string Decimal { get; init; } = "auto";

    /// <summary>Thousands separator of numbers written as text: <c>none</c>, <c>space</c>, <c>,</c>, <c>.</c> or <c>'</c>.</summary>
    public string Thousands { get; init; } = "none";

    /// <summary>XLSX sheet by name or 1-based index; the first sheet when null or empty.</summary>
    public string? Sheet { get; init; }

    /// <summary>Largest total declared uncompressed size of an XLSX file's zip entries (guards against zip bombs); 512 MiB by default.</summary>
    public long MaxXlsxUncompressedBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>
    /// Largest CSV record (a line, or the lines a quoted line break joins), in bytes of input; 64 MiB by default. A longer
    /// record (a file without line ends, <c>/dev/zero</c> copied to a file) is refused naming the file and line instead
    /// of filling memory.
    /// </summary>
    public int MaxCsvRecordBytes { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// Longest field of a data row, in characters (<see cref="Diagnostics.InputLimits.MaxFieldChars"/>, 1 MiB, by
    /// default). A longer field is refused naming the file, line and column.
    /// </summary>
    public int MaxFieldChars { get; init; } = Diagnostics.InputLimits.MaxFieldChars;

    /// <summary>How many data rows are examined to detect the decimal separator when it is <c>auto</c>.</summary>
    public int DecimalSampleRows { get; init; } = 1000;

    /// <summary>
    /// How messages and locations name the file, instead of the path it is opened from (e.g. the path as written in the
    /// study file, so that quarantine files do not depend on the working directory); null to use the path.
    /// </summary>
    public string? DisplayName { get; init; }

    /// <summary>Whether a file with a header and no data rows is accepted (by default it is an error).</summary>
    public bool AllowNoDataRows { get; init; }

    /// <summary>The options that a study input declares.</summary>
    public static TabularOptions FromInput(InputSpec input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new TabularOptions
        {
            Format = string.IsNullOrWhiteSpace(input.Format) ? "auto" : input.Format,
            Encoding = input.Encoding,
            Delimiter = input.Delimiter,
            Decimal = input.Decimal,
            Thousands = input.Thousands,
            Sheet = input.Sheet,
        };
    }

    /// <summary>The valid spellings of <see cref="Encoding"/>.</summary>
    public static IReadOnlyList<string> EncodingChoices { get; } = ["auto", "utf-8", "utf-16", "windows-1251"];

    /// <summary>The valid spellings of <see cref="Delimiter"/>.</summary>
    public static IReadOnlyList<string> DelimiterChoices { get; } = ["auto", ",", ";", "tab"];

    /// <summary>The valid spellings of <see cref="Decimal"/>.</summary>
    public static IReadOnlyList<string> DecimalChoices { get; } = ["auto", ".", ","];

    /// <summary>The valid spellings of <see cref="Thousands"/>.</summary>
    public static IReadOnlyList<string> ThousandsChoices { get; } = ["none", "space", ",", ".", "'"];

    /// <summary>The valid spellings of <see cref="Format"/>.</summary>
    public static IReadOnlyList<string> FormatChoices { get; } = ["auto", "csv", "xlsx", "parquet", "sav", "dta"];

    /// <summary>The thousands separator as a character (<c>' '</c> for every kind of space), or null for none.</summary>
    internal char? ThousandsChar => Normalise(Thousands) switch
    {
        "none" or "" => null,
        "space" => ' ',
        var other => other[0],
    };

    /// <summary>The declared decimal separator, or null for auto.</summary>
    internal char? DecimalChar => Normalise(Decimal) switch
    {
        "auto" or "" => null,
        var other => other[0],
    };

    internal static string Normalise(string? value)
    {
        var trimmed = (value ?? "").Trim();
        // A lone space or tab must survive trimming: they are meaningful spellings.
        if (trimmed.Length == 0 && value is { Length: > 0 }) return value == "\t" ? "tab" : "space";
        return trimmed.ToLowerInvariant() switch
        {
            "utf8" => "utf-8",
            "utf16" or "utf-16le" or "unicode" => "utf-16",
            "cp1251" or "windows1251" or "1251" => "windows-1251",
            "zsav" or "spss" => "sav",
            "stata" => "dta",
            "\\t" or "tab" => "tab",
            var other => other,
        };
    }
}
