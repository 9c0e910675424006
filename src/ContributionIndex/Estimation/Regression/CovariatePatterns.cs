namespace ContributionIndex.Estimation.Regression;

/// <summary>
/// The distinct rows of a model matrix (covariate patterns) and the pattern of each fitted row, for fitting a GLM to the
/// per-pattern sums of its weights instead of to its rows (methodology/estimation.md §Models, "Replicate fits on covariate
/// patterns").
/// </summary>
/// <remarks>
/// A GLM's score and information depend on the data only through Σw and Σw·y per pattern, since η, μ, μ'(η) and V(μ) are
/// the same for every row of a pattern: Σ_i w_i x_i (y_i − μ_g)·μ'/V = Σ_g x_g (S_g − W_g μ_g)·μ'/V with W_g = Σ w, S_g = Σ w·y.
/// Fitting the patterns as rows with weight W_g and response ȳ_g = S_g/W_g gives the same IRLS steps up to summation
/// order. The deviance, which the stopping rule reads, differs by a constant: for the three families
/// dev(y, μ, w) = 2w·h(y) − 2w·(y·θ(μ) − b(μ)) is linear in y apart from h(y), so
/// Σ_i dev(y_i, μ_g, w_i) = Σ_g dev(ȳ_g, μ_g, W_g) + 2(Σ_i w_i h(y_i) − Σ_g W_g h(ȳ_g)), the last term free of μ
/// (returned by <see cref="Sums"/>; for the Gaussian family it is the within-pattern Σ w (y − ȳ)²).
/// </remarks>
internal sealed class CovariatePatterns
{
    private CovariatePatterns(int[] patternOfRow, double[][] columns)
    {
        PatternOfRow = patternOfRow;
        Columns = columns;
    }

    /// <summary>The pattern of each row of the model matrix.</summary>
    public int[] PatternOfRow { get; }

    /// <summary>The model matrix of the patterns: one array per column, one value per pattern (in order of first appearance).</summary>
    public double[][] Columns { get; }

    public int Count => Columns[0].Length;

    /// <summary>The patterns of <paramref name="columns"/>, or null when there are more than <paramref name="maxPatterns"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static CovariatePatterns? Find(double[][] columns, int maxPatterns)
    {
        int p = columns.Length, n = columns[0].Length;
        var patternOfRow = new int[n];
        var firstRow = new List<int>();
        var index = new Dictionary<int, int>(new RowComparer(columns));
        for (int j = 0; j < n; j++)
        {
            if (!index.TryGetValue(j, out int pattern))
            {
                pattern = firstRow.Count;
                if (pattern >= maxPatterns) return null;
                index.Add(j, pattern);
                firstRow.Add(j);
            }
            patternOfRow[j] = pattern;
        }
        var patternColumns = new double[p][];
        for (int a = 0; a < p; a++) patternColumns[a] = firstRow.Select(j => columns[a][j]).ToArray();
        return new CovariatePatterns(patternOfRow, patternColumns);
    }

    /// <summary>
    /// One replicate's weights w_j = column[rows[j]] / Σ_j column[rows[j]] summed per pattern (W_g), ȳ_g = Σ w·y / W_g
    /// (0 for a pattern without weight), and the deviance offset 2(Σ_j w_j h(y_j) − Σ_g W_g h(ȳ_g)) (Gaussian:
    /// Σ_j w_j (y_j − ȳ_g)²), in one pass over the rows (two for the Gaussian family).
    /// </summary>
    /// <param name="column">The replicate's weight of every sample row.</param>
    /// <param name="rows">The sample row of each fitted row.</param>
    /// <param name="y">The response of each fitted row.</param>
    /// <param name="saturated">h(y) of each fitted row (<see cref="FamilyFunctions.SaturatedTerm"/>).</param>
    /// <param name="family">The family.</param>
    /// <param name="weights">Receives W_g.</param>
    /// <param name="means">Receives ȳ_g.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public double Sums(double[] column, int[] rows, double[] y, double[] saturated, ModelFamily family, double[] weights, double[] means)
    {
        Array.Clear(weights);
        Array.Clear(means);
        var pattern = PatternOfRow;
        double total = 0, rowsTerm = 0;
        for (int j = 0; j < pattern.Length; j++)
        {
            double v = column[rows[j]];
            total += v;
            weights[pattern[j]] += v;
            means[pattern[j]] += v * y[j];
            rowsTerm += v * saturated[j];
        }
        for (int g = 0; g < weights.Length; g++)
        {
            means[g] = weights[g] > 0 ? means[g] / weights[g] : 0;
            weights[g] /= total;
        }
        if (family == ModelFamily.Gaussian)
        {
            double within = 0;
            for (int j = 0; j < pattern.Length; j++)
            {
                double r = y[j] - means[pattern[j]];
                within += column[rows[j]] * r * r;
            }
            return within / total;
        }
        double patternsTerm = 0;
        for (int g = 0; g < weights.Length; g++) patternsTerm += weights[g] * FamilyFunctions.SaturatedTerm(family, means[g]);
        return 2 * (rowsTerm / total - patternsTerm);
    }

    /// <summary>Rows of the model matrix equal bit for bit.</summary>
    private sealed class RowComparer(double[][] columns) : IEqualityComparer<int>
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public bool Equals(int a, int b)
        {
            foreach (var column in columns)
                if (BitConverter.DoubleToInt64Bits(column[a]) != BitConverter.DoubleToInt64Bits(column[b])) return false;
            return true;
        }

        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
        public int GetHashCode(int row)
        {
            var hash = new HashCode();
            foreach (var column in columns) hash.Add(BitConverter.DoubleToInt64Bits(column[row]));
            return hash.ToHashCode();
        }
    }
}
