using System.Globalization;
using System.Text;

namespace ContributionIndex.Pipeline;

/// <summary>
/// A file written atomically: a temporary file in the target's directory, moved over the target on
/// <see cref="Commit"/>; disposed without commit, the temporary file is deleted.
/// </summary>
internal sealed class AtomicFile : IDisposable
{
    private readonly string _target;
    private readonly string _temporary;
    private readonly StreamWriter _writer;
    private bool _done;

    public AtomicFile(string target)
    {
        _target = target;
        var directory = Path.GetDirectoryName(Path.GetFullPath(target))!;
        Directory.CreateDirectory(directory);
        _temporary = Path.Combine(directory, "." + Path.GetFileName(target) + "." + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture) + ".tmp");
        _writer = new StreamWriter(new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16),
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { NewLine = "\n" };
    }

    public TextWriter Writer => _writer;

    public void Commit()
    {
        _writer.Flush();
        _writer.Dispose();
        File.Move(_temporary, _target, overwrite: true);
        _done = true;
    }

    public void Dispose()
    {
        if (_done) return;
        _writer.Dispose();
        if (File.Exists(_temporary)) File.Delete(_temporary);
        _done = true;
    }
}

/// <summary>Writes CSV rows: comma-separated, RFC 4180 quoting, invariant round-trip numbers, "\n" line ends.</summary>
internal sealed class CsvRowWriter
{
    private readonly TextWriter _writer;
    private readonly RoundTripNumberCache _numbers = new();
    private bool _first = true;

    public CsvRowWriter(TextWriter writer) => _writer = writer;

    /// <summary>Writes a header row.</summary>
    public void Header(IEnumerable<string> names)
    {
        foreach (var name in names) Text(name);
        End();
    }

    /// <summary>Writes a text field from the input: quoted when needed, and never left to start a spreadsheet formula.</summary>
    public CsvRowWriter Text(string? value)
    {
        Separator();
        if (string.IsNullOrEmpty(value)) return this;
        var text = value;
        // A leading = + - @ (or tab/CR) would make Excel or LibreOffice evaluate the cell as a formula (CSV injection).
        if (text[0] is '=' or '+' or '-' or '@' or '\t' or '\r') text = "'" + text;
        if (text.AsSpan().IndexOfAny(",\"\n\r") >= 0) _writer.Write("\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"");
        else _writer.Write(text);
        return this;
    }

    /// <summary>Writes a number in invariant round-trip form (empty when null).</summary>
    public CsvRowWriter Number(double? value)
    {
        Separator();
        if (value is { } v) _writer.Write(_numbers.Format(v));
        return this;
    }

    /// <summary>Writes an integer (empty when null).</summary>
    public CsvRowWriter Integer(long? value)
    {
        Separator();
        if (value is { } v)
        {
            Span<char> digits = stackalloc char[20];
            v.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
            _writer.Write(digits[..length]);
        }

        return this;
    }

    /// <summary>Ends the row.</summary>
    public void End()
    {
        _writer.Write('\n');
        _first = true;
    }

    private void Separator()
    {
        if (!_first) _writer.Write(',');
        _first = false;
    }
}

/// <summary>
/// The round-trip ("R") text of doubles, remembered in a small direct-mapped table keyed by the value's bits: values
/// repeat heavily in valued_records.csv (hours × wage per ISCO code and country, factors, wages), and formatting a double
/// was the largest single cost of writing it (methodology/scale.md). A hit returns the very string a miss produced, so
/// the output is the text of <c>value.ToString("R", CultureInfo.InvariantCulture)</c> by construction.
/// </summary>
internal sealed class RoundTripNumberCache
{
    private const int SlotBits = 14;
    private readonly long[] _bits = new long[1 << SlotBits];
    private readonly string?[] _texts = new string?[1 << SlotBits];

    /// <summary>The value's round-trip text in the invariant culture.</summary>
    public string Format(double value)
    {
        var bits = BitConverter.DoubleToInt64Bits(value);
        // Fibonacci hashing: the top bits of bits × 2⁶⁴/φ spread nearby values over the table.
        var slot = (int)((ulong)bits * 0x9E3779B97F4A7C15UL >> (64 - SlotBits));
        var text = _texts[slot];
        if (text is not null && _bits[slot] == bits) return text;
        text = value.ToString("R", CultureInfo.InvariantCulture);
        _texts[slot] = text;
        _bits[slot] = bits;
        return text;
    }
}
