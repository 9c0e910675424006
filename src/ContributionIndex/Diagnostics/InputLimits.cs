namespace ContributionIndex.Diagnostics;

/// <summary>
/// The documented size limits of what a study may feed the toolkit (methodology/hardening.md §1, "Size limits"). Each
/// is refused with the file, line and column where it is exceeded, never truncated silently.
/// </summary>
public static class InputLimits
{
    /// <summary>
    /// Longest field of a data file (CSV, XLSX, Parquet) or parameter table, in UTF-16 characters: 1 MiB. A survey
    /// code, label or activity description is never near it; a longer field is a broken export (a missing line end or
    /// delimiter) and used to be accepted as, e.g., a region label of 5 MiB.
    /// </summary>
    public const int MaxFieldChars = 1024 * 1024;

    /// <summary>
    /// Longest text a study puts on the annex's cover or into a label (the study's <c>title</c>, <c>report.title</c>,
    /// <c>report.publisher</c>, <c>report.contact</c>, the names of a region labels file): 1,000 characters. Excel holds
    /// at most 32,767 characters in a cell; a title of more than 32,767 characters used to crash the xlsx writer.
    /// </summary>
    public const int MaxLabelChars = 1000;

    /// <summary>
    /// Most characters of a rejected value that quarantine.csv and a rejection's reason carry: 1,000. A longer value is
    /// kept as its first 1,000 characters and its length; the row stays in the input at its file, line and column.
    /// </summary>
    public const int MaxQuotedChars = 1000;
}
