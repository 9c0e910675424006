using ContributionIndex.Estimation;
using Xunit;

namespace ContributionIndex.Tests.Estimation;

/// <summary>The batched replicate totals must be the very doubles SurveyEstimator.Total keeps as components.</summary>
public sealed class ReplicateTotalsTests
{
    /// <summary>A stratified design with 60 PSUs in 12 strata and uneven weights, so JKn gives 60 replicates.</summary>
    private static (ReplicateDesign Design, int Rows) Design(int rows)
    {
        var weights = new double[rows];
        var strata = new string[rows];
        var psus = new string[rows];
        for (int i = 0; i < rows; i++)
        {
            weights[i] = 50 + ((37 * i) % 101) / 7.0;
            strata[i] = "s" + (i % 12);
            psus[i] = "p" + (i % 60);
        }

        return (ReplicateConversion.Jkn(TaylorDesign.Create(weights, strata, psus)), rows);
    }

    /// <summary>Values with zeros, negative zero, NaN (left out) and awkward fractions, made by formula.</summary>
    private static double[] Variable(int rows, int seed)
    {
        var y = new double[rows];
        for (int i = 0; i < rows; i++)
        {
            int m = (i * (seed + 3) + seed) % 17;
            y[i] = m switch
            {
                0 or 1 or 2 => 0,
                3 => -0.0,
                4 => double.NaN,
                _ => (m * 0.1) + (i / 3.0),
            };
        }

        return y;
    }

    [Theory]
    [InlineData(500, true)] // one thread; replicate totals from weight changes (ReplicateDifferences), the kernel both share
    [InlineData(500, false)] // one thread; the dense loop over every replicate weight
    [InlineData(40_000, true)] // above the parallel threshold: variables split between threads
    [InlineData(40_000, false)] // above the parallel threshold: replicate ranges split between threads
    public void Totals_are_bit_identical_to_SurveyEstimator_Total(int rows, bool sparse)
    {
        var (jkn, n) = Design(rows);
        Assert.NotNull(jkn.Differences);
        var design = sparse ? jkn : jkn.Dense();
        var variables = Enumerable.Range(0, 5).Select(s => Variable(n, s)).ToArray();
        var include = Enumerable.Range(0, n).Select(i => i % 9 != 0).ToArray();
        var labels = Enumerable.Range(0, n).Select(i => i % 13 == 0 ? null : "r" + (i % 4)).ToArray();
        var partitions = new[]
        {
            DomainPartition.Whole(n, include),
            DomainPartition.Create(n, ["region"], [labels], include),
        };
        var options = EstimationOptions.Default with { KeepComponents = true };
        foreach (var domains in partitions)
        {
            var batched = ReplicateTotals.Compute(design, variables, domains);
            for (int j = 0; j < variables.Length; j++)
            {
                var single = SurveyEstimator.Total(design, "y" + j, variables[j], domains, options);
                Assert.Equal(domains.Count, batched[j].Length);
                for (int k = 0; k < domains.Count; k++)
                {
                    var components = (ReplicateComponents)single[k].Components!;
                    Assert.Equal(BitConverter.DoubleToInt64Bits(components.FullSample), BitConverter.DoubleToInt64Bits(batched[j][k].Full));
                    Assert.Equal(components.Replicates.Count, batched[j][k].Replicates.Length);
                    for (int r = 0; r < components.Replicates.Count; r++)
                        Assert.Equal(BitConverter.DoubleToInt64Bits(components.Replicates[r]), BitConverter.DoubleToInt64Bits(batched[j][k].Replicates[r]));
                }
            }
        }
    }

    [Fact]
    public void A_variable_of_the_wrong_length_is_refused()
    {
        var (design, n) = Design(120);
        var ex = Assert.Throws<EstimationException>(() => ReplicateTotals.Compute(design, [new double[n - 1]], DomainPartition.Whole(n)));
        Assert.Contains("119 values", ex.Message, StringComparison.Ordinal);
    }
}
