using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Ingest;

/// <summary>
/// Reads a Stata data file, formats 114 and 115 (Stata 10–12, binary header) and 117, 118 and 119 (Stata 13–18,
/// tagged sections with a map of offsets), from Stata's published <c>dta</c> description, streaming one observation at
/// a time. Numbers become invariant numeric cells; the missing values <c>.</c> and <c>.a</c>–<c>.z</c> become empty
/// cells; <c>%td</c> and <c>%tc</c> variables become ISO dates; <c>str#</c> and <c>strL</c> are decoded as UTF-8 (118,
/// 119) or, for 114–117 which carry no encoding, with the input's declared encoding, else UTF-8 when every text of the
/// dictionary is valid UTF-8 and windows-1251 otherwise. The line of a row is its 1-based observation number.
/// </summary>
internal sealed class StataTabularReader : TabularReader
{
    private readonly BinaryCursor file;
    private readonly int release;
    private readonly long observations;
    private readonly StataVariable[] columns;
    private readonly int rowWidth;
    private readonly long dataOffset;
    private readonly Encoding encoding;
    private readonly Dictionary<(ulong V, ulong O), (long Offset, int Length, bool Binary)>? strls;
    private FileStream? strlFile;

    private sealed record StataVariable(string Name, int Type, int Offset, int Width, string Format, string LabelName, string? Label)
    {
        public Dictionary<string, string> ValueLabels { get; } = new(StringComparer.Ordinal);
        public bool IsString => Type is > 0 and <= 2045 || Type == StrL;
        public int DateKind => Format.StartsWith("%td", StringComparison.Ordinal) || Format.StartsWith("%d", StringComparison.Ordinal) ? 1
            : Format.StartsWith("%tc", StringComparison.OrdinalIgnoreCase) ? 2 : 0;
    }

    private const int StrL = 32768;
    private const int Double = 65526, Float = 65527, Long = 65528, Int = 65529, Byte = 65530;

    public StataTabularReader(string filePath, TabularOptions options) : base(filePath, options)
    {
        file = new BinaryCursor(new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1), Path);
        try
        {
            byte[][] names, formats, labelNames, labels;
            int[] types;
            if (file.Peek(11).SequenceEqual("<stata_dta>"u8))
            {
                (release, observations, types, names, formats, labelNames, labels, dataOffset, var labelsOffset, var strlsOffset) = ReadTaggedHeader();
                encoding = ChooseEncoding(names, labels);
                columns = Describe(types, names, formats, labelNames, labels, out rowWidth);
                CheckDeclaredObservations(strlsOffset);
                ReadTaggedValueLabels(labelsOffset);
                if (columns.Any(c => c.Type == StrL)) strls = IndexStrls(strlsOffset, labelsOffset);
            }
            else
            {
                (release, observations, types, names, formats, labelNames, labels) = ReadBinaryHeader();
                encoding = ChooseEncoding(names, labels);
                columns = Describe(types, names, formats, labelNames, labels, out rowWidth);
                dataOffset = file.Offset;
                CheckDeclaredObservations(file.Length);
                file.Seek(dataOffset + (observations * rowWidth));
                ReadBinaryValueLabels();
                file.Seek(dataOffset);
            }
        }
        catch
        {
            file.Dispose();
            throw;
        }

        HeaderLine = 0;
        Headers = [.. columns.Select(c => c.Name)];
        Variables = [.. columns.Select(c => new TabularVariable(c.Name, c.Label, !c.IsString, c.ValueLabels))];
        EncodingName = encoding.WebName;
    }

    public override string Format => "dta";

    private (int, long, int[], byte[][], byte[][], byte[][], byte[][]) ReadBinaryHeader()
    {
        var release = file.Byte("the release number");
        if (release is not (114 or 115))
            throw file.Error(0, $"the file is not a Stata file of a supported release (first byte {release}; 114, 115 or <stata_dta> expected).",
                "Save the file from Stata 11 or later (saveold version 11+), or declare its real format.");
        var order = file.Byte("the byte order");
        if (order is not (1 or 2)) throw file.Error(1, $"the byte order flag is {order}, neither 1 (big-endian) nor 2 (little-endian).");
        file.BigEndian = order == 1;
        file.Skip(2, "the file type");
        var k = file.UInt16("the number of variables");
        var n = file.UInt32("the number of observations");
        file.Skip(81 + 18, "the data label and time stamp");
        var types = new int[k];
        for (var i = 0; i < k; i++)
        {
            var t = file.Byte("a variable type");
            types[i] = t switch
            {
                251 => Byte, 252 => Int, 253 => Long, 254 => Float, 255 => Double,
                >= 1 and <= 244 => t,
                _ => throw file.Error(file.Offset - 1, $"variable {i + 1} has the type code {t}, which is not a Stata type."),
            };
        }

        var names = Fixed(k, 33, "a variable name");
        file.Skip(2L * (k + 1), "the sort list");
        var formats = Fixed(k, 49, "a display format");
        var labelNames = Fixed(k, 33, "a value label name");
        var labels = Fixed(k, 81, "a variable label");
        while (true)
        {
            var at = file.Offset;
            var type = file.Byte("an expansion field");
            var length = file.Int32("an expansion field length");
            if (type == 0 && length == 0) break;
            if (length < 0) throw file.Error(at, "an expansion field has a negative length.");
            file.Skip(length, "an expansion field");
        }

        return (release, n, types, names, formats, labelNames, labels);
    }

    private byte[][] Fixed(int count, int width, string what)
    {
        var result = new byte[count][];
        for (var i = 0; i < count; i++) result[i] = StatValueText.UntilNul(file.Bytes(width, what)).ToArray();
        return result;
    }

    private void Expect(ReadOnlySpan<byte> tag)
    {
        var at = file.Offset;
        if (!file.Bytes(tag.Length, "a section tag").SequenceEqual(tag))
            throw file.Error(at, $"the tag {Encoding.ASCII.GetString(tag)} is missing (the file is damaged or truncated).");
    }

    private (int, long, int[], byte[][], byte[][], byte[][], byte[][], long, long, long) ReadTaggedHeader()
    {
        Expect("<stata_dta><header><release>"u8);
        var releaseAt = file.Offset;
        var releaseText = Encoding.ASCII.GetString(file.Bytes(3, "the release number"));
        if (!int.TryParse(releaseText, NumberStyles.None, CultureInfo.InvariantCulture, out var release) || release is not (117 or 118 or 119))
            throw file.Error(releaseAt, $"the Stata release '{MessageText.Excerpt(releaseText)}' is not supported (114–119 are).", "Save the file from Stata 11–18, or declare its real format.");
        Expect("</release><byteorder>"u8);
        var order = Encoding.ASCII.GetString(file.Bytes(3, "the byte order"));
        if (order is not ("LSF" or "MSF")) throw file.Error(file.Offset - 3, $"the byte order '{MessageText.Excerpt(order)}' is neither LSF nor MSF.");
        file.BigEndian = order == "MSF";
        Expect("</byteorder><K>"u8);
        int k = release == 119 ? file.Int32("the number of variables") : file.UInt16("the number of variables");
        if (k < 0) throw file.Error(file.Offset - 4, $"the number of variables is {k}.");
        Expect("</K><N>"u8);
        var nAt = file.Offset;
        var n = release == 117 ? file.UInt32("the number of observations") : file.Int64("the number of observations");
        if (n < 0) throw file.Error(nAt, $"the number of observations is {n}.");
        Expect("</N><label>"u8);
        int labelLength = release == 117 ? file.Byte("the data label length") : file.UInt16("the data label length");
        file.Skip(labelLength, "the data label");
        Expect("</label><timestamp>"u8);
        file.Skip(file.Byte("the time stamp length"), "the time stamp");
        Expect("</timestamp></header><map>"u8);
        var map = new long[14];
        for (var i = 0; i < map.Length; i++)
        {
            map[i] = file.Int64("the section map");
            if (map[i] < 0 || map[i] > file.Length) throw file.Error(file.Offset - 8, $"section {i + 1} of the map points at byte {map[i]}, outside the file of {file.Length} bytes.");
        }

        var nameWidth = release == 117 ? 33 : 129;
        Section(map[2], "<variable_types>"u8);
        var types = new int[k];
        for (var i = 0; i < k; i++)
        {
            types[i] = file.UInt16("a variable type");
            if (types[i] is not ((>= 1 and <= 2045) or StrL or Double or Float or Long or Int or Byte))
                throw file.Error(file.Offset - 2, $"variable {i + 1} has the type code {types[i]}, which is not a Stata type.");
        }

        Section(map[3], "<varnames>"u8);
        var names = Fixed(k, nameWidth, "a variable name");
        Section(map[5], "<formats>"u8);
        var formats = Fixed(k, release == 117 ? 49 : 57, "a display format");
        Section(map[6], "<value_label_names>"u8);
        var labelNames = Fixed(k, nameWidth, "a value label name");
        Section(map[7], "<variable_labels>"u8);
        var labels = Fixed(k, release == 117 ? 81 : 321, "a variable label");
        Section(map[9], "<data>"u8);
        return (release, n, types, names, formats, labelNames, labels, file.Offset, map[11], map[10]);
    }

    private void Section(long offset, ReadOnlySpan<byte> tag)
    {
        file.Seek(offset);
        Expect(tag);
    }

    private Encoding ChooseEncoding(byte[][] names, byte[][] labels)
    {
        var declared = TabularOptions.Normalise(Options.Encoding);
        if (declared is not "auto") return StatValueText.StrictEncoding(declared)!;
        if (release >= 118) return StatValueText.StrictEncoding("utf-8")!;
        var utf8 = StatValueText.StrictEncoding("utf-8")!;
        try
        {
            foreach (var bytes in names.Concat(labels)) utf8.GetString(bytes);
            return utf8;
        }
        catch (DecoderFallbackException)
        {
            return StatValueText.StrictEncoding("windows-1251")!;
        }
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
                release >= 118 ? "Stata 14+ files hold UTF-8; the file is damaged." : "Declare the input's encoding (e.g. encoding: windows-1251).");
        }
    }

    private StataVariable[] Describe(int[] types, byte[][] names, byte[][] formats, byte[][] labelNames, byte[][] labels, out int width)
    {
        var result = new StataVariable[types.Length];
        var offset = 0;
        for (var i = 0; i < types.Length; i++)
        {
            var size = types[i] switch { Double => 8, Float => 4, Long => 4, Int => 2, Byte => 1, StrL => 8, var s => s };
            var label = Decode(labels[i], 0, $"the label of variable {i + 1}");
            result[i] = new StataVariable(Decode(names[i], 0, $"the name of variable {i + 1}"), types[i], offset, size,
                Encoding.ASCII.GetString(formats[i]), Decode(labelNames[i], 0, $"the value label name of variable {i + 1}"), label.Length == 0 ? null : label);
            offset += size;
        }

        width = offset;
        return result;
    }

    /// <summary>A declared observation count the data section cannot hold is refused before any row is read.</summary>
    private void CheckDeclaredObservations(long dataEnd)
    {
        var room = dataEnd - dataOffset;
        if (rowWidth > 0 && observations > room / rowWidth)
        {
            throw file.Error(dataOffset, string.Create(CultureInfo.InvariantCulture,
                $"the header declares {observations} observations of {rowWidth} bytes, but the data section has room for at most {room / rowWidth}."),
                "The file is truncated or its header is damaged; export it again.");
        }
    }

    private void ReadBinaryValueLabels()
    {
        while (file.Peek(1).Length > 0)
        {
            var at = file.Offset;
            var length = file.Int32("a value label table length");
            var name = Decode(StatValueText.UntilNul(file.Bytes(33, "a value label name")), at, "a value label name");
            file.Skip(3, "a value label table's padding");
            ReadLabelTable(at, name, length);
        }
    }

    private void ReadTaggedValueLabels(long offset)
    {
        Section(offset, "<value_labels>"u8);
        var nameWidth = release == 117 ? 33 : 129;
        while (file.Peek(5).SequenceEqual("<lbl>"u8))
        {
            file.Skip(5, "a value label table");
            var at = file.Offset;
            var length = file.Int32("a value label table length");
            var name = Decode(StatValueText.UntilNul(file.Bytes(nameWidth, "a value label name")), at, "a value label name");
            file.Skip(3, "a value label table's padding");
            ReadLabelTable(at, name, length);
            Expect("</lbl>"u8);
        }

        Expect("</value_labels>"u8);
    }

    private void ReadLabelTable(long at, string name, int length)
    {
        if (length < 8 || length > file.Length - file.Offset) throw file.Error(at, $"value label table '{MessageText.Excerpt(name)}' declares {length} bytes, more than the file holds.");
        var table = new byte[length];
        file.ReadInto(table, "a value label table");
        int Int(int index) => file.BigEndian ? BinaryPrimitives.ReadInt32BigEndian(table.AsSpan(index)) : BinaryPrimitives.ReadInt32LittleEndian(table.AsSpan(index));
        var n = Int(0);
        var textLength = Int(4);
        if (n < 0 || textLength < 0 || 8L + (8L * n) + textLength != length)
            throw file.Error(at, $"value label table '{MessageText.Excerpt(name)}' is inconsistent ({n} labels, {textLength} bytes of text in {length} bytes).");
        var users = columns.Where(c => c.LabelName == name).ToList();
        for (var i = 0; i < n; i++)
        {
            var textOffset = Int(8 + (4 * i));
            var value = Int(8 + (4 * n) + (4 * i));
            if (textOffset < 0 || textOffset >= textLength) throw file.Error(at, $"value label table '{MessageText.Excerpt(name)}' points outside its text.");
            if (value > 2147483620) continue; // a label of a missing value (.a–.z): those cells are empty
            var label = Decode(StatValueText.UntilNul(table.AsSpan(8 + (8 * n) + textOffset)), at, $"a label of value label table '{name}'");
            var key = StatValueText.Number(value);
            foreach (var user in users) user.ValueLabels[key] = label;
        }
    }

    private Dictionary<(ulong, ulong), (long, int, bool)> IndexStrls(long offset, long end)
    {
        Section(offset, "<strls>"u8);
        var index = new Dictionary<(ulong, ulong), (long, int, bool)>();
        while (file.Peek(3).SequenceEqual("GSO"u8))
        {
            var at = file.Offset;
            file.Skip(3, "a strL");
            var v = file.UInt32("a strL variable number");
            var o = release == 117 ? file.UInt32("a strL observation number") : (ulong)file.Int64("a strL observation number");
            var type = file.Byte("a strL type");
            var length = file.UInt32("a strL length");
            if (length > int.MaxValue || file.Offset + length > end) throw file.Error(at, $"a strL of {length} bytes runs past the strL section.");
            index[(v, o)] = (file.Offset, (int)length, type == 129);
            file.Skip(length, "a strL");
        }

        Expect("</strls>"u8);
        return index;
    }

    private protected override IEnumerable<TabularRow> ReadRawRows()
    {
        file.Seek(dataOffset);
        var rowBytes = new byte[rowWidth];
        var numeric = columns.Select(c => !c.IsString && c.DateKind == 0).ToArray();
        string[] fields = new string[columns.Length];
        TabularRow? row = null;
        for (long observation = 1; observation <= observations; observation++)
        {
            var at = file.Offset;
            file.ReadInto(rowBytes, string.Create(CultureInfo.InvariantCulture, $"observation {observation}"));
            if (row is null || !RecyclingRows) fields = new string[columns.Length];
            var wanted = WantedColumns;
            for (var c = 0; c < columns.Length; c++)
                fields[c] = wanted is null || wanted[c] ? CellText(columns[c], rowBytes, at, observation) : "";
            if (row is not null && RecyclingRows) row.Reset(observation, fields, [], numeric);
            else row = CreateRow(observation, fields, [], numeric);
            yield return row;
        }
    }

    private static readonly DateTime Epoch = new(1960, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);

    private string CellText(StataVariable column, byte[] row, long rowOffset, long observation)
    {
        var cell = row.AsSpan(column.Offset, column.Width);
        double value;
        switch (column.Type)
        {
            case Byte:
                var b = (sbyte)cell[0];
                if (b > 100) return "";
                value = b;
                break;
            case Int:
                var s = file.BigEndian ? BinaryPrimitives.ReadInt16BigEndian(cell) : BinaryPrimitives.ReadInt16LittleEndian(cell);
                if (s > 32740) return "";
                value = s;
                break;
            case Long:
                var l = file.BigEndian ? BinaryPrimitives.ReadInt32BigEndian(cell) : BinaryPrimitives.ReadInt32LittleEndian(cell);
                if (l > 2147483620) return "";
                value = l;
                break;
            case Float:
                var f = file.BigEndian ? BinaryPrimitives.ReadSingleBigEndian(cell) : BinaryPrimitives.ReadSingleLittleEndian(cell);
                if (!float.IsFinite(f) || f > 1.701e38f) return "";
                // The shortest text that round-trips the float, not its double widening (0.1f is 0.1, not 0.100000001490116).
                value = double.Parse(f.ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
                break;
            case Double:
                value = file.DoubleAt(cell);
                if (!double.IsFinite(value) || value >= 8.98846567431158e307) return "";
                break;
            case StrL:
                return StrLText(cell, rowOffset, observation, column);
            default:
                var text = StatValueText.UntilNul(cell);
                return text.Length == 0 ? "" : Decode(text, rowOffset + column.Offset, $"the value of {column.Name} in observation {observation}");
        }

        if (column.DateKind == 1 && Math.Abs(value) < 2_900_000) return Epoch.AddDays(Math.Floor(value)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (column.DateKind == 2 && Math.Abs(value) < 2.5e14) return StatValueText.DateTimeText(Epoch.AddMilliseconds(value));
        return StatValueText.Number(value);
    }

    private string StrLText(ReadOnlySpan<byte> cell, long rowOffset, long observation, StataVariable column)
    {
        ulong v, o;
        (long Offset, int Length, bool Binary) entry = default;
        if (release == 117)
        {
            v = file.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(cell) : BinaryPrimitives.ReadUInt32LittleEndian(cell);
            o = file.BigEndian ? BinaryPrimitives.ReadUInt32BigEndian(cell[4..]) : BinaryPrimitives.ReadUInt32LittleEndian(cell[4..]);
        }
        else
        {
            // 118: v in 2 bytes, o in 6; 119: v in 3 bytes, o in 5 (each in the file's byte order).
            var vBytes = release == 118 ? 2 : 3;
            var z = file.BigEndian ? BinaryPrimitives.ReadUInt64BigEndian(cell) : BinaryPrimitives.ReadUInt64LittleEndian(cell);
            if (file.BigEndian)
            {
                v = z >> (8 * (8 - vBytes));
                o = z & ((1UL << (8 * (8 - vBytes))) - 1);
            }
            else
            {
                v = z & ((1UL << (8 * vBytes)) - 1);
                o = z >> (8 * vBytes);
            }
        }

        if (v == 0 && o == 0) return "";
        var found = strls is not null && strls.TryGetValue((v, o), out entry);
        if (!found && release == 119 && strls is not null && !file.BigEndian)
        {
            // ReadStat (R haven) writes 119 cells in the 118 layout (v in 2 bytes, o in 6): accept that reading too.
            var z = BinaryPrimitives.ReadUInt64LittleEndian(cell);
            found = strls.TryGetValue((z & 0xFFFF, z >> 16), out entry);
        }

        if (!found)
            throw file.Error(rowOffset + column.Offset, string.Create(CultureInfo.InvariantCulture, $"the strL of {column.Name} in observation {observation} points at ({v}, {o}), which the strL section does not hold."));
        strlFile ??= new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        var bytes = entry.Length <= 4096 ? stackalloc byte[entry.Length] : new byte[entry.Length];
        strlFile.Seek(entry.Offset, SeekOrigin.Begin);
        strlFile.ReadExactly(bytes);
        // An ASCII strL (type 130) ends with a NUL that is not part of the text.
        ReadOnlySpan<byte> text = entry.Binary ? bytes : StatValueText.UntilNul(bytes);
        return Decode(text, entry.Offset, $"the strL of {column.Name} in observation {observation}");
    }

    private protected override void DisposeCore()
    {
        strlFile?.Dispose();
        file.Dispose();
    }
}
