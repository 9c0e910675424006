namespace ContributionIndex.Ingest;

/// <summary>
/// Decides the decimal separator of a file from a sample of numeric-looking fields.
/// </summary>
/// <remarks>
/// A separator is evidence of a decimal separator when it cannot be a thousands separator: it occurs once and is followed
/// by a number of digits other than three (<c>2,5</c>, <c>1.25</c>), or preceded by no digit, by a leading zero or by more
/// than three digits (<c>0,125</c>, <c>1234.567</c>), or it is the last of two different separators (<c>1.234,5</c>).
/// <c>1,234</c> alone is ambiguous (one and a quarter, or twelve hundred). Evidence for both separators, or only ambiguous
/// fields, is undecidable: the user must declare it. Integers only: the separator does not matter and <c>.</c> is used.
/// Only columns whose every non-empty sampled value looks like a number take part, so that a text column with a few
/// number-like values (SDG tags <c>3,10</c> beside <c>SDG1 SDG2</c>) does not decide; when the caller names the numeric
/// columns, every one of them takes part (a stray <c>н/д</c> does not silence a column).
/// </remarks>
internal sealed class DecimalSeparatorDetector(char? thousands, bool onlyAllNumericColumns)
{
    private readonly Dictionary<int, ColumnEvidence> columns = [];

    private readonly record struct Example(string Text, long Line, int Column);

    private sealed class ColumnEvidence
    {
        public bool NotNumeric;
        public Example? Point;
        public Example? Comma;
        public Example? Ambiguous;
    }

    public void Observe(string field, long line, int column)
    {
        var text = field.AsSpan().Trim();
        if (text.IsEmpty) return;
        if (!columns.TryGetValue(column, out var evidence)) columns[column] = evidence = new ColumnEvidence();
        if (evidence.NotNumeric && onlyAllNumericColumns) return;
        if (text[0] is '+' or '-' or '\u2212') text = text[1..];
        var exponent = text.IndexOfAny('e', 'E');
        if (exponent >= 0) text = text[..exponent];
        if (text.IsEmpty) return;

        int points = 0, commas = 0, digits = 0, lastSeparator = -1;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c)) digits++;
            else if (c == '.') points++;
            else if (c == ',') commas++;
            else if (thousands is { } t && (t == ' ' ? TabularNumber.SpaceSeparators.Contains(c) : c == t)) continue;
            else
            {
                evidence.NotNumeric = true; // text, codes, dates with other marks: the column does not take part
                return;
            }
        }

        if (digits == 0)
        {
            evidence.NotNumeric = true;
            return;
        }

        if (points == 0 && commas == 0) return;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            if (text[i] is '.' or ',')
            {
                lastSeparator = i;
                break;
            }
        }

        var separator = text[lastSeparator];
        var example = new Example(field.Trim(), line, column);
        if (points > 0 && commas > 0)
        {
            Record(evidence, separator, example);
            return;
        }

        if (points + commas > 1) return; // 1.234.567 or 01.02.2023: grouping or a date, no evidence about decimals

        var before = text[..lastSeparator];
        var after = text[(lastSeparator + 1)..];
        var digitsBefore = CountTrailingDigitRun(before);
        var digitsAfter = after.Length;
        var groupedBefore = before.Length != digitsBefore; // a declared space/apostrophe grouping precedes it
        // A declared space/apostrophe grouping before the mark makes the mark the decimal separator ("1 234,567").
        var canBeThousands = !groupedBefore && digitsAfter == 3 && digitsBefore is >= 1 and <= 3 && before[0] != '0';
        if (canBeThousands)
        {
            evidence.Ambiguous ??= example;
            return;
        }

        Record(evidence, separator, example);
    }

    private static int CountTrailingDigitRun(ReadOnlySpan<char> text)
    {
        var n = 0;
        for (var i = text.Length - 1; i >= 0 && char.IsAsciiDigit(text[i]); i--) n++;
        return n;
    }

    private static void Record(ColumnEvidence evidence, char separator, Example example)
    {
        if (separator == '.') evidence.Point ??= example;
        else evidence.Comma ??= example;
    }

    public (char? Separator, string? Problem, long Line, int Column) Decide()
    {
        Example? point = null, comma = null, ambiguous = null;
        foreach (var (_, evidence) in columns.OrderBy(c => c.Key))
        {
            if (evidence.NotNumeric && onlyAllNumericColumns) continue;
            point ??= evidence.Point;
            comma ??= evidence.Comma;
            ambiguous ??= evidence.Ambiguous;
        }

        if (point is { } p && comma is { } c)
        {
            return (null,
                $"the decimal separator is ambiguous: line {p.Line} field {p.Column} ('{p.Text}') uses '.' but line {c.Line} field {c.Column} ('{c.Text}') uses ','.",
                c.Line, c.Column);
        }

        if (point is not null) return ('.', null, 0, 0);
        if (comma is not null) return (',', null, 0, 0);
        if (ambiguous is { } a)
        {
            return (null,
                $"the decimal separator cannot be detected: '{a.Text}' may be a decimal number or a number with a thousands separator, and no other number decides.",
                a.Line, a.Column);
        }

        return ('.', null, 0, 0);
    }
}
