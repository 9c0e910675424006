using System.Collections.Immutable;
using ContributionIndex.Indicators.Composite;

namespace ContributionIndex.Indicators.Sensitivity;

/// <summary>
/// Turns a full-sample estimate and its replicate estimates into a variance: the design's svrVar,
/// <see cref="Estimation.ReplicateVariance.Compute"/> with its scale, rscales and mse.
/// </summary>
/// <param name="fullSample">The estimate from the full sample (full-sample weights).</param>
/// <param name="replicates">The same estimate recomputed on each replicate.</param>
public delegate double ReplicateVarianceFunction(double fullSample, IReadOnlyList<double> replicates);

/// <summary>Standard errors of index and pillar scores from replicate indicator values (e.g. survey replicate weights).</summary>
/// <remarks>The whole index (normalisation included) is recomputed on every replicate data set, so the error of
/// data-dependent normalisations (min-max, z-score) is carried through. Variance = the pluggable replicate formula.</remarks>
public static class ReplicateErrors
{
    /// <summary>Index standard error per unit (NaN when the unit has no index score).</summary>
    /// <param name="fullSample">Indicator values estimated with the full-sample weights.</param>
    /// <param name="replicates">The same indicators estimated with each replicate's weights (same framework and units).</param>
    /// <param name="options">Index options.</param>
    /// <param name="variance">Replicate-variance formula: the design's <see cref="Estimation.ReplicateVariance.Compute"/>.</param>
    public static ImmutableArray<double> IndexStandardErrors(IndicatorData fullSample, IReadOnlyList<IndicatorData> replicates, IndexOptions options, ReplicateVarianceFunction variance)
    {
        ArgumentNullException.ThrowIfNull(fullSample);
        ArgumentNullException.ThrowIfNull(replicates);
        ArgumentNullException.ThrowIfNull(variance);
        var full = CompositeIndex.Compute(fullSample, options);
        var perReplicate = replicates.Select(r =>
        {
            if (!r.Units.SequenceEqual(fullSample.Units, StringComparer.Ordinal))
                throw new ArgumentException("Every replicate must have the full sample's units in the same order.", nameof(replicates));
            return CompositeIndex.Compute(r, options);
        }).ToArray();
        var errors = new double[fullSample.Units.Length];
        for (var u = 0; u < errors.Length; u++)
        {
            var estimate = full.IndexScore(u);
            errors[u] = double.IsNaN(estimate) ? double.NaN : Math.Sqrt(variance(estimate, [.. perReplicate.Select(r => r.IndexScore(u))]));
        }

        return [.. errors];
    }
}
