using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ContributionIndex.Estimation;

/// <summary>The numerical rank of the replicate-weight matrix, as R <c>qr(weights, tol = 1e-5)$rank</c> (LINPACK dqrdc2) decides it.</summary>
/// <remarks>
/// Columns are taken left to right; a column is negligible when the norm of its part orthogonal to the columns already
/// accepted falls below 1e-5 times its original norm (dqrdc2's limited pivoting rule). The orthogonal norms come from an
/// in-order Cholesky factorisation of the Gram matrix WᵀW: built in cache-sized row blocks (R²·n/2 multiply-adds, one
/// pass over W) when R ≤ n, or one row at a time for the accepted columns only when there are more columns than rows;
/// for jackknife multipliers (a common value per column except in a few PSUs) from those PSUs alone.
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
        return r <= n ? FromGram(r, n, Gram(columns)) : Incremental(columns);
    }

    /// <summary>
    /// The rank of the n × R matrix whose column a is c_a·1 + D_a with D sparse (replicate multipliers: jackknife columns
    /// are 1 or n/(n−1) except in one stratum or PSU), decided as <see cref="Of"/> decides it.
    /// </summary>
    /// <remarks>
    /// The Gram matrix is G_ab = n·c_a·c_b + c_a·S_b + c_b·S_a + Σ_p D_pa·D_pb with S_a = Σ_p D_pa, the last sum taken PSU by
    /// PSU over the replicates that change it: O(R² + Σ_p t_p²) instead of R²·n/2. It equals WᵀW up to rounding, far below
    /// the 1e-5 rank tolerance. Needs R ≤ n (else use <see cref="Of"/>).
    /// </remarks>
    /// <param name="rows">n.</param>
    /// <param name="factors">c_a, one per column.</param>
    /// <param name="offsets">The entries of column a are [offsets[a], offsets[a + 1]).</param>
    /// <param name="index">The row of each entry.</param>
    /// <param name="values">D_pa of each entry.</param>
    public static int OfScaledOnesPlusSparse(int rows, double[] factors, int[] offsets, int[] index, double[] values)
    {
        int r = factors.Length;
        if (r == 0) return 0;
        if (r > rows) throw new ArgumentException($"{r} columns of {rows} rows: use Of for more columns than rows.", nameof(factors));
        var columnSums = new double[r];
        for (int a = 0; a < r; a++)
            for (int e = offsets[a]; e < offsets[a + 1]; e++) columnSums[a] += values[e];

        var gram = new double[r, r];
        for (int a = 0; a < r; a++)
            for (int b = a; b < r; b++)
                gram[a, b] = rows * factors[a] * factors[b] + factors[a] * columnSums[b] + factors[b] * columnSums[a];

        // Σ_p D_pa·D_pb: the entries regrouped by row, then every pair of columns that change the same row.
        var start = new int[rows + 1];
        for (int e = 0; e < index.Length; e++) start[index[e] + 1]++;
        for (int p = 0; p < rows; p++) start[p + 1] += start[p];
        var fill = (int[])start.Clone();
        var columnOf = new int[index.Length];
        var valueOf = new double[index.Length];
        for (int a = 0; a < r; a++)
        {
            for (int e = offsets[a]; e < offsets[a + 1]; e++)
            {
                int slot = fill[index[e]]++;
                columnOf[slot] = a;
                valueOf[slot] = values[e];
            }
        }

        for (int p = 0; p < rows; p++)
        {
            for (int x = start[p]; x < start[p + 1]; x++)
            {
                int a = columnOf[x];
                double va = valueOf[x];
                for (int y = x; y < start[p + 1]; y++) gram[a, columnOf[y]] += va * valueOf[y];
            }
        }

        for (int a = 0; a < r; a++)
            for (int b = 0; b < a; b++) gram[a, b] = gram[b, a];
        return FromGram(r, rows, gram);
    }

    /// <summary>WᵀW accumulated over blocks of rows that stay in cache, so W is read once.</summary>
    /// <remarks>
    /// The rows are cut into at most 16 slices fixed by n; each slice's Gram matrix is summed on one core without waiting
    /// for the others (a shared machine preempts threads, and a barrier per block would make every core wait for the
    /// slowest), and the slices are added in order, so the result does not depend on the number of cores. Within a
    /// block of 256 rows (the block's columns stay in a core's L2 cache) entries are computed in tiles of 2 × 4 columns
    /// (<see cref="Tile"/>): eight independent SIMD sums, six loads per eight multiply-adds, where one dot product at a
    /// time waits on its single sum and loads two values per multiply-add.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static double[,] Gram(double[][] columns)
    {
        const int Block = 256, Slices = 16;
        int r = columns.Length, n = columns[0].Length;
        bool parallel = (long)r * r * n >= ParallelThreshold;
        int slices = (int)Math.Max(1, Math.Min(Math.Min(Slices, n / Block), (64L << 20) / (8L * r * r))); // partial sums ≤ 64 MiB
        var partial = new double[slices][,];
        void Slice(int k)
        {
            var gram = partial[k] = new double[r, r];
            int end = (int)((long)n * (k + 1) / slices);
            for (int from = (int)((long)n * k / slices); from < end; from += Block)
            {
                int length = Math.Min(Block, end - from);
                for (int a = 0; a < r; a += 2)
                {
                    if (a + 1 >= r)
                    {
                        for (int b = a; b < r; b++) gram[a, b] += Dot(columns[a].AsSpan(from, length), columns[b].AsSpan(from, length));
                        continue;
                    }
                    int c = a;
                    for (; c + 4 <= r; c += 4) Tile(columns, gram, a, c, from, length);
                    for (; c < r; c++)
                    {
                        gram[a, c] += Dot(columns[a].AsSpan(from, length), columns[c].AsSpan(from, length));
                        gram[a + 1, c] += Dot(columns[a + 1].AsSpan(from, length), columns[c].AsSpan(from, length));
                    }
                }
            }
        }

        if (parallel) Parallel.For(0, slices, Slice);
        else for (int k = 0; k < slices; k++) Slice(k);
        // The slices are fixed by n alone and added in order: the result does not depend on the number of cores.
        var total = partial[0];
        for (int k = 1; k < slices; k++)
            for (int a = 0; a < r; a++)
                for (int b = a; b < r; b++) total[a, b] += partial[k][a, b];
        for (int a = 0; a < r; a++)
            for (int b = 0; b < a; b++) total[a, b] = total[b, a];
        return total;
    }

    /// <summary>Adds the block's Σ x_a·x_c for a, a + 1 and c … c + 3 (entries below the diagonal are overwritten afterwards).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Tile(double[][] columns, double[,] gram, int a, int c, int from, int length)
    {
        var x0 = columns[a].AsSpan(from, length);
        var x1 = columns[a + 1].AsSpan(from, length);
        var y0 = columns[c].AsSpan(from, length);
        var y1 = columns[c + 1].AsSpan(from, length);
        var y2 = columns[c + 2].AsSpan(from, length);
        var y3 = columns[c + 3].AsSpan(from, length);
        // Unchecked loads: i + width ≤ length of all six spans.
        ref double r0 = ref MemoryMarshal.GetReference(x0);
        ref double r1 = ref MemoryMarshal.GetReference(x1);
        ref double q0 = ref MemoryMarshal.GetReference(y0);
        ref double q1 = ref MemoryMarshal.GetReference(y1);
        ref double q2 = ref MemoryMarshal.GetReference(y2);
        ref double q3 = ref MemoryMarshal.GetReference(y3);
        var zero = Vector<double>.Zero;
        Vector<double> s00 = zero, s01 = zero, s02 = zero, s03 = zero, s10 = zero, s11 = zero, s12 = zero, s13 = zero;
        int width = Vector<double>.Count, i = 0;
        for (; i <= length - width; i += width)
        {
            var u0 = Vector.LoadUnsafe(ref r0, (nuint)i);
            var u1 = Vector.LoadUnsafe(ref r1, (nuint)i);
            var v = Vector.LoadUnsafe(ref q0, (nuint)i);
            s00 += u0 * v;
            s10 += u1 * v;
            v = Vector.LoadUnsafe(ref q1, (nuint)i);
            s01 += u0 * v;
            s11 += u1 * v;
            v = Vector.LoadUnsafe(ref q2, (nuint)i);
            s02 += u0 * v;
            s12 += u1 * v;
            v = Vector.LoadUnsafe(ref q3, (nuint)i);
            s03 += u0 * v;
            s13 += u1 * v;
        }
        double t00 = System.Numerics.Vector.Sum(s00), t01 = System.Numerics.Vector.Sum(s01), t02 = System.Numerics.Vector.Sum(s02), t03 = System.Numerics.Vector.Sum(s03);
        double t10 = System.Numerics.Vector.Sum(s10), t11 = System.Numerics.Vector.Sum(s11), t12 = System.Numerics.Vector.Sum(s12), t13 = System.Numerics.Vector.Sum(s13);
        for (; i < length; i++)
        {
            t00 += x0[i] * y0[i];
            t01 += x0[i] * y1[i];
            t02 += x0[i] * y2[i];
            t03 += x0[i] * y3[i];
            t10 += x1[i] * y0[i];
            t11 += x1[i] * y1[i];
            t12 += x1[i] * y2[i];
            t13 += x1[i] * y3[i];
        }
        gram[a, c] += t00;
        gram[a, c + 1] += t01;
        gram[a, c + 2] += t02;
        gram[a, c + 3] += t03;
        gram[a + 1, c] += t10;
        gram[a + 1, c + 1] += t11;
        gram[a + 1, c + 2] += t12;
        gram[a + 1, c + 3] += t13;
    }

    /// <summary>In-order Cholesky of the Gram matrix with dqrdc2's negligible-column rule.</summary>
    /// <remarks>
    /// The factor is kept as one array per row holding only the accepted columns, in acceptance order, so each
    /// Σ_k L_ik·L_jk is a SIMD dot product of two arrays. Its summation order differs from a plain loop only by rounding,
    /// which matters only for columns within rounding of the 1e-5 rank tolerance.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int FromGram(int r, int n, double[,] gram)
    {
        var lower = new double[r][];
        for (int i = 0; i < r; i++) lower[i] = new double[Math.Min(r, n)];
        int accepted = 0;
        for (int j = 0; j < r && accepted < n; j++)
        {
            var lj = lower[j].AsSpan(0, accepted);
            double d = gram[j, j] - Dot(lj, lj);
            if (gram[j, j] > 0 && d < Tolerance * Tolerance * gram[j, j]) continue;
            double root = d > 0 ? Math.Sqrt(d) : 0;
            if (root != 0)
            {
                for (int i = j + 1; i < r; i++)
                {
                    var li = lower[i];
                    li[accepted] = (gram[i, j] - Dot(li.AsSpan(0, accepted), lj)) / root;
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
