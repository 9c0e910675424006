using System.Text;

namespace ContributionIndex.IO;

/// <summary>
/// The one way the toolkit writes a file: the bytes go to a temporary file in the target's folder, named
/// <c>.NAME.RANDOM.tmp</c> (a leading dot, so listings and globs pass it over), which is flushed to disk and then moved
/// over the target. A reader sees the old file or the whole new one, never a part; on any failure, and when disposed
/// without <see cref="Commit"/>, the temporary file is deleted and the target is left as it was.
/// </summary>
/// <remarks>
/// Write through either <see cref="Stream"/> (a writer that encodes itself, such as the zip and Parquet writers or the
/// byte-level CSV writer of valued_records.csv) or <see cref="Writer"/> (text in the encoding given to the constructor),
/// not both. Streaming writers stay streaming: nothing is held in memory beyond the file's buffers. The static helpers
/// cover the common cases: <see cref="Write(string, Action{Stream})"/>, <see cref="WriteText"/>,
/// <see cref="WriteAllBytes"/> and <see cref="WriteAllText"/>.
/// </remarks>
public sealed class AtomicFile : IDisposable
{
    private const int BufferBytes = 1 << 16;
    private readonly FileStream _stream;
    private readonly string _temporary;
    private readonly Encoding _encoding;
    private StreamWriter? _writer;
    private bool _done;

    /// <summary>UTF-8 without a byte order mark: the encoding of every output except quarantine.csv.</summary>
    public static Encoding Utf8 { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    /// <summary>UTF-8 with a byte order mark, so that spreadsheet programs show Cyrillic (quarantine.csv).</summary>
    public static Encoding Utf8WithByteOrderMark { get; } = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    /// <summary>
    /// Starts a file that replaces <paramref name="path"/> on <see cref="Commit"/> (the folder is created when missing).
    /// </summary>
    /// <param name="path">The target file.</param>
    /// <param name="encoding">The encoding of <see cref="Writer"/> (default <see cref="Utf8"/>); a byte order mark, if the encoding has one, starts the file.</param>
    public AtomicFile(string path, Encoding? encoding = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        Directory.CreateDirectory(directory);
        _temporary = System.IO.Path.Combine(directory, "." + System.IO.Path.GetFileName(Path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        _stream = DiskFaults.Open(_temporary, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None, BufferSize = BufferBytes });
        _encoding = encoding ?? Utf8;
    }

    /// <summary>The absolute path of the target file.</summary>
    public string Path { get; }

    /// <summary>The temporary file's stream, for a writer that encodes itself. The writer must leave it open.</summary>
    public Stream Stream
    {
        get
        {
            ObjectDisposedException.ThrowIf(_done, this);
            return _stream;
        }
    }

    /// <summary>A text writer on the temporary file, in the encoding given to the constructor, with <c>"\n"</c> as its new line.</summary>
    public TextWriter Writer
    {
        get
        {
            ObjectDisposedException.ThrowIf(_done, this);
            return _writer ??= new StreamWriter(_stream, _encoding, BufferBytes, leaveOpen: true) { NewLine = "\n" };
        }
    }

    /// <summary>Flushes what was written to disk and moves the temporary file over the target.</summary>
    public void Commit()
    {
        ObjectDisposedException.ThrowIf(_done, this);
        _done = true;
        try
        {
            _writer?.Flush();
            _stream.Flush(flushToDisk: true);
            _writer?.Dispose();
            _stream.Dispose();
            File.Move(_temporary, Path, overwrite: true);
        }
        catch
        {
            Discard();
            throw;
        }
    }

    /// <summary>Discards the temporary file unless <see cref="Commit"/> was called.</summary>
    public void Dispose()
    {
        if (_done) return;
        _done = true;
        Discard();
    }

    private void Discard()
    {
        try
        {
            // Each in its own try: when the writer's flush fails (a full disk) the file must still be closed.
            try
            {
                _writer?.Dispose();
            }
            finally
            {
                _stream.Dispose();
            }
        }
        catch (IOException)
        {
            // Flushing the buffers of a file that is thrown away failed (a full disk): nothing is lost.
        }
        finally
        {
            try
            {
                File.Delete(_temporary);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Nothing more can be done; the temporary name starts with a dot and is never read.
            }
        }
    }

    /// <summary>Writes the bytes that <paramref name="write"/> writes to the stream (which it must leave open) to <paramref name="path"/>, atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var file = new AtomicFile(path);
        write(file.Stream);
        file.Commit();
    }

    /// <summary>Writes the text that <paramref name="write"/> writes to <paramref name="path"/>, atomically, in <paramref name="encoding"/> (default <see cref="Utf8"/>).</summary>
    public static void WriteText(string path, Action<TextWriter> write, Encoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(write);
        using var file = new AtomicFile(path, encoding);
        write(file.Writer);
        file.Commit();
    }

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>, atomically.</summary>
    public static void WriteAllBytes(string path, byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        Write(path, stream => stream.Write(bytes));
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/>, atomically, in <paramref name="encoding"/> (default <see cref="Utf8"/>).</summary>
    public static void WriteAllText(string path, string text, Encoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        WriteText(path, writer => writer.Write(text), encoding);
    }
}
