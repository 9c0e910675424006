using System.Collections.Immutable;
using MathNet.Numerics.LinearAlgebra;

namespace ContributionIndex.Indicators.Composite;

/// <summary>The weights PCA weighting found for one pillar and the facts behind them.</summary>
/// <param name="Weights">Indicator weights, summing to 1, in the pillar's indicator order.</param>
/// <param name="Eigenvalues">All eigenvalues of the correlation matrix, descending.</param>
/// <param name="RetainedFactors">How many components were retained.</param>
/// <param name="CumulativeShare">Share of total variance the retained components explain (the Handbook asks for &gt; 0.6; reported, not enforced).</param>
/// <param name="UnitsUsed">Complete cases the correlation matrix was computed from.</param>
public sealed record PcaWeights(ImmutableArray<double> Weights, ImmutableArray<double> Eigenvalues, int RetainedFactors, double CumulativeShare, int UnitsUsed);

/// <summary>PCA-derived weights following the OECD/JRC Handbook (2008) procedure after Nicoletti et al. (2000) [M].</summary>
/// <remarks>
/// Steps, as implemented (the thresholds are from memory of the Handbook, tagged [M] in methodology-sources §7.1):
/// 1. Pearson correlation matrix R of the pillar's normalised indicators over complete cases.
/// 2. Eigen-decomposition of R; components sorted by eigenvalue λ, descending.
/// 3. Retain components with λ &gt; 1 and variance share λ/k &gt; 0.10 (if none qualifies, the first component).
/// 4. Loadings L = eigenvector·√λ; Varimax rotation (Kaiser-normalised, the algorithm of R's stats::varimax, eps 1e-5) when ≥ 2 are retained.
/// 5. Squared rotated loadings scaled to unit sum within each factor.
/// 6. Each indicator goes to the factor on which its squared loading is largest and is weighted by its scaled squared
///    loading times that factor's share of the retained (rotated) variance.
/// 7. Weights normalised to sum to 1.
/// </remarks>
public static class PcaWeighting
{
    /// <summary>Computes PCA weights from the rows (units) of <paramref name="scores"/> that have every column.</summary>
    /// <exception cref="InvalidOperationException">Fewer than 3 complete cases, or an indicator is constant.</exception>
    public static PcaWeights Compute(double[,] scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var k = scores.GetLength(1);
        var rows = Enumerable.Range(0, scores.GetLength(0)).Where(u => Enumerable.Range(0, k).All(i => !double.IsNaN(scores[u, i]))).ToArray();
        if (k == 1) return new PcaWeights([1.0], [1.0], 1, 1, rows.Length);
        if (rows.Length < 3)
            throw new InvalidOperationException($"PCA weighting needs at least 3 units with every indicator of the pillar; found {rows.Length}.");
        var data = Matrix<double>.Build.Dense(rows.Length, k, (r, c) => scores[rows[r], c]);
        var standardised = Matrix<double>.Build.Dense(rows.Length, k);
        for (var c = 0; c < k; c++)
        {
            var column = data.Column(c);
            var mean = column.Average();
            var sd = Math.Sqrt(column.Sum(v => (v - mean) * (v - mean)) / (rows.Length - 1));
            if (!(sd > 0)) throw new InvalidOperationException($"PCA weighting: indicator {c + 1} of the pillar is constant over the complete cases.");
            standardised.SetColumn(c, column.Map(v => (v - mean) / sd));
        }

        var correlation = standardised.TransposeThisAndMultiply(standardised) / (rows.Length - 1);
        var evd = correlation.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, k).OrderByDescending(j => evd.EigenValues[j].Real).ToArray();
        var eigenvalues = order.Select(j => evd.EigenValues[j].Real).ToArray();
        var retained = order.Where((j, pos) => eigenvalues[pos] > 1 && eigenvalues[pos] / k > 0.10).ToList();
        if (retained.Count == 0) retained.Add(order[0]);
        var loadings = Matrix<double>.Build.Dense(k, retained.Count, (i, f) => evd.EigenVectors[i, retained[f]] * Math.Sqrt(evd.EigenValues[retained[f]].Real));
        if (retained.Count > 1) loadings = Varimax(loadings);

        var squared = loadings.PointwisePower(2);
        var factorVariance = Enumerable.Range(0, retained.Count).Select(f => squared.Column(f).Sum()).ToArray();
        var totalVariance = factorVariance.Sum();
        var weights = new double[k];
        for (var i = 0; i < k; i++)
        {
            var best = 0;
            for (var f = 1; f < retained.Count; f++)
            {
                if (squared[i, f] > squared[i, best]) best = f;
            }

            weights[i] = squared[i, best] / factorVariance[best] * (factorVariance[best] / totalVariance);
        }

        var sum = weights.Sum();
        return new PcaWeights(
            [.. weights.Select(w => w / sum)],
            [.. eigenvalues],
            retained.Count,
            retained.Sum(j => evd.EigenValues[j].Real) / k,
            rows.Length);
    }

    /// <summary>Varimax rotation with Kaiser normalisation; a port of R's <c>stats::varimax(x, normalize = TRUE, eps = 1e-5)</c>.</summary>
    internal static Matrix<double> Varimax(Matrix<double> loadings, double eps = 1e-5)
    {
        var p = loadings.RowCount;
        var nc = loadings.ColumnCount;
        var scale = Vector<double>.Build.Dense(p, i => Math.Sqrt(loadings.Row(i).Sum(v => v * v)));
        var x = Matrix<double>.Build.Dense(p, nc, (i, j) => scale[i] > 0 ? loadings[i, j] / scale[i] : 0);
        var rotation = Matrix<double>.Build.DenseIdentity(nc);
        double d = 0;
        for (var iteration = 0; iteration < 1000; iteration++)
        {
            var z = x * rotation;
            var columnSquares = Enumerable.Range(0, nc).Select(j => z.Column(j).Sum(v => v * v)).ToArray();
            var target = Matrix<double>.Build.Dense(p, nc, (i, j) => Math.Pow(z[i, j], 3) - (z[i, j] * columnSquares[j] / p));
            var b = x.TransposeThisAndMultiply(target);
            var svd = b.Svd(true);
            rotation = svd.U * svd.VT;
            var past = d;
            d = svd.S.Sum();
            if (d < past * (1 + eps)) break;
        }

        var rotated = x * rotation;
        return Matrix<double>.Build.Dense(p, nc, (i, j) => rotated[i, j] * scale[i]);
    }
}
