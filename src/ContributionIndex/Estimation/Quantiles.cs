using MathNet.Numerics.Distributions;

namespace ContributionIndex.Estimation;

/// <summary>Critical values of the normal and t distributions to full double precision.</summary>
/// <remarks>
/// Math.NET's <c>StudentT.InvCDF</c> solves with a 1e-8 tolerance, too coarse for R parity at 1e-10, so its answer is
/// polished with Newton steps on the t CDF (regularised incomplete beta). df = ∞ gives the normal quantile.
/// </remarks>
public static class CriticalValues
{
    /// <summary>The p-quantile of the t distribution with <paramref name="degreesOfFreedom"/> (normal when infinite; NaN when df ≤ 0).</summary>
    public static double StudentT(double p, double degreesOfFreedom)
    {
        if (double.IsNaN(p) || p <= 0 || p >= 1 || double.IsNaN(degreesOfFreedom) || degreesOfFreedom <= 0) return double.NaN;
        if (double.IsPositiveInfinity(degreesOfFreedom)) return Normal.InvCDF(0, 1, p);
        if (p == 0.5) return 0;
        if (p < 0.5) return -StudentT(1 - p, degreesOfFreedom);
        double x = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, degreesOfFreedom, p);
        for (int iteration = 0; iteration < 8; iteration++)
        {
            // Upper tail 1 − F(x) = I_{df/(df+x²)}(df/2, 1/2)/2 keeps precision for p near 1.
            double upper = 0.5 * MathNet.Numerics.SpecialFunctions.BetaRegularized(degreesOfFreedom / 2, 0.5, degreesOfFreedom / (degreesOfFreedom + x * x));
            double density = MathNet.Numerics.Distributions.StudentT.PDF(0, 1, degreesOfFreedom, x);
            double step = ((1 - p) - upper) / density;
            x -= step;
            if (Math.Abs(step) <= 1e-15 * Math.Abs(x)) break;
        }
        return x;
    }

    /// <summary>The p-quantile of the beta distribution with shapes <paramref name="a"/> and <paramref name="b"/> (R <c>qbeta</c>); 0 when a = 0, 1 when b = 0.</summary>
    /// <remarks>Math.NET's inverse is polished with Newton steps on the regularised incomplete beta, as for <see cref="StudentT"/>.</remarks>
    public static double Beta(double p, double a, double b)
    {
        if (double.IsNaN(p) || double.IsNaN(a) || double.IsNaN(b) || a < 0 || b < 0 || p < 0 || p > 1) return double.NaN;
        if (a == 0 || p == 0) return 0;
        if (b == 0 || p == 1) return 1;
        double x = MathNet.Numerics.Distributions.Beta.InvCDF(a, b, p);
        for (int iteration = 0; iteration < 20; iteration++)
        {
            double density = MathNet.Numerics.Distributions.Beta.PDF(a, b, x);
            if (!(density > 0)) break;
            double step = (MathNet.Numerics.SpecialFunctions.BetaRegularized(a, b, x) - p) / density;
            double next = Math.Clamp(x - step, x / 2, x + (1 - x) / 2);
            if (next == x) break;
            x = next;
            if (Math.Abs(step) <= 1e-15 * x) break;
        }
        return x;
    }

    /// <summary>The two-sided p-value 2·P(T &gt; |t|) of the t distribution with <paramref name="degreesOfFreedom"/> (normal when infinite).</summary>
    public static double TwoSidedT(double t, double degreesOfFreedom)
    {
        if (double.IsNaN(t) || double.IsNaN(degreesOfFreedom) || degreesOfFreedom <= 0) return double.NaN;
        if (double.IsInfinity(t)) return 0;
        if (double.IsPositiveInfinity(degreesOfFreedom)) return 2 * Normal.CDF(0, 1, -Math.Abs(t));
        return MathNet.Numerics.SpecialFunctions.BetaRegularized(degreesOfFreedom / 2, 0.5, degreesOfFreedom / (degreesOfFreedom + t * t));
    }

    /// <summary>The upper tail P(F &gt; f) of the F distribution with <paramref name="numeratorDf"/> and <paramref name="denominatorDf"/> (R <c>pf(lower.tail = FALSE)</c>).</summary>
    public static double UpperF(double f, double numeratorDf, double denominatorDf)
    {
        if (double.IsNaN(f) || !(numeratorDf > 0) || !(denominatorDf > 0)) return double.NaN;
        if (f <= 0) return 1;
        if (double.IsPositiveInfinity(denominatorDf))
            return 1 - MathNet.Numerics.SpecialFunctions.GammaLowerRegularized(numeratorDf / 2, numeratorDf * f / 2);
        return MathNet.Numerics.SpecialFunctions.BetaRegularized(denominatorDf / 2, numeratorDf / 2, denominatorDf / (denominatorDf + numeratorDf * f));
    }
}
