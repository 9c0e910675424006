using ContributionIndex.Diagnostics;

namespace ContributionIndex.Ingest;

/// <summary>A row refused at ingestion or by a check, kept with its reason so that nothing is lost.</summary>
/// <param name="Location">File, line and column of the offending field (column 0 when the whole row is at fault).</param>
/// <param name="Rule">A stable rule identifier, e.g. <c>hours.not-a-number</c> or <c>icls.hours-above-period</c>.</param>
/// <param name="Reason">One sentence saying what is wrong and how to fix it.</param>
/// <param name="RawValue">The offending raw text, when a single field is at fault.</param>
/// <remarks>
/// Both texts are bounded (hardening.md §1, "Bounded rejections"): a raw value longer than
/// <see cref="InputLimits.MaxQuotedChars"/> characters is kept as its first characters and a note of its length — the
/// row itself stays in the input, found by its file, line and column — and the reason quotes such a value the same
/// way. A rejected field of 100 MB used to give a quarantine file of 300 MB and as much text on stdout.
/// </remarks>
public sealed record RejectedRow(SourceLocation Location, string Rule, string Reason, string? RawValue = null)
{
    /// <summary>One sentence saying what is wrong and how to fix it; a long value it quotes is cut (see remarks).</summary>
    public string Reason { get; init; } = BoundReason(Reason, RawValue);

    /// <summary>The offending raw text, when a single field is at fault; cut to a bounded excerpt when long (see remarks).</summary>
    public string? RawValue { get; init; } = BoundValue(RawValue);

    private static string? BoundValue(string? raw)
    {
        if (raw is null || raw.Length <= InputLimits.MaxQuotedChars) return raw;
        var cut = InputLimits.MaxQuotedChars;
        if (char.IsHighSurrogate(raw[cut - 1])) cut--;
        return raw[..cut] + string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"… ({raw.Length} characters; the whole value is in the input at this line and column)");
    }

    private static string BoundReason(string reason, string? raw)
    {
        ArgumentNullException.ThrowIfNull(reason);
        if (raw is { Length: > InputLimits.MaxQuotedChars })
        {
            var trimmed = raw.Trim();
            if (trimmed.Length > InputLimits.MaxQuotedChars) reason = reason.Replace(trimmed, MessageText.Excerpt(trimmed), StringComparison.Ordinal);
            reason = reason.Replace(raw, MessageText.Excerpt(raw), StringComparison.Ordinal);
        }

        // Whatever else a reason quotes (a value of another field), it stays bounded.
        return reason.Length <= 4 * InputLimits.MaxQuotedChars ? reason : MessageText.Excerpt(reason, 4 * InputLimits.MaxQuotedChars);
    }
}
