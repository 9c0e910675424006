using System.Text;
using ContributionIndex.IO;
using ContributionIndex.Pipeline;
using FsCheck.Xunit;

namespace ContributionIndex.Tests.IO;

/// <summary>
/// The CSV text policy (methodology/reporting.md, "CSV text policy"), and the byte-level writer of valued_records.csv
/// (<see cref="CsvRowWriter"/>), which must write the policy's bytes.
/// </summary>
public class CsvTextTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+7 701", "'+7 701")]
    [InlineData("-2", "'-2")] // number-like text is text: guarded like any other
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "\"'\rx\"")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    [InlineData(" leading", "\" leading\"")]
    [InlineData("trailing ", "\"trailing \"")]
    [InlineData("in side", "in side")]
    [InlineData("'=quoted", "'=quoted")]
    [InlineData("-2,5", "\"'-2,5\"")]
    public void Text_guards_formulas_and_quotes_as_RFC_4180_requires(string? text, string expected)
    {
        Assert.Equal(expected, CsvText.Text(text));
    }

    [Theory]
    [InlineData(double.NaN, "")]
    [InlineData(double.PositiveInfinity, "")]
    [InlineData(double.NegativeInfinity, "")]
    [InlineData(0.1 + 0.2, "0.30000000000000004")]
    [InlineData(-1.5e-300, "-1.5E-300")]
    [InlineData(1e21, "1E+21")]
    public void Numbers_are_round_trip_invariant_and_non_finite_ones_empty(double value, string expected)
    {
        Assert.Equal(expected, CsvText.Number(value));
        Assert.Equal(expected, CsvText.Number((double?)value));
        Assert.Equal(expected, Encoding.UTF8.GetString(Bytes(w => w.Number(value))));
    }

    [Fact]
    public void Missing_values_are_empty_fields()
    {
        Assert.Equal("", CsvText.Number(null));
        Assert.Equal("", CsvText.Integer(null));
        Assert.Equal("-12", CsvText.Integer(-12));
    }

    /// <summary>Pieces of text: the CSV specials, the formula starters, space, ASCII, Cyrillic and a surrogate pair.</summary>
    private static readonly string[] Pieces = [",", "\"", "\n", "\r", "=", "+", "-", "@", "\t", " ", "'", "a", "7", "Ж", "😀"];

    private static byte[] Bytes(Action<CsvRowWriter> field)
    {
        using var stream = new MemoryStream();
        var writer = new CsvRowWriter(stream);
        field(writer);
        writer.Flush();
        return stream.ToArray();
    }

    [Property(MaxTest = 500)]
    public bool The_policy_text_and_the_byte_writer_agree_on_built_texts(int[] picks)
    {
        var text = string.Concat(picks.Select(p => Pieces[(int)((uint)p % (uint)Pieces.Length)]));
        var policy = Encoding.UTF8.GetBytes(CsvText.Text(text));
        return policy.AsSpan().SequenceEqual(Bytes(w => w.TextUtf8(Encoding.UTF8.GetBytes(text))))
            && policy.AsSpan().SequenceEqual(Bytes(w => w.Text(text)));
    }

    [Property(MaxTest = 300)]
    public bool The_policy_text_and_the_byte_writer_agree_on_any_string(string? text)
    {
        // Lone surrogates become U+FFFD on both sides, as every UTF-8 encoder of the toolkit writes them.
        var policy = Encoding.UTF8.GetBytes(CsvText.Text(text));
        return policy.AsSpan().SequenceEqual(Bytes(w => w.TextUtf8(Encoding.UTF8.GetBytes(text ?? ""))));
    }

    [Property(MaxTest = 300)]
    public bool The_policy_number_and_the_byte_writer_agree(double value) =>
        Encoding.UTF8.GetBytes(CsvText.Number(value)).AsSpan().SequenceEqual(Bytes(w => w.Number(value)));

    [Fact]
    public void Plain_UTF8_is_exactly_what_Text_leaves_unchanged()
    {
        foreach (var text in new[] { "", "KZ-V1", "Ким", "a b", "x ", " x", "=x", "a\"b", "7" })
            Assert.Equal(CsvText.Text(text) == text, CsvText.IsPlain(Encoding.UTF8.GetBytes(text)));
    }
}
