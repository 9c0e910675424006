using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;

namespace ContributionIndex.Estimation;

/// <summary>
/// The columns of the sample that a quick-mode request needs, read once with line-aware validation, in memory
/// proportional to what the estimators must hold: one double per row for each number column (weights, fpc, analysis
/// variables, replicate weights), one integer code per row for each label column (strata, PSU, by, proportion) with one
/// string per distinct label, and one bool per row for the row filter.
/// </summary>
/// <remarks>
/// Rows arrive one at a time and their count is unknown until the end, so each column is collected in chunks of native
/// memory (no doubling, no copy while reading; <see cref="ChunkedColumn{T}"/>) and made one array at the end, column
/// by column, each column's chunks freed as soon as its array exists: the peak is the sample plus one column, not twice
/// the sample.
/// </remarks>
internal sealed class SurveySample
{
    private SurveySample(int rowCount) => RowCount = rowCount;

    public int RowCount { get; }

    public Dictionary<string, double[]> Numbers { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, CodedLabels> Labels { get; } = new(StringComparer.Ordinal);

    public double[][] ReplicateColumns { get; private set; } = [];

    public bool[]? Include { get; private set; }

    /// <summary>Whether the columns were read from the file's bytes (<see cref="SurveyCsvFastPath"/>) rather than row by row.</summary>
    public bool ReadFromBytes { get; private set; }

    /// <summary>Columns read for a model or calibration margins: each cell as text and, when it parses, as a number (NaN otherwise).</summary>
    public Dictionary<string, (double[] Numbers, string?[] Text, bool AllNumbers)> ModelColumns { get; } = new(StringComparer.Ordinal);

    /// <summary>Reads the columns <paramref name="request"/> and <paramref name="modelColumns"/> need.</summary>
    /// <param name="request">The file, its design columns and estimates.</param>
    /// <param name="modelColumns">Model or calibration-margin columns, read as text and number.</param>
    /// <param name="fastCsv">Read a plain UTF-8 CSV file from its bytes (<see cref="SurveyCsvFastPath"/>); false reads every file row by row (tests compare the two).</param>
    public static SurveySample Read(QuickEstimateRequest request, IReadOnlyList<string>? modelColumns = null, bool fastCsv = true)
    {
        using var reader = TabularFile.Open(request.DataPath, request.Tabular);
        // Two columns with one header would make the choice of column arbitrary: refuse, as study inputs do.
        var duplicates = reader.DuplicateHeaders();
        int Column(string name, string role)
        {
            foreach (var (header, columns) in duplicates)
            {
                if (string.Equals(header.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase))
                    throw new InputDataException(reader.Locate(reader.HeaderLine, columns[1] + 1),
                        string.Create(CultureInfo.InvariantCulture, $"the {role} column '{name}' appears {columns.Count} times in the header (columns {string.Join(", ", columns.Select(c => c + 1))})."),
                        "Rename or remove the duplicate column.");
            }

            int index = reader.FindColumn(name);
            if (index < 0)
                throw new InputDataException(reader.Locate(reader.HeaderLine, 0),
                    $"the {role} column '{name}' is not in the header.",
                    $"Columns found: {MessageText.Excerpt(string.Join(", ", reader.Headers.Select(h => h.Trim())), 3 * MessageText.MaxExcerptLength)}.");
            return index;
        }

        // Columns read as numbers: the weights, fpc and replicate weights must be present; analysis variables may be missing.
        var required = new Dictionary<string, int>(StringComparer.Ordinal) { [request.Weights] = Column(request.Weights, "weights") };
        if (request.Fpc is not null) required[request.Fpc] = Column(request.Fpc, "fpc");
        if (request.Fpc2 is not null) required[request.Fpc2] = Column(request.Fpc2, "fpc2");
        var analysis = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var v in request.Totals.Concat(request.Means).Concat(request.Quantiles.Select(q => q.Column))
                     .Concat(request.Ratios.SelectMany(r => new[] { r.Numerator, r.Denominator })))
            analysis[v] = Column(v, "analysis");
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        if (request.Strata is not null) labels[request.Strata] = Column(request.Strata, "strata");
        if (request.Psu is not null) labels[request.Psu] = Column(request.Psu, "PSU");
        if (request.Ssu is not null) labels[request.Ssu] = Column(request.Ssu, "SSU");
        foreach (var b in request.By) labels[b] = Column(b, "by");
        foreach (var p in request.Proportions) labels[p.Column] = Column(p.Column, "proportion");
        foreach (var (a, b) in request.ChiSquare) { labels[a] = Column(a, "chisq"); labels[b] = Column(b, "chisq"); }
        int whereColumn = request.Where is null ? -1 : Column(request.Where.Column, "where");
        var model = (modelColumns ?? []).Distinct(StringComparer.Ordinal).ToDictionary(c => c, c => Column(c, "model"), StringComparer.Ordinal);
        var modelNumbers = model.Keys.ToDictionary(k => k, _ => new List<double>());
        var modelText = model.Keys.ToDictionary(k => k, _ => new List<string?>());
        var modelAllNumbers = model.Keys.ToDictionary(k => k, _ => true);
        IReadOnlyList<int> replicate = [];
        if (request.ReplicateWeights is not null)
        {
            replicate = reader.FindColumns(request.ReplicateWeights).Where(c => c != required[request.Weights]).ToArray();
            if (replicate.Count < 2)
                throw new InputDataException(reader.Locate(reader.HeaderLine, 0),
                    $"the replicate weight pattern '{request.ReplicateWeights}' matches {replicate.Count} column(s); at least two are needed.",
                    "Use * and ? wildcards, e.g. --repweights 'repw*'.");
        }
        reader.SampleNumbersOnlyIn(required.Values.Concat(analysis.Values).Concat(replicate));

        // One (name, index, role) per number column, required ones first; analysis variables that are also required are read once.
        var numberColumns = required.Select(kv => (Name: kv.Key, Index: kv.Value, Role: (string?)(kv.Key == request.Weights ? "weight" : "fpc")))
            .Concat(analysis.Where(kv => !required.ContainsKey(kv.Key)).Select(kv => (Name: kv.Key, Index: kv.Value, Role: (string?)null)))
            .ToArray();
        var numberChunks = numberColumns.Select(_ => new ChunkedColumn<double>()).ToArray();
        var labelColumns = labels.Select(kv => (Name: kv.Key, Index: kv.Value, IsDesign: kv.Key == request.Strata || kv.Key == request.Psu || kv.Key == request.Ssu)).ToArray();
        var labelTables = labelColumns.Select(_ => new LabelTable()).ToArray();
        var labelChunks = labelColumns.Select(_ => new ChunkedColumn<int>()).ToArray();
        var replicateChunks = replicate.Select(_ => new ChunkedColumn<double>()).ToArray();
        var include = request.Where is null ? null : new ChunkedColumn<bool>();
        var wanted = request.Where?.Value.Trim();
        if (fastCsv && reader is CsvTabularReader { EncodingName: "utf-8", HeaderLine: 1, Delimiter: { } delimiter } csvReader && HeaderBytes(request.DataPath) is { } headerBytes)
        {
            var modelIndexes = model.ToArray();
            var plan = new SurveyCsvPlan(reader.Headers.Count, delimiter, reader.NumberFormat, Math.Min(reader.Options.MaxFieldChars, reader.Options.MaxCsvRecordBytes),
                [.. numberColumns.Select(c => (c.Index, c.Role is not null)), .. replicate.Select(index => (index, true))],
                [.. labelColumns.Select(c => (c.Index, c.IsDesign))], whereColumn, wanted, [.. modelIndexes.Select(m => m.Value)]);
            if (SurveyCsvFastPath.TryRead(csvReader.FilePath, headerBytes, plan) is { } fast)
            {
                var sample = new SurveySample(fast.Rows) { ReadFromBytes = true };
                for (int c = 0; c < numberColumns.Length; c++) sample.Numbers[numberColumns[c].Name] = fast.Numbers[c];
                for (int c = 0; c < labelColumns.Length; c++) sample.Labels[labelColumns[c].Name] = fast.Labels[c];
                sample.ReplicateColumns = fast.Numbers[numberColumns.Length..];
                sample.Include = fast.Include;
                for (int m = 0; m < modelIndexes.Length; m++) sample.ModelColumns[modelIndexes[m].Key] = fast.Models[m];
                return sample;
            }
        }

        int rows = 0;
        try
        {
            foreach (var row in reader.ReadRows())
            {
                if (row.Problems.Count > 0)
                {
                    var problem = row.Problems[0];
                    throw new InputDataException(reader.Locate(row.Line, problem.Column), problem.Reason);
                }

                for (int c = 0; c < numberColumns.Length; c++)
                {
                    var (_, index, role) = numberColumns[c];
                    numberChunks[c].Add(role is null ? ReadOptional(reader, row, index) : ReadRequired(reader, row, index, role));
                }

                for (int c = 0; c < labelColumns.Length; c++)
                {
                    var (name, index, isDesign) = labelColumns[c];
                    var text = row[index].Trim();
                    if (text.Length == 0 && isDesign)
                        throw new InputDataException(reader.Locate(row.Line, index + 1),
                            $"the {(name == request.Strata ? "stratum" : name == request.Psu ? "PSU" : "SSU")} is empty.", "Every row needs its stratum, PSU and SSU; fill the cell or drop the row.");
                    labelChunks[c].Add(text.Length == 0 ? -1 : labelTables[c].Code(text));
                }

                for (int r = 0; r < replicate.Count; r++) replicateChunks[r].Add(ReadRequired(reader, row, replicate[r], "replicate weight"));
                include?.Add(Matches(row[whereColumn].Trim(), wanted!));
                foreach (var (name, index) in model)
                {
                    var text = row[index].Trim();
                    var status = row.TryGetNumber(index, out var number);
                    if (status != NumberParseStatus.Ok && status != NumberParseStatus.Empty) modelAllNumbers[name] = false;
                    modelNumbers[name].Add(status == NumberParseStatus.Ok ? number : double.NaN);
                    modelText[name].Add(text.Length == 0 ? null : text);
                }
                rows++;
            }

            var sample = new SurveySample(rows);
            for (int c = 0; c < numberColumns.Length; c++) sample.Numbers[numberColumns[c].Name] = numberChunks[c].ToArrayAndRelease();
            for (int c = 0; c < labelColumns.Length; c++)
                sample.Labels[labelColumns[c].Name] = new CodedLabels(labelChunks[c].ToArrayAndRelease(), labelTables[c].Values);
            var replicateColumns = new double[replicateChunks.Length][];
            for (int r = 0; r < replicateChunks.Length; r++) replicateColumns[r] = replicateChunks[r].ToArrayAndRelease();
            sample.ReplicateColumns = replicateColumns;
            sample.Include = include?.ToArrayAndRelease();
            foreach (var name in model.Keys) sample.ModelColumns[name] = ([.. modelNumbers[name]], [.. modelText[name]], modelAllNumbers[name]);
            return sample;
        }
        finally
        {
            // A read that stops at a bad cell frees the chunks it filled (no-ops for columns already made into arrays).
            foreach (var column in numberChunks.Concat(replicateChunks)) column.Dispose();
            foreach (var column in labelChunks) column.Dispose();
            include?.Dispose();
        }
    }

    private static double ReadRequired(TabularReader reader, TabularRow row, int index, string role)
    {
        var status = row.TryGetNumber(index, out var value);
        if (status == NumberParseStatus.Ok && value >= 0) return value;
        var location = reader.Locate(row.Line, index + 1);
        if (status == NumberParseStatus.Empty)
            throw new InputDataException(location, $"the {role} is missing.", $"Every row needs a {role}; R survey refuses missing {role}s too.");
        if (status == NumberParseStatus.Ok)
            throw new InputDataException(location, string.Create(CultureInfo.InvariantCulture, $"the {role} {value} is negative."), $"A {role} must be zero or positive.");
        throw new InputDataException(location, $"the {role} '{row[index]}' is not a number.",
            $"Write numbers with the file's decimal separator ('{reader.NumberFormat.DecimalSeparator}').");
    }

    private static double ReadOptional(TabularReader reader, TabularRow row, int index)
    {
        var status = row.TryGetNumber(index, out var value);
        return status switch
        {
            NumberParseStatus.Ok => value,
            NumberParseStatus.Empty => double.NaN,
            _ => throw new InputDataException(reader.Locate(row.Line, index + 1), $"the value '{row[index]}' is not a number.",
                $"Leave the cell empty for a missing value, or write the number with the file's decimal separator ('{reader.NumberFormat.DecimalSeparator}')."),
        };
    }

    /// <summary>
    /// The bytes before the first data line (byte order mark, header line and its line end) when the header is the file's
    /// first line and has no quote (a quoted header may span lines); null otherwise (the file is then read row by row).
    /// </summary>
    private static long? HeaderBytes(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
        var buffer = new byte[1 << 20];
        int read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        var text = buffer.AsSpan(0, read);
        int bom = text.StartsWith("\uFEFF"u8) ? 3 : 0;
        int newline = text[bom..].IndexOf((byte)'\n');
        if (newline < 0 || text[bom..(bom + newline)].Contains((byte)'"')) return null;
        return bom + newline + 1;
    }

    internal static bool Matches(string cell, string wanted)
    {
        if (string.Equals(cell, wanted, StringComparison.Ordinal)) return true;
        return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
            && double.TryParse(wanted, NumberStyles.Float, CultureInfo.InvariantCulture, out var b) && a == b;
    }
}

/// <summary>
/// A column of values appended one at a time into fixed chunks of native memory: no doubling and no copy while it grows;
/// <see cref="ToArrayAndRelease"/> makes the one managed array and frees the chunks at once.
/// </summary>
/// <remarks>
/// Chunks are 64 MiB by default. Pages of native memory are committed only when written, so a short column costs what
/// it holds; and a block this large is mapped directly by the C allocator (glibc maps anything above 32 MiB), so it goes
/// back to the operating system the moment it is freed. On the managed heap the chunks would stay committed until the
/// collector decommits free regions, and the sample would briefly be held twice while its arrays are made.
/// </remarks>
internal sealed unsafe class ChunkedColumn<T> : IDisposable where T : unmanaged
{
    internal const int DefaultChunkBytes = 64 << 20;
    private readonly List<nint> chunks = [];
    private T* current;
    private int used;

    public ChunkedColumn(int chunkBytes = DefaultChunkBytes) => ChunkLength = Math.Max(1, chunkBytes / sizeof(T));

    ~ChunkedColumn() => Free();

    /// <summary>The number of values a chunk holds.</summary>
    public int ChunkLength { get; }

    /// <summary>The number of values appended.</summary>
    public long Count => (long)Math.Max(0, chunks.Count - 1) * ChunkLength + used;

    public void Add(T value)
    {
        if (current is null || used == ChunkLength)
        {
            current = (T*)System.Runtime.InteropServices.NativeMemory.Alloc((nuint)ChunkLength, (nuint)sizeof(T));
            chunks.Add((nint)current);
            used = 0;
        }

        current[used++] = value;
    }

    /// <summary>The values as one array; the chunks are freed (the column is empty afterwards).</summary>
    public T[] ToArrayAndRelease()
    {
        var count = Count;
        if (count > Array.MaxLength) throw new InvalidOperationException("The column has more values than an array can hold.");
        var array = GC.AllocateUninitializedArray<T>((int)count);
        long offset = 0;
        for (int c = 0; c < chunks.Count; c++)
        {
            int length = c == chunks.Count - 1 ? used : ChunkLength;
            new ReadOnlySpan<T>((void*)chunks[c], length).CopyTo(array.AsSpan((int)offset));
            offset += length;
        }

        Free();
        return array;
    }

    /// <summary>Frees the chunks (a column dropped when reading fails).</summary>
    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        foreach (var chunk in chunks) System.Runtime.InteropServices.NativeMemory.Free((void*)chunk);
        chunks.Clear();
        current = null;
        used = 0;
    }
}
