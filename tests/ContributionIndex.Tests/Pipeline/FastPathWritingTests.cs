using System.Text;
using ContributionIndex.Pipeline;
using FsCheck.Xunit;

namespace ContributionIndex.Tests.Pipeline;

/// <summary>
/// The writing pieces of the hour-log fast path (methodology/scale.md §9): <see cref="CsvRowWriter.TextUtf8"/> and the
/// prepared row bytes must give the bytes of the ordinary <see cref="CsvRowWriter"/> calls, and
/// <see cref="BackgroundWriteStream"/> must hand every byte over in order and report the inner stream's errors.
/// </summary>
public class FastPathWritingTests
{
    private static byte[] Write(Action<CsvRowWriter> rows)
    {
        using var stream = new MemoryStream();
        var writer = new CsvRowWriter(stream);
        rows(writer);
        writer.Flush();
        return stream.ToArray();
    }

    /// <summary>Texts that exercise each rule of <see cref="CsvRowWriter.Text"/>: quoting, the formula guard, empty, non-ASCII.</summary>
    private static readonly string[] Awkward =
    [
        "", "plain", "KZ-V1", "=SUM(A1)", "+7", "-2", "@cmd", "\tx", "\rx", "a,b", "say \"hi\"", "two\nlines", "cr\rhere",
        "Ким", "Ўзбекистон", "emoji 😀", "trailing ", " leading", "'quoted'", "a\"", new string('x', 70_000),
    ];

    [Fact]
    public void TextUtf8_writes_the_bytes_of_Text_for_every_rule_of_the_writer()
    {
        foreach (var text in Awkward)
        {
            var expected = Write(w => { w.Text("first").Text(text).Text("last").End(); });
            var actual = Write(w => { w.Text("first").TextUtf8(Encoding.UTF8.GetBytes(text)).Text("last").End(); });
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"'{text[..Math.Min(text.Length, 20)]}'");
        }
    }

    /// <summary>Pieces of text: the CSV specials, the formula starters, ASCII, Cyrillic and a surrogate pair.</summary>
    private static readonly string[] Pieces = [",", "\"", "\n", "\r", "=", "+", "-", "@", "\t", " ", "a", "Z", "7", "Ж", "ә", "😀"];

    [Property(MaxTest = 300)]
    public bool TextUtf8_equals_Text_for_any_valid_text(int[] picks)
    {
        var text = string.Concat(picks.Select(p => Pieces[(int)((uint)p % (uint)Pieces.Length)]));
        var expected = Write(w => { w.Text(text).End(); });
        var actual = Write(w => { w.TextUtf8(Encoding.UTF8.GetBytes(text)).End(); });
        return expected.AsSpan().SequenceEqual(actual);
    }

    [Fact]
    public void Prepared_heads_and_tails_give_the_bytes_of_the_calls_they_replace()
    {
        var head = CsvRowWriter.Prepare(w => w.Text("platform").Text("logs/hours, 2023.csv"), continuation: false);
        var kind = CsvRowWriter.Prepare(w => w.Text("hour-log"), continuation: true);
        var tail = CsvRowWriter.Prepare(w => { w.Text("KZ").Number(1.0).Text("2341").Number(2.5).Number(0.1 + 0.2).Text("=x").End(); });

        var expected = Write(w =>
        {
            for (var line = 2; line < 5; line++)
                w.Text("platform").Text("logs/hours, 2023.csv").Integer(line).Text("hour-log").Text("P-" + line).Text(null)
                    .Text("KZ").Number(1.0).Text("2341").Number(2.5).Number(0.1 + 0.2).Text("=x").End();
        });
        var actual = Write(w =>
        {
            for (var line = 2; line < 5; line++)
                w.StartWith(head).Integer(line).StartWith(kind).TextUtf8(Encoding.UTF8.GetBytes("P-" + line)).Text(null).EndWith(tail);
        });

        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));
        Assert.True(expected.AsSpan().SequenceEqual(actual));
    }

    [Fact]
    public void The_background_stream_hands_over_every_byte_in_order()
    {
        // Writes of many sizes, around and above the 1 MiB block, of a deterministic byte pattern.
        var random = new Random(20261125);
        using var inner = new MemoryStream();
        var expected = new MemoryStream();
        using (var stream = new BackgroundWriteStream(inner))
        {
            var position = 0;
            foreach (var size in new[] { 0, 1, 7, 65_536, 1 << 20, (1 << 20) - 1, (1 << 20) + 1, 3 << 20, 12_345 }.Concat(Enumerable.Range(0, 200).Select(_ => random.Next(0, 200_000))))
            {
                var chunk = new byte[size];
                for (var i = 0; i < size; i++) chunk[i] = (byte)((position + i) * 31 % 251);
                position += size;
                stream.Write(chunk, 0, chunk.Length);
                expected.Write(chunk);
            }

            stream.Flush();
            // Flush returns only when everything written so far is in the inner stream.
            Assert.Equal(expected.Length, inner.Length);
        }

        Assert.True(expected.ToArray().AsSpan().SequenceEqual(inner.ToArray()));
    }

    [Fact]
    public void An_error_of_the_inner_stream_is_thrown_by_the_next_call_and_disposal_does_not_hang()
    {
        var inner = new FailingStream();
        var stream = new BackgroundWriteStream(inner);
        stream.Write(new byte[(1 << 20) + 10]); // one full block goes to the writing thread, which fails
        var error = Assert.Throws<IOException>(stream.Flush);
        Assert.Contains("disk full", error.Message, StringComparison.Ordinal);
        Assert.Throws<IOException>(() => stream.Write(new byte[1]));
        stream.Dispose();
        stream.Dispose();
    }

    private sealed class FailingStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("disk full");
    }
}
