using System.Buffers.Binary;
using System.IO.Compression;

namespace ContributionIndex.Rendering.Pdf;

/// <summary>
/// Writes 8-bit RGBA pixels as a PNG whose image data is stored, not compressed (filter 0 on every row, zlib stored
/// blocks). It is only a hand-over format to PDFsharp, which decodes it to pixels and compresses those itself: the PDF
/// gets the same image as from a compressed PNG of the same pixels, without the cost of compressing and unfiltering.
/// </summary>
internal static class StoredPng
{
    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>Encodes <paramref name="rgba"/> (row by row, top row first, 4 bytes per pixel, not premultiplied).</summary>
    public static byte[] Encode(int width, int height, ReadOnlySpan<byte> rgba)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (rgba.Length != (long)width * height * 4) throw new ArgumentException("The pixel buffer does not hold width × height RGBA pixels.", nameof(rgba));

        var raw = new byte[(long)height * (1 + (width * 4))];
        for (int y = 0; y < height; y++)
        {
            int row = y * (1 + (width * 4));
            raw[row] = 0; // filter type None
            rgba.Slice(y * width * 4, width * 4).CopyTo(raw.AsSpan(row + 1));
        }

        using var idat = new MemoryStream(raw.Length + (raw.Length / 16000 * 5) + 64);
        using (var zlib = new ZLibStream(idat, CompressionLevel.NoCompression, leaveOpen: true))
            zlib.Write(raw);

        using var png = new MemoryStream((int)idat.Length + 64);
        png.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bit depth
        header[9] = 6; // colour type: RGB with alpha
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering
        header[12] = 0; // no interlace
        Chunk(png, "IHDR"u8, header);
        Chunk(png, "IDAT"u8, idat.GetBuffer().AsSpan(0, (int)idat.Length));
        Chunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private static void Chunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        uint crc = Crc(Crc(0xFFFFFFFFu, type), data) ^ 0xFFFFFFFFu;
        BinaryPrimitives.WriteUInt32BigEndian(word, crc);
        output.Write(word);
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, polynomial 0xEDB88320), continued from <paramref name="crc"/>.</summary>
    internal static uint Crc(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc;
    }

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (uint n = 0; n < 256; n++)
        {
            uint c = n;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        return table;
    }
}
