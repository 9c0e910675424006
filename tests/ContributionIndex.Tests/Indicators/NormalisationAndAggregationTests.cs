using ContributionIndex.Indicators.Composite;

namespace ContributionIndex.Tests.Indicators;

public class NormalisationAndAggregationTests
{
    private const double Tol = 1e-12;
    private static readonly bool[] All4 = [true, true, true, true];

    private static double[] Norm(double[] x, NormalisationMethod method, Direction direction = Direction.Positive, double? lower = null, double? upper = null, double? target = null) =>
        Normaliser.Column(x, All4, new IndicatorDefinition("x", "P", direction, lower, upper, null, target), new IndexOptions { Normalisation = method });

    [Fact]
    public void Min_max_by_hand()
    {
        // x = 2, 4, 6, 10: min 2, max 10, range 8 → 100·(x−2)/8 = 0, 25, 50, 100; for − it is 100·(10−x)/8 = 100, 75, 50, 0.
        Assert.Equal([0, 25, 50, 100], Norm([2, 4, 6, 10], NormalisationMethod.MinMax));
        Assert.Equal([100, 75, 50, 0], Norm([2, 4, 6, 10], NormalisationMethod.MinMax, Direction.Negative));
    }

    [Fact]
    public void Z_score_by_hand()
    {
        // mean 5.5; deviations −3.5, −1.5, 0.5, 4.5; squares sum 35; sd = √(35/3) = 3.415650255319866.
        var z = Norm([2, 4, 6, 10], NormalisationMethod.ZScore);
        var sd = Math.Sqrt(35.0 / 3);
        Assert.Equal(-3.5 / sd, z[0], Tol);
        Assert.Equal(-1.0246950765959597, z[0], 1e-12);
        Assert.Equal(1.3174650984805196, z[3], 1e-12);
        Assert.Equal(3.5 / sd, Norm([2, 4, 6, 10], NormalisationMethod.ZScore, Direction.Negative)[0], Tol);
    }

    [Fact]
    public void Rank_and_percentile_average_ties_by_hand()
    {
        // 2, 4, 4, 10: ascending positions 1, 2, 3, 4; the tie shares (2+3)/2 = 2.5. Percentile 100·(r−1)/(n−1): 0, 50, 50, 100.
        Assert.Equal([1, 2.5, 2.5, 4], Norm([2, 4, 4, 10], NormalisationMethod.Rank));
        Assert.Equal([0, 50, 50, 100], Norm([2, 4, 4, 10], NormalisationMethod.Percentile));
        Assert.Equal([4, 2.5, 2.5, 1], Norm([2, 4, 4, 10], NormalisationMethod.Rank, Direction.Negative));
    }

    [Fact]
    public void Bounded_goalposts_clip_by_hand()
    {
        // lower 0, upper 8: 100·x/8 = 25, 50, 75, 125 → clipped 100. For −: 100·(8−x)/8 = 75, 50, 25, −25 → 0.
        Assert.Equal([25, 50, 75, 100], Norm([2, 4, 6, 10], NormalisationMethod.Bounded, Direction.Positive, 0, 8));
        Assert.Equal([75, 50, 25, 0], Norm([2, 4, 6, 10], NormalisationMethod.Bounded, Direction.Negative, 0, 8));
        // O6 (methodology-sources §9): sdg1_wpc LB 72.6, optimum 0, raw 2 → 100·(2−72.6)/(0−72.6) = 97.2452…
        Assert.Equal(97.2452, Normaliser.Bounded(2, 72.6, 0), 4);
    }

    [Fact]
    public void Distance_to_target_by_hand()
    {
        // target 8, range 8: 100·min(1, 1 − (8 − x)/8) = 25, 50, 75, min(100, 125) = 100.
        Assert.Equal([25, 50, 75, 100], Norm([2, 4, 6, 10], NormalisationMethod.DistanceToTarget, target: 8));
        // − with target 4: 100·min(1, 1 − (x − 4)/8) = 100 (capped from 125), 100, 75, 25.
        Assert.Equal([100, 100, 75, 25], Norm([2, 4, 6, 10], NormalisationMethod.DistanceToTarget, Direction.Negative, target: 4));
    }

    [Fact]
    public void Missing_values_stay_missing_and_do_not_shift_the_reference()
    {
        var s = Norm([2, double.NaN, 6, 10], NormalisationMethod.MinMax);
        Assert.True(double.IsNaN(s[1]));
        Assert.Equal([0, 50, 100], new[] { s[0], s[2], s[3] });
    }

    [Fact]
    public void Constant_indicator_is_a_clear_error_for_min_max()
    {
        var ex = Assert.ThrowsAny<Exception>(() => Norm([3, 3, 3, 3], NormalisationMethod.MinMax));
        Assert.Contains("same value", ex.Message);
    }

    [Fact]
    public void Means_by_hand()
    {
        double[] x = [4, 9];
        double[] equal = [1, 1];
        Assert.Equal(6.5, Aggregator.Mean(x, equal, AggregationMethod.Arithmetic), Tol);
        Assert.Equal(6, Aggregator.Mean(x, equal, AggregationMethod.Geometric), Tol); // √36
        Assert.Equal(72.0 / 13, Aggregator.Mean(x, equal, AggregationMethod.Harmonic), Tol); // 2/(1/4+1/9) = 2/(13/36)
        Assert.Equal(Math.Sqrt(48.5), Aggregator.Mean(x, equal, AggregationMethod.Generalised, 2), Tol); // √((16+81)/2)
        Assert.Equal(6, Aggregator.Mean(x, equal, AggregationMethod.Generalised, 0), Tol); // p = 0 is geometric

        double[] weighted = [1, 3];
        Assert.Equal(7.75, Aggregator.Mean(x, weighted, AggregationMethod.Arithmetic), Tol); // (4+27)/4
        Assert.Equal(Math.Sqrt(54), Aggregator.Mean(x, weighted, AggregationMethod.Geometric), Tol); // (4·9³)^(1/4) = 2916^(1/4) = √54
        Assert.Equal(48.0 / 7, Aggregator.Mean(x, weighted, AggregationMethod.Harmonic), Tol); // 4/(1/4+3/9) = 4/(7/12)

        // Missing values are skipped and the other weights renormalised.
        Assert.Equal(6.5, Aggregator.Mean([4, double.NaN, 9], [1, 5, 1], AggregationMethod.Arithmetic), Tol);
        Assert.True(double.IsNaN(Aggregator.Mean([double.NaN], [1], AggregationMethod.Arithmetic)));
    }

    [Fact]
    public void Geometric_mean_of_zero_is_rejected_with_a_hint()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Aggregator.Mean([0, 9], [1, 1], AggregationMethod.Geometric));
        Assert.Contains("positive", ex.Message);
    }

    [Fact]
    public void Ranks_share_the_best_place_on_ties()
    {
        Assert.Equal([3, 1, 1, null, 4], Ranking.Descending([5, 9, 9, double.NaN, 1]));
    }
}
