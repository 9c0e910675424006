using System.Runtime.CompilerServices;

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

    /// <summary>Below this many multiply-adds one thread is faster than two.</summary>
    private const long ParallelThreshold = 4_000_000;

    public static int Of(double[][] columns)
    {
        int r = columns.Length;
        if (r == 0) return 0;
        int n = columns[0].Length;
        return r <= n ? FromGram(columns, Gram(columns)) : Incremental(columns);
    }

    /// <summary>WᵀW accumulated over blocks of rows that stay in cache, so W is read once.</summary>
    /// <remarks>Rows a of the triangle are shared out between cores; each entry still has one owner and sums its blocks in order.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[,] Gram(double[][] columns)
    {
        const int Block = 2048;
        int r = columns.Length, n = columns[0].Length;
        var gram = new double[r, r];
        bool parallel = (long)r * r * n >= ParallelThreshold;
        for (int start = 0; start < n; start += Block)
        {
            int from = start, length = Math.Min(Block, n - start);
            void Row(int a)
            {
                var ca = columns[a].AsSpan(from, length);
                for (int b = a; b < r; b++) gram[a, b] += Dot(ca, columns[b].AsSpan(from, length));
            }

            if (parallel) Parallel.For(0, r, Row);
            else for (int a = 0; a < r; a++) Row(a);
        }
        for (int a = 0; a < r; a++)
            for (int b = 0; b < a; b++) gram[a, b] = gram[b, a];
        return gram;
    }

    /// <summary>In-order Cholesky of the Gram matrix with dqrdc2's negligible-column rule.</summary>
    /// <remarks>
    /// The factor is kept as one array per row holding only the accepted columns, in acceptance order, so each
    /// Σ_k L_ik·L_jk is a plain loop over two arrays (the same terms in the same order as over the accepted list). Four rows
    /// below the pivot are reduced side by side: four independent sums, each still in its own order, which keeps the
    /// processor busy instead of waiting on one chain of additions.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FromGram(double[][] columns, double[,] gram)
    {
        int r = columns.Length, n = columns[0].Length;
        var lower = new double[r][];
        for (int i = 0; i < r; i++) lower[i] = new double[Math.Min(r, n)];
        int accepted = 0;
        for (int j = 0; j < r && accepted < n; j++)
        {
            var lj = lower[j];
            double d = gram[j, j];
            for (int k = 0; k < accepted; k++) d -= lj[k] * lj[k];
            if (gram[j, j] > 0 && d < Tolerance * Tolerance * gram[j, j]) continue;
            double root = d > 0 ? Math.Sqrt(d) : 0;
            if (root != 0)
            {
                int i = j + 1;
                for (; i + 3 < r; i += 4)
                {
                    double[] l0 = lower[i], l1 = lower[i + 1], l2 = lower[i + 2], l3 = lower[i + 3];
                    double s0 = gram[i, j], s1 = gram[i + 1, j], s2 = gram[i + 2, j], s3 = gram[i + 3, j];
                    for (int k = 0; k < accepted; k++)
                    {
                        double m = lj[k];
                        s0 -= l0[k] * m;
                        s1 -= l1[k] * m;
                        s2 -= l2[k] * m;
                        s3 -= l3[k] * m;
                    }
                    l0[accepted] = s0 / root;
                    l1[accepted] = s1 / root;
                    l2[accepted] = s2 / root;
                    l3[accepted] = s3 / root;
                }
                for (; i < r; i++)
                {
                    var li = lower[i];
                    double s = gram[i, j];
                    for (int k = 0; k < accepted; k++) s -= li[k] * lj[k];
                    li[accepted] = s / root;
                }
            }
            accepted++;
        }
        return accepted;
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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
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
