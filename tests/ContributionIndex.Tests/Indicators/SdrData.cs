using System.Globalization;
using ContributionIndex.Indicators.Composite;
using ContributionIndex.Indicators.Composite.Io;

namespace ContributionIndex.Tests.Indicators;

/// <summary>Loads the SDR 2025 test copy (TestData/indicators/sdr2025, provenance in its README).</summary>
internal sealed class SdrData
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "indicators", "sdr2025");

    private static readonly Lazy<SdrData> Cached = new(() => new SdrData());

    private SdrData()
    {
        var indicators = CsvTable.Read(Path.Combine(Folder, "indicators.csv"));
        int code = indicators.Column("ind_code"), goal = indicators.Column("goal"), dir = indicators.Column("direction"),
            lb = indicators.Column("lower_bound"), opt = indicators.Column("upper_bound_optimum"),
            green = indicators.Column("green_threshold"), red = indicators.Column("red_threshold"), inIndex = indicators.Column("in_index");
        var definitions = new List<IndicatorDefinition>();
        var thresholds = new Dictionary<string, DashboardThresholds>(StringComparer.Ordinal);
        foreach (var row in indicators.Rows)
        {
            if (CsvTable.Field(row, inIndex) != "yes") continue;
            var lower = Parse(CsvTable.Field(row, lb));
            var optimum = Parse(CsvTable.Field(row, opt));
            var direction = CsvTable.Field(row, dir) == "higher_is_better" ? Direction.Positive : Direction.Negative;
            definitions.Add(new IndicatorDefinition(CsvTable.Field(row, code), CsvTable.Field(row, goal), direction, Math.Min(lower, optimum), Math.Max(lower, optimum)));
            thresholds[CsvTable.Field(row, code)] = new DashboardThresholds(Parse(CsvTable.Field(row, green)), Parse(CsvTable.Field(row, red)));
        }

        Framework = new Framework(definitions, source: "indicators.csv");
        Thresholds = thresholds;

        var index = CsvTable.Read(Path.Combine(Folder, "index.csv"));
        foreach (var row in index.Rows)
        {
            var iso = CsvTable.Field(row, index.Column("iso3"));
            var rank = CsvTable.Field(row, index.Column("sdg_index_rank"));
            var score = CsvTable.Field(row, index.Column("sdg_index_score"));
            Entities[iso] = new Entity(
                iso,
                CsvTable.Field(row, index.Column("region")),
                CsvTable.Field(row, index.Column("entity")) == "aggregate",
                score.Length == 0 ? null : Parse(score),
                rank.Length == 0 ? null : int.Parse(rank, CultureInfo.InvariantCulture),
                [.. Enumerable.Range(1, 17).Select(g => CsvTable.Field(row, index.Column($"goal_{g}_dashboard")))]);
        }

        var scores = CsvTable.Read(Path.Combine(Folder, "scores.csv"));
        int iso3 = scores.Column("iso3"), ind = scores.Column("ind_code"), value = scores.Column("normalised_score");
        foreach (var row in scores.Rows)
        {
            Scores.Add(new Observation(CsvTable.Field(row, iso3), CsvTable.Field(row, ind), Parse(CsvTable.Field(row, value)),
                new ContributionIndex.Diagnostics.SourceLocation("scores.csv", row.Line, 0)));
        }
    }

    public static SdrData Instance => Cached.Value;

    public Framework Framework { get; }

    public IReadOnlyDictionary<string, DashboardThresholds> Thresholds { get; }

    public Dictionary<string, Entity> Entities { get; } = new(StringComparer.Ordinal);

    public List<Observation> Scores { get; } = [];

    public static double Parse(string text) => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The framework with every indicator '+' on goalposts [0, 100]: the published scores read as raw values (CLI default path).</summary>
    public Framework ScoreFramework => new(Framework.Indicators.Select(d => d with { Direction = Direction.Positive, Lower = 0, Upper = 100 }), source: "indicators.csv");

    public IndicatorData ScoresAsRaw(Func<Entity, bool> include) =>
        IndicatorData.FromObservations(ScoreFramework, Scores.Where(o => include(Entities[o.Unit])));

    public IndicatorData Data(Func<Entity, bool> include) =>
        IndicatorData.FromObservations(Framework, Scores.Where(o => include(Entities[o.Unit])));

    internal sealed record Entity(string Iso3, string Region, bool IsAggregate, double? Score, int? Rank, string[] Dashboards);
}
