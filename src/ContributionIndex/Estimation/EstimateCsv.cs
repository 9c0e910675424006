using System.Globalization;
using System.Text;

namespace ContributionIndex.Estimation;

/// <summary>Writes estimates as CSV: <c>statistic,variable,&lt;by columns&gt;,estimate,se,ci_low,ci_high,cv,df,n_unweighted,flag</c>.</summary>
/// <remarks>
/// Invariant culture, round-trip doubles ("R"), NaN as an empty field, LF line ends, RFC 4180 quoting. Text taken from the
/// input (labels, names) that a spreadsheet would read as a formula is prefixed with an apostrophe.
/// </remarks>
public static class EstimateCsv
{
    /// <summary>Writes the header and one line per estimate.</summary>
    public static void Write(TextWriter writer, IReadOnlyList<string> byNames, IEnumerable<SurveyEstimate> estimates)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(byNames);
        ArgumentNullException.ThrowIfNull(estimates);
        var header = new List<string> { "statistic", "variable" };
        header.AddRange(byNames.Select(Text));
        header.AddRange(["estimate", "se", "ci_low", "ci_high", "cv", "df", "n_unweighted", "flag"]);
        writer.Write(string.Join(',', header));
        writer.Write('\n');
        foreach (var e in estimates)
        {
            var fields = new List<string> { e.Statistic.ToString().ToLowerInvariant(), Text(e.Variable) };
            fields.AddRange(e.Domain.Select(Text));
            fields.AddRange([Number(e.Value), Number(e.StandardError), Number(e.ConfidenceLow), Number(e.ConfidenceHigh),
                Number(e.CoefficientOfVariation), Number(e.DegreesOfFreedom), e.UnweightedCount.ToString(CultureInfo.InvariantCulture),
                e.Flag.ToString().ToLowerInvariant()]);
            writer.Write(string.Join(',', fields));
            writer.Write('\n');
        }
    }

    /// <summary>Writes the CSV to <paramref name="path"/> atomically (a temporary file in the same folder, then a move).</summary>
    public static void WriteFile(string path, IReadOnlyList<string> byNames, IEnumerable<SurveyEstimate> estimates)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new ContributionIndex.Pipeline.AtomicFile(Path.GetFullPath(path));
        Write(file.Writer, byNames, estimates);
        file.Commit();
    }

    internal static string Number(double value) => double.IsNaN(value) ? string.Empty : value.ToString("R", CultureInfo.InvariantCulture);

    internal static string Text(string value)
    {
        var text = value;
        if (text.Length > 0 && "=+-@\t\r".Contains(text[0], StringComparison.Ordinal)
            && !double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            text = "'" + text;
        if (text.AsSpan().IndexOfAny(",\"\n\r") >= 0) text = "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        return text;
    }
}
