using System.Globalization;
using System.Text;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Regression;

namespace ContributionIndex.Tests.Estimation.Regression;

/// <summary>
/// Replicate fits on covariate-pattern sums (<see cref="CovariatePatterns"/>) against replicate fits on the rows, on seeded
/// random survey files: every coefficient, SE, t and p of the three families to 1e-10 relative, binary and fractional
/// responses, with and without a row filter and missing covariates; and the file read from its bytes on the grouped side,
/// row by row on the other, so the whole fast path of <c>contrib model</c> is checked against the former one.
/// </summary>
public sealed class GroupedReplicateFitTests : IDisposable
{
    private const double Tolerance = 1e-10;
    private const int Replicates = 30;
    private readonly string folder = Path.Combine(Path.GetTempPath(), "ci-grouped-" + Guid.NewGuid().ToString("N"));

    public GroupedReplicateFitTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    public static TheoryData<int, ModelFamily, string, bool, string> Cases() => new()
    {
        { 11, ModelFamily.Binomial, "y01 ~ sex + age + region + educ + urban", false, "bootstrap" },
        { 12, ModelFamily.Binomial, "yshare ~ sex * age + educ", true, "bootstrap" },
        { 13, ModelFamily.Poisson, "count ~ sex + age + urban", false, "jk1" },
        { 14, ModelFamily.Poisson, "count ~ age + age:region + educ", true, "bootstrap" },
        { 15, ModelFamily.Gaussian, "hours ~ sex + age + region + educ", false, "bootstrap" },
        { 16, ModelFamily.Gaussian, "hours ~ sex * urban + educ", true, "jk1" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void GroupedReplicateFitsEqualRowFits(int seed, ModelFamily family, string formula, bool subset, string replicateType)
    {
        var request = new ModelRequest
        {
            Survey = new QuickEstimateRequest
            {
                DataPath = RandomFile(seed, 4000),
                Weights = "w",
                ReplicateWeights = "rep*",
                ReplicateType = replicateType == "jk1" ? ReplicateMethod.Jk1 : ReplicateMethod.Bootstrap,
                Where = subset ? new RowFilter("wave", "2") : null,
            },
            Formula = formula,
            Family = family,
        };
        var grouped = QuickModel.Run(request, fast: true);
        var rows = QuickModel.Run(request, fast: false);
        Assert.InRange(grouped.ReplicatePatterns, 2, 2 * 4 * 4 * 5 * 2);
        Assert.Equal(0, rows.ReplicatePatterns);
        Assert.Equal(rows.FittedRows, grouped.FittedRows);
        Assert.Equal(rows.Coefficients.Select(c => c.Term), grouped.Coefficients.Select(c => c.Term));
        for (int j = 0; j < rows.Coefficients.Count; j++)
        {
            var (r, g) = (rows.Coefficients[j], grouped.Coefficients[j]);
            Close(r.Estimate, g.Estimate, r.Term + " estimate");
            Close(r.StandardError, g.StandardError, r.Term + " se");
            Close(r.TValue, g.TValue, r.Term + " t");
            Close(r.PValue, g.PValue, r.Term + " p");
            Assert.Equal(r.DegreesOfFreedom, g.DegreesOfFreedom);
            for (int k = 0; k < rows.Coefficients.Count; k++) Close(rows.Covariance(j, k), grouped.Covariance(j, k), $"{r.Term} covariance {k}", scale: Math.Sqrt(rows.Covariance(j, j) * rows.Covariance(k, k)));
        }
    }

    [Fact]
    public void ManyPatternsFallBackToTheRows()
    {
        // A continuous covariate makes (nearly) every row its own pattern: more than half the rows, so the rows are fitted.
        var request = new ModelRequest
        {
            Survey = new QuickEstimateRequest { DataPath = RandomFile(17, 500), Weights = "w", ReplicateWeights = "rep*", ReplicateType = ReplicateMethod.Bootstrap },
            Formula = "y01 ~ sex + hours",
            Family = ModelFamily.Binomial,
        };
        Assert.Equal(0, QuickModel.Run(request).ReplicatePatterns);
    }

    [Fact]
    public void DevianceOffsetIsTheRowsDevianceMinusThePatternsDeviance()
    {
        // Hand check of the decomposition Σ_i dev(y_i, μ_g, w_i) = Σ_g dev(ȳ_g, μ_g, W_g) + offset at an arbitrary μ.
        double[][] columns = [[1, 1, 1, 1, 1], [0, 1, 0, 1, 1]];
        double[] y = [0.2, 1, 0.7, 0, 0.5];
        double[] w = [1.5, 2, 0.5, 1, 3];
        var patterns = CovariatePatterns.Find(columns, 10)!;
        Assert.Equal(2, patterns.Count);
        foreach (var family in new[] { ModelFamily.Binomial, ModelFamily.Poisson, ModelFamily.Gaussian })
        {
            var saturated = y.Select(v => FamilyFunctions.SaturatedTerm(family, v)).ToArray();
            var weights = new double[2];
            var means = new double[2];
            double offset = patterns.Sums(w, [0, 1, 2, 3, 4], y, saturated, family, weights, means);
            double[] mu = [0.35, 0.6];
            // The replicate's weights are normalised to sum 1 (w / 8), as R's svyglm for replicate designs does.
            double rowsDeviance = Enumerable.Range(0, 5).Sum(i => FamilyFunctions.Deviance(family, y[i], mu[patterns.PatternOfRow[i]], w[i] / 8));
            double patternsDeviance = Enumerable.Range(0, 2).Sum(g => FamilyFunctions.Deviance(family, means[g], mu[g], weights[g]));
            Assert.Equal(rowsDeviance, patternsDeviance + offset, 12);
            Assert.Equal((0.7 * 0.5 + 0.2 * 1.5) / 8, means[0] * weights[0], 14);
            Assert.Equal((1.5 + 0.5) / 8, weights[0], 14);
        }
    }

    private static void Close(double expected, double actual, string what, double scale = 0)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), what);
            return;
        }
        double error = Math.Abs(actual - expected) / Math.Max(Math.Max(Math.Abs(expected), scale), 1e-300);
        Assert.True(error <= Tolerance, $"{what}: rows {expected:R}, patterns {actual:R}, relative difference {error:E2}");
    }

    /// <summary>Persons with sex, age group, region, 5 education levels, urban; a 0/1, a share, a count and hours outcome; 30 replicate weights.</summary>
    private string RandomFile(int seed, int rows)
    {
        var random = new Random(seed);
        var text = new StringBuilder("w,wave,sex,age,region,educ,urban,y01,yshare,count,hours");
        for (int k = 1; k <= Replicates; k++) text.Append(CultureInfo.InvariantCulture, $",rep{k}");
        text.Append('\n');
        for (int i = 0; i < rows; i++)
        {
            int sex = random.Next(2), age = random.Next(4), region = random.Next(4), educ = random.Next(5), urban = random.Next(2);
            double eta = -0.5 + 0.4 * sex - 0.2 * age + 0.15 * region - 0.1 * educ + 0.3 * urban;
            double p = 1 / (1 + Math.Exp(-eta));
            double w = Math.Round(80 + random.NextDouble() * 100, 2);
            // One row in 50 lacks its region: it leaves the fit (a missing covariate).
            string regionText = random.Next(50) == 0 ? "" : "r" + region.ToString(CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture,
                $"{w:R},{1 + random.Next(2)},{(sex == 0 ? "F" : "M")},a{age},{regionText},{educ + 8},{urban},{(random.NextDouble() < p ? 1 : 0)},{Math.Round(random.NextDouble() * p, 3):R},{Poisson(random, Math.Exp(0.3 + 0.5 * eta))},{Math.Round(10 * eta + 20 + 5 * random.NextDouble(), 2):R}");
            for (int k = 0; k < Replicates; k++) text.Append(CultureInfo.InvariantCulture, $",{w * (random.Next(4) / 2.0):R}");
            text.Append('\n');
        }
        var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"model-{seed}.csv"));
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static int Poisson(Random random, double mean)
    {
        int k = 0;
        for (double product = random.NextDouble(), limit = Math.Exp(-mean); product > limit; product *= random.NextDouble()) k++;
        return k;
    }
}
