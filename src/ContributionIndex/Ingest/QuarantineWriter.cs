using System.Globalization;
using System.Text;

namespace ContributionIndex.Ingest;

/// <summary>
/// Writes rejected rows to a quarantine CSV (<c>input,file,line,column,column_name,rule,reason,raw_value</c>; UTF-8 with
/// a byte order mark so spreadsheet programs show Cyrillic; LF line ends), atomically: rows go to a temporary file in the
/// same directory, which <see cref="Commit"/> moves over the target. Cells that a spreadsheet would read as a formula
/// (starting with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return) are prefixed with a single quote.
/// </summary>
public sealed class QuarantineWriter : IDisposable
{
    /// <summary>The header of a quarantine file.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["input", "file", "line", "column", "column_name", "rule", "reason", "raw_value"];

    private readonly string temporaryPath;
    private StreamWriter? writer;

    /// <summary>Starts a quarantine file that will replace <paramref name="path"/> on <see cref="Commit"/>.</summary>
    public QuarantineWriter(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        temporaryPath = System.IO.Path.Combine(directory, $".{System.IO.Path.GetFileName(Path)}.{Guid.NewGuid():N}.tmp");
        writer = new StreamWriter(temporaryPath, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true)) { NewLine = "\n" };
        WriteRow(Columns);
    }

    /// <summary>The absolute path of the quarantine file.</summary>
    public string Path { get; }

    /// <summary>Rows written so far.</summary>
    public long Count { get; private set; }

    /// <summary>Writes one rejected row of an input.</summary>
    public void Add(string inputName, RejectedRow rejection)
    {
        ArgumentNullException.ThrowIfNull(rejection);
        ObjectDisposedException.ThrowIf(writer is null, this);
        var location = rejection.Location;
        WriteRow([
            inputName,
            location.File,
            location.Line.ToString(CultureInfo.InvariantCulture),
            location.Column.ToString(CultureInfo.InvariantCulture),
            location.ColumnName ?? "",
            rejection.Rule,
            rejection.Reason,
            rejection.RawValue ?? "",
        ]);
        Count++;
    }

    /// <summary>Writes the rejection of an item (does nothing for an accepted one).</summary>
    public void Add(IngestItem item)
    {
        if (item.Rejection is { } rejection) Add(item.InputName, rejection);
    }

    /// <summary>Closes the temporary file and moves it over the target path.</summary>
    public void Commit()
    {
        var w = writer ?? throw new ObjectDisposedException(nameof(QuarantineWriter));
        w.Flush();
        w.Dispose();
        writer = null;
        File.Move(temporaryPath, Path, overwrite: true);
    }

    /// <summary>Discards the temporary file unless <see cref="Commit"/> was called.</summary>
    public void Dispose()
    {
        if (writer is null) return;
        writer.Dispose();
        writer = null;
        try
        {
            File.Delete(temporaryPath);
        }
        catch (IOException)
        {
            // Nothing more can be done; the temporary name starts with a dot and is never read.
        }
    }

    private void WriteRow(IReadOnlyList<string> cells)
    {
        var w = writer!;
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) w.Write(',');
            w.Write(Escape(cells[i]));
        }

        w.Write('\n');
    }

    /// <summary>Neutralises spreadsheet formulas, then quotes as RFC 4180 requires.</summary>
    internal static string Escape(string cell)
    {
        if (cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r') cell = "'" + cell;
        var needsQuotes = cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 || (cell.Length > 0 && (cell[0] == ' ' || cell[^1] == ' '));
        return needsQuotes ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
    }
}
