using System.Text.Json;
using ContributionIndex.Estimation;
using Xunit.Abstractions;

namespace ContributionIndex.Tests.Estimation;

/// <summary>
/// R survey 4.1-1 <c>svyciprop(method = "likelihood")</c> cases of tests/r/golden-quantile.R: estimate, SE and interval to 1e-9
/// relative on Taylor designs (whole sample, by domain, a rare category by region × sex); where R stops ("profiling has found a
/// better solution") the interval is NaN; on replicate designs R returns NA and the tool refuses the method.
/// </summary>
public sealed class LikelihoodIntervalTests(ITestOutputHelper output)
{
    private static IEnumerable<JsonElement> Cases(string kind) => QuantileGolden.OfKind(kind);

    public static TheoryData<string> CaseIds() => QuantileGolden.Ids("likelihood");

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Case_matches_R(string id)
    {
        var c = Cases("likelihood").Single(x => x.GetProperty("id").GetString() == id);
        var estimates = Estimate(c);
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
                output.WriteLine($"[{k}] R: {error.GetString()}");
                Assert.True(double.IsNaN(e.ConfidenceLow) && double.IsNaN(e.ConfidenceHigh), $"[{k}] R stopped, ours [{e.ConfidenceLow}, {e.ConfidenceHigh}]");
                continue;
            }
            worst = Math.Max(worst, QuantileGolden.Compare($"{id} [{k}]", expected[k],
                [("estimate", e.Value), ("se", e.StandardError), ("ci_low", e.ConfidenceLow), ("ci_high", e.ConfidenceHigh)], failures));
        }
        output.WriteLine($"max relative error {worst:E3}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Golden_file_has_likelihood_cases_on_four_Taylor_designs_by_domain()
    {
        var cases = Cases("likelihood").ToArray();
        Assert.True(cases.Length >= 14, $"{cases.Length} cases");
        Assert.True(cases.Select(c => c.GetProperty("design").GetString()).Distinct().Count() >= 4);
        Assert.Contains(cases, c => c.TryGetProperty("by", out var by) && by.ValueKind == JsonValueKind.Array && by.GetArrayLength() == 2);
    }

    [Fact]
    public void Replicate_designs_refuse_the_likelihood_interval_for_which_R_returns_NA()
    {
        var cases = Cases("likelihood_replicate").ToArray();
        Assert.True(cases.Select(c => c.GetProperty("design").GetString()).Distinct().Count() >= 3);
        foreach (var c in cases)
        {
            Assert.All(c.GetProperty("results").EnumerateArray(), r =>
            {
                Assert.True(double.IsNaN(RGolden.Number(r.GetProperty("ci_low"))));
                Assert.True(double.IsNaN(RGolden.Number(r.GetProperty("ci_high"))));
            });
            var refused = Assert.Throws<EstimationException>(() => Estimate(c));
            Assert.Contains("Taylor", refused.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_likelihood_interval_of_a_rare_category_stays_inside_0_1_and_is_not_symmetric()
    {
        var c = Cases("likelihood").Single(x => x.GetProperty("id").GetString() == "ciprop_vol_rare_yes_likelihood_region+sex");
        foreach (var e in Estimate(c).Where(e => !double.IsNaN(e.ConfidenceLow)))
        {
            Assert.InRange(e.ConfidenceLow, 0, e.Value);
            Assert.InRange(e.ConfidenceHigh, e.Value, 1);
            Assert.True(e.ConfidenceHigh - e.Value > e.Value - e.ConfidenceLow, "a small proportion's profile interval is longer upwards");
        }
    }

    private static IReadOnlyList<SurveyEstimate> Estimate(JsonElement c)
    {
        var name = c.GetProperty("design").GetString()!;
        var design = RGolden.Design(name);
        var table = RGolden.Table(RGolden.DataFile(RGolden.DesignSpec(name)));
        var by = c.TryGetProperty("by", out var b) ? RGolden.Strings(b) : [];
        string?[] Labels(string column) => column == "rare"
            ? table.Numbers("hours").Select(h => (string?)(!double.IsNaN(h) && h > 12 ? "yes" : "no")).ToArray()
            : table.NullableStrings(column);
        var domains = DomainPartition.Create(table.RowCount, by, by.Select(n => (IReadOnlyList<string?>)Labels(n)).ToArray());
        var variable = c.GetProperty("variable").GetString()!;
        return SurveyEstimator.Proportion(design, variable, Labels(variable), c.GetProperty("category").GetString()!, domains,
            EstimationOptions.Default with { ProportionInterval = ProportionInterval.Likelihood });
    }
}
