namespace ContributionIndex.Tests.Reporting.Attack;

/// <summary>
/// The feasible region { y ≥ 0 : A y = b } of the attacker's linear programme, and the smallest and largest value of one
/// variable over it: a dense two-phase simplex with Bland's rule (no cycling), written for the attacker test because the
/// systems are small (tens of unknowns per connected group). Phase 1 (artificial variables) runs once per region; each
/// minimum or maximum is a phase 2 from that basis.
/// </summary>
internal sealed class FeasibleRegion
{
    private const double Eps = 1e-9;
    private readonly double[][] tableau; // rows: A | b in canonical form for the basis
    private readonly int[] basis;
    private readonly int width;

    public FeasibleRegion(IReadOnlyList<double[]> a, IReadOnlyList<double> b, int variables)
    {
        width = variables;
        var m = a.Count;
        var t = new double[m][];
        var bas = new int[m];
        for (var i = 0; i < m; i++)
        {
            var sign = b[i] < 0 ? -1 : 1;
            t[i] = new double[variables + m + 1];
            for (var j = 0; j < variables; j++) t[i][j] = sign * a[i][j];
            t[i][variables + i] = 1;
            t[i][variables + m] = sign * b[i];
            bas[i] = variables + i;
        }

        var cost = new double[variables + m];
        for (var j = variables; j < variables + m; j++) cost[j] = 1;
        var infeasibility = Minimize(t, bas, cost, variables + m);
        var scale = 1 + b.Sum(Math.Abs);
        Feasible = infeasibility <= 1e-7 * scale;

        // Drive artificial variables out of the basis; a row where none can leave is redundant and dropped.
        var keep = new List<int>();
        for (var i = 0; i < m; i++)
        {
            if (bas[i] >= variables)
            {
                var j = Enumerable.Range(0, variables).FirstOrDefault(j => Math.Abs(t[i][j]) > 1e-7, -1);
                if (j < 0) continue;
                Pivot(t, i, j);
                bas[i] = j;
            }

            keep.Add(i);
        }

        tableau = [.. keep.Select(i => t[i].Take(variables).Append(t[i][variables + m]).ToArray())];
        basis = [.. keep.Select(i => bas[i])];
    }

    /// <summary>Whether some y ≥ 0 satisfies every equation (it must: the true values do).</summary>
    public bool Feasible { get; }

    /// <summary>min y_k over the region.</summary>
    public double Min(int k) => Optimum(k, 1);

    /// <summary>max y_k over the region (+∞ when unbounded).</summary>
    public double Max(int k) => -Optimum(k, -1);

    private double Optimum(int k, double sign)
    {
        var t = tableau.Select(r => (double[])r.Clone()).ToArray();
        var bas = (int[])basis.Clone();
        var cost = new double[width];
        cost[k] = sign;
        return Minimize(t, bas, cost, width);
    }

    /// <summary>Minimises cost·y from the canonical tableau <paramref name="t"/> (last column b); −∞ when unbounded.</summary>
    private static double Minimize(double[][] t, int[] bas, double[] cost, int columns)
    {
        var m = t.Length;
        var inBasis = new bool[columns];
        foreach (var j in bas) inBasis[j] = true;
        for (var iteration = 0; iteration < 100_000; iteration++)
        {
            var enter = -1;
            for (var j = 0; j < columns && enter < 0; j++)
            {
                if (inBasis[j]) continue;
                var reduced = cost[j];
                for (var i = 0; i < m; i++) reduced -= cost[bas[i]] * t[i][j];
                if (reduced < -Eps) enter = j;
            }

            if (enter < 0)
            {
                var value = 0.0;
                for (var i = 0; i < m; i++) value += cost[bas[i]] * t[i][columns];
                return value;
            }

            var leave = -1;
            var best = double.PositiveInfinity;
            for (var i = 0; i < m; i++)
            {
                if (t[i][enter] <= Eps) continue;
                var ratio = t[i][columns] / t[i][enter];
                if (ratio < best - 1e-12 || (Math.Abs(ratio - best) <= 1e-12 && bas[i] < bas[leave]))
                {
                    best = ratio;
                    leave = i;
                }
            }

            if (leave < 0) return double.NegativeInfinity;
            Pivot(t, leave, enter);
            inBasis[bas[leave]] = false;
            inBasis[enter] = true;
            bas[leave] = enter;
        }

        throw new InvalidOperationException("simplex did not converge");
    }

    private static void Pivot(double[][] t, int row, int column)
    {
        var pivot = t[row][column];
        var r = t[row];
        for (var j = 0; j < r.Length; j++) r[j] /= pivot;
        for (var i = 0; i < t.Length; i++)
        {
            if (i == row) continue;
            var factor = t[i][column];
            if (factor == 0) continue;
            var ti = t[i];
            for (var j = 0; j < ti.Length; j++) ti[j] -= factor * r[j];
        }
    }
}
