using System.Globalization;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Ingest;

/// <summary>
/// Checks a Parquet file's footer before Parquet.Net reads it (hardening.md §1, "Damaged Parquet"): one flipped bit in
/// the footer's Thrift metadata could send Parquet.Net reading past the metadata's end for ever, or allocate from a
/// length it never checks. The check walks the footer's Thrift compact encoding once, in time linear in its length:
/// both magic numbers, the footer length within the file, every length and count within the bytes left, the metadata
/// ending exactly where its length says, nesting at most <see cref="MaxDepth"/> deep, and each column chunk's page
/// offsets and sizes inside the data part of the file (Apache Parquet format, FileMetaData / RowGroup / ColumnChunk /
/// ColumnMetaData).
/// </summary>
internal sealed class ParquetFooter
{
    /// <summary>Deepest nesting of Thrift structs and lists the footer may have (Parquet's own is at most about 6).</summary>
    public const int MaxDepth = 32;

    /// <summary>Largest footer read into memory: 256 MiB (a footer of a wide file with many row groups is a few MiB).</summary>
    public const int MaxFooterBytes = 256 * 1024 * 1024;

    private const int StructType = 12;
    private const int ListType = 9;
    private const int SetType = 10;

    private readonly byte[] bytes;
    private readonly string path;
    private int position;
    private int depth;

    private ParquetFooter(byte[] bytes, string path)
    {
        this.bytes = bytes;
        this.path = path;
    }

    /// <summary>Throws <see cref="InputDataException"/> naming <paramref name="displayPath"/> when the footer is not sound; leaves the stream at 0.</summary>
    public static void Check(Stream stream, string displayPath)
    {
        var length = stream.Length;
        Span<byte> head = stackalloc byte[4];
        Span<byte> tail = stackalloc byte[8];
        if (length >= 12)
        {
            stream.Position = 0;
            stream.ReadExactly(head);
            stream.Position = length - 8;
            stream.ReadExactly(tail);
        }

        if (length < 12 || !head.SequenceEqual("PAR1"u8) || !tail[4..].SequenceEqual("PAR1"u8))
        {
            throw new InputDataException(SourceLocation.OfFile(displayPath),
                string.Create(CultureInfo.InvariantCulture, $"the file cannot be opened as Parquet: it does not start and end with the Parquet magic number PAR1 ({length} bytes; cut short, or not Parquet)."),
                "Check that the file is a Parquet file; a CSV file should be named .csv or declared with format: csv.");
        }

        var footerLength = BitConverter.ToInt32(tail[..4]);
        var dataEnd = length - 8 - footerLength; // the metadata starts here; pages lie in [4, dataEnd)
        if (footerLength <= 0 || dataEnd < 4 || footerLength > MaxFooterBytes)
        {
            throw Damaged(displayPath, string.Create(CultureInfo.InvariantCulture,
                $"its footer length {footerLength} does not fit the file of {length} bytes"));
        }

        var footer = new byte[footerLength];
        stream.Position = dataEnd;
        stream.ReadExactly(footer);
        stream.Position = 0;
        var reader = new ParquetFooter(footer, displayPath);
        reader.ReadFileMetaData(dataEnd);
        if (reader.position != footer.Length)
        {
            throw Damaged(displayPath, string.Create(CultureInfo.InvariantCulture,
                $"its footer metadata ends after {reader.position} of its {footer.Length} bytes"));
        }
    }

    private static InputDataException Damaged(string path, string why) =>
        new(SourceLocation.OfFile(path), $"the Parquet file is damaged: {why}.", "Export the file again; it may have been corrupted in transfer.");

    private InputDataException Damaged(string why) =>
        Damaged(path, string.Create(CultureInfo.InvariantCulture, $"its footer metadata {why} (footer byte {position})"));

    /// <summary>FileMetaData: field 4 is the list of row groups.</summary>
    private void ReadFileMetaData(long dataEnd) =>
        ReadStruct((id, type) => id == 4 && type == ListType && ReadList(StructType, () => ReadRowGroup(dataEnd)));

    /// <summary>RowGroup: field 1 is the list of column chunks; 3 the row count.</summary>
    private bool ReadRowGroup(long dataEnd)
    {
        ReadStruct((id, type) => id switch
        {
            1 when type == ListType => ReadList(StructType, () => ReadColumnChunk(dataEnd)),
            3 when type == 6 => NotNegative(ReadZigZag(), "gives a negative row count"),
            _ => false,
        });
        return true;
    }

    /// <summary>ColumnChunk: field 3 is the column's metadata (its pages' offsets and sizes).</summary>
    private bool ReadColumnChunk(long dataEnd)
    {
        ReadStruct((id, type) => id == 3 && type == StructType && ReadColumnMetaData(dataEnd));
        return true;
    }

    /// <summary>ColumnMetaData: 5 value count, 6 uncompressed size, 7 compressed size, 9 data page, 10 index page, 11 dictionary page offsets.</summary>
    private bool ReadColumnMetaData(long dataEnd)
    {
        long compressed = 0, firstPage = long.MaxValue;
        ReadStruct((id, type) =>
        {
            if (type != 6 || id is not (5 or 6 or 7 or 9 or 10 or 11)) return false;
            var value = ReadZigZag();
            switch (id)
            {
                case 5:
                    return NotNegative(value, "gives a negative value count");
                case 6:
                    if (value is < 0 or > int.MaxValue) throw Damaged(string.Create(CultureInfo.InvariantCulture, $"gives a column chunk an uncompressed size of {value} bytes"));
                    return true;
                case 7:
                    if (value < 0 || value > dataEnd - 4) throw Damaged(string.Create(CultureInfo.InvariantCulture, $"gives a column chunk a compressed size of {value} bytes, more than the file's data part"));
                    compressed = value;
                    return true;
                default:
                    if (value < 4 || value >= dataEnd) throw Damaged(string.Create(CultureInfo.InvariantCulture, $"puts a page at byte {value}, outside the file's data part (bytes 4 to {dataEnd - 1})"));
                    if (id != 10) firstPage = Math.Min(firstPage, value);
                    return true;
            }
        });
        if (firstPage != long.MaxValue && firstPage + compressed > dataEnd)
            throw Damaged(string.Create(CultureInfo.InvariantCulture, $"gives a column chunk at byte {firstPage} of {compressed} bytes, past the file's data part"));
        return true;
    }

    private bool NotNegative(long value, string why) => value >= 0 ? true : throw Damaged(why);

    /// <summary>
    /// Reads a struct's fields until its stop byte; <paramref name="field"/> reads the fields it knows (returns true) and
    /// every other field is skipped with its length checked.
    /// </summary>
    private void ReadStruct(Func<short, int, bool> field)
    {
        if (++depth > MaxDepth) throw Damaged(string.Create(CultureInfo.InvariantCulture, $"is nested more than {MaxDepth} levels deep"));
        short id = 0;
        while (true)
        {
            var header = ReadByte();
            if (header == 0) break;
            var type = header & 0x0F;
            var delta = header >> 4;
            if (delta == 0)
            {
                var given = ReadZigZag();
                if (given is < short.MinValue or > short.MaxValue) throw Damaged(string.Create(CultureInfo.InvariantCulture, $"has a field number {given}"));
                id = (short)given;
            }
            else
            {
                id = (short)(id + delta);
            }

            if (type is 0 or > StructType) throw Damaged(string.Create(CultureInfo.InvariantCulture, $"has a field of unknown type {type}"));
            if (!field(id, type)) Skip(type, inList: false);
        }

        depth--;
    }

    /// <summary>Reads a list header and its elements (each with <paramref name="element"/> when of <paramref name="expected"/> type, else skipped).</summary>
    private bool ReadList(int expected, Func<bool> element)
    {
        var (count, type) = ListHeader();
        if (++depth > MaxDepth) throw Damaged(string.Create(CultureInfo.InvariantCulture, $"is nested more than {MaxDepth} levels deep"));
        for (var i = 0; i < count; i++)
        {
            if (type == expected) element();
            else Skip(type, inList: true);
        }

        depth--;
        return true;
    }

    private (int Count, int Type) ListHeader()
    {
        var header = ReadByte();
        var type = header & 0x0F;
        long count = header >> 4;
        if (count == 15) count = (long)ReadVarint();
        // Every element takes at least one byte, so a count beyond the bytes left is a flipped length.
        if (count > bytes.Length - position) throw Damaged(string.Create(CultureInfo.InvariantCulture, $"declares a list of {count} elements in {bytes.Length - position} bytes"));
        if (type is 0 or > StructType) throw Damaged(string.Create(CultureInfo.InvariantCulture, $"has a list of unknown type {type}"));
        return ((int)count, type);
    }

    private void Skip(int type, bool inList)
    {
        switch (type)
        {
            case 1 or 2:
                if (inList) ReadByte(); // in a field the value is in the type; in a list it is one byte
                break;
            case 3:
                ReadByte();
                break;
            case 4 or 5 or 6:
                ReadVarint();
                break;
            case 7:
                Advance(8);
                break;
            case 8:
                var length = ReadVarint();
                if (length > (ulong)(bytes.Length - position)) throw Damaged(string.Create(CultureInfo.InvariantCulture, $"declares a text of {length} bytes in {bytes.Length - position} bytes"));
                Advance((int)length);
                break;
            case ListType or SetType:
                ReadList(-1, () => true);
                break;
            case 11:
                var entries = ReadVarint();
                if (entries == 0) break;
                if (entries > (ulong)(bytes.Length - position) / 2) throw Damaged(string.Create(CultureInfo.InvariantCulture, $"declares a map of {entries} entries in {bytes.Length - position} bytes"));
                var kinds = ReadByte();
                if (++depth > MaxDepth) throw Damaged(string.Create(CultureInfo.InvariantCulture, $"is nested more than {MaxDepth} levels deep"));
                for (ulong i = 0; i < entries; i++)
                {
                    Skip(kinds >> 4, inList: true);
                    Skip(kinds & 0x0F, inList: true);
                }

                depth--;
                break;
            case StructType:
                ReadStruct((_, _) => false);
                break;
            default:
                throw Damaged(string.Create(CultureInfo.InvariantCulture, $"has a value of unknown type {type}"));
        }
    }

    private void Advance(int count)
    {
        if (count > bytes.Length - position) throw Damaged("ends inside a value");
        position += count;
    }

    private byte ReadByte() => position < bytes.Length ? bytes[position++] : throw Damaged("ends inside a value");

    private ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }

        throw Damaged("has a number longer than 10 bytes");
    }

    private long ReadZigZag()
    {
        var raw = ReadVarint();
        return (long)(raw >> 1) ^ -(long)(raw & 1);
    }
}
