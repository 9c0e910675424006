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
}
