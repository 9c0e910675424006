using System.Collections.Immutable;

namespace ContributionIndex.Indicators.Sensitivity;

/// <summary>Variance-based sensitivity indices of a model's output to each input factor (or group of inputs).</summary>
/// <param name="FirstOrder">First-order indices S_i = V[E(Y|X_i)]/V(Y), Saltelli et al. (2010) estimator.</param>
/// <param name="Total">Total-effect indices S_Ti = E[V(Y|X_~i)]/V(Y), Jansen (1999) estimator.</param>
/// <param name="FirstOrderStandardError">Monte-Carlo standard error of each first-order estimate (sd of the summands/√N, divided by V).</param>
/// <param name="TotalStandardError">Monte-Carlo standard error of each total-effect estimate.</param>
/// <param name="Variance">Output variance V(Y) over the A and B samples.</param>
/// <param name="BaseSamples">N, the rows of each of the A and B matrices.</param>
/// <param name="ModelRuns">Model evaluations used: N·(k + 2) for k factors.</param>
public sealed record SobolIndices(
    ImmutableArray<double> FirstOrder, ImmutableArray<double> Total, ImmutableArray<double> FirstOrderStandardError,
    ImmutableArray<double> TotalStandardError, double Variance, int BaseSamples, int ModelRuns);

/// <summary>Saltelli-design Monte-Carlo estimation of first-order and total Sobol indices.</summary>
/// <remarks>
/// Design (Saltelli et al. 2010, "Variance based sensitivity analysis of model output", CPC 181): two independent
/// N × D matrices A and B of U(0,1) numbers; for each factor i, A_B^(i) is A with the columns of factor i taken from B.
/// With f_A, f_B, f_ABi the model outputs and V the variance of [f_A; f_B]:
/// S_i = (1/N)·Σ f_B·(f_ABi − f_A) / V;  S_Ti = (1/2N)·Σ (f_A − f_ABi)² / V.
/// A factor may span several columns (a group, e.g. every weight of a framework); the indices are then those of the group.
/// The model maps a point of the unit hypercube to its own input distributions.
/// </remarks>
public static class SobolAnalysis
{
    /// <summary>Estimates the indices with a seeded <see cref="Random"/> (same seed → same numbers).</summary>
    /// <param name="model">The model, evaluated on points of [0,1)^D.</param>
    /// <param name="factorSizes">Number of columns of each factor (1 for a scalar factor).</param>
    /// <param name="baseSamples">N.</param>
    /// <param name="seed">Seed of <see cref="Random"/>.</param>
    public static SobolIndices Estimate(Func<double[], double> model, IReadOnlyList<int> factorSizes, int baseSamples, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(factorSizes);
        ArgumentOutOfRangeException.ThrowIfLessThan(baseSamples, 2);
        var k = factorSizes.Count;
        var offsets = new int[k + 1];
        for (var f = 0; f < k; f++)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(factorSizes[f], 1);
            offsets[f + 1] = offsets[f] + factorSizes[f];
        }

        var dims = offsets[k];
        var random = new Random(seed);
        var a = new double[baseSamples][];
        var b = new double[baseSamples][];
        for (var n = 0; n < baseSamples; n++)
        {
            a[n] = new double[dims];
            b[n] = new double[dims];
            for (var d = 0; d < dims; d++) a[n][d] = random.NextDouble();
            for (var d = 0; d < dims; d++) b[n][d] = random.NextDouble();
        }

        var fa = a.Select(model).ToArray();
        var fb = b.Select(model).ToArray();
        var all = fa.Concat(fb).ToArray();
        var mean = all.Average();
        var variance = all.Sum(y => (y - mean) * (y - mean)) / (all.Length - 1);
        var first = new double[k];
        var total = new double[k];
        var firstSe = new double[k];
        var totalSe = new double[k];
        var point = new double[dims];
        for (var f = 0; f < k; f++)
        {
            var firstTerms = new double[baseSamples];
            var totalTerms = new double[baseSamples];
            for (var n = 0; n < baseSamples; n++)
            {
                Array.Copy(a[n], point, dims);
                Array.Copy(b[n], offsets[f], point, offsets[f], factorSizes[f]);
                var fab = model(point);
                firstTerms[n] = fb[n] * (fab - fa[n]);
                totalTerms[n] = 0.5 * (fa[n] - fab) * (fa[n] - fab);
            }

            first[f] = firstTerms.Average() / variance;
            total[f] = totalTerms.Average() / variance;
            firstSe[f] = StandardError(firstTerms) / variance;
            totalSe[f] = StandardError(totalTerms) / variance;
        }

        return new SobolIndices([.. first], [.. total], [.. firstSe], [.. totalSe], variance, baseSamples, baseSamples * (k + 2));
    }

    private static double StandardError(double[] terms)
    {
        var mean = terms.Average();
        return Math.Sqrt(terms.Sum(t => (t - mean) * (t - mean)) / (terms.Length - 1) / terms.Length);
    }
}
