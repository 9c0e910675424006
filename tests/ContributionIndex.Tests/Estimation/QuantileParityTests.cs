using System.Text.Json;
using ContributionIndex.Estimation;
using Xunit.Abstractions;

namespace ContributionIndex.Tests.Estimation;

/// <summary>
/// Every case of tests/r/golden-quantile.R (R survey 4.1-1 <c>svyquantile</c>, interval.type mean, beta, xlogit, asin, score on
/// Taylor designs and mean, quantile on JK1, JKn and bootstrap designs, whole sample and by domain): quantile, interval ends and
/// SE to 1e-9 relative. Where R stops (uniroot finds no sign change for the score interval) the tool's interval is NaN.
/// </summary>
public sealed class QuantileParityTests(ITestOutputHelper output)
{
    private static IEnumerable<JsonElement> Cases => QuantileGolden.All;

    public static TheoryData<string> CaseIds() => QuantileGolden.Ids("taylor", "replicate");

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Case_matches_R(string id)
    {
        var c = Cases.Single(x => x.GetProperty("id").GetString() == id);
        var method = Method(c.GetProperty("method").GetString()!);
        var estimates = Estimate(c, method);
        var expected = c.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, estimates.Count);
        var failures = new List<string>();
        double worst = 0;
        for (int k = 0; k < expected.Length; k++)
        {
            var e = estimates[k];
            Assert.Equal(RGolden.Strings(expected[k].GetProperty("domain")), e.Domain);
            if (expected[k].TryGetProperty("error", out var error))
            {
                // R stops for this domain; the tool leaves the interval (and so the SE) empty instead.
                output.WriteLine($"[{k}] R: {error.GetString()}");
                Assert.True(double.IsNaN(e.ConfidenceLow) || double.IsNaN(e.ConfidenceHigh), $"[{k}] R stopped, ours [{e.ConfidenceLow}, {e.ConfidenceHigh}]");
                Assert.True(double.IsNaN(e.StandardError));
                continue;
            }
            worst = Math.Max(worst, QuantileGolden.Compare($"{id} [{k}]", expected[k],
                [("quantile", e.Value), ("ci_low", e.ConfidenceLow), ("ci_high", e.ConfidenceHigh), ("se", e.StandardError)], failures));
        }
        output.WriteLine($"max relative error {worst:E3}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Golden_file_covers_every_interval_type_on_Taylor_and_replicate_designs_with_domains()
    {
        var all = Cases.Where(IsQuantileCase).ToArray();
        Assert.True(all.Length >= 100, $"{all.Length} cases");
        foreach (var (kind, methods) in new[] { ("taylor", new[] { "mean", "beta", "xlogit", "asin", "score" }), ("replicate", new[] { "mean", "quantile" }) })
            foreach (var m in methods)
            {
                var ofMethod = all.Where(c => c.GetProperty("kind").GetString() == kind && c.GetProperty("method").GetString() == m).ToArray();
                Assert.True(ofMethod.Select(c => c.GetProperty("design").GetString()).Distinct().Count() >= 2, $"{kind} {m}: fewer than two designs");
                Assert.Contains(ofMethod, c => c.TryGetProperty("by", out var by) && by.ValueKind != JsonValueKind.Null);
            }
    }

    [Fact]
    public void Replicate_designs_refuse_the_Woodruff_variants_that_R_silently_replaces_by_the_mean_interval()
    {
        // R 4.1-1's svyquantile.svyrep.design calls woodruffCI without interval.type: its "beta" interval is the "mean" one.
        foreach (var quirk in Cases.Where(c => c.GetProperty("kind").GetString() == "quirk"))
        {
            var mean = Estimate(quirk, QuantileInterval.Mean);
            var expected = quirk.GetProperty("results").EnumerateArray().ToArray();
            for (int k = 0; k < expected.Length; k++)
            {
                Assert.Equal(RGolden.Number(expected[k].GetProperty("ci_low")), mean[k].ConfidenceLow, 9);
                Assert.Equal(RGolden.Number(expected[k].GetProperty("ci_high")), mean[k].ConfidenceHigh, 9);
            }
            var refused = Assert.Throws<EstimationException>(() => Estimate(quirk, Method(quirk.GetProperty("method").GetString()!)));
            Assert.Contains("Taylor", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Taylor_designs_refuse_the_replicate_quantile_interval()
    {
        var taylor = Cases.First(c => c.GetProperty("kind").GetString() == "taylor");
        var refused = Assert.Throws<EstimationException>(() => Estimate(taylor, QuantileInterval.Quantile));
        Assert.Contains("replicate", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Score_interval_ends_are_data_values_and_contain_the_median()
    {
        // The score interval maps each root back through the quantile rule, so both ends are observed values around q̂.
        var c = Cases.Single(x => x.GetProperty("id").GetString() == "quantile_strat_api00_0.5_score_");
        var (_, table) = (RGolden.Design("strat"), RGolden.Table("apistrat.csv"));
        var e = Estimate(c, QuantileInterval.Score)[0];
        var observed = table.Numbers("api00").ToHashSet();
        Assert.Contains(e.ConfidenceLow, observed);
        Assert.Contains(e.ConfidenceHigh, observed);
        Assert.True(e.ConfidenceLow <= e.Value && e.Value <= e.ConfidenceHigh);
    }

    private static bool IsQuantileCase(JsonElement c) => c.GetProperty("kind").GetString() is "taylor" or "replicate";

    private static IReadOnlyList<SurveyEstimate> Estimate(JsonElement c, QuantileInterval method)
    {
        var name = c.GetProperty("design").GetString()!;
        var design = RGolden.Design(name);
        var table = RGolden.Table(RGolden.DataFile(RGolden.DesignSpec(name)));
        var by = c.TryGetProperty("by", out var b) ? RGolden.Strings(b) : [];
        var domains = DomainPartition.Create(table.RowCount, by, by.Select(n => (IReadOnlyList<string?>)table.NullableStrings(n)).ToArray());
        var variable = c.GetProperty("variable").GetString()!;
        return SurveyEstimator.Quantile(design, variable, table.Numbers(variable), RGolden.Number(c.GetProperty("p")), domains,
            EstimationOptions.Default with { QuantileInterval = method });
    }

    private static QuantileInterval Method(string word) => Enum.Parse<QuantileInterval>(word, ignoreCase: true);
}
