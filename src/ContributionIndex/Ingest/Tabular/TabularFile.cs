using ContributionIndex.Diagnostics;

namespace ContributionIndex.Ingest;

/// <summary>Opens CSV, XLSX and Parquet files as streams of rows with physical line numbers (row numbers for Parquet).</summary>
public static class TabularFile
{
    /// <summary>
    /// Opens a tabular file and reads its header. Throws <see cref="InputDataException"/> (one sentence with file, line
    /// and a hint) when the file is missing, empty, not of the declared kind, or its encoding or delimiter cannot be told.
    /// </summary>
    /// <param name="path">The file path; kept as given in messages.</param>
    /// <param name="options">How to read it; <see cref="TabularOptions.Default"/> detects everything.</param>
    public static TabularReader Open(string path, TabularOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= TabularOptions.Default;
        Validate(options, options.DisplayName ?? path);
        if (!File.Exists(path))
        {
            throw new InputDataException(SourceLocation.OfFile(options.DisplayName ?? path), $"the file {SpecialFiles.Absence(path)}.",
                Directory.Exists(path) ? "Name the data file inside it." : "Check the path (relative paths in a study file are relative to the study file).");
        }

        if (SpecialFiles.Describe(path) is { } kind)
        {
            throw new InputDataException(SourceLocation.OfFile(options.DisplayName ?? path), $"this is {kind}, not a data file.",
                "Inputs must be regular files; copy the data to a file first.");
        }

        var magic = Magic(path);
        if (magic.AsSpan().StartsWith(Ole2))
        {
            throw new InputDataException(SourceLocation.OfFile(options.DisplayName ?? path),
                "the file is a legacy Excel 97–2003 workbook (.xls, OLE2), which cannot be read.", "Save it as .xlsx or export the sheet as CSV.");
        }

        // With format auto, the bytes decide over the extension for Parquet, SPSS and Stata (a CSV reader would echo binary).
        var format = TabularOptions.Normalise(options.Format);
        if (format is "auto" && magic.AsSpan().StartsWith("PAR1"u8)) return new ParquetTabularReader(path, options);
        if (format is "sav" || (format is "auto" && IsSpssMagic(magic))) return new SpssTabularReader(path, options);
        if (format is "dta" || (format is "auto" && IsStataMagic(magic))) return new StataTabularReader(path, options);
        if (IsParquet(path, options)) return new ParquetTabularReader(path, options);
        return IsXlsx(path, options) ? new XlsxTabularReader(path, options) : new CsvTabularReader(path, options);
    }

    private static bool IsSpssMagic(ReadOnlySpan<byte> magic) => magic.StartsWith("$FL2"u8) || magic.StartsWith("$FL3"u8);

    /// <summary>Stata 117–119 start with <c>&lt;stata_dta&gt;</c>; 114 and 115 with the release byte, a byte-order byte (1 or 2) and file type 1.</summary>
    private static bool IsStataMagic(ReadOnlySpan<byte> magic) =>
        magic.StartsWith("<stata_d"u8) || (magic.Length >= 4 && magic[0] is 114 or 115 && magic[1] is 1 or 2 && magic[2] == 1 && magic[3] == 0);

    private static ReadOnlySpan<byte> Ole2 => [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    /// <summary>The first 8 bytes of the file (fewer for a shorter file).</summary>
    private static byte[] Magic(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
            var buffer = new byte[8];
            var n = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return buffer[..n];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Whether a path is read as XLSX: declared <c>format: xlsx</c>, or an <c>.xlsx</c>/<c>.xlsm</c> extension when the format is <c>auto</c>.</summary>
    public static bool IsXlsx(string path, TabularOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var format = TabularOptions.Normalise(options.Format);
        if (format is "xlsx") return true;
        if (format is "csv") return false;
        var extension = System.IO.Path.GetExtension(path);
        return extension.Equals(".xlsx", StringComparison.OrdinalIgnoreCase) || extension.Equals(".xlsm", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Whether a path is read as Parquet: declared <c>format: parquet</c>, or a <c>.parquet</c> extension when the format is <c>auto</c>.</summary>
    public static bool IsParquet(string path, TabularOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var format = TabularOptions.Normalise(options.Format);
        if (format is "parquet") return true;
        if (format is not "auto") return false;
        return System.IO.Path.GetExtension(path).Equals(".parquet", StringComparison.OrdinalIgnoreCase);
    }

    private static void Validate(TabularOptions options, string path)
    {
        Check("format", options.Format, TabularOptions.FormatChoices, path);
        Check("encoding", options.Encoding, TabularOptions.EncodingChoices, path);
        Check("delimiter", options.Delimiter, TabularOptions.DelimiterChoices, path);
        Check("decimal", options.Decimal, TabularOptions.DecimalChoices, path);
        Check("thousands", options.Thousands, TabularOptions.ThousandsChoices, path);
        if (options.MaxXlsxUncompressedBytes <= 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxXlsxUncompressedBytes must be positive.");
        if (options.MaxCsvRecordBytes <= 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxCsvRecordBytes must be positive.");
        if (options.MaxFieldChars <= 0) throw new ArgumentOutOfRangeException(nameof(options), "MaxFieldChars must be positive.");
        if (options.DecimalSampleRows <= 0) throw new ArgumentOutOfRangeException(nameof(options), "DecimalSampleRows must be positive.");
    }

    private static void Check(string name, string value, IReadOnlyList<string> choices, string path)
    {
        var normalised = TabularOptions.Normalise(value);
        if (choices.Contains(normalised)) return;
        throw new InputDataException(SourceLocation.OfFile(path), $"'{value}' is not a valid {name}.",
            $"Use one of: {string.Join(", ", choices.Select(c => $"'{c}'"))}.");
    }
}
