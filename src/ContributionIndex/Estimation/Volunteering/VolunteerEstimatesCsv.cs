using ContributionIndex.Ingest;
using ContributionIndex.IO;

namespace ContributionIndex.Estimation.Volunteering;

/// <summary>
/// Writes study-mode estimates as <c>estimates.csv</c>:
/// <c>statistic,variable,country,source,domain,domain_value,estimate,se,ci_low,ci_high,cv,df,n_unweighted,flag</c>.
/// </summary>
/// <remarks>
/// The by-columns are a fixed set (country, source, one <c>domain</c>/<c>domain_value</c> pair) so that every study writes
/// the same header whatever its domains. The CSV text policy of <see cref="CsvText"/> (round-trip numbers, non-finite ones
/// empty, formula-safe quoted text), LF line ends. Hour-log rows have empty se, ci, cv and df and flag <c>admin</c>.
/// </remarks>
public static class VolunteerEstimatesCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "statistic,variable,country,source,domain,domain_value,estimate,se,ci_low,ci_high,cv,df,n_unweighted,flag";

    /// <summary>Writes the header and one line per estimate, in the given order.</summary>
    public static void Write(TextWriter writer, IEnumerable<VolunteerEstimate> estimates)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(estimates);
        writer.Write(Header);
        writer.Write('\n');
        foreach (var v in estimates)
        {
            var e = v.Estimate;
            var fields = new[]
            {
                e.Statistic.ToString().ToLowerInvariant(), Text(v.Measure), Text(v.Scope), Pipeline.InputKinds.Code(v.Source),
                Text(v.Domain), Text(v.DomainValue), Number(e.Value), Number(e.StandardError), Number(e.ConfidenceLow), Number(e.ConfidenceHigh),
                Number(v.IsAdministrative ? double.NaN : e.CoefficientOfVariation), Number(e.DegreesOfFreedom), CsvText.Integer(e.UnweightedCount),
                v.IsAdministrative ? "admin" : e.Flag.ToString().ToLowerInvariant(),
            };
            CsvText.WriteRecord(writer, fields);
        }
    }

    /// <summary>Writes the CSV to <paramref name="path"/> atomically (a temporary file in the same folder, then a move).</summary>
    public static void WriteFile(string path, IEnumerable<VolunteerEstimate> estimates)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteText(path, writer => Write(writer, estimates));
    }

    private static string Number(double value) => CsvText.Number(value);

    private static string Text(string value) => CsvText.Text(value);
}
