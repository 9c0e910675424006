using ContributionIndex.IO;

namespace ContributionIndex.Estimation;

/// <summary>Writes estimates as CSV: <c>statistic,variable,&lt;by columns&gt;,estimate,se,ci_low,ci_high,cv,df,n_unweighted,flag,deff,deft</c>.</summary>
/// <remarks>deff is R's <c>deff = TRUE</c> (variance over the variance of simple random sampling without replacement), deft = √deff; both are empty for quantiles.
/// The CSV text policy of <see cref="CsvText"/> (round-trip numbers, non-finite ones empty, formula-safe quoted text), LF line ends.</remarks>
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
        header.AddRange(["estimate", "se", "ci_low", "ci_high", "cv", "df", "n_unweighted", "flag", "deff", "deft"]);
        CsvText.WriteRecord(writer, header);
        foreach (var e in estimates)
        {
            var fields = new List<string> { e.Statistic.ToString().ToLowerInvariant(), Text(e.Variable) };
            fields.AddRange(e.Domain.Select(Text));
            fields.AddRange([Number(e.Value), Number(e.StandardError), Number(e.ConfidenceLow), Number(e.ConfidenceHigh),
                Number(e.CoefficientOfVariation), Number(e.DegreesOfFreedom), CsvText.Integer(e.UnweightedCount),
                e.Flag.ToString().ToLowerInvariant(), Number(e.DesignEffect), Number(e.DesignEffectFactor)]);
            CsvText.WriteRecord(writer, fields);
        }
    }

    /// <summary>Writes the CSV to <paramref name="path"/> atomically (a temporary file in the same folder, then a move).</summary>
    public static void WriteFile(string path, IReadOnlyList<string> byNames, IEnumerable<SurveyEstimate> estimates)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteText(path, writer => Write(writer, byNames, estimates));
    }

    private static string Number(double value) => CsvText.Number(value);

    private static string Text(string value) => CsvText.Text(value);
}
