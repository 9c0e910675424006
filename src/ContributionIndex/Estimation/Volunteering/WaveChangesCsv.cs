using ContributionIndex.IO;

namespace ContributionIndex.Estimation.Volunteering;

/// <summary>
/// Writes the change table of a study with a previous wave as <c>change.csv</c> (methodology/change-over-time.md):
/// <c>country,variable,domain,domain_value,year_previous,year_current,previous,previous_se,deflator,previous_constant,previous_constant_se,current,current_se,difference,se,ci_low,ci_high,df,t,p,significant,flag_previous,flag_current</c>.
/// </summary>
/// <remarks>
/// <c>previous</c>/<c>previous_se</c> are the previous wave's estimate at its own prices, <c>previous_constant</c> the
/// same times <c>deflator</c> (1 for rates and hours); <c>significant</c> is <c>yes</c> when p &lt; 0.05. The flags are
/// the two waves' release flags (an analysis file, like estimates.csv: the annex withholds, this file does not). CSV
/// text policy of <see cref="CsvText"/>, LF line ends.
/// </remarks>
public static class WaveChangesCsv
{
    /// <summary>The header line.</summary>
    public const string Header = "country,variable,domain,domain_value,year_previous,year_current,previous,previous_se,deflator,previous_constant,previous_constant_se,current,current_se,difference,se,ci_low,ci_high,df,t,p,significant,flag_previous,flag_current";

    /// <summary>Writes the header and one line per change, in the set's order.</summary>
    public static void Write(TextWriter writer, WaveChangeSet changes)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(changes);
        writer.Write(Header);
        writer.Write('\n');
        foreach (var c in changes.Changes)
        {
            CsvText.WriteRecord(writer,
            [
                CsvText.Text(c.Country), CsvText.Text(c.Measure), CsvText.Text(c.Domain), CsvText.Text(c.DomainValue),
                CsvText.Integer(changes.PreviousYear), CsvText.Integer(changes.CurrentYear),
                CsvText.Number(c.Previous.Estimate.Value), CsvText.Number(c.Previous.Estimate.StandardError), CsvText.Number(c.Deflator),
                CsvText.Number(c.PreviousValue), CsvText.Number(c.PreviousStandardError),
                CsvText.Number(c.Current.Estimate.Value), CsvText.Number(c.Current.Estimate.StandardError),
                CsvText.Number(c.Difference), CsvText.Number(c.StandardError), CsvText.Number(c.ConfidenceLow), CsvText.Number(c.ConfidenceHigh),
                CsvText.Number(c.DegreesOfFreedom), CsvText.Number(c.T), CsvText.Number(c.P), double.IsNaN(c.P) ? "" : c.Significant ? "yes" : "no",
                c.Previous.Estimate.Flag.ToString().ToLowerInvariant(), c.Current.Estimate.Flag.ToString().ToLowerInvariant(),
            ]);
        }
    }

    /// <summary>Writes the CSV to <paramref name="path"/> atomically.</summary>
    public static void WriteFile(string path, WaveChangeSet changes)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteText(path, writer => Write(writer, changes));
    }
}
