using ContributionIndex.Diagnostics;

namespace ContributionIndex.Estimation;

/// <summary>The quantile intervals of R survey 4.1-1 <c>svyquantile</c> other than the plain Woodruff one (see <see cref="QuantileInterval"/>).</summary>
/// <remarks>
/// Each function reproduces the R code it names step for step, including its order of operations where a result jumps between
/// data values (the quantile rule is a step function, so an interval end is exact or a whole gap away).
/// </remarks>
internal static class QuantileIntervals
{
    /// <summary>Refuses an interval type R does not compute for the design: score and the Woodruff variants need Taylor, quantile needs replicates.</summary>
    public static void CheckApplies(SurveyDesign design, QuantileInterval method)
    {
        bool replicate = design is ReplicateDesign;
        if (replicate && method is QuantileInterval.Beta or QuantileInterval.Xlogit or QuantileInterval.Asin or QuantileInterval.Score)
            throw new EstimationException(FailureKind.Usage,
                $"--quantile-ci {method.ToString().ToLowerInvariant()} is for Taylor designs; with replicate weights use mean (Woodruff) or quantile (replicate variance of the quantile). "
                + "R's svyquantile on a replicate design refuses score and silently computes the mean interval for beta, xlogit and asin.");
        if (!replicate && method == QuantileInterval.Quantile)
            throw new EstimationException(FailureKind.Usage, "--quantile-ci quantile needs replicate weights (the replicate variance of the quantile); for a Taylor design use mean, beta, xlogit, asin or score.");
    }

    /// <summary>R <c>woodruffCI</c>'s interval of the proportion p below q̂ (variance <paramref name="variance"/>), before it is mapped back through the quantile rule.</summary>
    /// <param name="method">mean, beta, xlogit or asin.</param>
    /// <param name="design">The design (beta reads the domain's rows and df).</param>
    /// <param name="usableDomain">Per row: the domain when the row is in a domain and has a value, else −1 (R's subset after <c>na.rm</c>).</param>
    /// <param name="domain">The domain index.</param>
    /// <param name="p">The estimated proportion of the domain at or below q̂.</param>
    /// <param name="variance">Its design variance.</param>
    /// <param name="df">The df of the interval (the whole design's, as golden.R calls R).</param>
    /// <param name="alpha">1 − confidence level.</param>
    public static (double Low, double High) ProportionInterval(QuantileInterval method, SurveyDesign design, int[] usableDomain, int domain, double p, double variance,
        double df, double alpha)
    {
        double t = CriticalValues.StudentT(1 - alpha / 2, df);
        double se = Math.Sqrt(variance);
        switch (method)
        {
            case QuantileInterval.Mean:
                return (p - t * se, p + t * se);
            case QuantileInterval.Xlogit:
            {
                // svycontrast(m, quote(log(pmed/(1 - pmed)))): deriv()'s gradient (1/(1 − p) + p/(1 − p)²)/(p/(1 − p)).
                double centre = Math.Log(p / (1 - p));
                double gradient = (1 / (1 - p) + p / ((1 - p) * (1 - p))) / (p / (1 - p));
                double seX = Math.Sqrt(gradient * variance * gradient);
                return (ProportionIntervals.Expit(centre - t * seX), ProportionIntervals.Expit(centre + t * seX));
            }
            case QuantileInterval.Asin:
            {
                // svycontrast(m, quote(asin(sqrt(pmed)))): deriv()'s gradient 0.5·p^−0.5/√(1 − √p²); ends sin(·)² in R's order (not sorted).
                double root = Math.Sqrt(p);
                double centre = Math.Asin(root);
                double gradient = 0.5 * Math.Pow(p, -0.5) / Math.Sqrt(1 - root * root);
                double seX = Math.Sqrt(gradient * variance * gradient);
                double a = Math.Sin(centre - t * seX), b = Math.Sin(centre + t * seX);
                return (a * a, b * b);
            }
            case QuantileInterval.Beta:
            {
                var (rows, subsetDf) = ProportionIntervals.SubsetSizeAndDf(design, usableDomain, domain);
                double nEff = p * (1 - p) / variance;
                double ratio = CriticalValues.StudentT(alpha / 2, rows - 1) / CriticalValues.StudentT(alpha / 2, subsetDf);
                nEff *= ratio * ratio;
                return (CriticalValues.Beta(alpha / 2, nEff * p, nEff * (1 - p) + 1), CriticalValues.Beta(1 - alpha / 2, nEff * p + 1, nEff * (1 - p)));
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "Not a Woodruff interval.");
        }
    }

    /// <summary>R <c>ffullerCI</c> (interval.type "score"): the θ where the design-based t statistic of the mean of 1{y &gt; θ} − (1 − p) is ±t, found by R's <c>uniroot</c>, then mapped to data values.</summary>
    /// <remarks>
    /// Per domain, with x the domain's values (R's subset after <c>na.rm</c>): search interval [min x + IQR/100, max x − IQR/100] (IQR of R's
    /// type-7 quantiles), tolerance 1/(100 √n); the ends are qrule(x, w, mean(x ≤ θ)) with the <b>unweighted</b> share of x at or below
    /// each root, as R computes it. Where R's <c>uniroot</c> stops (end points of the same sign, or an NA) the interval is NaN.
    /// </remarks>
    public static (double Low, double High)[] Score(TaylorDesign design, ReadOnlySpan<double> y, int[] rowDomain, int d, SurveyEstimator.WeightedOrder order,
        double p, double df, double alpha, EstimationOptions options)
    {
        var yArray = y.ToArray();
        double qlimit = CriticalValues.StudentT(1 - alpha / 2, df);
        var result = new (double, double)[d];
        var u = new double[yArray.Length];
        for (int k = 0; k < d; k++)
        {
            var include = new bool[yArray.Length];
            var xs = new List<double>();
            for (int i = 0; i < yArray.Length; i++)
                if (rowDomain[i] == k && !double.IsNaN(yArray[i])) { include[i] = true; xs.Add(yArray[i]); }
            if (xs.Count == 0) { result[k] = (double.NaN, double.NaN); continue; }
            var sorted = xs.ToArray();
            Array.Sort(sorted);
            int n = sorted.Length;
            double iqr = TypeSevenQuantile(sorted, 0.75) - TypeSevenQuantile(sorted, 0.25);
            double lowerT = sorted[0] + iqr / 100, upperT = sorted[n - 1] - iqr / 100;
            double tol = 1 / (100 * Math.Sqrt(n));
            var domain = DomainPartition.Whole(yArray.Length, include);
            var meanOptions = options with { KeepComponents = false, DegreesOfFreedom = df };

            double StudentizedScore(double theta)
            {
                for (int i = 0; i < u.Length; i++) u[i] = include[i] ? (yArray[i] > theta ? 1.0 : 0.0) - (1 - p) : double.NaN;
                var mean = SurveyEstimator.Mean(design, "score", u, domain, meanOptions)[0];
                return mean.Value / mean.StandardError;
            }

            double End(double limit)
            {
                if (!(lowerT < upperT)) return double.NaN; // R: "lower < upper is not fulfilled"
                double root = UniRoot(theta => StudentizedScore(theta) - limit, lowerT, upperT, tol);
                if (double.IsNaN(root)) return double.NaN;
                int atOrBelow = 0;
                foreach (var x in sorted) if (x <= root) atOrBelow++;
                return order.Quantile(k, (double)atOrBelow / n);
            }

            // R: qlow solves score/SE = qt(α/2, df, lower.tail = FALSE), qup solves it at qt(α/2, df).
            result[k] = (End(qlimit), End(-qlimit));
        }
        return result;
    }

    /// <summary>R <c>quantile(x, p, type = 7)</c> of sorted values: (1 − h)·x[lo] + h·x[hi] with index = 1 + (n − 1)p.</summary>
    internal static double TypeSevenQuantile(double[] sorted, double p)
    {
        int n = sorted.Length;
        double index = 1 + Math.Max(n - 1, 0) * p;
        int lo = (int)Math.Floor(index), hi = (int)Math.Ceiling(index);
        double q = sorted[lo - 1];
        if (index > lo && sorted[hi - 1] != q)
        {
            double h = index - lo;
            q = (1 - h) * q + h * sorted[hi - 1];
        }
        return q;
    }

    /// <summary>R <c>uniroot(f, c(lower, upper), tol = tol)</c> (maxiter 1000): NaN where R stops with an error (an NA end value, ends of the same sign).</summary>
    internal static double UniRoot(Func<double, double> f, double lower, double upper, double tol)
    {
        double fLower = f(lower), fUpper = f(upper);
        if (double.IsNaN(fLower) || double.IsNaN(fUpper)) return double.NaN;
        if (!(Math.Sign(fLower) * Math.Sign(fUpper) <= 0)) return double.NaN;
        return Zeroin(lower, upper, fLower, fUpper, x =>
        {
            // R's fcn2 replaces non-finite values: −Inf by −DBL_MAX, +Inf and NaN by DBL_MAX.
            double v = f(x);
            return double.IsFinite(v) ? v : double.IsNegativeInfinity(v) ? -double.MaxValue : double.MaxValue;
        }, tol, 1000);
    }

    /// <summary>R's <c>R_zeroin2</c> (Brent's method as in Forsythe, Malcolm and Moler), statement for statement.</summary>
    internal static double Zeroin(double ax, double bx, double fa, double fb, Func<double, double> f, double tol, int maxIterations)
    {
        const double Epsilon = 2.220446049250313e-16;
        double a = ax, b = bx, c = a, fc = fa;
        if (fa == 0) return a;
        if (fb == 0) return b;
        int remaining = maxIterations + 1;
        while (remaining-- > 0)
        {
            double previousStep = b - a;
            if (Math.Abs(fc) < Math.Abs(fb))
            {
                a = b; b = c; c = a;
                fa = fb; fb = fc; fc = fa;
            }
            double tolAct = 2 * Epsilon * Math.Abs(b) + tol / 2;
            double newStep = (c - b) / 2;
            if (Math.Abs(newStep) <= tolAct || fb == 0) return b;
            if (Math.Abs(previousStep) >= tolAct && Math.Abs(fa) > Math.Abs(fb))
            {
                double p, q, cb = c - b;
                if (a == c)
                {
                    double t1 = fb / fa;
                    p = cb * t1;
                    q = 1.0 - t1;
                }
                else
                {
                    q = fa / fc;
                    double t1 = fb / fc, t2 = fb / fa;
                    p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0));
                    q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0);
                }
                if (p > 0) q = -q;
                else p = -p;
                if (p < (0.75 * cb * q - Math.Abs(tolAct * q) / 2) && p < Math.Abs(previousStep * q / 2))
                    newStep = p / q;
            }
            if (Math.Abs(newStep) < tolAct) newStep = newStep > 0 ? tolAct : -tolAct;
            a = b; fa = fb;
            b += newStep; fb = f(b);
            if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) { c = a; fc = fa; }
        }
        return b; // R: convergence failure, returns the last b with a warning
    }

    /// <summary>R <c>repCI</c> (interval.type "quantile"): the quantile rule with every replicate's weights, its replicate variance, θ ± t·SE.</summary>
    public static (double Low, double High)[] Replicate(ReplicateDesign design, ReadOnlySpan<double> y, int[] rowDomain, int d, double[] qhat, double p, double df, double alpha)
    {
        var yArray = y.ToArray();
        double t = CriticalValues.StudentT(1 - alpha / 2, df);
        var result = new (double, double)[d];
        var columns = design.ReplicateWeightColumns;
        var replicates = new double[design.ReplicateCount];
        for (int k = 0; k < d; k++)
        {
            var rows = new List<int>();
            for (int i = 0; i < yArray.Length; i++) if (rowDomain[i] == k && !double.IsNaN(yArray[i])) rows.Add(i);
            // R orders x once (ties in row order); each replicate drops its zero weights and accumulates in long double.
            rows.Sort((a, b) => { int c = yArray[a].CompareTo(yArray[b]); return c != 0 ? c : a.CompareTo(b); });
            var values = new double[rows.Count];
            var cumulative = new double[rows.Count];
            for (int r = 0; r < replicates.Length; r++)
            {
                var column = columns[r];
                int m = 0;
                double hi = 0, lo = 0;
                foreach (var i in rows)
                {
                    if (column[i] == 0) continue;
                    SurveyEstimator.TwoSumAdd(ref hi, ref lo, column[i]);
                    values[m] = yArray[i];
                    cumulative[m++] = hi + lo;
                }
                replicates[r] = SurveyEstimator.QuantileMath(values.AsSpan(0, m), cumulative.AsSpan(0, m), hi + lo, p);
            }
            double variance = ReplicateVariance.Compute(qhat[k], replicates, design.Scale, design.RScalesArray, design.Mse);
            double half = Math.Sqrt(variance) * t;
            result[k] = (qhat[k] - half, qhat[k] + half);
        }
        return result;
    }
}
