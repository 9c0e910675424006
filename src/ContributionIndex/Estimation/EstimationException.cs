using ContributionIndex.Diagnostics;

namespace ContributionIndex.Estimation;

/// <summary>A survey design or an estimate request cannot be honoured with the data given (exit code 1).</summary>
public sealed class EstimationException : ContributionIndexException
{
    /// <summary>Creates the exception with a one-sentence message that names the offending stratum, column or value.</summary>
    public EstimationException(string message, Exception? inner = null) : base(message, inner) { }

    /// <inheritdoc />
    public override FailureKind Kind => FailureKind.Data;
}
