using ContributionIndex.Diagnostics;

namespace ContributionIndex.Estimation.Regression;

/// <summary>One coefficient of a design-based GLM (a row of R's <c>summary(svyglm(...))$coefficients</c>).</summary>
/// <param name="Term">The column name as R writes it: <c>(Intercept)</c>, <c>sexM</c>, <c>sexM:age30-54</c>, <c>meals</c>.</param>
/// <param name="Estimate">The coefficient β̂.</param>
/// <param name="StandardError">The design-based standard error √V(β̂)_jj.</param>
/// <param name="TValue">β̂ / SE.</param>
/// <param name="DegreesOfFreedom">The residual degrees of freedom: design df + 1 − number of coefficients (R <c>svyglm</c>'s <c>df.residual</c>).</param>
/// <param name="PValue">Two-sided p-value 2·P(T_df &gt; |t|); NaN when the degrees of freedom are not positive (as R).</param>
public sealed record ModelCoefficient(string Term, double Estimate, double StandardError, double TValue, double DegreesOfFreedom, double PValue);

/// <summary>A fitted design-based GLM: the coefficient table and the design-based covariance of the coefficients.</summary>
public sealed class ModelFit
{
    internal ModelFit(string formula, ModelFamily family, IReadOnlyList<ModelCoefficient> coefficients, double[,] covariance, int rows, int iterations)
    {
        Formula = formula;
        Family = family;
        Coefficients = coefficients;
        CovarianceMatrix = covariance;
        FittedRows = rows;
        Iterations = iterations;
    }

    /// <summary>The formula as given.</summary>
    public string Formula { get; }

    /// <summary>The family.</summary>
    public ModelFamily Family { get; }

    /// <summary>The coefficients in model-matrix order.</summary>
    public IReadOnlyList<ModelCoefficient> Coefficients { get; }

    internal double[,] CovarianceMatrix { get; }

    /// <summary>The design-based covariance of coefficients <paramref name="a"/> and <paramref name="b"/> (R <c>vcov(fit)</c>).</summary>
    public double Covariance(int a, int b) => CovarianceMatrix[a, b];

    /// <summary>The number of sample rows in the fit (in the subset, with no missing model variable).</summary>
    public int FittedRows { get; }

    /// <summary>IRLS iterations of the full-sample fit.</summary>
    public int Iterations { get; }

    /// <summary>The covariate patterns the replicates were fitted to (<see cref="CovariatePatterns"/>), 0 when they were fitted to the rows.</summary>
    internal int ReplicatePatterns { get; init; }
}

/// <summary>Design-based generalised linear models (R <c>svyglm</c>, survey 4.1-1) on Taylor and replicate designs.</summary>
/// <remarks>
/// Point estimates: the GLM fitted by <see cref="GlmFit"/> with prior weights w_i / mean(w) over the subset's rows (R
/// <c>rescale = TRUE</c>; the scale does not change β̂ but enters R's starting values and stopping rule, so it is kept).
/// Rows outside the subset (<c>--where</c>, R <c>subset =</c>) or with a missing model variable leave the fit and the design
/// (R drops them: <c>design[subset, ]</c>, <c>design[-nas, ]</c>).
/// Taylor variance (R <c>svy.varcoef</c>): the estimating-function totals U_i = x_i · r_i · w̃_i (working residual r, working
/// weight w̃ of the last iteration) times A⁻¹ = (XᵀW̃X)⁻¹, summed by PSU and passed to the with-replacement stratified
/// formula of <see cref="TaylorDesign"/> with the whole design's PSU counts and fpc (R <c>svyrecvar</c> on the subset).
/// Replicate variance (R <c>svyglm.svyrep.design</c>): β̂_r refitted with the replicate weights of the fitted rows, normalised
/// to sum 1, starting from β̂; V = scale Σ_r rscale_r (β̂_r − β̄)(β̂_r − β̄)ᵀ (β̄ = β̂ with mse).
/// Degrees of freedom: R's <c>degf(design) + 1 − p</c>; degf is, for Taylor, PSUs minus strata among the fitted rows with
/// non-zero weight, and for replicates the design's (or, with a subset, the rank of the subset's replicate weights − 1).
/// </remarks>
internal static class SurveyGlm
{
    /// <summary>Fits the model on the design (<paramref name="groupPatterns"/> false fits every replicate to the rows, as a check of the grouped fit).</summary>
    /// <param name="design">The design.</param>
    /// <param name="formula">The formula.</param>
    /// <param name="variables">The model's columns.</param>
    /// <param name="family">The family.</param>
    /// <param name="include">The subset's rows, or null for all.</param>
    /// <param name="groupPatterns">Fit the replicates to covariate-pattern sums when the patterns are few (<see cref="CovariatePatterns"/>).</param>
    public static ModelFit Fit(SurveyDesign design, ModelFormula formula, IReadOnlyDictionary<string, ModelVariable> variables, ModelFamily family, IReadOnlyList<bool>? include,
        bool groupPatterns = true)
    {
        ArgumentNullException.ThrowIfNull(design);
        int n = design.RowCount;
        var w = design.SamplingWeights;
        if (design is TaylorDesign { IsCalibrated: true })
            throw new EstimationException(FailureKind.Usage, "A model on a calibrated design is not supported; fit it on the design before calibration.");

        // The subset's rows set the weight scale (R rescales before dropping missing values); the fitted rows also need every model variable.
        double subsetWeight = 0;
        int subsetRows = 0;
        var fitted = new List<int>(n);
        var modelVariables = formula.Predictors.Append(formula.Response).Select(v => variables[v]).ToArray();
        for (int i = 0; i < n; i++)
        {
            if (include is not null && !include[i]) continue;
            subsetWeight += w[i];
            subsetRows++;
            if (modelVariables.All(v => !v.IsMissing(i))) fitted.Add(i);
        }
        if (fitted.Count == 0) throw new EstimationException(FailureKind.Data, "No row has every model variable (and matches --where); nothing to fit.");
        var rows = fitted.ToArray();
        var matrix = ModelMatrix.Build(formula, variables, rows, family);
        int p = matrix.Columns.Length;
        double meanWeight = subsetWeight / subsetRows;
        var prior = rows.Select(i => w[i] / meanWeight).ToArray();

        GlmResult full;
        try
        {
            full = GlmFit.Fit(matrix.Columns, matrix.Response, prior, family, start: null, details: true);
        }
        catch (CollinearColumnException e)
        {
            throw Collinear(matrix, e.Column);
        }
        if (!full.Converged)
            throw new EstimationException(FailureKind.Data, FormattableString.Invariant($"The model did not converge in {GlmFit.MaxIterations} iterations (perfect separation or a very rare outcome in some cell?); simplify the model."));

        double[,] covariance;
        double designDf;
        int patternCount = 0;
        switch (design)
        {
            case TaylorDesign taylor:
                covariance = TaylorCovariance(taylor, matrix, full, rows, family);
                designDf = TaylorDegreesOfFreedom(taylor, rows);
                break;
            case ReplicateDesign replicate:
                covariance = ReplicateCovariance(replicate, matrix, full, rows, family, groupPatterns, out patternCount);
                designDf = include is null ? replicate.DegreesOfFreedom : SubsetRank(replicate, include) - 1;
                break;
            default:
                throw new ArgumentException("Unknown design type.", nameof(design));
        }

        double df = designDf + 1 - p;
        var coefficients = new ModelCoefficient[p];
        for (int a = 0; a < p; a++)
        {
            double estimate = full.Coefficients[a], se = Math.Sqrt(covariance[a, a]), t = estimate / se;
            coefficients[a] = new ModelCoefficient(matrix.Names[a], estimate, se, t, df, TwoSidedP(t, df));
        }
        return new ModelFit(formula.Text, family, coefficients, covariance, rows.Length, full.Iterations) { ReplicatePatterns = patternCount };
    }

    /// <summary>2·P(T_df &gt; |t|) = I_{df/(df+t²)}(df/2, 1/2), the regularised incomplete beta (R <c>2 * pt(-abs(t), df)</c>).</summary>
    internal static double TwoSidedP(double t, double df)
    {
        if (!(df > 0) || double.IsNaN(t)) return double.NaN;
        if (double.IsInfinity(t)) return 0;
        return MathNet.Numerics.SpecialFunctions.BetaRegularized(df / 2, 0.5, df / (df + t * t));
    }

    private static EstimationException Collinear(ModelMatrix matrix, int column) =>
        new(FailureKind.Data, $"The model column '{Diagnostics.MessageText.Excerpt(matrix.Names[column])}' is a linear combination of the columns before it among the rows fitted (R would report its coefficient as NA); drop the term or merge levels.");

    private static double[,] TaylorCovariance(TaylorDesign design, ModelMatrix matrix, GlmResult full, int[] rows, ModelFamily family)
    {
        int p = matrix.Columns.Length, m = rows.Length;
        var ainv = full.InverseCrossProduct;
        // U_i = (x_i r_i w̃_i)ᵀ A⁻¹, summed by unit — the PSU, or the SSU of a two-stage design (R: estfun %*% Ainv, then svyrecvar).
        var unitTotals = new double[p][];
        for (int a = 0; a < p; a++) unitTotals[a] = new double[design.UnitCount];
        var present = new bool[design.UnitCount];
        var rowUnit = design.RowUnit;
        var estimating = new double[p];
        for (int j = 0; j < m; j++)
        {
            int i = rows[j];
            int unit = rowUnit[i];
            present[unit] = true;
            var (mu, muEta) = FamilyFunctions.Inverse(family, full.Eta[j]);
            double score = (matrix.Response[j] - mu) / muEta * full.WorkingWeights[j];
            if (score == 0) continue;
            for (int a = 0; a < p; a++) estimating[a] = matrix.Columns[a][j] * score;
            for (int b = 0; b < p; b++)
            {
                double u = 0;
                for (int a = 0; a < p; a++) u += estimating[a] * ainv[a, b];
                unitTotals[b][unit] += u;
            }
        }
        var covariance = new double[p, p];
        for (int a = 0; a < p; a++)
            for (int b = 0; b <= a; b++)
                covariance[a, b] = covariance[b, a] = design.Covariance(unitTotals[a], unitTotals[b], present);
        return covariance;
    }

    private static double TaylorDegreesOfFreedom(TaylorDesign design, int[] rows)
    {
        var psus = new HashSet<int>();
        var strata = new HashSet<int>();
        foreach (var i in rows)
        {
            if (design.SamplingWeights[i] == 0) continue;
            psus.Add(design.RowPsu[i]);
            strata.Add(design.RowStratum[i]);
        }
        return psus.Count - strata.Count;
    }

    private static int SubsetRank(ReplicateDesign design, IReadOnlyList<bool> include)
    {
        var keep = Enumerable.Range(0, design.RowCount).Where(i => include[i]).ToArray();
        var columns = design.ReplicateWeightColumns.Select(c => keep.Select(i => c[i]).ToArray()).ToArray();
        return ReplicateRank.Of(columns);
    }

    private static double[,] ReplicateCovariance(ReplicateDesign design, ModelMatrix matrix, GlmResult full, int[] rows, ModelFamily family, bool groupPatterns, out int patternCount)
    {
        int p = matrix.Columns.Length, m = rows.Length, r = design.ReplicateCount;
        var replicateColumns = design.ReplicateWeightColumns;
        var betas = new double[r][];
        var start = full.Coefficients;
        // Few covariate patterns: each replicate is fitted to its per-pattern sums (CovariatePatterns), not to the rows.
        var patterns = groupPatterns ? CovariatePatterns.Find(matrix.Columns, m / 2) : null;
        patternCount = patterns?.Count ?? 0;
        var saturated = patterns is null ? [] : matrix.Response.Select(v => FamilyFunctions.SaturatedTerm(family, v)).ToArray();
        // Replicates are independent fits: one workspace per thread, warm-started at β̂ (R glm.fit(start = beta0)).
        try
        {
        Parallel.For(0, r, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            () => patterns is null
                ? (Rows: (GlmFit.Workspace?)new GlmFit.Workspace(m, p), Patterns: (GlmFit.Workspace?)null, Means: (double[]?)null)
                : (Rows: (GlmFit.Workspace?)null, Patterns: (GlmFit.Workspace?)new GlmFit.Workspace(patterns.Count, p), Means: (double[]?)new double[patterns.Count]),
            (rep, _, workspaces) =>
            {
                var column = replicateColumns[rep];
                try
                {
                    if (patterns is null)
                    {
                        var workspace = workspaces.Rows!;
                        var weights = workspace.Weights;
                        double sum = 0;
                        for (int j = 0; j < m; j++) sum += column[rows[j]];
                        for (int j = 0; j < m; j++) weights[j] = column[rows[j]] / sum;
                        betas[rep] = GlmFit.Fit(matrix.Columns, matrix.Response, weights, family, start, details: false, workspace).Coefficients;
                    }
                    else
                    {
                        var (grouped, means) = (workspaces.Patterns!, workspaces.Means!);
                        double offset = patterns.Sums(column, rows, matrix.Response, saturated, family, grouped.Weights, means);
                        betas[rep] = GlmFit.Fit(patterns.Columns, means, grouped.Weights, family, start, details: false, grouped, offset).Coefficients;
                    }
                }
                catch (CollinearColumnException e)
                {
                    throw new EstimationException(FailureKind.Data, FormattableString.Invariant(
                        $"Replicate {rep + 1} cannot fit the model: the column '{Diagnostics.MessageText.Excerpt(matrix.Names[e.Column])}' has no information in that replicate's rows; drop the term or merge levels."));
                }
                return workspaces;
            },
            _ => { });
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault() is EstimationException inner)
        {
            throw inner;
        }

        var covariance = new double[p, p];
        var a1 = new double[r];
        var b1 = new double[r];
        for (int a = 0; a < p; a++)
        {
            for (int k = 0; k < r; k++) a1[k] = betas[k][a];
            for (int b = 0; b <= a; b++)
            {
                for (int k = 0; k < r; k++) b1[k] = betas[k][b];
                covariance[a, b] = covariance[b, a] = ReplicateVariance.Covariance(start[a], a1, start[b], b1, design.Scale, design.RScalesArray, design.Mse);
            }
        }
        return covariance;
    }
}
