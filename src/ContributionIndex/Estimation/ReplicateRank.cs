namespace ContributionIndex.Estimation;

/// <summary>The numerical rank of the replicate-weight matrix, as R <c>qr(weights, tol = 1e-5)$rank</c> (LINPACK dqrdc2) decides it.</summary>
/// <remarks>
/// Columns are taken left to right; a column is negligible when the norm of its part orthogonal to the columns already
/// accepted falls below 1e-5 times its original norm (dqrdc2's limited pivoting rule). The orthogonal norms come from an
/// in-order Cholesky factorisation of the Gram matrix WᵀW, which needs R²·n/2 multiply-adds and no copy of W.
/// </remarks>
internal static class ReplicateRank
{
    private const double Tolerance = 1e-5;

    public static int Of(double[][] columns)
    {
        int r = columns.Length;
        if (r == 0) return 0;
        int n = columns[0].Length;
        var gram = new double[r, r];
        for (int a = 0; a < r; a++)
        {
            var ca = columns[a];
            for (int b = a; b < r; b++)
            {
                var cb = columns[b];
                double s = 0;
                for (int i = 0; i < n; i++) s += ca[i] * cb[i];
                gram[a, b] = s;
                gram[b, a] = s;
            }
        }

        var lower = new double[r, r];
        var accepted = new List<int>(r);
        int rank = 0;
        for (int j = 0; j < r && rank < n; j++)
        {
            double d = gram[j, j];
            foreach (var k in accepted) d -= lower[j, k] * lower[j, k];
            if (gram[j, j] > 0 && d < Tolerance * Tolerance * gram[j, j]) continue;
            rank++;
            double root = d > 0 ? Math.Sqrt(d) : 0;
            for (int i = j + 1; i < r; i++)
            {
                if (root == 0) { lower[i, j] = 0; continue; }
                double s = gram[i, j];
                foreach (var k in accepted) s -= lower[i, k] * lower[j, k];
                lower[i, j] = s / root;
            }
            accepted.Add(j);
        }
        return rank;
    }
}
