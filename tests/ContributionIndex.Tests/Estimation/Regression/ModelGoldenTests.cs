using System.Text.Json;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Regression;

namespace ContributionIndex.Tests.Estimation.Regression;

/// <summary>
/// <c>contrib model</c>'s library against R survey 4.1-1 <c>svyglm</c> (tests/r/golden-model.R): every coefficient, SE,
/// t, df and p of 41 fits (gaussian, quasibinomial, quasipoisson; Taylor with and without fpc, JK1, JKn, bootstrap;
/// factors, interactions, missing covariates and domains) read through the same request the CLI builds.
/// </summary>
public sealed class ModelGoldenTests
{
    private const double Tolerance = 1e-9;
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "regression");
    private static readonly Lazy<JsonDocument> Golden = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "golden-model.json"))));

    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var c in Golden.Value.RootElement.GetProperty("cases").EnumerateArray()) data.Add(c.GetProperty("id").GetString()!);
        return data;
    }

    [Fact]
    public void TheGoldenFileCoversEveryFamilyDesignKindAndDomains()
    {
        var cases = Golden.Value.RootElement.GetProperty("cases").EnumerateArray().ToArray();
        Assert.True(cases.Length >= 40);
        foreach (var family in new[] { "gaussian", "binomial", "poisson" })
        {
            Assert.Contains(cases, c => c.GetProperty("family").GetString() == family && !c.GetProperty("flags").TryGetProperty("rep_type", out _));
            Assert.Contains(cases, c => c.GetProperty("family").GetString() == family && c.GetProperty("flags").TryGetProperty("rep_type", out _));
            Assert.Contains(cases, c => c.GetProperty("family").GetString() == family && c.GetProperty("where").ValueKind == JsonValueKind.String);
        }
        Assert.True(cases.Sum(c => c.GetProperty("terms").GetArrayLength()) >= 190);
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void CoefficientTableMatchesR(string id)
    {
        var c = Golden.Value.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
        var fit = QuickModel.Run(Request(c));
        var terms = c.GetProperty("terms").EnumerateArray().Select(t => t.GetString()!).ToArray();
        Assert.Equal(terms, fit.Coefficients.Select(k => k.Term).ToArray());
        Assert.Equal(c.GetProperty("rows").GetInt32(), fit.FittedRows);
        double df = RGolden.Number(c.GetProperty("df"));
        for (int j = 0; j < terms.Length; j++)
        {
            var k = fit.Coefficients[j];
            Close(RGolden.Number(c.GetProperty("estimate")[j]), k.Estimate, $"{id} {terms[j]} estimate");
            Close(RGolden.Number(c.GetProperty("se")[j]), k.StandardError, $"{id} {terms[j]} se");
            Close(RGolden.Number(c.GetProperty("t")[j]), k.TValue, $"{id} {terms[j]} t");
            Close(RGolden.Number(c.GetProperty("p")[j]), k.PValue, $"{id} {terms[j]} p");
            Assert.Equal(df, k.DegreesOfFreedom);
        }
    }

    internal static ModelRequest Request(JsonElement c)
    {
        var flags = c.GetProperty("flags");
        string? Flag(string name) => flags.TryGetProperty(name, out var v) ? v.GetString() : null;
        RowFilter? where = null;
        if (c.GetProperty("where").ValueKind == JsonValueKind.String)
        {
            var text = c.GetProperty("where").GetString()!;
            where = new RowFilter(text[..text.IndexOf('=', StringComparison.Ordinal)], text[(text.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        }
        return new ModelRequest
        {
            Survey = new QuickEstimateRequest
            {
                DataPath = Path.Combine(Folder, Flag("data")!),
                Weights = Flag("weights")!,
                Strata = Flag("strata"),
                Psu = Flag("psu"),
                Fpc = Flag("fpc"),
                ReplicateWeights = Flag("repweights"),
                ReplicateType = Flag("rep_type") switch
                {
                    null => null,
                    "jk1" => ReplicateMethod.Jk1,
                    "jkn" => ReplicateMethod.Jkn,
                    "bootstrap" => ReplicateMethod.Bootstrap,
                    var other => throw new InvalidOperationException(other),
                },
                Where = where,
            },
            Formula = c.GetProperty("formula").GetString()!,
            Family = c.GetProperty("family").GetString() switch
            {
                "gaussian" => ModelFamily.Gaussian,
                "binomial" => ModelFamily.Binomial,
                _ => ModelFamily.Poisson,
            },
        };
    }

    private static void Close(double expected, double actual, string what)
    {
        if (double.IsNaN(expected)) { Assert.True(double.IsNaN(actual), what); return; }
        double error = Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(error <= Tolerance || Math.Abs(actual - expected) <= 1e-15, $"{what}: R {expected:R}, ours {actual:R}, relative difference {error:E2}");
    }
}
