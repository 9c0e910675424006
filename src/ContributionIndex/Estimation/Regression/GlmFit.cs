using ContributionIndex.Diagnostics;
using Simd = System.Numerics.Vector;
using SimdVector = System.Numerics.Vector<double>;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace ContributionIndex.Estimation.Regression;

/// <summary>The result of one IRLS fit (what R's <c>glm.fit</c> returns that the survey variance needs).</summary>
internal sealed class GlmResult
{
    public required double[] Coefficients { get; init; }

    /// <summary>R <c>glm$weights</c>: w² = wt·μ'(η)²/V(μ) of the last iteration, i.e. at the means before its update.</summary>
    public required double[] WorkingWeights { get; init; }

    /// <summary>The final linear predictor η = Xβ.</summary>
    public required double[] Eta { get; init; }

    /// <summary>(XᵀWX)⁻¹ with the last iteration's W (R <c>summary(glm)$cov.unscaled</c>).</summary>
    public required double[,] InverseCrossProduct { get; init; }

    public required int Iterations { get; init; }

    public required bool Converged { get; init; }
}

/// <summary>A column of the model matrix is a linear combination of the others (R would report an aliased coefficient).</summary>
internal sealed class CollinearColumnException(int column) : Exception($"Column {column} is collinear.")
{
    public int Column { get; } = column;
}

/// <summary>
/// Iteratively reweighted least squares step for step as R's <c>glm.fit</c> (R 4.2): the same starting means, the same
/// working response and weights, the same deviance-based stopping rule |D − D_old|/(|D| + 0.1) &lt; 1e-8 within 25
/// iterations and the same step halving, so the iterates (and therefore the converged coefficients and the last
/// iteration's weights, which the design-based variance uses) are R's up to rounding.
/// </summary>
/// <remarks>
/// R solves each weighted least-squares step by a Householder QR of √W·X; here the normal equations XᵀWX β = XᵀWz are
/// accumulated in blocks of rows with SIMD dot products and solved by a Cholesky factorisation (Math.NET) of the
/// equilibrated matrix D·XᵀWX·D, D = diag(XᵀWX)^−½, which keeps the rounding error at the level of the QR's for the
/// well-conditioned designs of factor models. The model matrix is column-major (one array per column).
/// </remarks>
internal static class GlmFit
{
    public const double Tolerance = 1e-8; // R glm.control(epsilon)
    public const int MaxIterations = 25;  // R glm.control(maxit)

    // A column whose residual sum of squares, after projecting out the earlier columns, is below this share of its own is collinear.
    private const double CollinearShare = 1e-10;
    private const int Block = 512;

    /// <summary>Fits the model; <paramref name="start"/> null starts from R's <c>family$initialize</c> means, else from η = X·start (R <c>glm.fit(start = )</c>).</summary>
    /// <param name="x">The model matrix, one array per column, each with one value per row.</param>
    /// <param name="y">The response.</param>
    /// <param name="weights">The prior weights (zero leaves a row out of the fit).</param>
    /// <param name="family">The family.</param>
    /// <param name="start">Starting coefficients, or null.</param>
    /// <param name="details">Keep the per-row working weights and the inverse cross-product (the full-sample fit), or only the coefficients (replicates).</param>
    /// <param name="workspace">Per-thread buffers of the row count, or null to allocate.</param>
    /// <param name="devianceOffset">Added to every deviance: the part the rows' deviance has beyond that of grouped rows (<see cref="CovariatePatterns"/>); 0 for rows.</param>
    public static GlmResult Fit(double[][] x, double[] y, double[] weights, ModelFamily family, double[]? start, bool details, Workspace? workspace = null,
        double devianceOffset = 0)
    {
        int p = x.Length, n = y.Length;
        var ws = workspace ?? new Workspace(n, p);
        var eta = ws.Eta;
        var mu = ws.Mu;
        var muEta = ws.MuEta;
        double[]? coefOld = null;
        if (start is null)
        {
            for (int i = 0; i < n; i++)
            {
                eta[i] = FamilyFunctions.Link(family, FamilyFunctions.StartMean(family, y[i], weights[i]));
                (mu[i], muEta[i]) = FamilyFunctions.Inverse(family, eta[i]);
            }
        }
        else
        {
            coefOld = (double[])start.Clone();
            LinearPredictor(x, start, eta);
            for (int i = 0; i < n; i++) (mu[i], muEta[i]) = FamilyFunctions.Inverse(family, eta[i]);
        }
        for (int i = 0; i < n; i++)
            if (!FamilyFunctions.ValidMean(family, mu[i]))
                throw new EstimationException("The model cannot find valid starting values (a fitted mean is outside the family's range).");
        var yFit = ws.Response;
        for (int i = 0; i < n; i++) yFit[i] = family == ModelFamily.Binomial && weights[i] == 0 ? 0 : y[i]; // R binomial initialize: y[weights == 0] <- 0
        double devOld = Deviance(family, yFit, mu, weights) + devianceOffset;

        var w2 = ws.WorkingWeights;
        var cross = new double[p * p];
        var right = new double[p];
        double[] coef = start is null ? new double[p] : (double[])start.Clone();
        Cholesky<double>? factor = null;
        double[] scaling = new double[p];
        bool converged = false;
        int iteration = 0;
        while (iteration < MaxIterations)
        {
            iteration++;
            Accumulate(x, yFit, weights, family, eta, mu, muEta, w2, cross, right, ws.Scratch);
            (coef, factor) = Solve(cross, right, p, scaling);
            LinearPredictor(x, coef, eta);
            for (int i = 0; i < n; i++) (mu[i], muEta[i]) = FamilyFunctions.Inverse(family, eta[i]);
            double dev = Deviance(family, yFit, mu, weights) + devianceOffset;
            if (!double.IsFinite(dev))
            {
                if (coefOld is null) throw new EstimationException("The model has no valid set of coefficients (the deviance is not finite at the first step).");
                for (int halving = 1; !double.IsFinite(dev); halving++)
                {
                    if (halving > MaxIterations) throw new EstimationException("The model fit diverged and step halving could not correct it.");
                    Halve(x, coef, coefOld, eta, mu, muEta, family);
                    dev = Deviance(family, yFit, mu, weights) + devianceOffset;
                }
            }
            if (!AllValid(family, mu))
            {
                if (coefOld is null) throw new EstimationException("The model has no valid set of coefficients (a fitted mean is out of range at the first step).");
                for (int halving = 1; !AllValid(family, mu); halving++)
                {
                    if (halving > MaxIterations) throw new EstimationException("The model fit left the family's range and step halving could not correct it.");
                    Halve(x, coef, coefOld, eta, mu, muEta, family);
                }
                dev = Deviance(family, yFit, mu, weights) + devianceOffset;
            }
            if (Math.Abs(dev - devOld) / (0.1 + Math.Abs(dev)) < Tolerance)
            {
                converged = true;
                break;
            }
            devOld = dev;
            coefOld = (double[])coef.Clone();
        }

        double[,] inverse = new double[0, 0];
        if (details)
        {
            // (XᵀWX)⁻¹ = D (D XᵀWX D)⁻¹ D from the last iteration's factor.
            var scaledInverse = factor!.Solve(Matrix<double>.Build.DenseIdentity(p));
            inverse = new double[p, p];
            for (int a = 0; a < p; a++)
                for (int b = 0; b < p; b++)
                    inverse[a, b] = scaling[a] * scaledInverse[a, b] * scaling[b];
        }
        return new GlmResult
        {
            Coefficients = coef,
            WorkingWeights = details ? (double[])w2.Clone() : [],
            Eta = details ? (double[])eta.Clone() : [],
            InverseCrossProduct = inverse,
            Iterations = iteration,
            Converged = converged,
        };
    }

    private static void Halve(double[][] x, double[] coef, double[] coefOld, double[] eta, double[] mu, double[] muEta, ModelFamily family)
    {
        for (int a = 0; a < coef.Length; a++) coef[a] = (coef[a] + coefOld[a]) / 2;
        LinearPredictor(x, coef, eta);
        for (int i = 0; i < eta.Length; i++) (mu[i], muEta[i]) = FamilyFunctions.Inverse(family, eta[i]);
    }

    private static bool AllValid(ModelFamily family, double[] mu)
    {
        if (family == ModelFamily.Gaussian) return true;
        foreach (var m in mu) if (!FamilyFunctions.ValidMean(family, m)) return false;
        return true;
    }

    /// <summary>Σ dev.resids(y, μ, wt) in row order, as R's <c>sum</c> (whose long-double accumulation this double sum only approximates; the deviance is used for the stopping rule only).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static double Deviance(ModelFamily family, double[] y, double[] mu, double[] weights)
    {
        double sum = 0;
        for (int i = 0; i < y.Length; i++) sum += FamilyFunctions.Deviance(family, y[i], mu[i], weights[i]);
        return sum;
    }

    /// <summary>η = Xβ (column by column).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static void LinearPredictor(double[][] x, double[] beta, double[] eta)
    {
        Array.Clear(eta);
        for (int a = 0; a < x.Length; a++)
        {
            double b = beta[a];
            var column = x[a];
            int i = 0;
            if (Simd.IsHardwareAccelerated)
            {
                var vb = new SimdVector(b);
                int width = SimdVector.Count;
                for (; i <= eta.Length - width; i += width)
                    (new SimdVector(eta, i) + vb * new SimdVector(column, i)).CopyTo(eta, i);
            }
            for (; i < eta.Length; i++) eta[i] += b * column[i];
        }
    }

    /// <summary>XᵀWX (lower triangle, row-major p×p) and XᵀWz with W = wt·μ'(η)²/V(μ) and z = η + (y − μ)/μ'(η), over rows with wt &gt; 0.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Accumulate(double[][] x, double[] y, double[] weights, ModelFamily family, double[] eta, double[] mu, double[] muEta,
        double[] w2, double[] cross, double[] right, double[][] scratch)
    {
        int p = x.Length, n = y.Length;
        Array.Clear(cross);
        Array.Clear(right);
        var wz = scratch[p];
        for (int start = 0; start < n; start += Block)
        {
            int length = Math.Min(Block, n - start);
            for (int j = 0; j < length; j++)
            {
                int i = start + j;
                double wt = weights[i], me = muEta[i];
                if (!(wt > 0) || me == 0)
                {
                    w2[i] = 0;
                    wz[j] = 0;
                    continue;
                }
                double variance = FamilyFunctions.Variance(family, mu[i]);
                if (variance == 0 || double.IsNaN(variance)) throw new EstimationException("The model's variance function is zero or undefined at a fitted mean (R: 0s in V(mu)).");
                double w = wt * me * me / variance;
                w2[i] = w;
                wz[j] = w * (eta[i] + (y[i] - mu[i]) / me);
            }
            for (int a = 0; a < p; a++)
            {
                var wx = scratch[a];
                var column = x[a];
                for (int j = 0; j < length; j++) wx[j] = w2[start + j] * column[start + j];
                right[a] += Dot(column.AsSpan(start, length), wz.AsSpan(0, length));
                for (int b = 0; b <= a; b++) cross[a * p + b] += Dot(wx.AsSpan(0, length), x[b].AsSpan(start, length));
            }
        }
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        int i = 0;
        double sum = 0;
        if (Simd.IsHardwareAccelerated && a.Length >= 2 * SimdVector.Count)
        {
            var acc0 = SimdVector.Zero;
            var acc1 = SimdVector.Zero;
            int width = SimdVector.Count;
            for (; i <= a.Length - 2 * width; i += 2 * width)
            {
                acc0 += new SimdVector(a[i..]) * new SimdVector(b[i..]);
                acc1 += new SimdVector(a[(i + width)..]) * new SimdVector(b[(i + width)..]);
            }
            sum = Simd.Sum(acc0 + acc1);
        }
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    private static (double[] Coefficients, Cholesky<double> Factor) Solve(double[] cross, double[] right, int p, double[] scaling)
    {
        for (int a = 0; a < p; a++)
        {
            double diagonal = cross[a * p + a];
            if (!(diagonal > 0)) throw new CollinearColumnException(a);
            scaling[a] = 1 / Math.Sqrt(diagonal);
        }
        var scaled = Matrix<double>.Build.Dense(p, p, (a, b) => a >= b ? cross[a * p + b] * scaling[a] * scaling[b] : cross[b * p + a] * scaling[a] * scaling[b]);
        Cholesky<double> factor;
        try
        {
            factor = scaled.Cholesky();
        }
        catch (ArgumentException)
        {
            throw new CollinearColumnException(FirstSmallPivot(scaled));
        }
        for (int a = 0; a < p; a++)
        {
            double pivot = factor.Factor[a, a];
            if (!(pivot * pivot >= CollinearShare)) throw new CollinearColumnException(a);
        }
        var rhs = MathNet.Numerics.LinearAlgebra.Vector<double>.Build.Dense(p, a => right[a] * scaling[a]);
        var solution = factor.Solve(rhs);
        var coef = new double[p];
        for (int a = 0; a < p; a++) coef[a] = solution[a] * scaling[a];
        return (coef, factor);
    }

    /// <summary>The first column whose pivot in an unpivoted Cholesky factorisation is (nearly) zero.</summary>
    private static int FirstSmallPivot(Matrix<double> s)
    {
        int p = s.RowCount;
        var l = new double[p, p];
        for (int j = 0; j < p; j++)
        {
            double d = s[j, j];
            for (int k = 0; k < j; k++) d -= l[j, k] * l[j, k];
            if (!(d >= CollinearShare)) return j;
            l[j, j] = Math.Sqrt(d);
            for (int i = j + 1; i < p; i++)
            {
                double v = s[i, j];
                for (int k = 0; k < j; k++) v -= l[i, k] * l[j, k];
                l[i, j] = v / l[j, j];
            }
        }
        return p - 1;
    }

    /// <summary>Buffers of one fit, reused across replicate fits on one thread.</summary>
    internal sealed class Workspace(int rows, int columns)
    {
        public double[] Eta { get; } = new double[rows];

        public double[] Mu { get; } = new double[rows];

        public double[] MuEta { get; } = new double[rows];

        public double[] Response { get; } = new double[rows];

        public double[] WorkingWeights { get; } = new double[rows];

        public double[] Weights { get; } = new double[rows];

        /// <summary>Blocks of w·x per column and of w·z (the last one).</summary>
        public double[][] Scratch { get; } = Enumerable.Range(0, columns + 1).Select(_ => new double[Block]).ToArray();
    }
}
