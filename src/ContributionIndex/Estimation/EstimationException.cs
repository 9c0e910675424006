using ContributionIndex.Diagnostics;

namespace ContributionIndex.Estimation;

/// <summary>A survey design or an estimate request cannot be honoured (exit code 1 for data problems, 2 for a wrong request).</summary>
public sealed class EstimationException : ContributionIndexException
{
    private readonly FailureKind kind;

    /// <summary>Creates a data failure with a one-sentence message that names the offending stratum, column or value.</summary>
    public EstimationException(string message, Exception? inner = null) : this(FailureKind.Data, message, inner) { }

    /// <summary>Creates a failure of the given kind (<see cref="FailureKind.Usage"/> for a request that is wrong whatever the data).</summary>
    public EstimationException(FailureKind kind, string message, Exception? inner = null) : base(message, inner) => this.kind = kind;

    /// <inheritdoc />
    public override FailureKind Kind => kind;
}
