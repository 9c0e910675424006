using ContributionIndex.Estimation;
using FsCheck;
using FsCheck.Xunit;

namespace ContributionIndex.Tests.Properties;

/// <summary>Properties of the estimation library over random stratified cluster samples.</summary>
public class EstimationProperties
{
    /// <summary>A random design: 2–4 strata of 2–4 PSUs of 1–5 rows, weights 1–500, y 0–100, a 3-level domain variable.</summary>
    private static (double[] Weights, string[] Strata, string[] Psu, double[] Y, string[] Domain) Sample(int seed)
    {
        var random = new Random(seed);
        var weights = new List<double>();
        var strata = new List<string>();
        var psu = new List<string>();
        var y = new List<double>();
        var domain = new List<string>();
        var strataCount = random.Next(2, 5);
        for (var h = 0; h < strataCount; h++)
        {
            var psuCount = random.Next(2, 5);
            for (var p = 0; p < psuCount; p++)
            {
                var rows = random.Next(1, 6);
                for (var i = 0; i < rows; i++)
                {
                    weights.Add(Math.Round(1 + random.NextDouble() * 499, 3));
                    strata.Add($"S{h}");
                    psu.Add($"S{h}P{p}");
                    y.Add(random.Next(4) == 0 ? 0 : Math.Round(random.NextDouble() * 100, 2));
                    domain.Add(((char)('a' + random.Next(3))).ToString());
                }
            }
        }

        return ([.. weights], [.. strata], [.. psu], [.. y], [.. domain]);
    }

    [Property(MaxTest = 100)]
    public void Domain_totals_add_up_to_the_overall_total_and_variances_are_not_negative(int seed)
    {
        var (weights, strata, psu, y, domain) = Sample(seed);
        var design = TaylorDesign.Create(weights, strata, psu);
        var overall = Assert.Single(SurveyEstimator.Total(design, "y", y, DomainPartition.Whole(y.Length)));
        var byDomain = SurveyEstimator.Total(design, "y", y, DomainPartition.Create(y.Length, ["d"], [domain]));
        // Σ_d Σ_{i∈d} w_i y_i = Σ_i w_i y_i; the two sums differ only by rounding (relative 1e-12).
        var sum = byDomain.Sum(e => e.Value);
        Assert.True(Math.Abs(sum - overall.Value) <= 1e-12 * Math.Max(1, Math.Abs(overall.Value)), $"{sum:R} vs {overall.Value:R}");
        Assert.Equal(y.Length, byDomain.Sum(e => e.UnweightedCount));
        Assert.All(byDomain.Append(overall), e => Assert.True(e.Variance >= 0, $"variance {e.Variance:R}"));
    }

    [Property(MaxTest = 100)]
    public void Estimates_do_not_depend_on_row_order(int seed)
    {
        var (weights, strata, psu, y, domain) = Sample(seed);
        var shuffled = new Random(~seed);
        int[] order = [.. Enumerable.Range(0, y.Length).OrderBy(_ => shuffled.Next())];
        T[] P<T>(T[] a) => [.. order.Select(i => a[i])];
        var a = SurveyEstimator.Total(TaylorDesign.Create(weights, strata, psu), "y", y, DomainPartition.Create(y.Length, ["d"], [domain]));
        var b = SurveyEstimator.Total(TaylorDesign.Create(P(weights), P(strata), P(psu)), "y", P(y), DomainPartition.Create(y.Length, ["d"], [P(domain)]));
        Assert.Equal(a.Count, b.Count);
        for (var i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Domain, b[i].Domain);
            Assert.True(Math.Abs(a[i].Value - b[i].Value) <= 1e-12 * Math.Max(1, Math.Abs(a[i].Value)), $"{a[i].Value:R} vs {b[i].Value:R}");
            Assert.True(Math.Abs(a[i].Variance - b[i].Variance) <= 1e-9 * Math.Max(1, a[i].Variance), $"{a[i].Variance:R} vs {b[i].Variance:R}");
        }
    }

    [Property(MaxTest = 200)]
    public void Replicate_variance_is_never_negative(NormalFloat full, NormalFloat[] replicates, PositiveInt scaleSeed, bool mse)
    {
        var thetas = replicates.Select(r => r.Get).ToArray();
        var rscales = thetas.Select((_, i) => (i % 3) / 2.0).ToArray(); // 0, 0.5, 1: zero rscales are allowed
        var scale = (scaleSeed.Get % 100) / 10.0;
        var v = ReplicateVariance.Compute(full.Get, thetas, scale, rscales, mse);
        Assert.True(double.IsNaN(v) ? thetas.Length == 0 || !mse && rscales.All(s => s == 0) : v >= 0, $"variance {v:R}");
    }
}
