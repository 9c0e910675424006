using System.Text.Json;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Regression;

namespace ContributionIndex.Tests.Estimation.Regression;

/// <summary>
/// Quick-mode calibration (<c>--calibrate margins.csv --calfun --bounds --trim</c>) against R survey 4.1-1 <c>calibrate()</c>
/// (tests/r/golden-model.R): totals and means, whole sample and by domain, after linear, bounded linear, raking, bounded
/// raking, logit and trimmed raking calibration of Taylor (with and without fpc) and replicate (JKn, bootstrap) designs.
/// </summary>
public sealed class CalibrationGoldenTests
{
    private const double Tolerance = 1e-9;
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "regression");
    private static readonly Lazy<JsonDocument> Golden = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "golden-calibration.json"))));

    public static TheoryData<string> CaseIds()
    {
        var data = new TheoryData<string>();
        foreach (var c in Golden.Value.RootElement.GetProperty("cases").EnumerateArray()) data.Add(c.GetProperty("id").GetString()!);
        return data;
    }

    [Fact]
    public void EveryDistanceBoundsAndTrimmingIsCoveredOnBothDesignKinds()
    {
        var cases = Golden.Value.RootElement.GetProperty("cases").EnumerateArray().ToArray();
        Assert.Equal(96, cases.Length);
        foreach (var calfun in new[] { "linear", "raking", "logit" })
            Assert.Contains(cases, c => c.GetProperty("calfun").GetString() == calfun && c.GetProperty("flags").TryGetProperty("rep_type", out _));
        Assert.Contains(cases, c => c.GetProperty("trim").ValueKind == JsonValueKind.String && !c.GetProperty("flags").TryGetProperty("rep_type", out _));
        // The bounds bind: R's g-weights of the Taylor design reach them.
        var bounded = cases.First(c => c.GetProperty("id").GetString() == "persons_wr-linear_bounds-total-hours-all");
        Assert.Equal(0.8, RGolden.Number(bounded.GetProperty("g_range")[0]), 12);
    }

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void EstimatesAfterCalibrationMatchR(string id)
    {
        var c = Golden.Value.RootElement.GetProperty("cases").EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
        var survey = ModelGoldenTests.Request(WithoutWhere(c)).Survey;
        string variable = c.GetProperty("variable").GetString()!;
        var by = c.GetProperty("by").ValueKind == JsonValueKind.String ? new[] { c.GetProperty("by").GetString()! } : [];
        var request = survey with
        {
            Totals = c.GetProperty("statistic").GetString() == "total" ? [variable] : [],
            Means = c.GetProperty("statistic").GetString() == "mean" ? [variable] : [],
            By = by,
            Calibration = new CalibrationRequest(Path.Combine(Folder, "margins.csv"),
                c.GetProperty("calfun").GetString() switch { "linear" => CalibrationFunction.Linear, "raking" => CalibrationFunction.Raking, _ => CalibrationFunction.Logit },
                Limits(c.GetProperty("bounds")), Limits(c.GetProperty("trim"))),
        };
        var estimates = QuickEstimate.Run(request);
        var expectedEstimates = c.GetProperty("estimate").EnumerateArray().Select(RGolden.Number).ToArray();
        var expectedSes = c.GetProperty("se").EnumerateArray().Select(RGolden.Number).ToArray();
        Assert.Equal(expectedEstimates.Length, estimates.Count);
        for (int k = 0; k < estimates.Count; k++)
        {
            if (by.Length > 0) Assert.Equal(c.GetProperty("domains")[k].GetString(), estimates[k].Domain[0]);
            Close(expectedEstimates[k], estimates[k].Value, $"{id} [{k}] estimate");
            Close(expectedSes[k], estimates[k].StandardError, $"{id} [{k}] se");
        }
    }

    private static JsonElement WithoutWhere(JsonElement c)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(c.GetRawText())!.AsObject();
        node["where"] = null;
        node["formula"] = "unused ~ x";
        node["family"] = "gaussian";
        return JsonDocument.Parse(node.ToJsonString()).RootElement;
    }

    private static (double, double)? Limits(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.String) return null;
        var parts = e.GetString()!.Split(',');
        return (RGolden.Number(parts[0]), RGolden.Number(parts[1]));
    }

    private static void Close(double expected, double actual, string what)
    {
        double error = Math.Abs(actual - expected) / Math.Abs(expected);
        Assert.True(error <= Tolerance, $"{what}: R {expected:R}, ours {actual:R}, relative difference {error:E2}");
    }
}
