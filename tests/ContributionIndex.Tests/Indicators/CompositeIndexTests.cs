using ContributionIndex.Diagnostics;
using ContributionIndex.Indicators.Composite;

namespace ContributionIndex.Tests.Indicators;

public class CompositeIndexTests
{
    private const double Tol = 1e-12;

    // Pillar P1 = {a, b}, P2 = {c}; scores are already normalised (NormalisationMethod.None).
    private static readonly Framework Small = new(
    [
        new IndicatorDefinition("a", "P1", Direction.Positive),
        new IndicatorDefinition("b", "P1", Direction.Positive),
        new IndicatorDefinition("c", "P2", Direction.Positive),
    ]);

    private static readonly Dictionary<string, string> Groups = new() { ["U1"] = "G1", ["U2"] = "G1", ["U3"] = "G1", ["U4"] = "G2" };

    private static IndicatorData SmallData() => IndicatorData.FromMatrix(Small, ["U1", "U2", "U3", "U4"], new double[,]
    {
        { 60, 80, 50 },
        { 40, double.NaN, 70 },
        { double.NaN, double.NaN, 90 },
        { 50, 70, double.NaN },
    });

    [Fact]
    public void Group_mean_imputation_and_tied_ranks_by_hand()
    {
        var r = CompositeIndex.Compute(SmallData(), new IndexOptions { Normalisation = NormalisationMethod.None, Imputation = ImputationMethod.GroupMean, Groups = Groups });
        // U1: P1 = (60+80)/2 = 70, P2 = 50, index 60.  U2: P1 = 40 (b missing), P2 = 70, index 55.
        // U3: P1 missing → mean of G1 donors U1, U2 = (70+40)/2 = 55; index (55+90)/2 = 72.5.
        // U4: P2 missing, G2 has no donor → stays missing; index over available pillars = P1 = (50+70)/2 = 60.
        Assert.Equal([60, 55, 72.5, 60], r.IndexScores.ToArray());
        Assert.True(r.IsPillarImputed(2, 0));
        Assert.False(r.IsPillarImputed(3, 1));
        Assert.True(double.IsNaN(r.PillarScore(3, 1)));
        // Ranks: U3 first, U1 and U4 tie at 60 and share 2nd, U2 is 4th.
        Assert.Equal([2, 4, 1, 2], r.IndexRanks.Select(x => x!.Value).ToArray());
    }

    [Fact]
    public void Pillar_coverage_threshold_makes_thin_pillars_missing()
    {
        var r = CompositeIndex.Compute(SmallData(), new IndexOptions { Normalisation = NormalisationMethod.None, MinPillarCoverage = 0.6, Imputation = ImputationMethod.GroupMean, Groups = Groups });
        // U2's P1 has 1 of 2 indicators (0.5 < 0.6) → missing → G1 donors with an observed P1: only U1 (70).
        Assert.Equal(70, r.PillarScore(1, 0), Tol);
        Assert.Equal(70, r.IndexScore(1), Tol); // (70 + 70)/2
        Assert.Equal(80, r.IndexScore(2), Tol); // (70 + 90)/2
    }

    [Fact]
    public void Unit_coverage_threshold_screens_out_and_removes_donors()
    {
        var r = CompositeIndex.Compute(SmallData(), new IndexOptions { Normalisation = NormalisationMethod.None, MinUnitCoverage = 0.5 });
        // U3 has 1 of 3 indicators (0.333 < 0.5): no index score, no rank.
        Assert.False(r.IsRanked(2));
        Assert.True(double.IsNaN(r.IndexScore(2)));
        Assert.Null(r.IndexRank(2));
        Assert.Equal(1.0 / 3, r.UnitCoverage(2), Tol);
    }

    [Fact]
    public void Previous_year_imputation_fills_raw_values()
    {
        var previous = IndicatorData.FromObservations(Small, [new Observation("U3", "a", 30), new Observation("U9", "a", 1)]);
        var r = CompositeIndex.Compute(SmallData(), new IndexOptions { Normalisation = NormalisationMethod.None, Imputation = ImputationMethod.PreviousYear, PreviousPeriod = previous });
        // U3: a = 30 from the previous year, b still missing → P1 = 30; index (30 + 90)/2 = 60.
        Assert.Equal(60, r.IndexScore(2), Tol);
        Assert.True(r.IsIndicatorImputed(2, 0));
    }

    [Fact]
    public void Explicit_weights_and_geometric_index_by_hand()
    {
        var weighted = new Framework(
        [
            new IndicatorDefinition("a", "P1", Direction.Positive, Weight: 1),
            new IndicatorDefinition("b", "P1", Direction.Positive, Weight: 3),
            new IndicatorDefinition("c", "P2", Direction.Positive, Weight: 1),
        ]);
        var data = IndicatorData.FromMatrix(weighted, ["U"], new double[,] { { 4, 9, 6 } });
        var r = CompositeIndex.Compute(data, new IndexOptions { Normalisation = NormalisationMethod.None, Weighting = WeightingMethod.Explicit, PillarAggregation = AggregationMethod.Geometric, IndexAggregation = AggregationMethod.Geometric });
        // P1 = (4·9³)^(1/4) = √54; index = √(√54 · 6).
        Assert.Equal(Math.Sqrt(54), r.PillarScore(0, 0), Tol);
        Assert.Equal(Math.Sqrt(Math.Sqrt(54) * 6), r.IndexScore(0), Tol);
    }

    [Fact]
    public void Pca_weights_by_hand_on_two_orthogonal_blocks()
    {
        // Columns built from Walsh vectors (orthogonal, zero mean, equal norm) of the 8×8 Sylvester Hadamard matrix:
        // x1 = e1, x2 = 0.8e1 + 0.6e2 (corr 0.8); x3 = e4, x4 = 0.6e4 + 0.8e7 (corr 0.6); the blocks are uncorrelated.
        // Eigenvalues of R: 1.8, 1.6, 0.4, 0.2 → retain 1.8 and 1.6 (λ > 1, shares 45 % and 40 %, cumulative 85 %).
        // Loadings are already simple structure: √0.9 on x1, x2 (factor 1), √0.8 on x3, x4 (factor 2); varimax keeps them.
        // Scaled squared loadings 0.9/1.8 = 0.5 and 0.8/1.6 = 0.5; factor shares 1.8/3.4 and 1.6/3.4.
        // Weights 0.5·1.8/3.4 = 9/34 for x1, x2 and 0.5·1.6/3.4 = 8/34 for x3, x4 (already summing to 1).
        var scores = new double[8, 4];
        for (var i = 0; i < 8; i++)
        {
            double Walsh(int j) => int.IsEvenInteger(int.PopCount(i & j)) ? 1 : -1;
            scores[i, 0] = 50 + Walsh(1);
            scores[i, 1] = 50 + (0.8 * Walsh(1)) + (0.6 * Walsh(2));
            scores[i, 2] = 50 + Walsh(4);
            scores[i, 3] = 50 + (0.6 * Walsh(4)) + (0.8 * Walsh(7));
        }

        var pca = PcaWeighting.Compute(scores);
        Assert.Equal(2, pca.RetainedFactors);
        Assert.Equal([1.8, 1.6, 0.4, 0.2], pca.Eigenvalues.Select(v => Math.Round(v, 10)).ToArray());
        Assert.Equal(0.85, pca.CumulativeShare, 1e-10);
        Assert.Equal(9.0 / 34, pca.Weights[0], 1e-9);
        Assert.Equal(9.0 / 34, pca.Weights[1], 1e-9);
        Assert.Equal(8.0 / 34, pca.Weights[2], 1e-9);
        Assert.Equal(8.0 / 34, pca.Weights[3], 1e-9);
    }

    [Fact]
    public void Unknown_indicator_and_duplicate_rows_name_the_line()
    {
        var unknown = Assert.Throws<InputDataException>(() => IndicatorData.FromObservations(Small, [new Observation("U1", "zz", 1, new SourceLocation("data.csv", 7, 2))]));
        Assert.Contains("data.csv:7:2", unknown.Message);
        Assert.Contains("'zz' is not in the framework", unknown.Message);
        var duplicate = Assert.Throws<InputDataException>(() => IndicatorData.FromObservations(Small,
            [new Observation("U1", "a", 1, new SourceLocation("data.csv", 2, 0)), new Observation("U1", "a", 2, new SourceLocation("data.csv", 9, 0))]));
        Assert.Contains("data.csv:9", duplicate.Message);
        Assert.Contains("first at data.csv:2", duplicate.Message);
    }

    [Fact]
    public void Framework_rejects_duplicates_and_mixed_weights()
    {
        Assert.Throws<InputDataException>(() => new Framework([new("a", "P", Direction.Positive), new("a", "Q", Direction.Positive)]));
        var mixed = Assert.Throws<InputDataException>(() => new Framework([new("a", "P", Direction.Positive, Weight: 1), new("b", "P", Direction.Positive)]));
        Assert.Contains("for every indicator of the pillar or for none", mixed.Message);
        Assert.Throws<InputDataException>(() => new Framework([new("a", "P", Direction.Positive, 5, 1)]));
        Assert.False(DirectionText.TryParse("up", out _));
        Assert.True(DirectionText.TryParse("\u2212", out var minus) && minus == Direction.Negative);
    }
}
