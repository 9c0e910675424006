using ContributionIndex.Diagnostics;
using MathNet.Numerics.LinearAlgebra;

namespace ContributionIndex.Estimation;

/// <summary>The distance function of a calibration (R <c>calibrate(calfun = ...)</c>).</summary>
public enum CalibrationFunction
{
    /// <summary>Linear (GREG): g = 1 + xᵀλ, solved in closed form (R <c>regcalibrate</c>).</summary>
    Linear,

    /// <summary>Raking (multiplicative): g = exp(xᵀλ), solved by Newton steps (R <c>grake</c> with <c>cal.raking</c>).</summary>
    Raking,

    /// <summary>Logit (bounded): g between the bounds L and U on a logistic curve in xᵀλ (R <c>cal.logit</c>); needs finite bounds L &lt; 1 &lt; U.</summary>
    Logit,
}

/// <summary>The auxiliary variables of a calibration: an intercept, factors in treatment coding and numeric columns (R <c>model.matrix</c>).</summary>
public sealed class CalibrationModel
{
    private readonly List<double[]> columns = [];
    private readonly List<string> names = [];

    private CalibrationModel(int rowCount) => RowCount = rowCount;

    /// <summary>The number of sample rows.</summary>
    public int RowCount { get; }

    /// <summary>Column names as R's <c>model.matrix</c> writes them: <c>(Intercept)</c>, <c>stypeH</c>, <c>api99</c>.</summary>
    public IReadOnlyList<string> ColumnNames => names;

    internal IReadOnlyList<double[]> Columns => columns;

    /// <summary>Starts a model with an intercept column (the population size is then the first total).</summary>
    public static CalibrationModel WithIntercept(int rowCount)
    {
        var model = new CalibrationModel(rowCount);
        model.Add("(Intercept)", Enumerable.Repeat(1.0, rowCount).ToArray());
        return model;
    }

    /// <summary>Starts a model without an intercept (a block-diagonal model whose blocks carry their own intercepts).</summary>
    internal static CalibrationModel WithoutIntercept(int rowCount) => new(rowCount);

    /// <summary>Adds a factor in treatment coding: one indicator per level except the first (levels sorted ordinally, as R's factor levels for ASCII labels).</summary>
    public CalibrationModel AddFactor(string name, IReadOnlyList<string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckLength(name, values.Count);
        var levels = values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        foreach (var level in levels.Skip(1))
            Add(name + level, values.Select(v => string.Equals(v, level, StringComparison.Ordinal) ? 1.0 : 0.0).ToArray());
        return this;
    }

    /// <summary>Adds a numeric auxiliary variable.</summary>
    public CalibrationModel AddNumeric(string name, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckLength(name, values.Count);
        foreach (var v in values)
            if (!double.IsFinite(v)) throw new EstimationException($"The calibration variable '{name}' has a missing or non-finite value; calibration needs every auxiliary value.");
        Add(name, values.ToArray());
        return this;
    }

    private void CheckLength(string name, int count)
    {
        if (count != RowCount)
            throw new EstimationException(FormattableString.Invariant($"The calibration variable '{name}' has {count} values but the sample has {RowCount} rows."));
    }

    private void Add(string name, double[] column)
    {
        names.Add(name);
        columns.Add(column);
    }
}

/// <summary>What a Taylor design keeps of its calibration so that variances use calibration residuals (R <c>greg_calibration</c> in <c>postStrata</c>).</summary>
/// <remarks>
/// Influence values z_i = w*_i u_i are replaced by w*_i (u_i − x_iᵀβ̂), β̂ = A⁻¹ Σ w⁰_i x_i u_i with A = Σ w⁰ x xᵀ and w⁰ the
/// weights before calibration; this is R's <c>qr.resid</c> on <c>mm·√w⁰</c> for calibrate and its post-stratum mean
/// subtraction for postStratify.
/// </remarks>
internal sealed record CalibrationResiduals(IReadOnlyList<double[]> Columns, double[] PreviousWeights, double[,] InverseCrossProduct);

/// <summary>Post-stratification, raking and linear calibration to population totals, for Taylor and replicate designs (R <c>postStratify</c>, <c>calibrate</c>).</summary>
/// <remarks>
/// Taylor designs keep the auxiliary matrix so that variances are computed from calibration residuals; replicate designs
/// calibrate every replicate column to the same totals. A Taylor design can be calibrated once (R allows chains).
/// </remarks>
public static class Calibration
{
    /// <summary>Post-stratifies: w*_i = w_i · N_g / N̂_g in each cell g (R <c>postStratify</c>).</summary>
    /// <param name="design">The design.</param>
    /// <param name="cell">The post-stratum of each row.</param>
    /// <param name="populationCounts">The population size of each post-stratum.</param>
    /// <exception cref="EstimationException">A sampled cell has no population count, or a population cell has no sample (R stops likewise).</exception>
    public static SurveyDesign PostStratify(SurveyDesign design, IReadOnlyList<string> cell, IReadOnlyDictionary<string, double> populationCounts)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(cell);
        ArgumentNullException.ThrowIfNull(populationCounts);
        if (cell.Count != design.RowCount)
            throw new EstimationException(FormattableString.Invariant($"The post-stratum column has {cell.Count} values but the design has {design.RowCount} rows."));
        var levels = cell.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        foreach (var level in levels)
            if (!populationCounts.ContainsKey(level))
                throw new EstimationException($"Post-stratum '{level}' is in the sample but has no population count; add it to the population table.");
        foreach (var (level, count) in populationCounts)
            if (count != 0 && !levels.Contains(level, StringComparer.Ordinal))
                throw new EstimationException($"Post-stratum '{level}' has a population count but no sample rows; merge it with a neighbour (R: \"Some strata absent from sample\").");
        var index = cell.Select(c => Array.IndexOf(levels, c)).ToArray();
        var targets = levels.Select(l => populationCounts[l]).ToArray();

        double[] Rescale(double[] weights)
        {
            var sums = new double[levels.Length];
            for (int i = 0; i < weights.Length; i++) sums[index[i]] += weights[i];
            var result = new double[weights.Length];
            for (int i = 0; i < weights.Length; i++) result[i] = weights[i] * (targets[index[i]] / sums[index[i]]);
            return result;
        }

        var indicators = levels.Select(l => cell.Select(c => string.Equals(c, l, StringComparison.Ordinal) ? 1.0 : 0.0).ToArray()).ToArray();
        return design switch
        {
            TaylorDesign taylor => taylor.WithCalibration(Rescale(taylor.SamplingWeights), Residuals(indicators, taylor.SamplingWeights)),
            ReplicateDesign replicate => ReplicateDesign.FromParts(Rescale(replicate.SamplingWeights),
                replicate.ReplicateWeightColumns.Select(Rescale).ToArray(), replicate.Method, replicate.Scale, replicate.RScalesArray, replicate.Mse),
            _ => throw new ArgumentException("Unknown design type.", nameof(design)),
        };
    }

    /// <summary>
    /// What is wrong with a distance function, bounds and trimming taken together, or null when they can be used: the one
    /// check of quick mode's <c>--calfun/--bounds/--trim</c> and of the study file's <c>estimation.calibration</c>.
    /// </summary>
    internal static string? ProblemWith(CalibrationFunction function, (double Lower, double Upper)? bounds, (double Lower, double Upper)? trim)
    {
        var (lower, upper) = bounds ?? (double.NegativeInfinity, double.PositiveInfinity);
        if (!(lower < 1 && upper > 1))
            return FormattableString.Invariant($"The calibration bounds {lower},{upper} must enclose 1 (L < 1 < U), e.g. 0.5,2.");
        if (function == CalibrationFunction.Logit && !(double.IsFinite(lower) && double.IsFinite(upper)))
            return "Logit calibration needs finite bounds L < 1 < U, e.g. --bounds 0.5,2 or bounds: [0.5, 2] (R: logit calibration requires finite bounds).";
        if (trim is { } t && !(t.Lower <= t.Upper))
            return FormattableString.Invariant($"The trimming bounds {t.Lower},{t.Upper} must satisfy L ≤ U.");
        return null;
    }

    /// <summary>Calibrates the weights so that Σ w* x = <paramref name="populationTotals"/> (R <c>calibrate(design, formula, population, calfun)</c>).</summary>
    /// <param name="design">The design.</param>
    /// <param name="model">The auxiliary variables.</param>
    /// <param name="populationTotals">The population totals, in the order of <see cref="CalibrationModel.ColumnNames"/>.</param>
    /// <param name="function">Linear (GREG) or raking.</param>
    /// <param name="maxIterations">Newton iterations allowed for raking (R <c>maxit</c>, 50).</param>
    /// <param name="epsilon">Convergence: every |misfit|/(1 + |total|) below this (R <c>epsilon</c>, 1e-7).</param>
    /// <param name="bounds">Bounds (L, U) on the g-weights w*/w (R <c>bounds</c>), or null for none; required for logit.</param>
    /// <param name="trim">Trimming of the g-weights to [L, U] after calibration, the trimmed excess spread over the untrimmed rows in proportion to their weights (R <c>calibrate(trim = )</c>), or null.</param>
    /// <exception cref="EstimationException">The totals do not match the model, the bounds are unusable, or the iteration does not converge (without trimming).</exception>
    public static SurveyDesign Calibrate(SurveyDesign design, CalibrationModel model, IReadOnlyList<double> populationTotals,
        CalibrationFunction function = CalibrationFunction.Linear, int maxIterations = 50, double epsilon = 1e-7,
        (double Lower, double Upper)? bounds = null, (double Lower, double Upper)? trim = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(populationTotals);
        if (model.RowCount != design.RowCount)
            throw new EstimationException(FormattableString.Invariant($"The calibration model has {model.RowCount} rows but the design has {design.RowCount}."));
        if (populationTotals.Count != model.Columns.Count)
            throw new EstimationException(FormattableString.Invariant($"{populationTotals.Count} population totals were given for {model.Columns.Count} calibration columns ({string.Join(", ", model.ColumnNames)})."));
        var columns = model.Columns;
        var totals = populationTotals.ToArray();
        if (ProblemWith(function, bounds, trim) is { } problem) throw new EstimationException(FailureKind.Usage, problem);
        var (lower, upper) = bounds ?? (double.NegativeInfinity, double.PositiveInfinity);
        // R calibrate(): unbounded linear calibration is regcalibrate's closed form; everything else is grake's Newton iteration.
        bool closedForm = function == CalibrationFunction.Linear && bounds is null;

        // R stops when the full-sample calibration fails (unless trimming follows); a replicate that fails only warns and is used.
        double[] Calibrated(double[] weights, bool fullSample)
        {
            double[] g;
            if (closedForm)
            {
                g = LinearG(columns, weights, totals);
            }
            else
            {
                g = Grake(columns, weights, totals, function, lower, upper, maxIterations, epsilon, out var misfit);
                if (misfit is { } achieved && trim is null && fullSample)
                    throw new EstimationException(FormattableString.Invariant(
                        $"Calibration did not converge in {maxIterations} iterations (largest relative misfit {achieved:G3}); check that the population margins are consistent with each other and with the sample, or widen the bounds."));
            }
            if (trim is { } limits) TrimG(g, weights, limits.Lower, limits.Upper);
            var result = new double[weights.Length];
            for (int i = 0; i < weights.Length; i++) result[i] = weights[i] * g[i];
            return result;
        }

        switch (design)
        {
            case TaylorDesign taylor:
                return taylor.WithCalibration(Calibrated(taylor.SamplingWeights, true), Residuals(columns, taylor.SamplingWeights));
            case ReplicateDesign replicate:
                var full = Calibrated(replicate.SamplingWeights, true);
                var reps = replicate.ReplicateWeightColumns.Select(w => Calibrated(w, false)).ToArray();
                // R: regcalibrate.svyrep.design recomputes degf; calibrate.svyrep.design (grake) keeps it.
                return closedForm
                    ? ReplicateDesign.FromParts(full, reps, replicate.Method, replicate.Scale, replicate.RScalesArray, replicate.Mse)
                    : ReplicateDesign.FromParts(full, reps, replicate.Method, replicate.Scale, replicate.RScalesArray, replicate.Mse, replicate.DegreesOfFreedom);
            default:
                throw new ArgumentException("Unknown design type.", nameof(design));
        }
    }

    private static CalibrationResiduals Residuals(IReadOnlyList<double[]> columns, double[] previousWeights)
    {
        var inverse = CrossProduct(columns, previousWeights, null).Inverse();
        return new CalibrationResiduals(columns, previousWeights, inverse.ToArray());
    }

    private static Matrix<double> CrossProduct(IReadOnlyList<double[]> columns, double[] weights, double[]? derivative)
    {
        int p = columns.Count;
        var t = Matrix<double>.Build.Dense(p, p);
        for (int a = 0; a < p; a++)
            for (int b = a; b < p; b++)
            {
                double s = 0;
                var ca = columns[a];
                var cb = columns[b];
                for (int i = 0; i < weights.Length; i++) s += weights[i] * (derivative?[i] ?? 1.0) * ca[i] * cb[i];
                t[a, b] = s;
                t[b, a] = s;
            }
        return t;
    }

    private static double[] Totals(IReadOnlyList<double[]> columns, double[] weights)
    {
        var result = new double[columns.Count];
        for (int j = 0; j < columns.Count; j++)
        {
            double s = 0;
            var c = columns[j];
            for (int i = 0; i < weights.Length; i++) s += c[i] * weights[i];
            result[j] = s;
        }
        return result;
    }

    /// <summary>R <c>regcalibrate</c>: g = 1 + X (XᵀWX)⁻¹ (T − X̂).</summary>
    private static double[] LinearG(IReadOnlyList<double[]> columns, double[] weights, double[] totals)
    {
        var sample = Totals(columns, weights);
        var rhs = Vector<double>.Build.Dense(totals.Length, j => totals[j] - sample[j]);
        var lambda = CrossProduct(columns, weights, null).Solve(rhs);
        var g = new double[weights.Length];
        for (int i = 0; i < g.Length; i++)
        {
            double s = 0;
            for (int j = 0; j < columns.Count; j++) s += columns[j][i] * lambda[j];
            g[i] = 1 + s;
        }
        return g;
    }

    /// <summary>R <c>calibrate(trim = c(L, U))</c>: g clipped to [L, U], the clipped excess Σ (g − g')w spread over the rows inside in proportion to w.</summary>
    private static void TrimG(double[] g, double[] weights, double lower, double upper)
    {
        double trimmings = 0, insideWeight = 0;
        var outside = new bool[g.Length];
        for (int i = 0; i < g.Length; i++)
        {
            outside[i] = g[i] < lower || g[i] > upper;
            if (outside[i])
            {
                double clipped = Math.Max(lower, Math.Min(g[i], upper));
                trimmings += (g[i] - clipped) * weights[i];
                g[i] = clipped;
            }
            else
            {
                insideWeight += weights[i];
            }
        }
        if (!outside.Any(o => o)) return;
        double add = trimmings / insideWeight;
        for (int i = 0; i < g.Length; i++)
            if (!outside[i]) g[i] += add;
    }

    /// <summary>R <c>cal.linear</c>, <c>cal.raking</c>, <c>cal.logit</c>: F⁻¹(u) − 1 and its derivative dF(u) with bounds (L, U).</summary>
    private static (double Fm1, double Derivative) Distance(CalibrationFunction function, double u, double lower, double upper)
    {
        switch (function)
        {
            case CalibrationFunction.Linear:
                return (Math.Min(Math.Max(u + 1, lower), upper) - 1, u < upper - 1 && u > lower - 1 ? 1 : 0);
            case CalibrationFunction.Raking:
            {
                double e = Math.Exp(u);
                // R compares u (not exp(u)) with the bounds minus 1 in dF; kept as R has it.
                return (Math.Min(Math.Max(e, lower), upper) - 1, u < upper - 1 && u > lower - 1 ? e : 0);
            }
            default:
            {
                double a = (upper - lower) / ((upper - 1) * (1 - lower));
                double eAu = Math.Exp(a * u);
                double denominator = upper - 1 + (1 - lower) * eAu;
                double numerator = lower * (upper - 1) + upper * (1 - lower) * eAu;
                double fm1 = numerator / denominator - 1;
                double derivative = upper * (1 - lower) * eAu * a / denominator - numerator * ((1 - lower) * eAu * a) / (denominator * denominator);
                return (fm1, derivative);
            }
        }
    }

    /// <summary>R <c>grake</c>: Newton steps on λ from 0 with the generalised inverse of Σ w dF xxᵀ, step halving while g is not finite, and R's stopping rule.</summary>
    /// <param name="columns">The auxiliary columns.</param>
    /// <param name="originalWeights">The weights before calibration.</param>
    /// <param name="totals">The population totals.</param>
    /// <param name="function">The distance function.</param>
    /// <param name="lower">Lower bound L of g (−∞ for none).</param>
    /// <param name="upper">Upper bound U of g (+∞ for none).</param>
    /// <param name="maxIterations">R <c>maxit</c>.</param>
    /// <param name="epsilon">R <c>epsilon</c>.</param>
    /// <param name="failedMisfit">The largest relative misfit when the iteration did not converge (R's <c>attr(g, "failed")</c>), else null.</param>
    private static double[] Grake(IReadOnlyList<double[]> columns, double[] originalWeights, double[] totals, CalibrationFunction function,
        double lower, double upper, int maxIterations, double epsilon, out double? failedMisfit)
    {
        int n = originalWeights.Length, p = columns.Count;
        var weights = originalWeights;
        var sample = Totals(columns, weights);
        failedMisfit = null;
        // R: when every population total is more than 20 times the sample total, weights are rescaled first.
        double scale = 1;
        bool rescaled = false;
        if (Enumerable.Range(0, p).Min(j => totals[j] / sample[j]) > 20)
        {
            scale = Enumerable.Range(0, p).Average(j => totals[j] / sample[j]);
            weights = weights.Select(w => w * scale).ToArray();
            sample = sample.Select(s => s * scale).ToArray();
            rescaled = true;
        }
        var eta = new double[p];
        var fm1 = new double[n];
        var g = new double[n];
        var derivative = new double[n];
        void Update()
        {
            for (int i = 0; i < n; i++)
            {
                double s = 0;
                for (int j = 0; j < p; j++) s += columns[j][i] * eta[j];
                (fm1[i], derivative[i]) = Distance(function, s, lower, upper);
                g[i] = 1 + fm1[i];
            }
        }
        double[] Misfit()
        {
            var m = new double[p];
            for (int j = 0; j < p; j++)
            {
                double s = 0;
                var c = columns[j];
                for (int i = 0; i < n; i++) s += c[i] * weights[i] * fm1[i];
                m[j] = totals[j] - sample[j] - s;
            }
            return m;
        }
        bool NotFinite()
        {
            for (int i = 0; i < n; i++)
                if (!double.IsFinite(g[i]) || !double.IsFinite(derivative[i])) return true;
            return false;
        }
        Update();
        int iteration = 1;
        while (true)
        {
            var t = CrossProduct(columns, weights, derivative);
            var misfit = Misfit();
            var step = t.PseudoInverse() * Vector<double>.Build.Dense(misfit);
            for (int j = 0; j < p; j++) eta[j] += step[j];
            Update();
            while (iteration < maxIterations && NotFinite())
            {
                iteration++;
                for (int j = 0; j < p; j++)
                {
                    step[j] /= 2;
                    eta[j] -= step[j];
                }
                Update();
            }
            misfit = Misfit();
            if (Enumerable.Range(0, p).All(j => Math.Abs(misfit[j]) / (1 + Math.Abs(totals[j])) < epsilon)) break;
            iteration++;
            if (iteration > maxIterations)
            {
                failedMisfit = Enumerable.Range(0, p).Max(j => Math.Abs(misfit[j]) / (1 + Math.Abs(totals[j])));
                break;
            }
        }
        if (rescaled)
            for (int i = 0; i < n; i++) g[i] *= scale;
        return g;
    }
}
