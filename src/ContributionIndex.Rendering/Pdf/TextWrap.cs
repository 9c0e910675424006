using System.Text;

namespace ContributionIndex.Rendering.Pdf;

/// <summary>
/// Greedy word wrap shared by the annex and the guide PDF. Linear in the text's length: widths are summed from
/// per-character advance widths (PDFsharp measures a string as the sum of its glyph advances, without kerning), never
/// re-measured for each candidate line; only a word wider than the whole line is broken, between characters.
/// </summary>
internal static class TextWrap
{
    /// <summary>The lines of <paramref name="text"/> (each <c>\n</c> starts a new one) that fit <paramref name="width"/>.</summary>
    /// <param name="text">The text; runs of spaces collapse to one.</param>
    /// <param name="width">The line width in points.</param>
    /// <param name="runeWidth">The advance width of one character in the font being set (cached by the caller).</param>
    public static List<string> Lines(string text, double width, Func<Rune, double> runeWidth)
    {
        var lines = new List<string>();
        var space = runeWidth(new Rune(' '));
        foreach (var paragraph in text.Split('\n'))
        {
            var current = new StringBuilder();
            var currentWidth = 0.0;
            foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var wordWidth = 0.0;
                foreach (var rune in word.EnumerateRunes()) wordWidth += runeWidth(rune);
                if (current.Length > 0 && currentWidth + space + wordWidth <= width)
                {
                    current.Append(' ').Append(word);
                    currentWidth += space + wordWidth;
                    continue;
                }

                if (current.Length > 0) lines.Add(current.ToString());
                current.Clear();
                currentWidth = 0;
                if (wordWidth <= width)
                {
                    current.Append(word);
                    currentWidth = wordWidth;
                    continue;
                }

                foreach (var rune in word.EnumerateRunes())
                {
                    var w = runeWidth(rune);
                    if (current.Length > 0 && currentWidth + w > width)
                    {
                        lines.Add(current.ToString());
                        current.Clear();
                        currentWidth = 0;
                    }

                    current.Append(rune.ToString());
                    currentWidth += w;
                }
            }

            lines.Add(current.ToString());
        }

        return lines;
    }
}
