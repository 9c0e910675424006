using System.Globalization;
using System.Text.Json;
using ContributionIndex.Cli;
using ContributionIndex.Estimation;
using Xunit.Abstractions;

namespace ContributionIndex.Tests.Estimation;

/// <summary>
/// R survey 4.1-1 <c>svychisq(~a + b, subset(des, by == level), statistic = "F")</c> per level (chisq_domain cases of
/// tests/r/golden-quantile.R) on Taylor and replicate designs: F, ndf, ddf and p to 1e-9 relative; where R stops (a variable with
/// one level in the domain) the tool's statistics are NaN.
/// </summary>
public sealed class ChiSquareDomainTests(ITestOutputHelper output) : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("contrib-chisq-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static IEnumerable<JsonElement> Cases => QuantileGolden.OfKind("chisq_domain");

    public static TheoryData<string> CaseIds() => QuantileGolden.Ids("chisq_domain");

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void Case_matches_R(string id)
    {
        var c = Cases.Single(x => x.GetProperty("id").GetString() == id);
        var name = c.GetProperty("design").GetString()!;
        var design = RGolden.Design(name);
        var table = RGolden.Table(RGolden.DataFile(RGolden.DesignSpec(name)));
        string a = c.GetProperty("a").GetString()!, b = c.GetProperty("b").GetString()!;
        var by = RGolden.Strings(c.GetProperty("by"));
        var domains = DomainPartition.Create(table.RowCount, by, by.Select(n => (IReadOnlyList<string?>)table.NullableStrings(n)).ToArray());
        var tests = DomainComparisons.ChiSquareByDomain(design, a, table.NullableStrings(a), b, table.NullableStrings(b), domains);
        var expected = c.GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, tests.Count);
        var failures = new List<string>();
        double worst = 0;
        for (int k = 0; k < expected.Length; k++)
        {
            var t = tests[k];
            Assert.Equal(RGolden.Strings(expected[k].GetProperty("domain")), t.Domain);
            if (expected[k].TryGetProperty("error", out var error))
            {
                output.WriteLine($"[{k}] R: {error.GetString()}");
                Assert.True(double.IsNaN(t.F) && double.IsNaN(t.P));
                continue;
            }
            worst = Math.Max(worst, QuantileGolden.Compare($"{id} [{k}]", expected[k],
                [("f", t.F), ("ndf", t.NumeratorDf), ("ddf", t.DenominatorDf), ("p", t.P)], failures));
        }
        output.WriteLine($"max relative error {worst:E3}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public void Golden_file_has_domain_tests_on_Taylor_and_replicate_designs()
    {
        var designs = Cases.Select(c => c.GetProperty("design").GetString()!).Distinct().ToArray();
        Assert.Contains("vol", designs);
        Assert.Contains("vol_jkn", designs);
        Assert.Contains("vol_boot", designs);
        Assert.True(Cases.Count() >= 16);
    }

    [Fact]
    public void Chisq_with_by_writes_one_test_per_domain_with_the_by_columns_as_R()
    {
        var differences = Path.Combine(folder, "differences.csv");
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(["estimate", "--data", Path.Combine(RGolden.Folder, "volunteer.csv"), "--weights", "pw", "--strata", "region", "--psu", "psu",
            "--fpc", "popsize", "--mean", "hours", "--by", "region", "--chisq", "sex,age", "--differences", differences, "--out", Path.Combine(folder, "est.csv")], stdout, stderr);
        Assert.True(code == 0, stderr.ToString());
        var lines = File.ReadAllText(Path.Combine(folder, "chisq.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("row_variable,column_variable,region,f,ndf,ddf,p", lines[0]);
        var expected = QuantileGolden.Case("chisq_vol_sex_age_region").GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, lines.Length - 1);
        for (int k = 0; k < expected.Length; k++)
        {
            var cells = lines[k + 1].Split(',');
            Assert.Equal(RGolden.Strings(expected[k].GetProperty("domain"))[0], cells[2]);
            foreach (var (field, column) in new[] { ("f", 3), ("ndf", 4), ("ddf", 5), ("p", 6) })
            {
                double r = RGolden.Number(expected[k].GetProperty(field)), ours = double.Parse(cells[column], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(ours - r) <= 1e-9 * Math.Abs(r), $"[{k}] {field}: R {r:R}, CLI {ours:R}");
            }
        }
    }
}
