namespace ContributionIndex.Indicators.Sensitivity;

/// <summary>Turns a full-sample estimate and its replicate estimates into a variance (pluggable: the estimation stage's svrVar fits).</summary>
/// <param name="fullSample">The estimate from the full sample (full-sample weights).</param>
/// <param name="replicates">The same estimate recomputed on each replicate.</param>
public delegate double ReplicateVarianceFunction(double fullSample, IReadOnlyList<double> replicates);

/// <summary>Replicate-variance formulas in the form of R survey's <c>svrVar</c>: <c>scale·Σ rscale_r·(θ_r − centre)²</c>.</summary>
/// <remarks>These are a minimal local implementation because the estimation stage's shared svrVar helper was not in main
/// when this was written; pass that helper as a <see cref="ReplicateVarianceFunction"/> once it is. Constants as in
/// R survey's <c>svrepdesign</c>: JK1 scale (R − 1)/R, bootstrap scale 1/(R − 1), rscales 1. With <c>mse</c> the centre is
/// the full-sample estimate, otherwise the mean of the replicates.</remarks>
public static class ReplicateVariance
{
    /// <summary>The general svrVar-form formula.</summary>
    public static ReplicateVarianceFunction SvrVar(double scale, IReadOnlyList<double>? rscales = null, bool mse = false) => (full, reps) =>
    {
        ArgumentNullException.ThrowIfNull(reps);
        if (reps.Count == 0) return double.NaN;
        if (rscales is not null && rscales.Count != reps.Count)
            throw new ArgumentException("There must be one rscale per replicate.", nameof(rscales));
        var centre = mse ? full : reps.Average();
        double sum = 0;
        for (var r = 0; r < reps.Count; r++) sum += (rscales?[r] ?? 1) * (reps[r] - centre) * (reps[r] - centre);
        return scale * sum;
    };

    /// <summary>Delete-one-group jackknife for unstratified designs (JK1): scale (R − 1)/R.</summary>
    public static ReplicateVarianceFunction Jk1(int replicates, bool mse = false) => SvrVar((replicates - 1.0) / replicates, null, mse);

    /// <summary>Bootstrap replicates: scale 1/(R − 1).</summary>
    public static ReplicateVarianceFunction Bootstrap(int replicates, bool mse = false) => SvrVar(1.0 / (replicates - 1), null, mse);
}
