using System.Globalization;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Indicators.Composite;

/// <summary>Normalisation formulas (COINr <c>normalise.Rmd</c> [V]; SDR goalposts, methodology-sources §7.2 [V]).</summary>
public static class Normaliser
{
    /// <summary>SDR goalpost score of a raw value: <c>clip(100·(x − worst)/(best − worst), 0, 100)</c>, rescaled to [min, max].</summary>
    /// <param name="x">Raw value.</param>
    /// <param name="worst">Value that scores <paramref name="scoreMin"/> (SDR lower bound).</param>
    /// <param name="best">Value that scores <paramref name="scoreMax"/> (SDR optimum); may be below <paramref name="worst"/>.</param>
    /// <param name="scoreMin">Bottom of the score scale (0 in SDR).</param>
    /// <param name="scoreMax">Top of the score scale (100 in SDR).</param>
    public static double Bounded(double x, double worst, double best, double scoreMin = 0, double scoreMax = 100)
    {
        if (double.IsNaN(x)) return double.NaN;
        var share = Math.Clamp((x - worst) / (best - worst), 0, 1);
        // Written as 100·(x−LB)/(Opt−LB) when the scale is [0,100], the SDR expression, so published scores reproduce bit for bit.
        return scoreMin == 0 && scoreMax == 100
            ? Math.Clamp(100 * (x - worst) / (best - worst), 0, 100)
            : scoreMin + ((scoreMax - scoreMin) * share);
    }

    /// <summary>Normalises one indicator column over the units whose <paramref name="reference"/> flag is set.</summary>
    /// <param name="values">Raw values (NaN = missing), one per unit.</param>
    /// <param name="reference">Units whose values define min, max, mean, sd and ranks; others are scored against them.</param>
    /// <param name="definition">The indicator (direction, bounds, target).</param>
    /// <param name="options">Method and score scale.</param>
    public static double[] Column(IReadOnlyList<double> values, IReadOnlyList<bool> reference, IndicatorDefinition definition, IndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(options);
        var n = values.Count;
        var result = new double[n];
        var sign = definition.Direction == Direction.Positive ? 1.0 : -1.0;
        var refValues = Enumerable.Range(0, n).Where(u => reference[u] && !double.IsNaN(values[u])).Select(u => values[u]).ToArray();
        double lo = options.ScoreMin, hi = options.ScoreMax;
        switch (options.Normalisation)
        {
            case NormalisationMethod.None:
                for (var u = 0; u < n; u++) result[u] = values[u];
                return result;
            case NormalisationMethod.Bounded:
            {
                if (definition.Lower is not { } lower || definition.Upper is not { } upper)
                    throw Fail(definition, "bounded normalisation needs both a lower and an upper bound", "Fill the 'lower' and 'upper' columns or choose another normalisation.");
                var (worst, best) = definition.Direction == Direction.Positive ? (lower, upper) : (upper, lower);
                for (var u = 0; u < n; u++) result[u] = Bounded(values[u], worst, best, lo, hi);
                return result;
            }

            case NormalisationMethod.MinMax:
            case NormalisationMethod.DistanceToTarget:
            {
                if (refValues.Length == 0) return Missing(n);
                var min = refValues.Min();
                var max = refValues.Max();
                if (!(max > min))
                    throw Fail(definition, $"has the same value {min.ToString("R", CultureInfo.InvariantCulture)} for every unit, so {Name(options.Normalisation)} normalisation divides by zero", "Drop the indicator or use bounded normalisation.");
                for (var u = 0; u < n; u++)
                {
                    var x = values[u];
                    if (double.IsNaN(x))
                    {
                        result[u] = double.NaN;
                        continue;
                    }

                    double share;
                    if (options.Normalisation == NormalisationMethod.MinMax)
                    {
                        share = sign > 0 ? (x - min) / (max - min) : (max - x) / (max - min);
                    }
                    else
                    {
                        if (definition.Target is not { } target)
                            throw Fail(definition, "distance-to-target normalisation needs a target", "Fill the 'target' column or choose another normalisation.");
                        var shortfall = sign > 0 ? target - x : x - target;
                        share = Math.Min(1, 1 - (shortfall / (max - min)));
                    }

                    result[u] = lo + ((hi - lo) * share);
                }

                return result;
            }

            case NormalisationMethod.ZScore:
            {
                if (refValues.Length < 2) return Missing(n);
                var mean = refValues.Average();
                var sumSquares = refValues.Sum(v => (v - mean) * (v - mean));
                var sd = Math.Sqrt(sumSquares / (refValues.Length - 1));
                if (!(sd > 0))
                    throw Fail(definition, "has the same value for every unit, so z-score normalisation divides by zero", "Drop the indicator or use bounded normalisation.");
                for (var u = 0; u < n; u++) result[u] = double.IsNaN(values[u]) ? double.NaN : sign * (values[u] - mean) / sd;
                return result;
            }

            case NormalisationMethod.Rank:
            case NormalisationMethod.Percentile:
            {
                var oriented = refValues.Select(v => sign * v).Order().ToArray();
                for (var u = 0; u < n; u++)
                {
                    if (double.IsNaN(values[u]))
                    {
                        result[u] = double.NaN;
                        continue;
                    }

                    var rank = AverageRank(oriented, sign * values[u]);
                    result[u] = options.Normalisation == NormalisationMethod.Rank
                        ? rank
                        : oriented.Length == 1 ? hi : lo + ((hi - lo) * (rank - 1) / (oriented.Length - 1));
                }

                return result;
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Normalisation, "Unknown normalisation method.");
        }
    }

    /// <summary>The average 1-based ascending rank of <paramref name="x"/> in a sorted reference (ties share the mean of their positions).</summary>
    internal static double AverageRank(double[] sortedAscending, double x)
    {
        var below = LowerBound(sortedAscending, x);
        var upTo = UpperBound(sortedAscending, x);
        if (upTo == below) return below + 0.5; // not in the reference: between the neighbours
        return ((below + 1) + upTo) / 2.0;
    }

    private static int LowerBound(double[] a, double x)
    {
        int lo = 0, hi = a.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (a[mid] < x) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    private static int UpperBound(double[] a, double x)
    {
        int lo = 0, hi = a.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (a[mid] <= x) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }

    private static double[] Missing(int n)
    {
        var result = new double[n];
        Array.Fill(result, double.NaN);
        return result;
    }

    internal static string Name(NormalisationMethod method) => method switch
    {
        NormalisationMethod.MinMax => "min-max",
        NormalisationMethod.ZScore => "z-score",
        NormalisationMethod.DistanceToTarget => "distance-to-target",
        _ => method.ToString().ToLowerInvariant(),
    };

    private static InputDataException Fail(IndicatorDefinition definition, string rule, string hint) =>
        new(SourceLocation.OfFile("framework"), $"indicator '{definition.Code}' {rule}.", hint);
}
