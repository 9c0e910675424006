namespace ContributionIndex.Estimation;

/// <summary>The kind of replicate weights, which fixes the variance constants (R <c>svrepdesign(type = ...)</c>).</summary>
public enum ReplicateMethod
{
    /// <summary>Delete-one-PSU jackknife for an unstratified design: scale (R−1)/R (R "JK1").</summary>
    Jk1,

    /// <summary>Stratified delete-one-PSU jackknife: scale 1, rscales (n_h−1)/n_h per replicate (R "JKn").</summary>
    Jkn,

    /// <summary>Balanced repeated replication: scale 1/R (R "BRR").</summary>
    Brr,

    /// <summary>Fay's modified BRR with factor rho: scale 1/(R(1−rho)²) (R "Fay").</summary>
    Fay,

    /// <summary>Bootstrap replicate weights: scale 1/(R−1) unless given (R "bootstrap").</summary>
    Bootstrap,

    /// <summary>Replicate weights with user-given scale and rscales (R "other").</summary>
    Other,
}
