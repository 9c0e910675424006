using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Ingest;

/// <summary>
/// Reads an SPSS system file (<c>.sav</c>: uncompressed or bytecode-compressed; <c>.zsav</c>: zlib blocks of bytecode)
/// from the format description of GNU PSPP's developer guide ("System File Format"), streaming one case at a time.
/// Numbers become invariant numeric cells; system-missing values and user-missing values and ranges become empty
/// cells; date formats become ISO dates; strings are decoded with the file's encoding (the character encoding record,
/// else the code page of the machine integer record, else the input's declared encoding). Very long strings (wider
/// than 255 bytes) are joined from their segments. The line of a row is its 1-based case number.
/// </summary>
internal sealed class SpssTabularReader : TabularReader
{
    private const double DefaultBias = 100;
    private const int MaxZlibBlockBytes = 64 * 1024 * 1024;

    private readonly BinaryCursor file;
    private readonly List<SpssVariable> variables = [];
    private readonly int caseElements;
    private readonly int compression;
    private readonly double bias;
    private readonly long declaredCases;
    private readonly Encoding encoding;
    private readonly Encoding lenient;
    private readonly long dataOffset;
    private BinaryCursor? data;

    public SpssTabularReader(string filePath, TabularOptions options) : base(filePath, options)
    {
        file = new BinaryCursor(new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1), Path);
        try
        {
            var magic = file.Peek(4);
            if (!magic.SequenceEqual("$FL2"u8) && !magic.SequenceEqual("$FL3"u8))
                throw file.Error(0, "the file does not start with an SPSS system file signature ($FL2 or $FL3).",
                    "Check that the file is an SPSS .sav or .zsav file, or declare its real format (csv, xlsx, parquet, dta).");
            file.Skip(64, "the file header");
            var layoutAt = file.Offset;
            var layout = file.Bytes(4, "the layout code");
            var little = BinaryPrimitives.ReadInt32LittleEndian(layout);
            if (little is not (2 or 3))
            {
                if (BinaryPrimitives.ReadInt32BigEndian(layout) is not (2 or 3))
                    throw file.Error(layoutAt, "the layout code is neither 2 nor 3 in either byte order, so this is not a readable SPSS system file.");
                file.BigEndian = true;
            }

            caseElements = file.Int32("the nominal case size");
            var compressionAt = file.Offset;
            compression = file.Int32("the compression code");
            if (compression is < 0 or > 2) throw file.Error(compressionAt, $"the compression code {compression} is not 0, 1 or 2.");
            if (compression == 2 && magic[3] != (byte)'3') throw file.Error(compressionAt, "zlib compression is declared in a file whose signature is not $FL3.");
            var weightIndex = file.Int32("the weight index");
            declaredCases = file.Int32("the case count");
            bias = file.Double("the compression bias");
            if (bias == 0 || !double.IsFinite(bias)) bias = DefaultBias;
            file.Skip(9 + 8 + 64 + 3, "the file header");

            var dictionary = ReadDictionary();
            encoding = ChooseEncoding(dictionary);
            lenient = Encoding.GetEncoding(encoding.CodePage);
            BuildVariables(dictionary, weightIndex);
            dataOffset = file.Offset;
            // The header's count (-1 when unknown) and the extended count of record 16: both must fit the data.
            CheckDeclaredCases(declaredCases);
            if (dictionary.ExtendedCases is { } extended && extended >= 0)
            {
                CheckDeclaredCases(extended);
                if (declaredCases < 0) declaredCases = extended;
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }

        HeaderLine = 0;
        Headers = [.. variables.Select(v => v.Name)];
        Variables = [.. variables.Select(v => new TabularVariable(v.Name, v.Label, v.Width == 0, v.ValueLabels))];
        EncodingName = encoding.WebName;
    }

    public override string Format => "sav";

    /// <summary>One variable as the data rows see it: its elements in the case, and how to turn them into text.</summary>
    private sealed class SpssVariable
    {
        public required string Name { get; set; }
        public required string ShortName { get; init; }
        public string? Label { get; set; }
        public required int Width { get; set; }
        public required int Element { get; init; }
        public required int Format { get; init; }
        public List<(int Element, int Width)> Segments { get; } = [];
        public double[] MissingValues { get; set; } = [];
        public (double Low, double High)? MissingRange { get; set; }
        public string[] MissingStrings { get; set; } = [];
        public Dictionary<string, string> ValueLabels { get; } = new(StringComparer.Ordinal);
        public int DateKind { get; init; }
    }

    /// <summary>A variable record as stored (names and labels still bytes: the encoding record may come later).</summary>
    private sealed record RawVariable(long Offset, int Type, byte[] ShortName, byte[]? Label, int MissingCount, byte[][] Missing, int PrintFormat);

    private sealed class RawDictionary
    {
        public List<RawVariable> Records { get; } = [];
        public List<(long Offset, List<(byte[] Value, byte[] Label)> Labels, int[] Indexes)> ValueLabels { get; } = [];
        public List<(long Offset, byte[] Data)> LongStringLabels { get; } = [];
        public List<(long Offset, byte[] Data)> LongStringMissing { get; } = [];
        public byte[]? LongNames { get; set; }
        public byte[]? VeryLongStrings { get; set; }
        public string? EncodingName { get; set; }
        public int? CodePage { get; set; }
        public long? ExtendedCases { get; set; }
        public long EncodingOffset { get; set; }
    }

    private RawDictionary ReadDictionary()
    {
        var d = new RawDictionary();
        while (true)
        {
            var at = file.Offset;
            var type = file.Int32("a dictionary record type");
            switch (type)
            {
                case 2:
                    d.Records.Add(ReadVariableRecord(at));
                    break;
                case 3:
                    d.ValueLabels.Add(ReadValueLabels(at, d.Records.Count));
                    break;
                case 6:
                    var lines = file.Int32("the number of document lines");
                    if (lines < 0) throw file.Error(at, "the document record has a negative line count.");
                    file.Skip(80L * lines, "the document record");
                    break;
                case 7:
                    ReadExtension(d, at);
                    break;
                case 999:
                    file.Int32("the dictionary termination record");
                    return d;
                default:
                    throw file.Error(at, $"'{type.ToString(CultureInfo.InvariantCulture)}' is not an SPSS dictionary record type (2, 3, 6, 7 or 999).");
            }
        }
    }

    private RawVariable ReadVariableRecord(long at)
    {
        var type = file.Int32("a variable type");
        if (type is < -1 or > 255) throw file.Error(at, $"a variable record has the width {type}, outside -1…255.");
        var hasLabel = file.Int32("a variable label flag");
        var missingCount = file.Int32("a missing-value count");
        var print = file.Int32("a print format");
        file.Int32("a write format");
        var name = file.Bytes(8, "a variable name").ToArray();
        byte[]? label = null;
        if (hasLabel == 1)
        {
            var length = file.Int32("a variable label length");
            if (length is < 0 or > 65536) throw file.Error(file.Offset - 4, $"a variable label length of {length} bytes is impossible.");
            label = file.Bytes(length, "a variable label").ToArray();
            file.Skip((4 - (length % 4)) % 4, "a variable label's padding");
        }

        if (missingCount is < -3 or > 3 || missingCount == -1)
            throw file.Error(at, $"variable record has {missingCount} missing values (allowed: -3, -2, 0…3).");
        var missing = new byte[Math.Abs(missingCount)][];
        for (var i = 0; i < missing.Length; i++) missing[i] = file.Bytes(8, "a missing value").ToArray();
        return new RawVariable(at, type, name, label, missingCount, missing, print);
    }

    private (long, List<(byte[], byte[])>, int[]) ReadValueLabels(long at, int records)
    {
        var count = file.Int32("the number of value labels");
        if (count is < 0 or > 1_000_000) throw file.Error(at, $"a value label record declares {count} labels.");
        var labels = new List<(byte[], byte[])>(count);
        for (var i = 0; i < count; i++)
        {
            var value = file.Bytes(8, "a labelled value").ToArray();
            var length = file.Byte("a value label length");
            var label = file.Bytes(length, "a value label").ToArray();
            file.Skip((8 - ((length + 1) % 8)) % 8, "a value label's padding");
            labels.Add((value, label));
        }

        var indexAt = file.Offset;
        if (file.Int32("the variable index record type") != 4)
            throw file.Error(indexAt, "a value label record is not followed by its variable index record (type 4).");
        var n = file.Int32("the number of labelled variables");
        if (n is < 0 || n > Math.Max(records, 1)) throw file.Error(indexAt, $"the value labels apply to {n} variables, but the file has {records} variable records.");
        var indexes = new int[n];
        for (var i = 0; i < n; i++)
        {
            var indexOffset = file.Offset;
            indexes[i] = file.Int32("a labelled variable's index");
            if (indexes[i] < 1 || indexes[i] > records)
                throw file.Error(indexOffset, $"a value label table points at variable {indexes[i]}, which does not exist (the file has {records} variable records).");
        }

        return (at, labels, indexes);
    }

    private void ReadExtension(RawDictionary d, long at)
    {
        var subtype = file.Int32("an extension subtype");
        var size = file.Int32("an extension element size");
        var count = file.Int32("an extension element count");
        var total = (long)size * count;
        if (size < 0 || count < 0 || total > int.MaxValue || total > file.Length - file.Offset)
            throw file.Error(at, $"extension record {subtype} declares {size} × {count} bytes, more than the file holds.");
        var bytes = new byte[total];
        file.ReadInto(bytes, $"extension record {subtype}");
        switch (subtype)
        {
            case 3 when total >= 32:
                d.CodePage = file.BigEndian ? BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(28)) : BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(28));
                break;
            case 13:
                d.LongNames = bytes;
                break;
            case 14:
                d.VeryLongStrings = bytes;
                break;
            case 16 when total >= 16:
                d.ExtendedCases = file.BigEndian ? BinaryPrimitives.ReadInt64BigEndian(bytes.AsSpan(8)) : BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(8));
                break;
            case 20:
                d.EncodingName = Encoding.ASCII.GetString(StatValueText.UntilNul(bytes));
                d.EncodingOffset = at;
                break;
            case 21:
                d.LongStringLabels.Add((at, bytes));
                break;
            case 22:
                d.LongStringMissing.Add((at, bytes));
                break;
        }
    }

    private Encoding ChooseEncoding(RawDictionary d)
    {
        if (d.EncodingName is { Length: > 0 } name)
        {
            return StatValueText.StrictEncoding(name)
                ?? throw file.Error(d.EncodingOffset, $"the file declares the character encoding '{MessageText.Excerpt(name)}', which is not known.",
                    "Save the file again from SPSS/PSPP with UTF-8 or a Windows code page (e.g. windows-1251).");
        }

        if (d.CodePage is { } page && page is not (1 or 2 or 3 or 4) && StatValueText.StrictEncoding(page) is { } byPage) return byPage;
        var declared = TabularOptions.Normalise(Options.Encoding);
        return StatValueText.StrictEncoding(declared is "auto" ? "windows-1252" : declared)!;
    }

    private string Decode(ReadOnlySpan<byte> bytes, long offset, string what)
    {
        try
        {
            return encoding.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw file.Error(offset, $"{what} cannot be decoded as {encoding.WebName}.",
                "The file's character encoding record is wrong; declare the input's encoding (e.g. encoding: windows-1251) or save the file again as UTF-8.");
        }
    }

    private void BuildVariables(RawDictionary d, int weightIndex)
    {
        var byIndex = new SpssVariable?[d.Records.Count + 1];
        var element = 0;
        var continuations = 0;
        for (var i = 0; i < d.Records.Count; i++)
        {
            var raw = d.Records[i];
            if (raw.Type == -1)
            {
                if (continuations-- <= 0) throw file.Error(raw.Offset, "a string continuation record does not follow a string variable that needs it.");
                element++;
                continue;
            }

            if (continuations > 0) throw file.Error(raw.Offset, "a long string variable has fewer continuation records than its width needs.");
            continuations = raw.Type == 0 ? 0 : ((raw.Type + 7) / 8) - 1;

            var shortName = ShortName(raw.ShortName);
            var formatType = (raw.PrintFormat >> 16) & 0xFF;
            var variable = new SpssVariable
            {
                Name = shortName,
                ShortName = shortName,
                Label = raw.Label is null ? null : Decode(raw.Label, raw.Offset, $"the label of variable {shortName}"),
                Width = raw.Type,
                Element = element,
                Format = raw.PrintFormat,
                DateKind = formatType switch { 20 or 23 or 24 or 38 or 39 => 1, 22 or 41 => 2, _ => 0 },
            };
            variable.Segments.Add((element, raw.Type));
            if (raw.Type == 0)
            {
                if (raw.MissingCount > 0) variable.MissingValues = [.. raw.Missing.Select(m => file.DoubleAt(m))];
                if (raw.MissingCount < 0)
                {
                    variable.MissingRange = (file.DoubleAt(raw.Missing[0]), file.DoubleAt(raw.Missing[1]));
                    if (raw.MissingCount == -3) variable.MissingValues = [file.DoubleAt(raw.Missing[2])];
                }
            }
            else
            {
                if (raw.MissingCount < 0) throw file.Error(raw.Offset, $"string variable {shortName} has a missing-value range.");
                variable.MissingStrings = [.. raw.Missing.Select(m => Decode(StatValueText.TrimPadding(m), raw.Offset, $"a missing value of {shortName}"))];
            }

            byIndex[i + 1] = variable;
            variables.Add(variable);
            element++;
        }

        if (element != caseElements)
            throw file.Error(176, $"the header declares {caseElements} elements per case, but the variable records make {element}.");

        foreach (var (offset, labels, indexes) in d.ValueLabels)
        {
            foreach (var index in indexes)
            {
                var variable = byIndex[index]
                    ?? throw file.Error(offset, $"a value label table points at variable record {index}, which is the continuation of a string, not a variable.");
                foreach (var (value, label) in labels)
                {
                    var key = variable.Width == 0
                        ? StatValueText.Number(file.DoubleAt(value))
                        : Decode(StatValueText.TrimPadding(value), offset, $"a labelled value of {variable.ShortName}");
                    variable.ValueLabels[key] = Decode(label, offset, $"a value label of {variable.ShortName}");
                }
            }
        }

        if (weightIndex != 0)
        {
            var weight = weightIndex > 0 && weightIndex <= d.Records.Count ? byIndex[weightIndex] : null;
            if (weight is null || weight.Width != 0) throw file.Error(76, $"the weight index {weightIndex} does not name a numeric variable.");
            WeightVariable = weight;
        }

        JoinVeryLongStrings(d);
        if (d.LongNames is { } longNames) ApplyLongNames(longNames);
        foreach (var (offset, bytes) in d.LongStringLabels) ApplyLongStringLabels(offset, bytes);
        foreach (var (offset, bytes) in d.LongStringMissing) ApplyLongStringMissing(offset, bytes);
        WeightColumn = WeightVariable?.Name;
    }

    private SpssVariable? WeightVariable { get; set; }

    /// <summary>
    /// Pairs <c>KEY=VALUE</c> separated by tabs (or NUL-tab), as the long-name and very-long-string records hold them.
    /// Keys are short names, which writers cut at 8 bytes even inside a multi-byte character: they are decoded with
    /// replacement characters (as the variable records' short names are), values strictly.
    /// </summary>
    private IEnumerable<(string Key, string Value)> Pairs(byte[] bytes, long offset, string what)
    {
        var pairs = new List<(string, string)>();
        var rest = bytes.AsSpan();
        while (rest.Length > 0)
        {
            var end = rest.IndexOfAny((byte)'\t', (byte)0);
            var part = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 1)..];
            var equals = part.IndexOf((byte)'=');
            if (equals > 0) pairs.Add((ShortName(part[..equals]), Decode(part[(equals + 1)..], offset, what)));
        }

        return pairs;
    }

    /// <summary>A short (8-byte) variable name, decoded leniently: it is only a key that the long-name record refers to.</summary>
    private string ShortName(ReadOnlySpan<byte> bytes) => lenient.GetString(StatValueText.TrimPadding(bytes));

    private void JoinVeryLongStrings(RawDictionary d)
    {
        if (d.VeryLongStrings is not { } bytes) return;
        foreach (var (key, value) in Pairs(bytes, 0, "the very long string record"))
        {
            var at = variables.FindIndex(v => string.Equals(v.ShortName, key, StringComparison.OrdinalIgnoreCase));
            if (at < 0 || !int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var width) || width <= 255)
                throw file.Error(0, $"the very long string record names '{MessageText.Excerpt(key)}' with width '{MessageText.Excerpt(value)}', which does not match a string variable.");
            var segments = (width + 251) / 252;
            if (at + segments > variables.Count || variables.Skip(at).Take(segments).Any(v => v.Width == 0))
                throw file.Error(0, $"very long string {key} of width {width} needs {segments} string segments, which the file does not have.");
            var first = variables[at];
            first.Segments.Clear();
            for (var s = 0; s < segments; s++) first.Segments.Add((variables[at + s].Element, s < segments - 1 ? 255 : variables[at + s].Width));
            first.Width = width;
            variables.RemoveRange(at + 1, segments - 1);
        }
    }

    private void ApplyLongNames(byte[] bytes)
    {
        foreach (var (key, value) in Pairs(bytes, 0, "the long variable names record"))
        {
            var variable = variables.Find(v => string.Equals(v.ShortName, key, StringComparison.OrdinalIgnoreCase));
            if (variable is not null) variable.Name = value;
        }
    }

    private SpssVariable FindByName(string name, long offset, string what) =>
        variables.Find(v => string.Equals(v.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw file.Error(offset, $"{what} names the variable '{MessageText.Excerpt(name)}', which does not exist.");

    private void ApplyLongStringLabels(long offset, byte[] bytes)
    {
        var r = new SpanReader(bytes, file, offset, "the long string value labels record");
        while (!r.AtEnd)
        {
            var name = Decode(r.Counted(), offset, "a variable name");
            var variable = FindByName(name, offset, "the long string value labels record");
            r.Int32();
            var count = r.Int32();
            for (var i = 0; i < count; i++)
            {
                var value = Decode(StatValueText.TrimPadding(r.Counted()), offset, $"a labelled value of {name}");
                variable.ValueLabels[value] = Decode(r.Counted(), offset, $"a value label of {name}");
            }
        }
    }

    private void ApplyLongStringMissing(long offset, byte[] bytes)
    {
        var r = new SpanReader(bytes, file, offset, "the long string missing values record");
        while (!r.AtEnd)
        {
            var name = Decode(r.Counted(), offset, "a variable name");
            var variable = FindByName(name, offset, "the long string missing values record");
            var count = r.Byte();
            var length = r.Int32();
            var missing = new string[count];
            for (var i = 0; i < count; i++) missing[i] = Decode(StatValueText.TrimPadding(r.Take(length)), offset, $"a missing value of {name}");
            variable.MissingStrings = missing;
        }
    }

    /// <summary>Reads length-prefixed items of an extension record, each short read an error at the record's offset.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> bytes, BinaryCursor file, long offset, string what)
    {
        private ReadOnlySpan<byte> rest = bytes;

        public readonly bool AtEnd => rest.Length == 0;

        public ReadOnlySpan<byte> Take(int n)
        {
            if (n < 0 || n > rest.Length) throw file.Error(offset, $"{what} is shorter than its contents declare.");
            var taken = rest[..n];
            rest = rest[n..];
            return taken;
        }

        public byte Byte() => Take(1)[0];

        public int Int32()
        {
            var b = Take(4);
            return file.BigEndian ? BinaryPrimitives.ReadInt32BigEndian(b) : BinaryPrimitives.ReadInt32LittleEndian(b);
        }

        public ReadOnlySpan<byte> Counted() => Take(Int32());
    }

    /// <summary>A declared case count the rest of the file cannot hold is refused before any row is read.</summary>
    private void CheckDeclaredCases(long declared)
    {
        if (declared < 0) return;
        var remaining = file.Length - dataOffset;
        // Uncompressed: every case is 8 bytes per element; bytecode: at least one command byte per element.
        var minimumPerCase = compression == 0 ? 8L * caseElements : compression == 1 ? caseElements : 0;
        if (minimumPerCase > 0 && declared > remaining / minimumPerCase)
        {
            throw file.Error(dataOffset, string.Create(CultureInfo.InvariantCulture,
                $"the header declares {declared} cases, but the {remaining} bytes of data after the dictionary can hold at most {remaining / minimumPerCase}."),
                "The file is truncated or its header is damaged; export it again.");
        }
    }

    private protected override IEnumerable<TabularRow> ReadRawRows()
    {
        data = compression == 2 ? new BinaryCursor(new ZsavBlockStream(file, dataOffset, bias, Path), Path) : file;
        var caseBytes = new byte[8 * caseElements];
        var decoder = compression == 0 ? null : new BytecodeDecoder(data, bias);
        var fields = new string[variables.Count];
        var segment = new byte[256];
        TabularRow? row = null;
        long caseNumber = 0;
        while (true)
        {
            var caseStart = data.Offset;
            if (decoder is null)
            {
                if (declaredCases >= 0 ? caseNumber >= declaredCases : data.AtEnd) break;
                data.ReadInto(caseBytes, string.Create(CultureInfo.InvariantCulture, $"case {caseNumber + 1}"));
            }
            else if (!decoder.ReadCase(caseBytes, caseNumber + 1))
            {
                if (declaredCases >= 0 && caseNumber < declaredCases)
                    throw data.Error(caseStart, string.Create(CultureInfo.InvariantCulture, $"the data end after {caseNumber} cases, but the header declares {declaredCases} (the file is truncated)."),
                        "Copy or export the file again; it is incomplete.");
                break;
            }

            caseNumber++;
            if (declaredCases >= 0 && caseNumber > declaredCases) break;
            if (row is null || !RecyclingRows) fields = new string[variables.Count];
            var wanted = WantedColumns;
            for (var v = 0; v < variables.Count; v++)
                fields[v] = wanted is null || wanted[v] ? CellText(variables[v], caseBytes, segment, caseStart, caseNumber) : "";
            if (row is not null && RecyclingRows) row.Reset(caseNumber, fields, [], NumericColumns);
            else row = CreateRow(caseNumber, fields, [], NumericColumns);
            yield return row;
        }
    }

    private bool[]? numericColumns;

    private bool[] NumericColumns => numericColumns ??= [.. variables.Select(v => v.Width == 0 && v.DateKind == 0)];

    private static readonly DateTime Epoch = new(1582, 10, 14, 0, 0, 0, DateTimeKind.Unspecified);

    private string CellText(SpssVariable variable, byte[] caseBytes, byte[] scratch, long caseStart, long caseNumber)
    {
        if (variable.Width == 0)
        {
            var value = file.DoubleAt(caseBytes.AsSpan(variable.Element * 8, 8));
            if (IsMissing(variable, value)) return "";
            if (variable.DateKind != 0 && value >= 0 && value < 2.6e11)
            {
                var instant = Epoch.AddSeconds(Math.Round(value, 3));
                return variable.DateKind == 1 ? instant.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : StatValueText.DateTimeText(instant);
            }

            return StatValueText.Number(value);
        }

        ReadOnlySpan<byte> bytes;
        if (variable.Segments.Count == 1)
        {
            bytes = caseBytes.AsSpan(variable.Element * 8, variable.Width);
        }
        else
        {
            if (scratch.Length < variable.Width + 255) scratch = new byte[variable.Width + 255];
            var length = 0;
            foreach (var (element, width) in variable.Segments)
            {
                caseBytes.AsSpan(element * 8, width).CopyTo(scratch.AsSpan(length));
                length += width;
            }

            bytes = scratch.AsSpan(0, Math.Min(length, variable.Width));
        }

        var trimmed = StatValueText.TrimPadding(bytes);
        if (trimmed.Length == 0) return "";
        var text = Decode(trimmed, caseStart, string.Create(CultureInfo.InvariantCulture, $"the value of {variable.Name} in case {caseNumber}"));
        foreach (var missing in variable.MissingStrings)
        {
            if (string.Equals(missing, text, StringComparison.Ordinal)) return "";
        }

        return text;
    }

    private static bool IsMissing(SpssVariable variable, double value)
    {
        if (value == -double.MaxValue || !double.IsFinite(value)) return true; // SYSMIS is -DBL_MAX
        foreach (var m in variable.MissingValues)
        {
            if (value == m) return true;
        }

        return variable.MissingRange is { } range && value >= range.Low && value <= range.High;
    }

    private protected override void DisposeCore()
    {
        if (data is not null && !ReferenceEquals(data, file)) data.Dispose();
        file.Dispose();
    }

    /// <summary>
    /// Bytecode decompression: blocks of eight command bytes, each an 8-byte element of the case: 0 padding, 1–251 the
    /// number <c>code − bias</c>, 252 end of data, 253 eight literal bytes that follow the block, 254 eight spaces, 255
    /// system-missing. The block state carries over from one case to the next.
    /// </summary>
    private sealed class BytecodeDecoder(BinaryCursor data, double bias)
    {
        private readonly byte[] commands = new byte[8];
        private int next = 8;
        private bool ended;

        public bool ReadCase(byte[] caseBytes, long caseNumber)
        {
            var elements = caseBytes.Length / 8;
            for (var e = 0; e < elements;)
            {
                if (next == 8)
                {
                    if (ended) return Finish(e, caseNumber);
                    var at = data.Offset;
                    if (data.ReadSome(commands) is var n && n < 8)
                    {
                        if (n == 0 && e == 0) return false;
                        throw data.Error(at, string.Create(CultureInfo.InvariantCulture, $"case {caseNumber} ends inside a compression block (the file is truncated)."),
                            "Copy or export the file again; it is incomplete.");
                    }

                    next = 0;
                }

                var code = commands[next++];
                var target = caseBytes.AsSpan(e * 8, 8);
                switch (code)
                {
                    case 0:
                        continue;
                    case 252:
                        ended = true;
                        next = 8;
                        return Finish(e, caseNumber);
                    case 253:
                        data.ReadInto(target, string.Create(CultureInfo.InvariantCulture, $"a literal value of case {caseNumber}"));
                        break;
                    case 254:
                        target.Fill((byte)' ');
                        break;
                    case 255:
                        Write(target, -double.MaxValue);
                        break;
                    default:
                        Write(target, code - bias);
                        break;
                }

                e++;
            }

            return true;
        }

        private bool Finish(int element, long caseNumber)
        {
            if (element == 0) return false;
            throw data.Error(data.Offset, string.Create(CultureInfo.InvariantCulture, $"the compressed data end in the middle of case {caseNumber}."),
                "The file is damaged; export it again.");
        }

        private void Write(Span<byte> target, double value)
        {
            if (data.BigEndian) BinaryPrimitives.WriteDoubleBigEndian(target, value);
            else BinaryPrimitives.WriteDoubleLittleEndian(target, value);
        }
    }

    /// <summary>
    /// The data of a <c>.zsav</c> file as one stream: the zlib data header names the trailer, whose block index gives
    /// each block's compressed offset and both sizes; blocks are inflated one at a time (memory: one block).
    /// </summary>
    private sealed class ZsavBlockStream : Stream
    {
        private readonly BinaryCursor file;
        private readonly string path;
        private readonly List<(long UncompressedOffset, long CompressedOffset, int UncompressedSize, int CompressedSize)> blocks = [];
        private byte[] current = [];
        private int position;
        private int block = -1;

        public ZsavBlockStream(BinaryCursor file, long headerOffset, double bias, string path)
        {
            this.file = file;
            this.path = path;
            file.Seek(headerOffset);
            var zheaderOffset = file.Int64("the zlib data header");
            var trailerOffset = file.Int64("the zlib data header");
            var trailerLength = file.Int64("the zlib data header");
            if (zheaderOffset != headerOffset || trailerOffset < headerOffset + 24 || trailerLength < 24 || trailerOffset + trailerLength > file.Length)
                throw file.Error(headerOffset, string.Create(CultureInfo.InvariantCulture, $"the zlib data header points at a trailer at {trailerOffset} of {trailerLength} bytes, outside the file of {file.Length} bytes."));
            file.Seek(trailerOffset);
            var trailerBias = file.Int64("the zlib trailer");
            file.Int64("the zlib trailer");
            var blockSize = file.Int32("the zlib block size");
            var count = file.Int32("the zlib block count");
            if (trailerBias != -(long)bias || count < 0 || 24L + 24L * count != trailerLength)
                throw file.Error(trailerOffset, $"the zlib trailer is inconsistent (bias {trailerBias}, {count} blocks in {trailerLength} bytes).");
            var expected = headerOffset + 24;
            for (var i = 0; i < count; i++)
            {
                var entryAt = file.Offset;
                var entry = (file.Int64("a zlib block entry"), file.Int64("a zlib block entry"), file.Int32("a zlib block entry"), file.Int32("a zlib block entry"));
                if (entry.Item2 != expected || entry.Item4 <= 0 || entry.Item2 + entry.Item4 > trailerOffset || entry.Item3 <= 0 || entry.Item3 > Math.Max(blockSize, MaxZlibBlockBytes))
                    throw file.Error(entryAt, string.Create(CultureInfo.InvariantCulture, $"zlib block {i + 1} (at {entry.Item2}, {entry.Item4} bytes compressed, {entry.Item3} uncompressed) overruns the compressed data, which end at {trailerOffset}."));
                expected += entry.Item4;
                blocks.Add(entry);
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            while (position == current.Length)
            {
                if (block + 1 >= blocks.Count) return 0;
                Inflate(++block);
            }

            var n = Math.Min(buffer.Length, current.Length - position);
            current.AsSpan(position, n).CopyTo(buffer);
            position += n;
            return n;
        }

        private void Inflate(int index)
        {
            var (_, compressedOffset, uncompressedSize, compressedSize) = blocks[index];
            var compressed = new byte[compressedSize];
            file.Seek(compressedOffset);
            file.ReadInto(compressed, "a zlib block");
            var inflated = new byte[uncompressedSize];
            int total;
            try
            {
                using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
                total = zlib.ReadAtLeast(inflated, inflated.Length, throwOnEndOfStream: false);
                if (total == inflated.Length && zlib.ReadByte() >= 0) total = -1;
            }
            catch (InvalidDataException ex)
            {
                throw new InputDataException(SourceLocation.OfFile(path), string.Create(CultureInfo.InvariantCulture, $"at byte offset {compressedOffset}: zlib block {index + 1} is damaged ({ex.Message})."),
                    "The file is damaged; export it again.", ex);
            }

            if (total != uncompressedSize)
                throw file.Error(compressedOffset, string.Create(CultureInfo.InvariantCulture, $"zlib block {index + 1} inflates to {(total < 0 ? "more than" : total.ToString(CultureInfo.InvariantCulture))} bytes, not the {uncompressedSize} its index declares (the block overruns)."));
            current = inflated;
            position = 0;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
