namespace ContributionIndex.Estimation;

/// <summary>R's <c>spline()</c> (method "fmm") and <c>approx()</c> (linear, rule 1), as the profile-likelihood interval uses them.</summary>
/// <remarks>Statement for statement from R's <c>stats</c> C code (<c>fmm_spline</c>, <c>spline_eval</c>, <c>approx1</c>) and its R wrappers (<c>regularize.values</c> with ties = mean, <c>seq.int</c>).</remarks>
internal static class RInterpolation
{
    /// <summary>R <c>spline(x, y)</c>: the FMM cubic spline through the points evaluated at 3·(distinct x) equally spaced points over the range of x.</summary>
    public static (double[] X, double[] Y) Spline(double[] x, double[] y)
    {
        var (xs, ys) = Regularize(x, y);
        int n = xs.Length;
        var xout = Sequence(xs[0], xs[n - 1], 3 * n);
        var (b, c, d) = FmmCoefficients(xs, ys);
        var v = new double[xout.Length];
        int i = 0;
        for (int l = 0; l < xout.Length; l++)
        {
            double ul = xout[l];
            if (ul < xs[i] || (i < n - 1 && xs[i + 1] < ul))
            {
                i = 0;
                int j = n;
                do
                {
                    int k = (i + j) / 2;
                    if (ul < xs[k]) j = k; else i = k;
                } while (j > i + 1);
            }
            double dx = ul - xs[i];
            v[l] = ys[i] + dx * (b[i] + dx * (c[i] + dx * d[i]));
        }
        return (xout, v);
    }

    /// <summary>R <c>approx(x, y, xout = v)$y</c>: linear interpolation after sorting by x and averaging ties; NaN outside the range (rule 1).</summary>
    public static double Approx(double[] x, double[] y, double v)
    {
        var (xs, ys) = Regularize(x, y);
        int n = xs.Length;
        if (n == 0 || double.IsNaN(v)) return double.NaN;
        int i = 0, j = n - 1;
        if (v < xs[i] || v > xs[j]) return double.NaN;
        while (i < j - 1)
        {
            int ij = (i + j) / 2;
            if (v < xs[ij]) j = ij; else i = ij;
        }
        if (v == xs[j]) return ys[j];
        if (v == xs[i]) return ys[i];
        return ys[i] + (ys[j] - ys[i]) * ((v - xs[i]) / (xs[j] - xs[i]));
    }

    /// <summary>R <c>regularize.values(x, y, mean)</c>: drop NA pairs, sort by x (stable) when unsorted, average y over tied x.</summary>
    private static (double[] X, double[] Y) Regularize(double[] x, double[] y)
    {
        var pairs = x.Zip(y).Where(p => !double.IsNaN(p.First) && !double.IsNaN(p.Second)).ToList();
        bool sorted = true;
        for (int k = 1; k < pairs.Count; k++) if (pairs[k].First < pairs[k - 1].First) { sorted = false; break; }
        if (!sorted) pairs = pairs.Select((p, k) => (p, k)).OrderBy(q => q.p.First).ThenBy(q => q.k).Select(q => q.p).ToList();
        var xs = new List<double>();
        var ys = new List<double>();
        for (int k = 0; k < pairs.Count;)
        {
            int end = k;
            double sum = 0;
            while (end < pairs.Count && pairs[end].First == pairs[k].First) sum += pairs[end++].Second;
            xs.Add(pairs[k].First);
            ys.Add(end - k == 1 ? pairs[k].Second : sum / (end - k));
            k = end;
        }
        return (xs.ToArray(), ys.ToArray());
    }

    /// <summary>R <c>seq.int(from, to, length.out = n)</c>: the ends exact, the first half counted from <paramref name="from"/>, the second from <paramref name="to"/>.</summary>
    internal static double[] Sequence(double from, double to, int length)
    {
        var result = new double[length];
        if (length > 0) result[0] = from;
        if (length > 1) result[length - 1] = to;
        if (length > 2)
        {
            double by = (to - from) / (length - 1);
            for (int i = 1; i < length - 1; i++)
                result[i] = i < length / 2 ? from + i * by : to - (length - 1 - i) * by;
        }
        return result;
    }

    /// <summary>R <c>fmm_spline</c>: Forsythe, Malcolm and Moler's cubic spline, end third derivatives from divided differences.</summary>
    private static (double[] B, double[] C, double[] D) FmmCoefficients(double[] x0, double[] y0)
    {
        int n = x0.Length;
        // 1-based arrays as in the C code.
        var x = new double[n + 1];
        var y = new double[n + 1];
        Array.Copy(x0, 0, x, 1, n);
        Array.Copy(y0, 0, y, 1, n);
        var b = new double[n + 1];
        var c = new double[n + 1];
        var d = new double[n + 1];
        if (n < 2) return (new double[n], new double[n], new double[n]);
        if (n < 3)
        {
            b[1] = (y[2] - y[1]) / (x[2] - x[1]);
            b[2] = b[1];
        }
        else
        {
            int nm1 = n - 1;
            d[1] = x[2] - x[1];
            c[2] = (y[2] - y[1]) / d[1];
            for (int i = 2; i < n; i++)
            {
                d[i] = x[i + 1] - x[i];
                b[i] = 2.0 * (d[i - 1] + d[i]);
                c[i + 1] = (y[i + 1] - y[i]) / d[i];
                c[i] = c[i + 1] - c[i];
            }
            b[1] = -d[1];
            b[n] = -d[nm1];
            c[1] = c[n] = 0.0;
            if (n > 3)
            {
                c[1] = c[3] / (x[4] - x[2]) - c[2] / (x[3] - x[1]);
                c[n] = c[nm1] / (x[n] - x[n - 2]) - c[n - 2] / (x[nm1] - x[n - 3]);
                c[1] = c[1] * d[1] * d[1] / (x[4] - x[1]);
                c[n] = -c[n] * d[nm1] * d[nm1] / (x[n] - x[n - 3]);
            }
            for (int i = 2; i <= n; i++)
            {
                double t = d[i - 1] / b[i - 1];
                b[i] = b[i] - t * d[i - 1];
                c[i] = c[i] - t * c[i - 1];
            }
            c[n] = c[n] / b[n];
            for (int i = nm1; i >= 1; i--) c[i] = (c[i] - d[i] * c[i + 1]) / b[i];
            b[n] = (y[n] - y[n - 1]) / d[n - 1] + d[n - 1] * (c[n - 1] + 2.0 * c[n]);
            for (int i = 1; i <= nm1; i++)
            {
                b[i] = (y[i + 1] - y[i]) / d[i] - d[i] * (c[i + 1] + 2.0 * c[i]);
                d[i] = (c[i + 1] - c[i]) / d[i];
                c[i] = 3.0 * c[i];
            }
            c[n] = 3.0 * c[n];
            d[n] = d[nm1];
        }
        return (b[1..], c[1..], d[1..]);
    }
}
