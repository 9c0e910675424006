using System.Globalization;

namespace ContributionIndex.Indicators.Composite;

/// <summary>Weighted means (COINr <c>aggregate.Rmd</c> [V]): arithmetic, geometric, harmonic and generalised (power p).</summary>
public static class Aggregator
{
    /// <summary>Weighted mean of the values whose value is not NaN and whose weight is positive; NaN when none remain.</summary>
    /// <param name="values">Scores (NaN = missing, skipped: the weights of the rest are renormalised).</param>
    /// <param name="weights">Non-negative weights, one per value.</param>
    /// <param name="method">Which mean.</param>
    /// <param name="power">Exponent p of the generalised mean.</param>
    /// <exception cref="ArgumentOutOfRangeException">A geometric, harmonic or power mean with p ≤ 0 meets a value ≤ 0.</exception>
    public static double Mean(ReadOnlySpan<double> values, ReadOnlySpan<double> weights, AggregationMethod method, double power = 1)
    {
        if (values.Length != weights.Length) throw new ArgumentException("Values and weights differ in length.", nameof(weights));
        if (method == AggregationMethod.Generalised && power == 0) method = AggregationMethod.Geometric;
        if (method == AggregationMethod.Generalised && power == 1) method = AggregationMethod.Arithmetic;
        double sumW = 0, acc = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var x = values[i];
            var w = weights[i];
            if (double.IsNaN(x) || !(w > 0)) continue;
            sumW += w;
            switch (method)
            {
                case AggregationMethod.Arithmetic:
                    acc += w * x;
                    break;
                case AggregationMethod.Geometric:
                    RequirePositive(x, "geometric");
                    acc += w * Math.Log(x);
                    break;
                case AggregationMethod.Harmonic:
                    RequirePositive(x, "harmonic");
                    acc += w / x;
                    break;
                case AggregationMethod.Generalised:
                    if (power < 0) RequirePositive(x, "power (p < 0)");
                    acc += w * Math.Pow(x, power);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown aggregation method.");
            }
        }

        if (sumW == 0) return double.NaN;
        return method switch
        {
            AggregationMethod.Arithmetic => acc / sumW,
            AggregationMethod.Geometric => Math.Exp(acc / sumW),
            AggregationMethod.Harmonic => sumW / acc,
            _ => Math.Pow(acc / sumW, 1 / power),
        };
    }

    private static void RequirePositive(double x, string name)
    {
        if (!(x > 0))
            throw new ArgumentOutOfRangeException(nameof(x), x, string.Create(CultureInfo.InvariantCulture, $"the {name} mean needs positive scores but met {x:R}"));
    }
}
