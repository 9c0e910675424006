using ContributionIndex.Estimation;

namespace ContributionIndex.Tests.Estimation;

public sealed class ReplicateVarianceTests
{
    [Fact]
    public void Centres_on_replicate_mean_or_full_sample()
    {
        // θ_r = 1, 2, 3, 6; mean 3; deviations −2, −1, 0, 3 → Σ² = 14; × scale 0.5 = 7.
        double[] thetas = [1, 2, 3, 6];
        double[] ones = [1, 1, 1, 1];
        Assert.Equal(7.0, ReplicateVariance.Compute(2.5, thetas, 0.5, ones, mse: false), 14);
        // mse: deviations from θ = 2.5 are −1.5, −0.5, 0.5, 3.5 → Σ² = 15; × 0.5 = 7.5.
        Assert.Equal(7.5, ReplicateVariance.Compute(2.5, thetas, 0.5, ones, mse: true), 14);
    }

    [Fact]
    public void Drops_NaN_replicates_and_averages_over_positive_rscales_as_R_svrVar()
    {
        // NaN dropped: 1, 3 → mean 2 → (1 + 1) × 0.5 = 1.
        Assert.Equal(1.0, ReplicateVariance.Compute(0, [1, double.NaN, 3], 0.5, [1, 1, 1], false), 14);
        // rscale 0 excluded from the mean (R: mean(thetas[rscales > 0])): mean of 1, 2, 3 = 2 → 1 + 0 + 1 = 2.
        Assert.Equal(2.0, ReplicateVariance.Compute(0, [1, 2, 3, 100], 1, [1, 1, 1, 0], false), 14);
        Assert.True(double.IsNaN(ReplicateVariance.Compute(0, [double.NaN, double.NaN], 1, [1, 1], false)));
    }

    [Fact]
    public void Covariance_of_a_statistic_with_itself_is_its_variance()
    {
        double[] a = [1.5, 2.25, -0.5, 4];
        double[] rs = [0.75, 0.75, 0.5, 1];
        Assert.Equal(ReplicateVariance.Compute(1, a, 0.3, rs, false), ReplicateVariance.Covariance(1, a, 1, a, 0.3, rs, false), 14);
        Assert.Equal(ReplicateVariance.Compute(1, a, 0.3, rs, true), ReplicateVariance.Covariance(1, a, 1, a, 0.3, rs, true), 14);
    }
}

public sealed class CriticalValueTests
{
    [Theory]
    // R 4.2.2: sprintf("%.17g", qt(p, df)) and qnorm(0.975).
    [InlineData(0.975, 1, 12.706204736174694)]
    [InlineData(0.975, 10, 2.2281388519862739)]
    [InlineData(0.975, 197, 1.972079033778501)]
    [InlineData(0.995, 3, 5.8409093097333544)]
    [InlineData(0.025, 14, -2.1447866879178044)]
    [InlineData(0.9, 2.5, 1.7302509288071761)]
    [InlineData(0.975, double.PositiveInfinity, 1.9599639845400536)]
    public void Match_R_qt_and_qnorm(double p, double df, double expected)
    {
        var actual = CriticalValues.StudentT(p, df);
        Assert.True(Math.Abs(actual - expected) <= 1e-13 * Math.Abs(expected), $"qt({p}, {df}) = {actual:R}, R {expected:R}");
    }

    [Fact]
    public void Zero_df_gives_NaN_as_R()
    {
        Assert.True(double.IsNaN(CriticalValues.StudentT(0.975, 0)));
    }
}

public sealed class QualityRulesTests
{
    [Theory]
    // methodology-sources.md §8: StatCan bands 0–16.5 release, 16.6–33.3 caution, > 33.3 suppress; O17: CV 0.20 → E, 0.40 → F.
    [InlineData(0.0, QualityFlag.Publish)]
    [InlineData(0.165, QualityFlag.Publish)]
    [InlineData(0.166, QualityFlag.Caution)]
    [InlineData(0.20, QualityFlag.Caution)]
    [InlineData(0.333, QualityFlag.Caution)]
    [InlineData(0.334, QualityFlag.Suppress)]
    [InlineData(0.40, QualityFlag.Suppress)]
    [InlineData(double.PositiveInfinity, QualityFlag.Suppress)]
    [InlineData(double.NaN, QualityFlag.Suppress)]
    public void Statistics_Canada_boundaries(double cv, QualityFlag expected)
    {
        Assert.Equal(expected, QualityRules.StatisticsCanada.Classify(cv, 100));
    }

    [Fact]
    public void Statistics_Canada_minimum_count_O17()
    {
        // O17: n = 9 → suppress even with a tiny CV; n = 10 is enough.
        Assert.Equal(QualityFlag.Suppress, QualityRules.StatisticsCanada.Classify(0.01, 9));
        Assert.Equal(QualityFlag.Publish, QualityRules.StatisticsCanada.Classify(0.01, 10));
    }

    [Theory]
    // ABS 8146.0: RSE 25–50 % "*" caution, > 50 % "**"; O16: 0.30 → *, 0.55 → **; boundaries 0.25 → *, 0.50 → *, 0.5001 → **.
    [InlineData(0.0999, QualityFlag.Publish)]
    [InlineData(0.2499, QualityFlag.Publish)]
    [InlineData(0.25, QualityFlag.Caution)]
    [InlineData(0.30, QualityFlag.Caution)]
    [InlineData(0.50, QualityFlag.Caution)]
    [InlineData(0.5001, QualityFlag.Suppress)]
    [InlineData(0.55, QualityFlag.Suppress)]
    public void ABS_boundaries_O16(double rse, QualityFlag expected)
    {
        Assert.Equal(expected, QualityRules.AustralianBureauOfStatistics.Classify(rse, 100));
    }
}

public sealed class EstimatorBehaviourTests
{
    // Two strata of four PSUs (one row each), weights 10; y chosen for hand calculation.
    private static TaylorDesign SmallDesign(LonelyPsuPolicy policy = LonelyPsuPolicy.Fail) => TaylorDesign.Create(
        [10, 10, 10, 10, 10, 10, 10, 10], ["a", "a", "a", "a", "b", "b", "b", "b"], ["1", "2", "3", "4", "1", "2", "3", "4"], default, policy);

    [Fact]
    public void Total_variance_by_hand()
    {
        // Stratum a: w·y = 10, 20, 30, 40 → mean 25, Σ dev² = 500, × 4/3 = 666.67; stratum b: 0, 0, 0, 40 → mean 10,
        // Σ dev² = 300 + 900 = 1200, × 4/3 = 1600. Total variance 2266.67; df = 8 PSUs − 2 strata = 6.
        var design = SmallDesign();
        var e = SurveyEstimator.Total(design, "y", [1, 2, 3, 4, 0, 0, 0, 4], DomainPartition.Whole(8)).Single();
        Assert.Equal(140, e.Value, 12);
        Assert.Equal(4.0 / 3 * 1700, e.Variance, 9);
        Assert.Equal(6, e.DegreesOfFreedom);
        var t = CriticalValues.StudentT(0.975, 6);
        Assert.Equal(140 - t * Math.Sqrt(4.0 / 3 * 1700), e.ConfidenceLow, 9);
        Assert.Equal(QualityFlag.Suppress, e.Flag); // 8 observations < 10
    }

    [Fact]
    public void Normal_and_t_intervals_as_R_confint()
    {
        // confint(est) uses qnorm(0.975) = 1.959963984540054; confint(est, df = 6) uses qt(0.975, 6) = 2.4469118511449688 (R 4.2.2).
        var e = SurveyEstimator.Total(SmallDesign(), "y", [1, 2, 3, 4, 0, 0, 0, 4], DomainPartition.Whole(8)).Single();
        var normal = e.SymmetricInterval(0.95, double.PositiveInfinity);
        Assert.Equal(140 - 1.959963984540054 * e.StandardError, normal.Low, 10);
        var t = e.SymmetricInterval(0.95, 6);
        Assert.Equal(140 + 2.4469118511449688 * e.StandardError, t.High, 10);
        Assert.Equal(t.Low, e.ConfidenceLow, 12);
        var normalOptions = SurveyEstimator.Total(SmallDesign(), "y", [1, 2, 3, 4, 0, 0, 0, 4], DomainPartition.Whole(8),
            new EstimationOptions(DegreesOfFreedom: double.PositiveInfinity)).Single();
        Assert.Equal(normal.Low, normalOptions.ConfidenceLow, 12);
    }

    [Fact]
    public void Empty_domain_gives_NaN_and_is_suppressed()
    {
        // R returns 0 with SE 0 for a mean over an empty subset (colSums of no rows); an undefined estimate is NaN here.
        var design = SmallDesign();
        var e = SurveyEstimator.Mean(design, "y", [1, 2, 3, 4, 0, 0, 0, 4], DomainPartition.Whole(8, new bool[8])).Single();
        Assert.True(double.IsNaN(e.Value));
        Assert.Equal(0, e.UnweightedCount);
        Assert.Equal(QualityFlag.Suppress, e.Flag);
    }

    [Fact]
    public void Covariances_add_up_for_totals_in_both_design_kinds()
    {
        double[] y1 = [1, 2, 3, 4, 0, 0, 0, 4];
        double[] y2 = [2, 0, 1, 5, 3, 1, 0, 2];
        var sum = y1.Zip(y2, (a, b) => a + b).ToArray();
        var taylor = SmallDesign();
        foreach (SurveyDesign design in new SurveyDesign[] { taylor, ReplicateConversion.Jkn(taylor) })
        {
            var whole = DomainPartition.Whole(8);
            var t1 = SurveyEstimator.Total(design, "y1", y1, whole).Single();
            var t2 = SurveyEstimator.Total(design, "y2", y2, whole).Single();
            var ts = SurveyEstimator.Total(design, "s", sum, whole).Single();
            Assert.Equal(ts.Variance, t1.Variance + t2.Variance + 2 * SurveyEstimate.Covariance(t1, t2), 8);
            Assert.Equal(t1.Variance, SurveyEstimate.Covariance(t1, t1), 8);
        }
    }

    [Fact]
    public void Covariance_refuses_estimates_of_two_designs_even_with_matching_replicate_counts()
    {
        double[] y = [1, 2, 3, 4, 0, 0, 0, 4];
        var whole = DomainPartition.Whole(8);
        var taylor = SmallDesign();
        var jknA = ReplicateConversion.Jkn(taylor);
        var jknB = ReplicateConversion.Jkn(taylor); // the same replicates, but another design object
        Assert.Equal(jknA.ReplicateCount, jknB.ReplicateCount);
        var a = SurveyEstimator.Total(jknA, "y", y, whole).Single();
        var b = SurveyEstimator.Total(jknB, "y", y, whole).Single();
        Assert.Same(jknA, ((ReplicateComponents)a.Components!).Design);
        var error = Assert.Throws<InvalidOperationException>(() => SurveyEstimate.Covariance(a, b));
        Assert.Contains("different survey designs", error.Message, StringComparison.Ordinal);

        var t1 = SurveyEstimator.Total(taylor, "y", y, whole).Single();
        var t2 = SurveyEstimator.Total(SmallDesign(), "y", y, whole).Single();
        Assert.Throws<InvalidOperationException>(() => SurveyEstimate.Covariance(t1, t2));
        Assert.Throws<InvalidOperationException>(() => SurveyEstimate.Covariance(t1, a)); // Taylor with replicate
        // The same design still gives the variance as the covariance of an estimate with itself.
        Assert.Equal(a.Variance, SurveyEstimate.Covariance(a, a), 12);
        Assert.Equal(t1.Variance, SurveyEstimate.Covariance(t1, t1), 12);
    }

    [Fact]
    public void Jackknife_conversions_refuse_the_wrong_design_as_R()
    {
        Assert.Contains("stratified", Assert.Throws<EstimationException>(() => ReplicateConversion.Jk1(SmallDesign())).Message);
        var unstratified = TaylorDesign.Create([1, 1, 1], null, ["1", "2", "3"]);
        Assert.Contains("JK1", Assert.Throws<EstimationException>(() => ReplicateConversion.Jkn(unstratified)).Message);
    }

    [Fact]
    public void Lonely_psu_fail_names_the_stratum_for_jackknife_conversion()
    {
        var design = TaylorDesign.Create([1, 1, 1, 1], ["a", "a", "a", "solo"], ["1", "2", "3", "1"]);
        Assert.Contains("Stratum (solo)", Assert.Throws<EstimationException>(() => ReplicateConversion.Jkn(design)).Message);
    }

    [Fact]
    public void Quantile_rule_reproduces_R_qrule_math_including_its_first_value_quirk()
    {
        // R: survey:::qrule_math(c(1,2,3,4), rep(1,4), p) = 2 (p = 0.1), 1 (0.25), 2 (0.26), 4 (1), 2 (p = 0);
        // qrule_math(c(4,1,3,2), c(1,2,3,4), 0.5) = 2.
        double[] x = [1, 2, 3, 4];
        double[] cum = [1, 2, 3, 4];
        Assert.Equal(2, SurveyEstimator.QuantileMath(x, cum, 4, 0.1));
        Assert.Equal(1, SurveyEstimator.QuantileMath(x, cum, 4, 0.25));
        Assert.Equal(2, SurveyEstimator.QuantileMath(x, cum, 4, 0.26));
        Assert.Equal(4, SurveyEstimator.QuantileMath(x, cum, 4, 1));
        Assert.Equal(2, SurveyEstimator.QuantileMath(x, cum, 4, 0));
        // sorted (1,2,3,4) with weights (2,4,3,1): cumulative 2, 6, 9, 10; p·W = 5 → last ≤ 5 is position 1 → next value 2.
        Assert.Equal(2, SurveyEstimator.QuantileMath(x, [2, 6, 9, 10], 10, 0.5));
    }

    [Fact]
    public void Domains_sort_numeric_labels_numerically()
    {
        var d = DomainPartition.Create(4, ["g"], [new string?[] { "10", "9", "10", null }]);
        Assert.Equal(["9", "10"], d.Labels.Select(l => l[0]));
        Assert.Equal([1, 0, 1, -1], d.RowDomain.ToArray());
    }

    [Fact]
    public void Replicate_rank_drops_dependent_columns()
    {
        double[] a = [1, 2, 3, 4], b = [0, 1, 0, 1];
        var c = a.Zip(b, (x, y) => 2 * x - y).ToArray();
        Assert.Equal(2, ReplicateRank.Of([a, b, c]));
        Assert.Equal(3, ReplicateRank.Of([a, b, [1, 0, 0, 0]]));
    }
}

public sealed class BootstrapGeneratorTests
{
    private static TaylorDesign EqualStrata(out double[] y)
    {
        // 3 strata × 8 PSUs × 3 rows; y varies between PSUs so the variance is not trivial.
        var weights = new List<double>();
        var strata = new List<string>();
        var psus = new List<string>();
        var values = new List<double>();
        for (int h = 0; h < 3; h++)
            for (int p = 0; p < 8; p++)
                for (int i = 0; i < 3; i++)
                {
                    weights.Add(5 + h);
                    strata.Add("s" + h);
                    psus.Add("p" + p);
                    values.Add((p * 7 + h * 3) % 11 + i);
                }
        y = values.ToArray();
        return TaylorDesign.Create(weights.ToArray(), strata, psus);
    }

    [Fact]
    public void Replicates_are_Rao_Wu_draws_reproducible_by_seed()
    {
        var design = EqualStrata(out _);
        var a = ReplicateConversion.Bootstrap(design, 20, seed: 1);
        var b = ReplicateConversion.Bootstrap(design, 20, seed: 1);
        var c = ReplicateConversion.Bootstrap(design, 20, seed: 2);
        Assert.Equal(20, a.ReplicateCount);
        // scale = n̄/((n̄−1)(R−1)) with n̄ = 8 (R bootweights).
        Assert.Equal(8.0 / (7 * 19), a.Scale, 15);
        bool anyDifferent = false;
        for (int r = 0; r < 20; r++)
        {
            Assert.Equal(a.ReplicateWeights(r).ToArray(), b.ReplicateWeights(r).ToArray());
            anyDifferent |= !a.ReplicateWeights(r).SequenceEqual(c.ReplicateWeights(r));
            // Multipliers are whole draw counts, constant within a PSU, summing to n_h = 8 PSUs per stratum.
            var w = a.ReplicateWeights(r);
            for (int h = 0; h < 3; h++)
            {
                double draws = 0;
                for (int p = 0; p < 8; p++)
                {
                    int first = h * 24 + p * 3;
                    double m = w[first] / design.Weights[first];
                    Assert.Equal(Math.Round(m), m, 12);
                    Assert.Equal(m, w[first + 1] / design.Weights[first + 1], 12);
                    draws += m;
                }
                Assert.Equal(8, draws, 12);
            }
        }
        Assert.True(anyDifferent);
    }

    [Fact]
    public void Variance_agrees_with_linearisation_in_expectation()
    {
        // With equal n_h the Rao–Wu bootstrap variance has expectation n/(n−1) Σ (t_j − t̄)², the with-replacement
        // Taylor variance; with 4000 replicates its relative standard error is about √(2/4000) ≈ 2.2 %, so 10 % is ample.
        var design = EqualStrata(out var y);
        var boot = ReplicateConversion.Bootstrap(design, 4000, seed: 20221125);
        var whole = DomainPartition.Whole(design.RowCount);
        var taylor = SurveyEstimator.Total(design, "y", y, whole).Single().Variance;
        var replicate = SurveyEstimator.Total(boot, "y", y, whole).Single().Variance;
        Assert.InRange(replicate / taylor, 0.9, 1.1);
    }

    [Fact]
    public void With_fpc_draws_are_without_replacement_from_the_pseudo_population()
    {
        // N_h = 16 = 2 n_h: each PSU appears twice in the pseudo-population, so a multiplier never exceeds 2.
        var design = EqualStrata(out _);
        var withFpc = TaylorDesign.Create(design.Weights, Enumerable.Range(0, 72).Select(i => "s" + i / 24).ToArray(),
            Enumerable.Range(0, 72).Select(i => "p" + i % 24 / 3).ToArray(), Enumerable.Repeat(16.0, 72).ToArray());
        var boot = ReplicateConversion.Bootstrap(withFpc, 50, seed: 3);
        for (int r = 0; r < 50; r++)
        {
            var w = boot.ReplicateWeights(r);
            for (int i = 0; i < 72; i++) Assert.InRange(w[i] / withFpc.Weights[i], 0, 2);
        }
    }
}
