using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Ingest;

/// <summary>Chooses the text encoding of a CSV file: the byte order mark, the declaration, or detection.</summary>
internal static class TextEncodingDetector
{

    /// <summary>Windows-1251 (Cyrillic), available once the code-pages provider is registered.</summary>
    public static Encoding Windows1251 { get; } = RegisterCodePagesAndGet1251();

    // Field initialisers run before a static constructor body, so the code-pages provider must be registered here,
    // in the initialiser itself, or GetEncoding(1251) throws on the first use of this type.
    private static Encoding RegisterCodePagesAndGet1251()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1251);
    }

    internal readonly record struct Choice(Encoding Encoding, string Name, bool Detected, int BomLength);

    /// <summary>Bytes examined after the first non-ASCII byte when detecting.</summary>
    private const int WindowBytes = 64 * 1024;

    public static Choice Choose(Stream stream, string declared, string path)
    {
        Span<byte> head = stackalloc byte[4];
        var headLength = ReadAtMost(stream, head);
        head = head[..headLength];
        stream.Position = 0;

        Choice? bom = head switch
        {
            [0xEF, 0xBB, 0xBF, ..] => new Choice(new UTF8Encoding(false), "utf-8", true, 3),
            [0xFF, 0xFE, ..] => new Choice(Encoding.Unicode, "utf-16", true, 2),
            [0xFE, 0xFF, ..] => new Choice(Encoding.BigEndianUnicode, "utf-16be", true, 2),
            _ => null,
        };

        switch (declared)
        {
            case "utf-8":
                if (bom is { Name: not "utf-8" })
                    throw new InputDataException(SourceLocation.OfFile(path), $"the file is declared UTF-8 but starts with a {bom.Value.Name} byte order mark.",
                        "Declare encoding: utf-16, or auto.");
                return new Choice(new UTF8Encoding(false), "utf-8", false, bom?.BomLength ?? 0);
            case "utf-16":
                if (bom is { Name: "utf-8" })
                    throw new InputDataException(SourceLocation.OfFile(path), "the file is declared UTF-16 but starts with a UTF-8 byte order mark.",
                        "Declare encoding: utf-8, or auto.");
                return bom ?? new Choice(Encoding.Unicode, "utf-16", false, 0);
            case "windows-1251":
                if (bom is not null)
                    throw new InputDataException(SourceLocation.OfFile(path), $"the file is declared Windows-1251 but starts with a {bom.Value.Name} byte order mark.",
                        "Declare encoding: auto (the byte order mark tells the encoding).");
                return new Choice(Windows1251, "windows-1251", false, 0);
            case "auto":
                return bom ?? Detect(stream, path);
            default:
                throw new InputDataException(SourceLocation.OfFile(path), $"unknown encoding '{declared}'.",
                    $"Use one of: {string.Join(", ", TabularOptions.EncodingChoices)}.");
        }
    }

    private static int ReadAtMost(Stream stream, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = stream.Read(buffer[total..]);
            if (n == 0) break;
            total += n;
        }

        return total;
    }

    /// <summary>
    /// Without a byte order mark: ASCII-only files are UTF-8; otherwise the bytes from the first non-ASCII byte on decide:
    /// valid UTF-8 is UTF-8, and invalid UTF-8 whose high bytes are nearly all Cyrillic letters of Windows-1251 is Windows-1251.
    /// Anything else is refused with a request to declare the encoding.
    /// </summary>
    private static Choice Detect(Stream stream, string path)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(WindowBytes);
        try
        {
            long offset = 0;
            var sawZero = false;
            while (true)
            {
                var n = ReadAtMost(stream, buffer.AsSpan(0, WindowBytes));
                if (n == 0)
                {
                    stream.Position = 0;
                    return new Choice(new UTF8Encoding(false), "utf-8", true, 0);
                }

                var span = buffer.AsSpan(0, n);
                if (offset == 0 && span.IndexOf((byte)0) >= 0) sawZero = true;
                var firstHigh = span.IndexOfAnyInRange((byte)0x80, (byte)0xFF);
                if (sawZero)
                {
                    throw new InputDataException(SourceLocation.OfFile(path), "the file contains zero bytes, as UTF-16 text without a byte order mark does.",
                        "Declare encoding: utf-16, or save the file as UTF-8.");
                }

                if (firstHigh < 0)
                {
                    offset += n;
                    continue;
                }

                // Fill a window that starts at the first non-ASCII byte.
                var available = n - firstHigh;
                span[firstHigh..].CopyTo(buffer);
                available += ReadAtMost(stream, buffer.AsSpan(available, WindowBytes - available));
                var window = buffer.AsSpan(0, available);
                var atEnd = available < WindowBytes;
                stream.Position = 0;
                return Decide(window, atEnd, path, offset + firstHigh, stream);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Choice Decide(ReadOnlySpan<byte> window, bool atEnd, string path, long firstHighOffset, Stream stream)
    {
        var chars = ArrayPool<char>.Shared.Rent(window.Length + 1);
        long invalidOffset;
        try
        {
            var status = Utf8.ToUtf16(window, chars, out var validBytes, out _, replaceInvalidSequences: false, isFinalBlock: atEnd);
            invalidOffset = firstHighOffset + validBytes;
            if (status is System.Buffers.OperationStatus.Done or System.Buffers.OperationStatus.NeedMoreData)
                return new Choice(new UTF8Encoding(false), "utf-8", true, 0);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }

        // Windows-1251 letters: А–я at 0xC0–0xFF, Ё 0xA8, ё 0xB8; also the Ukrainian/Belarusian/Kazakh-substitute letters
        // of 0x80–0xBF, and the no-break space, dashes and quotes that Russian text uses. 0x98 is unassigned in 1251.
        long high = 0, letters = 0;
        foreach (var b in window)
        {
            if (b < 0x80) continue;
            high++;
            if (b == 0x98)
            {
                letters = -1;
                break;
            }

            if (b >= 0xC0 || b is 0xA8 or 0xB8 or 0xA0 or 0x96 or 0x97 or 0xAB or 0xBB or 0xB9 or 0xAA or 0xBA or 0xAF or 0xBF or 0xB2 or 0xB3 or 0xA1 or 0xA2 or 0xBC or 0xA3 or 0xBE or 0xBD)
                letters++;
        }

        if (letters >= 0 && high > 0 && letters >= 0.9 * high)
            return new Choice(Windows1251, "windows-1251", true, 0);

        // Name the place a person can find: the line and character of the first byte that is not UTF-8 (the bytes
        // before it are ASCII or valid UTF-8, so characters are counted by UTF-8 lead bytes), and its byte offset.
        var (line, character) = LineAndCharacter(stream, invalidOffset);
        stream.Position = 0;
        throw new InputDataException(new SourceLocation(path, line, 0),
            string.Create(CultureInfo.InvariantCulture,
                $"the text encoding cannot be detected: the first byte that is not UTF-8 is character {character} of line {line} (byte offset {invalidOffset}), and the non-ASCII bytes are not Cyrillic Windows-1251 text either."),
            "Declare the encoding (encoding: utf-8, utf-16 or windows-1251), or save the file as UTF-8.");
    }

    /// <summary>The 1-based physical line (lines end at LF) and character in that line of byte <paramref name="offset"/>.</summary>
    private static (long Line, long Character) LineAndCharacter(Stream stream, long offset)
    {
        stream.Position = 0;
        long line = 1, character = 1, position = 0;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (position < offset)
            {
                var n = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, offset - position));
                if (n == 0) break;
                foreach (var b in buffer.AsSpan(0, n))
                {
                    if (b == (byte)'\n') { line++; character = 1; }
                    else if ((b & 0xC0) != 0x80) character++; // a continuation byte belongs to the character before it
                }

                position += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (line, character);
    }
}
