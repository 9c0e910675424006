namespace ContributionIndex.Classify.Coding;

/// <summary>The coder's answer for one description: ISCO major group and SDG goals, each with a confidence.</summary>
/// <param name="IscoCode">The ISCO-08 major group as a one-digit code ("1" … "9").</param>
/// <param name="IscoConfidence">The model's probability for that group, 0–1: the sum of the softmax probabilities of its sub-major classes.</param>
/// <param name="SdgGoals">The goals whose calibrated probability is at least 0.5, most probable first (the first is the proposed primary goal); the single most probable goal when none is.</param>
/// <param name="SdgProbabilities">Probability of each goal in <paramref name="SdgGoals"/>, in the same order.</param>
/// <param name="SdgConfidence">Confidence in the proposed primary goal: its probability.</param>
/// <param name="NeedsReview">True when the ISCO confidence is below the coder's ISCO review threshold or the SDG confidence below its SDG review threshold.</param>
public sealed record ActivityCoding(
    string IscoCode,
    double IscoConfidence,
    IReadOnlyList<int> SdgGoals,
    IReadOnlyList<double> SdgProbabilities,
    double SdgConfidence,
    bool NeedsReview)
{
    /// <summary>The ISCO-08 sub-major group (two digits) inside <see cref="IscoCode"/>, or empty when the model knows no sub-major group of that major group.</summary>
    public string IscoSubMajorCode { get; init; } = string.Empty;

    /// <summary>The model's probability for that sub-major group (at most <see cref="IscoConfidence"/>); 0 when there is none.</summary>
    public double IscoSubMajorConfidence { get; init; }

    /// <summary>The three most probable ISCO classes (sub-major groups, or major groups where the model has no finer class), most probable first, for the review queue.</summary>
    public IReadOnlyList<IscoCandidate> IscoCandidates { get; init; } = [];
}

/// <summary>One ISCO candidate of a coded description.</summary>
/// <param name="Code">ISCO-08 sub-major group (two digits) or major group (one digit).</param>
/// <param name="Probability">The model's probability for it.</param>
public sealed record IscoCandidate(string Code, double Probability);
