using System.Globalization;
using System.Text;

namespace ContributionIndex.Ingest;

/// <summary>
/// How the SPSS and Stata readers turn stored values into the invariant text of a table cell: numbers round-trip
/// ("R"), whole numbers without a decimal point, dates ISO 8601; and how stored text is decoded strictly (a byte
/// sequence the file's encoding cannot decode is an error, not a replacement character).
/// </summary>
internal static class StatValueText
{
    private static readonly string[] SmallIntegers = [.. Enumerable.Range(0, 10_000).Select(i => i.ToString(CultureInfo.InvariantCulture))];

    /// <summary>A finite number as invariant text; whole numbers below 10⁴ come from a table (codes repeat on every row).</summary>
    public static string Number(double value)
    {
        if (value >= 0 && value < SmallIntegers.Length && value == Math.Floor(value)) return SmallIntegers[(int)value];
        if (Math.Abs(value) < 1e15 && value == Math.Floor(value)) return ((long)value).ToString(CultureInfo.InvariantCulture);
        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A date as <c>yyyy-MM-dd</c>, or a date and time as <c>yyyy-MM-ddTHH:mm:ss</c> when it has a time of day.</summary>
    public static string DateTimeText(DateTime value) => value.TimeOfDay == TimeSpan.Zero
        ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>The encoding for a name (IANA or Windows code page name) with an exception fallback, or null when unknown.</summary>
    public static Encoding? StrictEncoding(string name)
    {
        _ = TextEncodingDetector.Windows1251; // registers the code-page provider
        try
        {
            return Encoding.GetEncoding(name.Trim(), EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>The encoding of a Windows code page number with an exception fallback, or null when unknown.</summary>
    public static Encoding? StrictEncoding(int codePage)
    {
        _ = TextEncodingDetector.Windows1251;
        try
        {
            return Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            return null;
        }
    }

    /// <summary>Bytes up to the first NUL.</summary>
    public static ReadOnlySpan<byte> UntilNul(ReadOnlySpan<byte> bytes)
    {
        var nul = bytes.IndexOf((byte)0);
        return nul < 0 ? bytes : bytes[..nul];
    }

    /// <summary>Bytes without trailing spaces and NULs (the padding of fixed-width text).</summary>
    public static ReadOnlySpan<byte> TrimPadding(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.Length;
        while (end > 0 && bytes[end - 1] is (byte)' ' or 0) end--;
        return bytes[..end];
    }
}
