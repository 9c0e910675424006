using System.Globalization;
using ContributionIndex.Diagnostics;
using Parquet;
using Parquet.Schema;

namespace ContributionIndex.Ingest;

/// <summary>
/// Reads a Parquet file through Parquet.Net 6 one row group at a time (memory is bounded by the largest row group, not
/// the file). Every value becomes invariant text as for XLSX: numbers round-trip ("R") and are marked as numeric cells
/// (never subject to decimal-separator detection), dates ISO 8601, booleans true/false, nulls the empty string. Rows
/// are numbered like a sheet: the header is line 1 and the n-th data row is line n + 1.
/// </summary>
internal sealed class ParquetTabularReader : TabularReader
{
    private readonly FileStream stream;
    private readonly ParquetReader parquet;
    private readonly DataField[] fields;

    public ParquetTabularReader(string filePath, TabularOptions options) : base(filePath, options)
    {
        var path = Path;
        stream = new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
        try
        {
            // The footer first: a flipped length in it could keep Parquet.Net reading for ever (hardening.md §1).
            ParquetFooter.Check(stream, path);
            parquet = ParquetReader.CreateAsync(stream, leaveStreamOpen: true).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or InputDataException))
        {
            stream.Dispose();
            throw new InputDataException(SourceLocation.OfFile(path), $"the file cannot be opened as Parquet ({ex.GetType().Name}: {MessageText.Excerpt(ex.Message)}).",
                "Check that the file is a Parquet file; a CSV file should be named .csv or declared with format: csv.", ex);
        }
        catch (InputDataException)
        {
            stream.Dispose();
            throw;
        }

        try
        {
            // The schema is decoded lazily: a damaged schema element surfaces here, not in CreateAsync.
            fields = parquet.Schema.DataFields;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Dispose();
            throw new InputDataException(SourceLocation.OfFile(path), $"the Parquet file is damaged: its schema cannot be read ({ex.GetType().Name}: {MessageText.Excerpt(ex.Message)}).",
                "Export the file again; it may have been corrupted in transfer.", ex);
        }

        var nested = fields.FirstOrDefault(f => f.IsArray || f.Path.ToList().Count > 1);
        if (nested is not null)
        {
            Dispose();
            throw new InputDataException(SourceLocation.OfFile(path), $"column '{nested.Path}' is a list or a nested field; only flat columns can be read.",
                "Flatten the table (one scalar value per column) before exporting it to Parquet.");
        }

        var unsupported = fields.FirstOrDefault(f => !SupportedTypes.Contains(f.ClrType));
        if (unsupported is not null)
        {
            Dispose();
            throw new InputDataException(SourceLocation.OfFile(path), $"column '{unsupported.Name}' has the Parquet type {unsupported.ClrType.Name}, which cannot be read as a table value.",
                "Export that column as text, a number, a boolean or a date.");
        }

        HeaderLine = 1;
        Headers = [.. fields.Select(f => f.Name)];
    }

    public override string Format => "parquet";

    private static readonly HashSet<Type> SupportedTypes =
    [
        typeof(string), typeof(ReadOnlyMemory<char>), typeof(double), typeof(float), typeof(decimal), typeof(int), typeof(long), typeof(short),
        typeof(sbyte), typeof(byte), typeof(ushort), typeof(uint), typeof(ulong), typeof(bool), typeof(DateOnly), typeof(DateTime),
        typeof(TimeSpan), typeof(TimeOnly),
    ];

    private protected override IEnumerable<TabularRow> ReadRawRows()
    {
        long line = HeaderLine;
        for (var g = 0; g < parquet.RowGroupCount; g++)
        {
            string[][] columns;
            bool[] numeric;
            int count;
            try
            {
                using var group = parquet.OpenRowGroupReader(g);
                count = checked((int)group.RowCount);
                columns = new string[fields.Length][];
                numeric = new bool[fields.Length];
                for (var c = 0; c < fields.Length; c++)
                    columns[c] = ReadColumnAsync(group, fields[c], count, out numeric[c]).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (ex is not (OutOfMemoryException or InputDataException))
            {
                // A damaged page (one flipped bit) surfaces as whatever the decoder trips on; name the file and the rows.
                throw new InputDataException(new SourceLocation(Path, line + 1, 0),
                    $"row group {(g + 1).ToString(CultureInfo.InvariantCulture)} of the Parquet file is damaged and cannot be read ({ex.GetType().Name}: {(ex.Message.Length <= 200 ? ex.Message : ex.Message[..200] + "…")}).",
                    "Export the file again; it may have been corrupted in transfer.", ex);
            }

            for (var r = 0; r < count; r++)
            {
                var row = new string[fields.Length];
                for (var c = 0; c < fields.Length; c++) row[c] = columns[c][r];
                yield return CreateRow(++line, row, [], numeric);
            }
        }
    }

    private static Task<string[]> ReadColumnAsync(ParquetRowGroupReader group, DataField field, int count, out bool isNumber)
    {
        var type = field.ClrType;
        isNumber = type == typeof(double) || type == typeof(float) || type == typeof(decimal) || type == typeof(int) || type == typeof(long)
            || type == typeof(short) || type == typeof(sbyte) || type == typeof(byte) || type == typeof(ushort) || type == typeof(uint) || type == typeof(ulong);
        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>)) return ReadStringsAsync(group, field, count);
        if (type == typeof(double)) return ReadAsync<double>(group, field, count, v => v.ToString("R", CultureInfo.InvariantCulture));
        if (type == typeof(float)) return ReadAsync<float>(group, field, count, v => ((double)v).ToString("R", CultureInfo.InvariantCulture));
        if (type == typeof(decimal)) return ReadAsync<decimal>(group, field, count, v => v.ToString(CultureInfo.InvariantCulture));
        if (type == typeof(int)) return ReadAsync<int>(group, field, count, v => v.ToString(CultureInfo.InvariantCulture));
        if (type == typeof(long)) return ReadAsync<long>(group, field, count, v => v.ToString(CultureInfo.InvariantCulture));
        if (type == typeof(short)) return ReadAsync<short>(group, field, count, v => v.ToString(CultureInfo.InvariantCulture));
        if (type == typeof(sbyte)) return ReadAsync<sbyte>(group, field, count, v => v.ToString(CultureInfo.InvariantCulture));
        if (type == typeof(byte)) return ReadAsync<byte>(group, field, count, v => v.ToString(CultureInfo.InvariantCulture));
        if (type == typeof(ushort)) return ReadAsync<ushort>(group, field, count, v => v.ToString(CultureInfo.InvariantCulture));
        if (type == typeof(uint)) return ReadAsync<uint>(group, field, count, v => v.ToString(CultureInfo.InvariantCulture));
        if (type == typeof(ulong)) return ReadAsync<ulong>(group, field, count, v => v.ToString(CultureInfo.InvariantCulture));
        if (type == typeof(bool)) return ReadAsync<bool>(group, field, count, v => v ? "true" : "false");
        if (type == typeof(DateOnly)) return ReadAsync<DateOnly>(group, field, count, v => v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (type == typeof(DateTime))
        {
            return ReadAsync<DateTime>(group, field, count, v => v.TimeOfDay == TimeSpan.Zero
                ? v.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
                : v.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
        }

        if (type == typeof(TimeSpan)) return ReadAsync<TimeSpan>(group, field, count, v => v.ToString("c", CultureInfo.InvariantCulture));
        if (type == typeof(TimeOnly)) return ReadAsync<TimeOnly>(group, field, count, v => v.ToString("HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
        throw new NotSupportedException($"Parquet column '{field.Name}' has type {type.Name}, which cannot be read as a table value.");
    }

    private static async Task<string[]> ReadStringsAsync(ParquetRowGroupReader group, DataField field, int count)
    {
        var values = new string?[count];
        await group.ReadAsync(field, values.AsMemory()).ConfigureAwait(false);
        var texts = new string[count];
        for (var i = 0; i < values.Length; i++) texts[i] = values[i] ?? "";
        return texts;
    }

    private static async Task<string[]> ReadAsync<T>(ParquetRowGroupReader group, DataField field, int count, Func<T, string> format)
        where T : struct
    {
        var texts = new string[count];
        if (field.IsNullable)
        {
            var values = new T?[count];
            await group.ReadAsync<T>(field, values.AsMemory()).ConfigureAwait(false);
            for (var i = 0; i < count; i++) texts[i] = values[i] is { } v ? format(v) : "";
        }
        else
        {
            var values = new T[count];
            await group.ReadAsync<T>(field, values.AsMemory()).ConfigureAwait(false);
            for (var i = 0; i < count; i++) texts[i] = format(values[i]);
        }

        return texts;
    }

    private protected override void DisposeCore()
    {
        parquet?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        stream.Dispose();
    }
}
