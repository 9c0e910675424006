using ContributionIndex.IO;

namespace ContributionIndex.Estimation.Volunteering;

/// <summary>
/// Writes a study's pairwise comparisons (<see cref="VolunteerComparisons"/>, annex table T11) as <c>comparisons.csv</c>
/// (methodology/estimation.md §8.8):
/// <c>scope,measure,compare,level_a,level_b,difference,se,ci_low,ci_high,df,p,significant</c>.
/// </summary>
/// <remarks>
/// <c>difference</c> is level_b minus level_a; the interval is the t interval at the study's confidence level and
/// <c>significant</c> is <c>yes</c> when it excludes 0. Every pair is listed: an analysis file like estimates.csv (the
/// annex leaves out pairs with a withheld value, this file does not). CSV text policy of <see cref="CsvText"/>, LF line ends.
/// </remarks>
public static class VolunteerComparisonsCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "scope,measure,compare,level_a,level_b,difference,se,ci_low,ci_high,df,p,significant";

    /// <summary>Writes the header and one line per comparison, in the run's order.</summary>
    /// <param name="writer">Where the CSV goes.</param>
    /// <param name="comparisons">The run's comparisons.</param>
    /// <param name="confidenceLevel">The study's confidence level, for the interval.</param>
    public static void Write(TextWriter writer, IReadOnlyList<VolunteerComparison> comparisons, double confidenceLevel)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(comparisons);
        writer.Write(Header);
        writer.Write('\n');
        foreach (var c in comparisons)
        {
            CsvText.WriteRecord(writer,
            [
                CsvText.Text(c.Scope), CsvText.Text(c.Measure), CsvText.Text(c.Compare), CsvText.Text(c.LevelA), CsvText.Text(c.LevelB),
                CsvText.Number(c.Difference), CsvText.Number(c.StandardError),
                CsvText.Number(c.ConfidenceLow(confidenceLevel)), CsvText.Number(c.ConfidenceHigh(confidenceLevel)),
                CsvText.Number(c.DegreesOfFreedom), CsvText.Number(c.P), double.IsNaN(c.P) ? "" : c.Significant ? "yes" : "no",
            ]);
        }
    }

    /// <summary>Writes the CSV to <paramref name="path"/> atomically.</summary>
    /// <param name="path">The file.</param>
    /// <param name="comparisons">The run's comparisons.</param>
    /// <param name="confidenceLevel">The study's confidence level, for the interval.</param>
    public static void WriteFile(string path, IReadOnlyList<VolunteerComparison> comparisons, double confidenceLevel)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteText(path, writer => Write(writer, comparisons, confidenceLevel));
    }
}
