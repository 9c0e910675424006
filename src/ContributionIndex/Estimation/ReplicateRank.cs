namespace ContributionIndex.Estimation;

/// <summary>The numerical rank of the replicate-weight matrix, as R <c>qr(weights, tol = 1e-5)$rank</c> (LINPACK dqrdc2) decides it.</summary>
/// <remarks>
/// Columns are taken left to right; a column is negligible when the norm of its part orthogonal to the columns already
/// accepted falls below 1e-5 times its original norm (dqrdc2's limited pivoting rule). The orthogonal norms come from an
/// in-order Cholesky factorisation of the Gram matrix WᵀW: built in cache-sized row blocks (R²·n/2 multiply-adds, one
/// pass over W) when R ≤ n, or one row at a time for the accepted columns only when there are more columns than rows.
/// </remarks>
internal static class ReplicateRank
{
    private const double Tolerance = 1e-5;

    public static int Of(double[][] columns)
    {
        int r = columns.Length;
        if (r == 0) return 0;
        int n = columns[0].Length;
        return r <= n ? FromGram(columns, Gram(columns)) : Incremental(columns);
    }

    /// <summary>WᵀW accumulated over blocks of rows that stay in cache, so W is read once.</summary>
    private static double[,] Gram(double[][] columns)
    {
        const int Block = 2048;
        int r = columns.Length, n = columns[0].Length;
        var gram = new double[r, r];
        for (int start = 0; start < n; start += Block)
        {
            int length = Math.Min(Block, n - start);
            for (int a = 0; a < r; a++)
            {
                var ca = columns[a].AsSpan(start, length);
                for (int b = a; b < r; b++) gram[a, b] += Dot(ca, columns[b].AsSpan(start, length));
            }
        }
        for (int a = 0; a < r; a++)
            for (int b = 0; b < a; b++) gram[a, b] = gram[b, a];
        return gram;
    }

    /// <summary>In-order Cholesky of the Gram matrix with dqrdc2's negligible-column rule.</summary>
    private static int FromGram(double[][] columns, double[,] gram)
    {
        int r = columns.Length, n = columns[0].Length;
        var lower = new double[r, r];
        var accepted = new List<int>(r);
        for (int j = 0; j < r && accepted.Count < n; j++)
        {
            double d = gram[j, j];
            foreach (var k in accepted) d -= lower[j, k] * lower[j, k];
            if (gram[j, j] > 0 && d < Tolerance * Tolerance * gram[j, j]) continue;
            double root = d > 0 ? Math.Sqrt(d) : 0;
            for (int i = j + 1; i < r; i++)
            {
                if (root == 0) continue;
                double s = gram[i, j];
                foreach (var k in accepted) s -= lower[i, k] * lower[j, k];
                lower[i, j] = s / root;
            }
            accepted.Add(j);
        }
        return accepted.Count;
    }

    /// <summary>For more columns than rows (rank ≤ rows): only the accepted columns' rows of the factor are built.</summary>
    private static int Incremental(double[][] columns)
    {
        int r = columns.Length;
        int n = columns[0].Length;
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

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        // SIMD dot product; the summation order only matters for columns within rounding of the 1e-5 rank tolerance.
        var sum = System.Numerics.Vector<double>.Zero;
        int width = System.Numerics.Vector<double>.Count, i = 0;
        var va = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(a);
        var vb = System.Runtime.InteropServices.MemoryMarshal.Cast<double, System.Numerics.Vector<double>>(b);
        for (int k = 0; k < va.Length; k++) sum += va[k] * vb[k];
        i = va.Length * width;
        double total = System.Numerics.Vector.Sum(sum);
        for (; i < a.Length; i++) total += a[i] * b[i];
        return total;
    }
}
