using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;

namespace ContributionIndex.Indicators.Composite.Io;

/// <summary>One data row with its 1-based physical line number (sheet row for XLSX).</summary>
internal sealed record CsvRow(long Line, IReadOnlyList<string> Fields, TabularRow Source);

/// <summary>A whole small table (framework, data, units, taxonomy files) read through the shared <see cref="TabularFile"/>
/// layer: CSV or XLSX, encoding, delimiter and decimal separator detected (Russian-locale exports work as they are).</summary>
/// <remarks>Any row problem the reader reports (ragged row, broken quote, formula or error cell) is an error here: these
/// files are small, hand-edited definitions, so the user fixes them rather than having rows quarantined.</remarks>
internal sealed class CsvTable
{
    private CsvTable(string path, string[] header, List<CsvRow> rows)
    {
        Path = path;
        Header = header;
        Rows = rows;
    }

    public string Path { get; }

    public string[] Header { get; }

    public IReadOnlyList<CsvRow> Rows { get; }

    /// <summary>Reads the whole file; the first record is the header.</summary>
    /// <param name="path">File path, kept as given in messages.</param>
    /// <param name="numericColumns">Headers of the columns read as numbers (decimal-separator detection looks only at them).</param>
    public static CsvTable Read(string path, params string[] numericColumns)
    {
        using var reader = TabularFile.Open(path, TabularOptions.Default with { AllowNoDataRows = true });
        var header = reader.Headers.Select(h => h.Trim()).ToArray();
        reader.SampleNumbersOnlyIn(numericColumns.Select(reader.FindColumn).Where(i => i >= 0));
        var rows = new List<CsvRow>();
        foreach (var row in reader.ReadRows())
        {
            if (row.Problems.Count > 0)
            {
                var problem = row.Problems[0];
                throw new InputDataException(reader.Locate(row.Line, problem.Column), problem.Reason.TrimEnd('.') + ".", "Fix the row in the file.");
            }

            if (row.Fields.All(string.IsNullOrWhiteSpace)) continue;
            rows.Add(new CsvRow(row.Line, row.Fields, row));
        }

        return new CsvTable(path, header, rows);
    }

    /// <summary>Position of a column by (case-insensitive) name, or −1.</summary>
    public int Column(string name) => Array.FindIndex(Header, h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Position of a required column; throws naming the file and the expected header otherwise.</summary>
    public int RequireColumn(string name, string expectedHeader)
    {
        var index = Column(name);
        if (index < 0)
            throw new InputDataException(new SourceLocation(Path, 1, 0), $"the header has no column '{name}'.", $"The header must be '{expectedHeader}'.");
        return index;
    }

    /// <summary>The trimmed field of a row, or empty when the row is short.</summary>
    public static string Field(CsvRow row, int column) => column >= 0 && column < row.Fields.Count ? row.Fields[column].Trim() : string.Empty;

    /// <summary>A numeric field in the file's number format; null when empty; an error naming file:line:column otherwise.</summary>
    public double? Number(CsvRow row, int column, string name)
    {
        if (column < 0) return null;
        switch (row.Source.TryGetNumber(column, out var value))
        {
            case NumberParseStatus.Ok:
                return value;
            case NumberParseStatus.Empty:
                return null;
            default:
                throw new InputDataException(new SourceLocation(Path, row.Line, column + 1, name), $"'{Field(row, column)}' is not a finite number.",
                    "Write a number (the decimal separator is detected per file), or leave the cell empty for missing.");
        }
    }
}
