using System.IO.MemoryMappedFiles;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;
using System.Text.Unicode;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline.FastHourLog;

namespace ContributionIndex.Estimation;

/// <summary>What <see cref="SurveyCsvFastPath"/> reads: 0-based file columns by role, in the order of the results.</summary>
/// <param name="FieldCount">The header's field count (every data line must have as many).</param>
/// <param name="Delimiter">The field delimiter.</param>
/// <param name="Format">The file's number format, as resolved by the reader.</param>
/// <param name="MaxLineBytes">Lines longer than this leave the fast path (the row reader applies the size limits).</param>
/// <param name="Numbers">Number columns; a required one (weights, fpc, replicate weights) must hold a number ≥ 0.</param>
/// <param name="Labels">Label columns; a design one (strata, PSU, SSU) must not be empty.</param>
/// <param name="Where">The row filter's column, or -1.</param>
/// <param name="Wanted">The row filter's value (trimmed).</param>
/// <param name="Models">Model columns (text and number of each cell).</param>
internal sealed record SurveyCsvPlan(int FieldCount, char Delimiter, NumberFormat Format, int MaxLineBytes,
    (int Index, bool Required)[] Numbers, (int Index, bool IsDesign)[] Labels, int Where, string? Wanted, int[] Models);

/// <summary>The columns of <see cref="SurveyCsvPlan"/> as <see cref="SurveySample.Read"/> would have made them row by row.</summary>
internal sealed class SurveyCsvColumns
{
    public required int Rows { get; init; }

    public required double[][] Numbers { get; init; }

    public required CodedLabels[] Labels { get; init; }

    public required bool[]? Include { get; init; }

    public required (double[] Numbers, string?[] Text, bool AllNumbers)[] Models { get; init; }
}

/// <summary>
/// Reads the columns a quick-mode request needs from a plain UTF-8 CSV file straight from its bytes, on every core: the
/// file is memory-mapped and cut into pieces at line ends, each piece split into fields with vectorised searches, numbers
/// parsed from the bytes (no string per cell) and text cells looked up by their bytes in a per-piece table (one string per
/// distinct cell). Methodology: estimation.md §Models, "Reading the survey file".
/// </summary>
/// <remarks>
/// All or nothing: the fast path reads only files whose result is provably the row reader's — no quote, no lone carriage
/// return, no empty or ragged line, valid UTF-8, required numbers present and ≥ 0, design labels present, optional numbers
/// that parse. At the first line it does not handle it gives up (returns null) and the caller reads the file row by row,
/// which reports any problem with its file, line and column exactly as before. A plain decimal <c>d.ddd</c> of at most 15
/// digits is m / 10^k with m and 10^k exact doubles, so the one correctly rounded division equals the correctly rounded
/// parse of <see cref="TabularNumber.Parse"/>; any other number text goes through <see cref="TabularNumber.Parse"/> itself.
/// </remarks>
internal static unsafe class SurveyCsvFastPath
{
    private const int MaxFastDigits = 15;
    private const long PieceBytes = 16L << 20;

    private static readonly double[] PowersOfTen =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    /// <summary>A distinct text cell of one piece: its number (when it parses), trimmed text and filter match.</summary>
    private struct Cell
    {
        public NumberParseStatus Status;
        public double Number;
        public bool Matches;
    }

    /// <summary>One piece's text tables: per text column, the distinct cells in order of first appearance.</summary>
    private sealed class PieceTables(int columns)
    {
        public Utf8KeyTable<Cell>[] Tables { get; } = Enumerable.Range(0, columns).Select(_ => new Utf8KeyTable<Cell>(64)).ToArray();

        public List<string>[] Text { get; } = Enumerable.Range(0, columns).Select(_ => new List<string>()).ToArray();

        public List<Cell>[] Cells { get; } = Enumerable.Range(0, columns).Select(_ => new List<Cell>()).ToArray();
    }

    /// <summary>The columns, or null when the file is not one the fast path reads (then read it row by row).</summary>
    /// <param name="path">The file.</param>
    /// <param name="headerLineBytes">Bytes before the first data line: byte order mark and header line with its line end.</param>
    /// <param name="plan">The columns to read.</param>
    public static SurveyCsvColumns? TryRead(string path, long headerLineBytes, SurveyCsvPlan plan)
    {
        long length = new FileInfo(path).Length;
        if (length <= headerLineBytes || plan.FieldCount < 2 || plan.Delimiter > 127) return null;
        MemoryMappedFile? map = null;
        MemoryMappedViewAccessor view;
        try
        {
            map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            map?.Dispose();
            return null; // not a mappable regular file (a pipe, a special file): the row reader reads it
        }
        using var mapped = map;
        using var mappedView = view;
        byte* file = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref file);
        try
        {
            file += view.PointerOffset;
            var pieces = Pieces(file, headerLineBytes, length);
            long total = pieces.Sum(p => (long)p.Rows);
            if (total == 0 || total > Array.MaxLength) return null;
            int rows = (int)total;
            var starts = new int[pieces.Count];
            for (int k = 1; k < pieces.Count; k++) starts[k] = starts[k - 1] + pieces[k - 1].Rows;

            var numbers = plan.Numbers.Select(_ => GC.AllocateUninitializedArray<double>(rows)).ToArray();
            int textColumns = plan.Labels.Length + plan.Models.Length + (plan.Where >= 0 ? 1 : 0);
            var textIds = Enumerable.Range(0, textColumns).Select(_ => GC.AllocateUninitializedArray<int>(rows)).ToArray();
            var tables = new PieceTables[pieces.Count];
            int failed = 0;
            Parallel.For(0, pieces.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, (k, state) =>
            {
                var piece = pieces[k];
                var span = new ReadOnlySpan<byte>(file + piece.Start, piece.Length);
                tables[k] = new PieceTables(textColumns);
                if (!ReadPiece(span, starts[k], plan, numbers, textIds, tables[k], ref failed)) state.Stop();
            });
            if (Volatile.Read(ref failed) != 0) return null;
            return Merge(rows, plan, numbers, textIds, tables, starts, pieces);
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    private readonly record struct Piece(long Start, int Length, int Rows);

    /// <summary>Cuts the data bytes into pieces that end at line ends; counts each piece's lines.</summary>
    private static List<Piece> Pieces(byte* file, long start, long end)
    {
        var pieces = new List<Piece>();
        int wanted = Math.Max(4 * Environment.ProcessorCount, (int)Math.Min(int.MaxValue, (end - start) / PieceBytes));
        long size = Math.Min(int.MaxValue / 2, Math.Max(1 << 16, (end - start + wanted - 1) / wanted));
        while (start < end)
        {
            long stop = Math.Min(end, start + size);
            if (stop < end)
            {
                // Extend to the next line end (a line longer than a piece is left to the row reader).
                var tail = new ReadOnlySpan<byte>(file + stop, (int)Math.Min(int.MaxValue / 2, end - stop));
                int newline = tail.IndexOf((byte)'\n');
                stop = newline < 0 ? end : stop + newline + 1;
            }
            var span = new ReadOnlySpan<byte>(file + start, (int)(stop - start));
            int rows = span.Count((byte)'\n') + (span[^1] == (byte)'\n' ? 0 : 1);
            pieces.Add(new Piece(start, span.Length, rows));
            start = stop;
        }
        return pieces;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool ReadPiece(ReadOnlySpan<byte> span, int firstRow, SurveyCsvPlan plan, double[][] numbers, int[][] textIds, PieceTables tables, ref int failed)
    {
        var bounds = new int[plan.FieldCount + 1];
        byte delimiter = (byte)plan.Delimiter;
        char decimalSeparator = plan.Format.DecimalSeparator;
        byte decimalByte = (byte)decimalSeparator;
        char? thousands = plan.Format.ThousandsSeparator;
        var numberIndex = plan.Numbers.Select(n => n.Index).ToArray();
        var numberRequired = plan.Numbers.Select(n => n.Required).ToArray();
        ref int boundsStart = ref MemoryMarshal.GetArrayDataReference(bounds);
        int labelCount = plan.Labels.Length, modelCount = plan.Models.Length;
        int row = firstRow;
        int checkEvery = 0;
        while (span.Length > 0)
        {
            if (++checkEvery == 4096)
            {
                checkEvery = 0;
                if (Volatile.Read(ref failed) != 0) return false;
            }
            int newline = span.IndexOf((byte)'\n');
            var line = newline < 0 ? span : span[..newline];
            span = newline < 0 ? default : span[(newline + 1)..];
            if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
            if (line.Length == 0 || line.Length > plan.MaxLineBytes || !Split(line, delimiter, bounds))
                return Fail(ref failed);

            ref byte lineStart = ref MemoryMarshal.GetReference(line);
            for (int c = 0; c < numbers.Length; c++)
            {
                // Split has checked every bound against the line: unchecked reads of the field's bytes.
                int index = numberIndex[c];
                int from = Unsafe.Add(ref boundsStart, index);
                int length = Unsafe.Add(ref boundsStart, index + 1) - 1 - from;
                bool required = numberRequired[c];
                if (TryPlain(ref Unsafe.Add(ref lineStart, from), length, decimalByte, out var value))
                {
                    if (required && !(value >= 0)) return Fail(ref failed);
                    numbers[c][row] = value;
                    continue;
                }
                var field = line.Slice(from, length);
                var status = ParseNumber(field, decimalSeparator, thousands, out value);
                if (status == NumberParseStatus.Ok && (!required || value >= 0)) numbers[c][row] = value;
                else if (status == NumberParseStatus.Empty && !required) numbers[c][row] = double.NaN;
                else return Fail(ref failed);
            }

            for (int t = 0; t < textIds.Length; t++)
            {
                int index = t < labelCount ? plan.Labels[t].Index : t < labelCount + modelCount ? plan.Models[t - labelCount] : plan.Where;
                var field = Field(line, bounds, index);
                var table = tables.Tables[t];
                table.GetOrAdd(field, out int id, out bool added);
                if (added)
                {
                    var text = Encoding.UTF8.GetString(field).Trim();
                    var cell = new Cell();
                    if (t >= labelCount && t < labelCount + modelCount) cell.Status = ParseNumber(field, decimalSeparator, plan.Format.ThousandsSeparator, out cell.Number);
                    if (t == labelCount + modelCount) cell.Matches = SurveySample.Matches(text, plan.Wanted!);
                    tables.Text[t].Add(text);
                    tables.Cells[t].Add(cell);
                }
                if (t < labelCount && plan.Labels[t].IsDesign && tables.Text[t][id].Length == 0) return Fail(ref failed);
                textIds[t][row] = id;
            }
            row++;
        }
        return true;
    }

    private static bool Fail(ref int failed)
    {
        Volatile.Write(ref failed, 1);
        return false;
    }

    /// <summary>
    /// Field f is line[bounds[f] .. bounds[f + 1] − 1]; false when the line has another field count than the header, a quote
    /// or a carriage return, or is not valid UTF-8. One pass: 32 bytes at a time, the delimiters' positions read from a bit mask.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Split(ReadOnlySpan<byte> line, byte delimiter, int[] bounds)
    {
        int fields = bounds.Length - 1, f = 0, i = 0;
        bool ascii = true;
        bounds[0] = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref byte first = ref MemoryMarshal.GetReference(line);
            var delimiters = Vector256.Create(delimiter);
            var quotes = Vector256.Create((byte)'"');
            var returns = Vector256.Create((byte)'\r');
            for (; i <= line.Length - Vector256<byte>.Count; i += Vector256<byte>.Count)
            {
                var block = Vector256.LoadUnsafe(ref first, (nuint)i);
                if ((Vector256.Equals(block, quotes) | Vector256.Equals(block, returns)) != Vector256<byte>.Zero) return false;
                if (block.ExtractMostSignificantBits() != 0) ascii = false;
                uint mask = Vector256.Equals(block, delimiters).ExtractMostSignificantBits();
                while (mask != 0)
                {
                    if (++f >= fields) return false;
                    bounds[f] = i + BitOperations.TrailingZeroCount(mask) + 1;
                    mask &= mask - 1;
                }
            }
        }
        for (; i < line.Length; i++)
        {
            byte b = line[i];
            if (b == delimiter)
            {
                if (++f >= fields) return false;
                bounds[f] = i + 1;
            }
            else if (b is (byte)'"' or (byte)'\r') return false;
            else if (b >= 0x80) ascii = false;
        }
        if (f != fields - 1) return false;
        bounds[fields] = line.Length + 1;
        return ascii || Utf8.IsValid(line);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> Field(ReadOnlySpan<byte> line, int[] bounds, int index) => line[bounds[index]..(bounds[index + 1] - 1)];

    /// <summary><see cref="TabularNumber.Parse"/> of the field's text, with plain decimals of at most 15 digits parsed from the bytes.</summary>
    internal static NumberParseStatus ParseNumber(ReadOnlySpan<byte> field, char decimalSeparator, char? thousandsSeparator, out double value)
    {
        if (field.IsEmpty)
        {
            value = 0;
            return NumberParseStatus.Empty;
        }
        if (TryPlain(ref MemoryMarshal.GetReference(field), field.Length, (byte)decimalSeparator, out value)) return NumberParseStatus.Ok;
        Span<char> chars = field.Length <= 256 ? stackalloc char[field.Length] : new char[field.Length];
        int count = Encoding.UTF8.GetChars(field, chars);
        return TabularNumber.Parse(chars[..count], decimalSeparator, thousandsSeparator, out value);
    }

    /// <summary>A plain decimal of <paramref name="length"/> bytes at <paramref name="field"/>: an optional '-', digits with at most one decimal separator, 1 to 15 digits in all (m / 10^k, both exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryPlain(ref byte field, int length, byte decimalSeparator, out double value)
    {
        int i = 0;
        bool negative = length > 0 && field == (byte)'-';
        if (negative) i = 1;
        ulong mantissa = 0;
        int digits = 0, fraction = 0;
        for (; i < length; i++)
        {
            uint d = (uint)(Unsafe.Add(ref field, i) - '0');
            if (d > 9) break;
            mantissa = mantissa * 10 + d;
            digits++;
        }
        if (i < length && Unsafe.Add(ref field, i) == decimalSeparator)
        {
            for (i++; i < length; i++)
            {
                uint d = (uint)(Unsafe.Add(ref field, i) - '0');
                if (d > 9) break;
                mantissa = mantissa * 10 + d;
                digits++;
                fraction++;
            }
        }
        if (i != length || digits == 0 || digits > MaxFastDigits)
        {
            value = 0;
            return false;
        }
        double magnitude = fraction == 0 ? mantissa : mantissa / PowersOfTen[fraction];
        value = negative ? -magnitude : magnitude;
        return true;
    }

    /// <summary>Piece-local text ids to the row reader's codes (first appearance in file order) and cell values.</summary>
    private static SurveyCsvColumns Merge(int rows, SurveyCsvPlan plan, double[][] numbers, int[][] textIds, PieceTables[] tables, int[] starts, List<Piece> pieces)
    {
        int labelCount = plan.Labels.Length, modelCount = plan.Models.Length;
        var labels = new CodedLabels[labelCount];
        for (int t = 0; t < labelCount; t++)
        {
            var table = new LabelTable();
            var codes = textIds[t];
            for (int k = 0; k < tables.Length; k++)
            {
                var map = tables[k].Text[t].Select(text => text.Length == 0 ? -1 : table.Code(text)).ToArray();
                for (int row = starts[k], end = starts[k] + pieces[k].Rows; row < end; row++) codes[row] = map[codes[row]];
            }
            labels[t] = new CodedLabels(codes, table.Values);
        }

        var models = new (double[] Numbers, string?[] Text, bool AllNumbers)[modelCount];
        for (int m = 0; m < modelCount; m++)
        {
            int t = labelCount + m;
            var values = GC.AllocateUninitializedArray<double>(rows);
            var text = new string?[rows];
            bool allNumbers = true;
            var ids = textIds[t];
            for (int k = 0; k < tables.Length; k++)
            {
                var cells = tables[k].Cells[t];
                var strings = tables[k].Text[t].Select(s => s.Length == 0 ? null : s).ToArray();
                foreach (var cell in cells)
                    if (cell.Status is not (NumberParseStatus.Ok or NumberParseStatus.Empty)) allNumbers = false;
                for (int row = starts[k], end = starts[k] + pieces[k].Rows; row < end; row++)
                {
                    var cell = cells[ids[row]];
                    values[row] = cell.Status == NumberParseStatus.Ok ? cell.Number : double.NaN;
                    text[row] = strings[ids[row]];
                }
            }
            models[m] = (values, text, allNumbers);
        }

        bool[]? include = null;
        if (plan.Where >= 0)
        {
            int t = labelCount + modelCount;
            include = new bool[rows];
            var ids = textIds[t];
            for (int k = 0; k < tables.Length; k++)
            {
                var cells = tables[k].Cells[t];
                for (int row = starts[k], end = starts[k] + pieces[k].Rows; row < end; row++) include[row] = cells[ids[row]].Matches;
            }
        }
        return new SurveyCsvColumns { Rows = rows, Numbers = numbers, Labels = labels, Include = include, Models = models };
    }
}
