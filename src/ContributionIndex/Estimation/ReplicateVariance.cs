namespace ContributionIndex.Estimation;

/// <summary>The one replicate-variance formula used by every replicate method (R survey <c>svrVar</c>).</summary>
/// <remarks>
/// v = scale · Σ_r rscales_r (θ_r − θ̄)², where θ̄ is the full-sample estimate when <c>mse</c> is set and otherwise the mean
/// of the usable replicates whose rscale is positive (R: <c>mean(thetas[rscales &gt; 0])</c>). Replicates that are NaN (for example a domain mean whose replicate denominator is zero)
/// are discarded together with their rscale, as R does with <c>na.action = na.omit</c>.
/// </remarks>
public static class ReplicateVariance
{
    /// <summary>Computes the replicate variance of one statistic.</summary>
    /// <param name="fullSample">The estimate with the full-sample weights (θ).</param>
    /// <param name="replicates">The estimates with each replicate weight column (θ_r).</param>
    /// <param name="scale">The overall constant (R <c>scale</c>).</param>
    /// <param name="rscales">The per-replicate constants (R <c>rscales</c>), one per replicate.</param>
    /// <param name="mse">True to centre on the full-sample estimate, false to centre on the replicate mean.</param>
    /// <returns>The variance, or NaN when every replicate is NaN.</returns>
    public static double Compute(double fullSample, ReadOnlySpan<double> replicates, double scale, ReadOnlySpan<double> rscales, bool mse)
    {
        if (replicates.Length != rscales.Length)
            throw new ArgumentException($"There are {replicates.Length} replicate estimates but {rscales.Length} rscales; they must match.", nameof(rscales));
        double centre;
        if (mse)
        {
            centre = fullSample;
        }
        else
        {
            double sum = 0;
            int used = 0;
            for (int r = 0; r < replicates.Length; r++)
            {
                if (double.IsNaN(replicates[r]) || !(rscales[r] > 0)) continue;
                sum += replicates[r];
                used++;
            }
            if (used == 0) return double.NaN;
            centre = sum / used;
        }

        double acc = 0;
        int usable = 0;
        for (int r = 0; r < replicates.Length; r++)
        {
            if (double.IsNaN(replicates[r])) continue;
            var d = replicates[r] - centre;
            acc += rscales[r] * d * d;
            usable++;
        }
        return usable == 0 ? double.NaN : scale * acc;
    }

    /// <summary>Computes the replicate covariance of two statistics estimated on the same replicates.</summary>
    /// <remarks>Replicates where either statistic is NaN are discarded (R <c>na.omit</c> on the matrix of replicates).</remarks>
    public static double Covariance(double fullA, ReadOnlySpan<double> a, double fullB, ReadOnlySpan<double> b, double scale, ReadOnlySpan<double> rscales, bool mse)
    {
        if (a.Length != b.Length || a.Length != rscales.Length)
            throw new ArgumentException($"Replicate vectors of lengths {a.Length} and {b.Length} with {rscales.Length} rscales cannot be combined; they must all match.", nameof(b));
        double centreA = fullA, centreB = fullB;
        if (!mse)
        {
            double sa = 0, sb = 0;
            int used = 0;
            for (int r = 0; r < a.Length; r++)
            {
                if (double.IsNaN(a[r]) || double.IsNaN(b[r]) || !(rscales[r] > 0)) continue;
                sa += a[r];
                sb += b[r];
                used++;
            }
            if (used == 0) return double.NaN;
            centreA = sa / used;
            centreB = sb / used;
        }
        double acc = 0;
        int usable = 0;
        for (int r = 0; r < a.Length; r++)
        {
            if (double.IsNaN(a[r]) || double.IsNaN(b[r])) continue;
            acc += rscales[r] * (a[r] - centreA) * (b[r] - centreB);
            usable++;
        }
        return usable == 0 ? double.NaN : scale * acc;
    }
}
