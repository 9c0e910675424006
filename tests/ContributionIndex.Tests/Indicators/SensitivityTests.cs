using ContributionIndex.Estimation;
using ContributionIndex.Indicators.Composite;
using ContributionIndex.Indicators.Sensitivity;
using Xunit.Abstractions;

namespace ContributionIndex.Tests.Indicators;

public class SensitivityTests(ITestOutputHelper output)
{
    [Fact]
    public void Sobol_indices_of_the_Ishigami_function_match_the_analytic_values()
    {
        // Ishigami: Y = sin X1 + a·sin² X2 + b·X3⁴·sin X1, X_i ~ U(−π, π), a = 7, b = 0.1 (Ishigami & Homma 1990).
        // Analytic: V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2; V1 = (1 + bπ⁴/5)²/2; V2 = a²/8; V3 = 0; V13 = 8b²π⁸/225.
        // S1 = V1/V, S2 = V2/V, S3 = 0, ST1 = (V1 + V13)/V, ST2 = V2/V, ST3 = V13/V.
        const double a = 7, b = 0.1;
        var pi4 = Math.Pow(Math.PI, 4);
        var pi8 = Math.Pow(Math.PI, 8);
        var v = (a * a / 8) + (b * pi4 / 5) + (b * b * pi8 / 18) + 0.5;
        var v1 = 0.5 * Math.Pow(1 + (b * pi4 / 5), 2);
        var v2 = a * a / 8;
        var v13 = 8 * b * b * pi8 / 225;
        double[] s = [v1 / v, v2 / v, 0];
        double[] st = [(v1 + v13) / v, v2 / v, v13 / v];
        Assert.Equal(0.3139, s[0], 4);
        Assert.Equal(0.4424, s[1], 4);
        Assert.Equal(0.2437, st[2], 4);

        static double Ishigami(double[] u)
        {
            double x1 = (2 * u[0] - 1) * Math.PI, x2 = (2 * u[1] - 1) * Math.PI, x3 = (2 * u[2] - 1) * Math.PI;
            return Math.Sin(x1) + (a * Math.Pow(Math.Sin(x2), 2)) + (b * Math.Pow(x3, 4) * Math.Sin(x1));
        }

        // N = 2^15 base samples (N·(3+2) = 163,840 evaluations), seed 20250601. Tolerance 0.03 absolute, which is above
        // 4 Monte-Carlo standard errors for every index at this N (the largest SE, of S1, is about 0.007).
        var result = SobolAnalysis.Estimate(Ishigami, [1, 1, 1], 1 << 15, 20250601);
        for (var i = 0; i < 3; i++)
        {
            output.WriteLine($"S{i + 1} = {result.FirstOrder[i]:F4} ± {result.FirstOrderStandardError[i]:F4} (analytic {s[i]:F4}); ST{i + 1} = {result.Total[i]:F4} ± {result.TotalStandardError[i]:F4} (analytic {st[i]:F4})");
            Assert.InRange(result.FirstOrder[i], s[i] - 0.03, s[i] + 0.03);
            Assert.InRange(result.Total[i], st[i] - 0.03, st[i] + 0.03);
            Assert.True(Math.Abs(result.FirstOrder[i] - s[i]) <= 4 * result.FirstOrderStandardError[i] + 1e-3);
            Assert.True(Math.Abs(result.Total[i] - st[i]) <= 4 * result.TotalStandardError[i] + 1e-3);
        }

        Assert.Equal(5 << 15, result.ModelRuns);
    }

    [Fact]
    public void Index_standard_errors_recompute_the_index_on_every_replicate()
    {
        var framework = new Framework([new("a", "P1", Direction.Positive), new("b", "P2", Direction.Positive)]);
        IndicatorData Data(double a, double b) => IndicatorData.FromMatrix(framework, ["U"], new double[,] { { a, b } });
        // Full sample: index = (60 + 80)/2 = 70. Replicates: (58+80)/2 = 69, (62+80)/2 = 71, (60+84)/2 = 72.
        // JK1 with R = 3: mean 70.6667; deviations −1.6667, 0.3333, 1.3333; squares 2.7778 + 0.1111 + 1.7778 = 4.6667;
        // variance 2/3 · 4.6667 = 3.1111; SE = 1.7638342073763937.
        var se = ReplicateErrors.IndexStandardErrors(Data(60, 80), [Data(58, 80), Data(62, 80), Data(60, 84)],
            new IndexOptions { Normalisation = NormalisationMethod.None }, (full, reps) => ReplicateVariance.Compute(full, [.. reps], 2.0 / 3, [1, 1, 1], mse: false));
        Assert.Equal(Math.Sqrt(28.0 / 9), se[0], 12);
    }

    [Fact]
    public void Quantile_type_7_by_hand()
    {
        // n = 4: h = 3p. p = 0.05 → h = 0.15 → 1 + 0.15·(2 − 1) = 1.15; p = 0.5 → 2.5; p = 0.95 → h = 2.85 → 3.85.
        double[] x = [1, 2, 3, 4];
        Assert.Equal(1.15, UncertaintyAnalysis.Quantile(x, 0.05), 12);
        Assert.Equal(2.5, UncertaintyAnalysis.Quantile(x, 0.5), 12);
        Assert.Equal(3.85, UncertaintyAnalysis.Quantile(x, 0.95), 12);
    }

    [Fact]
    public void Monte_Carlo_is_reproducible_and_brackets_the_nominal_rank()
    {
        var data = SdrData.Instance.ScoresAsRaw(e => e.Region == "E. Europe & C. Asia" && e.Rank is not null);
        var nominal = SdrReproductionTests.SdrOptions with { Normalisation = NormalisationMethod.Bounded };
        var settings = new UncertaintySettings
        {
            Runs = 40,
            Seed = 7,
            Aggregations = [AggregationMethod.Arithmetic, AggregationMethod.Geometric],
            Imputations = [ImputationMethod.GroupMean, ImputationMethod.None],
            WeightNoise = 0.25,
        };
        var first = UncertaintyAnalysis.Run(data, nominal, settings);
        var second = UncertaintyAnalysis.Run(data, nominal, settings);
        Assert.Equal(first.Units.Select(u => u.ToString()), second.Units.Select(u => u.ToString()));
        Assert.Equal(first.Factors.Select(f => f.ToString()), second.Factors.Select(f => f.ToString()));
        Assert.Equal(40 + (40 * (3 + 2)), first.Runs); // N uncertainty runs + N·(k + 2) Sobol runs
        foreach (var unit in first.Units)
        {
            Assert.True(unit.Rank05 <= unit.MedianRank && unit.MedianRank <= unit.Rank95);
        }

        Assert.Equal(["aggregation", "imputation", "weights"], first.Factors.Select(f => f.Factor));
        var different = UncertaintyAnalysis.Run(data, nominal, settings with { Seed = 8 });
        Assert.NotEqual(first.Units.Select(u => u.MeanAbsoluteShift), different.Units.Select(u => u.MeanAbsoluteShift));
    }

    [Fact]
    public void Without_uncertain_factors_every_run_gives_the_nominal_rank()
    {
        var data = SdrData.Instance.Data(e => e.Region == "E. Europe & C. Asia" && e.Rank is not null);
        var result = UncertaintyAnalysis.Run(data, SdrReproductionTests.SdrOptions, new UncertaintySettings { Runs = 5 });
        Assert.All(result.Units, u => Assert.Equal((double)u.NominalRank!.Value, u.MedianRank));
        Assert.All(result.Units, u => Assert.Equal(0, u.MeanAbsoluteShift));
        Assert.Empty(result.Factors);
    }
}
