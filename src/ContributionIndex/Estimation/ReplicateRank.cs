namespace ContributionIndex.Estimation;

/// <summary>The numerical rank of the replicate-weight matrix, as R <c>qr(weights, tol = 1e-5)$rank</c> (LINPACK dqrdc2) decides it.</summary>
/// <remarks>
/// Columns are taken left to right; a column is negligible when the norm of its part orthogonal to the columns already
/// accepted falls below 1e-5 times its original norm (dqrdc2's limited pivoting rule). The orthogonal norms come from an
/// in-order Cholesky factorisation of the Gram matrix WᵀW built one row at a time for the accepted columns only,
/// which needs about R·rank·n multiply-adds and no copy of W.
/// </remarks>
internal static class ReplicateRank
{
    private const double Tolerance = 1e-5;

    public static int Of(double[][] columns)
    {
        int r = columns.Length;
        if (r == 0) return 0;
        int n = columns[0].Length;
        // Rows of the Cholesky factor for the accepted columns only: L[a][m], m < a, and the diagonal L[a][a].
        var accepted = new List<double[]>(Math.Min(r, n));
        var acceptedColumns = new List<double[]>(Math.Min(r, n));
        for (int j = 0; j < r && accepted.Count < n; j++)
        {
            var column = columns[j];
            double norm2 = Dot(column, column);
            int a = accepted.Count;
            var row = new double[a + 1];
            double residual = norm2;
            for (int m = 0; m < a; m++)
            {
                double g = Dot(column, acceptedColumns[m]);
                var lm = accepted[m];
                for (int t = 0; t < m; t++) g -= row[t] * lm[t];
                row[m] = lm[m] == 0 ? 0 : g / lm[m];
                residual -= row[m] * row[m];
            }
            if (norm2 > 0 && residual < Tolerance * Tolerance * norm2) continue;
            row[a] = residual > 0 ? Math.Sqrt(residual) : 0;
            accepted.Add(row);
            acceptedColumns.Add(column);
        }
        return accepted.Count;
    }

    private static double Dot(double[] a, double[] b)
    {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < a.Length; i += 4)
        {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.Length; i++) s0 += a[i] * b[i];
        return (s0 + s1) + (s2 + s3);
    }
}
