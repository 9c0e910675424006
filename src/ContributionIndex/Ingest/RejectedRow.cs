using ContributionIndex.Diagnostics;

namespace ContributionIndex.Ingest;

/// <summary>A row refused at ingestion or by a check, kept with its reason so that nothing is lost.</summary>
/// <param name="Location">File, line and column of the offending field (column 0 when the whole row is at fault).</param>
/// <param name="Rule">A stable rule identifier, e.g. <c>hours.not-a-number</c> or <c>icls.hours-above-period</c>.</param>
/// <param name="Reason">One sentence saying what is wrong and how to fix it.</param>
/// <param name="RawValue">The offending raw text, when a single field is at fault.</param>
public sealed record RejectedRow(SourceLocation Location, string Rule, string Reason, string? RawValue = null);
