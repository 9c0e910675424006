using System.Globalization;
using ContributionIndex.IO;

namespace ContributionIndex.Ingest;

/// <summary>
/// Writes rejected rows to a quarantine CSV (<c>input,file,line,column,column_name,rule,reason,raw_value</c>; UTF-8 with
/// a byte order mark so spreadsheet programs show Cyrillic; LF line ends), atomically (<see cref="AtomicFile"/>): rows go
/// to a temporary file in the same directory, which <see cref="Commit"/> moves over the target. Cells follow the CSV
/// text policy (<see cref="CsvText"/>): text a spreadsheet would read as a formula gets a leading apostrophe.
/// </summary>
public sealed class QuarantineWriter : IDisposable
{
    /// <summary>The header of a quarantine file.</summary>
    public static IReadOnlyList<string> Columns { get; } = ["input", "file", "line", "column", "column_name", "rule", "reason", "raw_value"];

    private AtomicFile? file;

    /// <summary>Starts a quarantine file that will replace <paramref name="path"/> on <see cref="Commit"/>.</summary>
    public QuarantineWriter(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        file = new AtomicFile(path, AtomicFile.Utf8WithByteOrderMark);
        Path = file.Path;
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
        ObjectDisposedException.ThrowIf(file is null, this);
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
        var committing = file ?? throw new ObjectDisposedException(nameof(QuarantineWriter));
        file = null;
        committing.Commit();
    }

    /// <summary>Discards the temporary file unless <see cref="Commit"/> was called.</summary>
    public void Dispose()
    {
        file?.Dispose();
        file = null;
    }

    private void WriteRow(IReadOnlyList<string> cells)
    {
        var w = file!.Writer;
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0) w.Write(CsvText.Separator);
            w.Write(CsvText.Text(cells[i]));
        }

        w.Write('\n');
    }
}
