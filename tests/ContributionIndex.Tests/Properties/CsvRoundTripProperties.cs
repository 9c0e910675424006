using System.Text;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Tests.Ingest;
using FsCheck;
using FsCheck.Xunit;

namespace ContributionIndex.Tests.Properties;

/// <summary>
/// Writing then reading is lossless: what the quarantine and valued-record writers write, the tabular reader reads back
/// exactly, except the documented apostrophe before text a spreadsheet would take for a formula.
/// </summary>
public class CsvRoundTripProperties
{
    /// <summary>What a writer's cell should read back as: the text, with an apostrophe if it starts like a formula.</summary>
    private static string Expected(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    /// <summary>Text as an input file can deliver it: no lone surrogates (decoding never produces them) and no NUL.</summary>
    private static string Clean(string? text)
    {
        if (text is null) return "";
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                builder.Append(c).Append(text[++i]);
                continue;
            }

            if (char.IsSurrogate(c) || c == '\0') continue;
            builder.Append(c);
        }

        return builder.ToString();
    }

    [Property(MaxTest = 100)]
    public void Quarantine_rows_read_back_exactly(string[] reasons, string[] raws, NonNegativeInt line)
    {
        using var scratch = new TempDirectory();
        var path = scratch.File("quarantine.csv");
        var expected = new List<string[]>();
        using (var writer = new QuarantineWriter(path))
        {
            for (var i = 0; i < Math.Min(reasons.Length, raws.Length); i++)
            {
                var reason = Clean(reasons[i]);
                var raw = Clean(raws[i]);
                var location = new SourceLocation("data, \"1\".csv", line.Get + i + 1, i % 5, i % 2 == 0 ? "имя" : null);
                writer.Add("in-put", new RejectedRow(location, "rule.x", reason, raw));
                expected.Add(["in-put", "data, \"1\".csv", (line.Get + i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    (i % 5).ToString(System.Globalization.CultureInfo.InvariantCulture), i % 2 == 0 ? "имя" : "", "rule.x", Expected(reason), Expected(raw)]);
            }

            writer.Commit();
        }

        using var reader = TabularFile.Open(path, new TabularOptions { Encoding = "utf-8", Delimiter = ",", Decimal = ".", AllowNoDataRows = true });
        Assert.Equal(QuarantineWriter.Columns, reader.Headers);
        var rows = reader.ReadRows().ToList();
        // A row whose every cell is blank is skipped by the reader as a blank line; quarantine rows always name their input.
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Empty(rows[i].Problems);
            Assert.Equal(expected[i], rows[i].Fields);
        }
    }

    [Property(MaxTest = 100)]
    public void Output_text_cells_read_back_exactly(string[] cells)
    {
        using var scratch = new TempDirectory();
        var path = scratch.File("out.csv");
        var texts = cells.Select(Clean).ToArray();
        using (var stream = new StreamWriter(path, false, new UTF8Encoding(false)) { NewLine = "\n" })
        {
            var csv = new CsvRowWriter(stream);
            csv.Header(["key", "text", "number"]);
            for (var i = 0; i < texts.Length; i++)
                csv.Text("k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)).Text(texts[i]).Number(i / 3.0).End();
        }

        using var reader = TabularFile.Open(path, new TabularOptions { Encoding = "utf-8", Delimiter = ",", Decimal = ".", AllowNoDataRows = true });
        var rows = reader.ReadRows().ToList();
        Assert.Equal(texts.Length, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(Expected(texts[i]), rows[i][1]);
            Assert.Equal(NumberParseStatus.Ok, rows[i].TryGetNumber(2, out var number));
            Assert.Equal(i / 3.0, number); // round-trip "R" formatting
        }
    }
}
