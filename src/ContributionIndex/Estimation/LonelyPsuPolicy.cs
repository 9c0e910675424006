namespace ContributionIndex.Estimation;

/// <summary>What to do with a stratum that has a single sampled PSU (R <c>options(survey.lonely.psu)</c>).</summary>
/// <remarks>The semantics are R survey 4.1-1's <c>onestrat</c> (Taylor) and <c>jknweights</c> (JKn replicates); see methodology/estimation.md.</remarks>
public enum LonelyPsuPolicy
{
    /// <summary>Stop with an error that names the stratum (R default "fail").</summary>
    Fail,

    /// <summary>The stratum contributes nothing to the variance (R "remove").</summary>
    Remove,

    /// <summary>The lonely PSU is treated as sampled with certainty and contributes nothing (R "certainty").</summary>
    Certainty,

    /// <summary>The PSU total is taken as a deviation from zero, i.e. from the grand mean of the influence values (R "adjust").</summary>
    Adjust,

    /// <summary>The stratum is dropped and the variance scaled up by strata / strata-with-variance (R "average").</summary>
    Average,
}
