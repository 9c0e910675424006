using ContributionIndex.Ingest;
using ContributionIndex.Studies;

namespace ContributionIndex.Pipeline;

/// <summary>The records of a study's input files, read by <see cref="StudyInputReader"/> (streaming; each pass re-reads the files).</summary>
public sealed class StudyRecordSource : IRecordSource
{
    private readonly Study _study;
    private readonly Dictionary<string, Dictionary<string, int>> _columns = new(StringComparer.Ordinal);

    /// <summary>Creates a source over the inputs of a loaded study.</summary>
    public StudyRecordSource(Study study)
    {
        ArgumentNullException.ThrowIfNull(study);
        _study = study;
    }

    /// <inheritdoc />
    public IEnumerable<IngestItem> Read() => StudyInputReader.ReadAll(_study);

    /// <inheritdoc />
    public int? ColumnOf(string inputName, string field)
    {
        if (!_columns.TryGetValue(inputName, out var columns))
        {
            columns = ReadHeader(inputName);
            _columns[inputName] = columns;
        }

        return columns.TryGetValue(field, out var column) ? column : null;
    }

    /// <summary>Maps the input's mapped fields to 1-based column numbers by reading its header once.</summary>
    private Dictionary<string, int> ReadHeader(string inputName)
    {
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        var input = _study.Inputs.FirstOrDefault(i => i.Name == inputName);
        if (input is null) return columns;
        var path = string.IsNullOrEmpty(input.FullPath) ? _study.ResolvePath(input.Path) : input.FullPath;
        using var reader = TabularFile.Open(path, TabularOptions.FromInput(input));
        foreach (var (field, header) in input.Columns)
        {
            var index = reader.FindColumn(header);
            if (index >= 0) columns[field] = index + 1;
        }

        return columns;
    }
}
