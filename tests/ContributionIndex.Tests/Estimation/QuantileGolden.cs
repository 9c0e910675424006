using System.Text.Json;

namespace ContributionIndex.Tests.Estimation;

/// <summary>The cases of tests/r/golden-quantile.R (quantile-golden.json) and the 1e-9 relative comparison its tests share.</summary>
internal static class QuantileGolden
{
    public const double RelativeTolerance = 1e-9;

    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RGolden.Folder, "quantile-golden.json"))));

    public static IEnumerable<JsonElement> All => Document.Value.RootElement.GetProperty("cases").EnumerateArray();

    public static IEnumerable<JsonElement> OfKind(params string[] kinds) => All.Where(c => kinds.Contains(c.GetProperty("kind").GetString()));

    public static JsonElement Case(string id) => All.Single(c => c.GetProperty("id").GetString() == id);

    public static TheoryData<string> Ids(params string[] kinds)
    {
        var data = new TheoryData<string>();
        foreach (var c in OfKind(kinds)) data.Add(c.GetProperty("id").GetString()!);
        return data;
    }

    /// <summary>Compares each (field, ours) with R's value of <paramref name="expected"/>; returns the largest relative error and adds failures beyond 1e-9.</summary>
    public static double Compare(string what, JsonElement expected, IEnumerable<(string Field, double Ours)> values, List<string> failures)
    {
        double worst = 0;
        foreach (var (field, ours) in values)
        {
            double r = RGolden.Number(expected.GetProperty(field));
            if (double.IsNaN(r) && double.IsNaN(ours) || r == ours) continue;
            double relative = Math.Abs(ours - r) / Math.Abs(r);
            if (double.IsNaN(relative)) relative = double.PositiveInfinity;
            worst = Math.Max(worst, relative);
            if (relative > RelativeTolerance) failures.Add($"{what} {field}: R {r:R}, ours {ours:R} ({relative:E2})");
        }
        return worst;
    }
}
