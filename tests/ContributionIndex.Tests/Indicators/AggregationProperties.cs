using ContributionIndex.Indicators.Composite;
using FsCheck;
using FsCheck.Xunit;

namespace ContributionIndex.Tests.Indicators;

public class AggregationProperties
{
    /// <summary>Power-mean inequality for positive values: harmonic ≤ geometric ≤ arithmetic ≤ quadratic, all within [min, max].</summary>
    [Property]
    public bool Means_are_ordered_and_bounded(NonEmptyArray<PositiveInt> values, NonEmptyArray<PositiveInt> weights)
    {
        var x = values.Get.Select(v => (double)v.Get).ToArray();
        var w = Enumerable.Range(0, x.Length).Select(i => (double)weights.Get[i % weights.Get.Length].Get).ToArray();
        var h = Aggregator.Mean(x, w, AggregationMethod.Harmonic);
        var g = Aggregator.Mean(x, w, AggregationMethod.Geometric);
        var a = Aggregator.Mean(x, w, AggregationMethod.Arithmetic);
        var q = Aggregator.Mean(x, w, AggregationMethod.Generalised, 2);
        var eps = 1e-9 * x.Max();
        return h <= g + eps && g <= a + eps && a <= q + eps && h >= x.Min() - eps && q <= x.Max() + eps;
    }

    /// <summary>Min-max scores lie in [0, 100], the best unit scores 100 and the worst 0, whatever the direction.</summary>
    [Property]
    public bool Min_max_scores_span_0_to_100(NonEmptyArray<int> values, bool negative)
    {
        var x = values.Get.Select(v => (double)v).ToArray();
        if (x.Distinct().Count() < 2) return true;
        var s = Normaliser.Column(x, [.. x.Select(_ => true)], new IndicatorDefinition("x", "P", negative ? Direction.Negative : Direction.Positive), new IndexOptions { Normalisation = NormalisationMethod.MinMax });
        var best = negative ? Array.IndexOf(x, x.Min()) : Array.IndexOf(x, x.Max());
        return s.All(v => v is >= 0 and <= 100) && s[best] == 100 && s.Min() == 0;
    }
}
