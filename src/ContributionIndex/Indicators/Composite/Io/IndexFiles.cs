using System.Globalization;
using System.Text;
using ContributionIndex.Diagnostics;
using ContributionIndex.IO;
using ContributionIndex.Indicators.Sensitivity;

namespace ContributionIndex.Indicators.Composite.Io;

/// <summary>Reads the CSV inputs of <c>contrib index</c> and writes its outputs (UTF-8, atomically, by the CSV text policy of <see cref="CsvText"/>).</summary>
public static class IndexFiles
{
    /// <summary>The expected framework header (target and pillar_weight are optional extra columns).</summary>
    public const string FrameworkHeader = "indicator,pillar,direction,lower,upper,weight";

    /// <summary>The expected data header.</summary>
    public const string DataHeader = "unit,indicator,value";

    /// <summary>The expected units header.</summary>
    public const string UnitsHeader = "unit,group";

    /// <summary>Reads FRAMEWORK.csv: <c>indicator,pillar,direction,lower,upper,weight[,target][,pillar_weight]</c>.</summary>
    public static Framework ReadFramework(string path)
    {
        var table = CsvTable.Read(path, "lower", "upper", "weight", "target", "pillar_weight");
        int code = table.RequireColumn("indicator", FrameworkHeader), pillar = table.RequireColumn("pillar", FrameworkHeader),
            direction = table.RequireColumn("direction", FrameworkHeader), lower = table.Column("lower"), upper = table.Column("upper"),
            weight = table.Column("weight"), target = table.Column("target"), pillarWeight = table.Column("pillar_weight");
        var definitions = new List<IndicatorDefinition>();
        var lines = new List<long>();
        var pillarWeights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            var directionText = CsvTable.Field(row, direction);
            if (!DirectionText.TryParse(directionText, out var parsed))
                throw new InputDataException(new SourceLocation(path, row.Line, direction + 1, "direction"), $"direction '{directionText}' is neither '+' nor '-'.", "Write + when higher values are better and - when lower values are better.");
            var pillarName = CsvTable.Field(row, pillar);
            definitions.Add(new IndicatorDefinition(
                CsvTable.Field(row, code), pillarName, parsed,
                table.Number(row, lower, "lower"), table.Number(row, upper, "upper"), table.Number(row, weight, "weight"), table.Number(row, target, "target")));
            lines.Add(row.Line);
            if (table.Number(row, pillarWeight, "pillar_weight") is { } pw)
            {
                if (pillarWeights.TryGetValue(pillarName, out var previous) && previous != pw)
                    throw new InputDataException(new SourceLocation(path, row.Line, pillarWeight + 1, "pillar_weight"), $"pillar '{pillarName}' has two different pillar weights.", "Give the same pillar_weight on every row of the pillar.");
                pillarWeights[pillarName] = pw;
            }
        }

        return new Framework(definitions, pillarWeights.Count == 0 ? null : pillarWeights, path, lines);
    }

    /// <summary>Reads DATA.csv (long format <c>unit,indicator,value</c>; an empty value is missing).</summary>
    public static IndicatorData ReadData(string path, Framework framework)
    {
        ArgumentNullException.ThrowIfNull(framework);
        var table = CsvTable.Read(path, "value");
        int unit = table.RequireColumn("unit", DataHeader), indicator = table.RequireColumn("indicator", DataHeader), value = table.RequireColumn("value", DataHeader);
        if (table.Rows.Count == 0)
            throw new InputDataException(SourceLocation.OfFile(path), "the data file has a header but no rows.", "Add rows 'unit,indicator,value'.");
        var observations = table.Rows.Select(row => new Observation(
            CsvTable.Field(row, unit), CsvTable.Field(row, indicator), table.Number(row, value, "value"), new SourceLocation(path, row.Line, indicator + 1, "indicator")));
        return IndicatorData.FromObservations(framework, observations);
    }

    /// <summary>Reads UNITS.csv (<c>unit,group</c>).</summary>
    public static IReadOnlyDictionary<string, string> ReadGroups(string path)
    {
        var table = CsvTable.Read(path);
        int unit = table.RequireColumn("unit", UnitsHeader), group = table.RequireColumn("group", UnitsHeader);
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            var code = CsvTable.Field(row, unit);
            if (!groups.TryAdd(code, CsvTable.Field(row, group)))
                throw new InputDataException(new SourceLocation(path, row.Line, unit + 1, "unit"), $"unit '{code}' is listed twice.", "Keep one row per unit.");
        }

        return groups;
    }

    /// <summary>The expected dashboard-thresholds header.</summary>
    public const string ThresholdsHeader = "indicator,green,red";

    /// <summary>Reads THRESHOLDS.csv (<c>indicator,green,red</c>, raw units as in the SDR codebook).</summary>
    public static IReadOnlyDictionary<string, DashboardThresholds> ReadThresholds(string path, Framework framework)
    {
        ArgumentNullException.ThrowIfNull(framework);
        var table = CsvTable.Read(path, "green", "red");
        int code = table.RequireColumn("indicator", ThresholdsHeader), green = table.RequireColumn("green", ThresholdsHeader), red = table.RequireColumn("red", ThresholdsHeader);
        var thresholds = new Dictionary<string, DashboardThresholds>(StringComparer.Ordinal);
        foreach (var row in table.Rows)
        {
            var indicator = CsvTable.Field(row, code);
            var where = new SourceLocation(path, row.Line, code + 1, "indicator");
            if (!framework.TryGetIndicator(indicator, out _))
                throw new InputDataException(where, $"indicator '{indicator}' is not in the framework {framework.Source}.", "Remove the row or fix the code.");
            if (table.Number(row, green, "green") is not { } g || table.Number(row, red, "red") is not { } r)
                throw new InputDataException(where, $"indicator '{indicator}' needs both a green and a red threshold.", "Fill both cells.");
            if (!thresholds.TryAdd(indicator, new DashboardThresholds(g, r)))
                throw new InputDataException(where, $"indicator '{indicator}' has a second row.", "Keep one row per indicator.");
        }

        return thresholds;
    }

    /// <summary>Writes <c>dashboard.csv</c>: <c>unit,pillar,colour</c> (green, yellow, orange, red, grey).</summary>
    public static void WriteDashboard(string path, IndexResult result, IReadOnlyDictionary<string, DashboardThresholds> thresholds)
    {
        ArgumentNullException.ThrowIfNull(result);
        var colours = SdrDashboard.RatePillars(result, thresholds);
        var text = new StringBuilder("unit,pillar,colour\n");
        for (var u = 0; u < result.Units.Length; u++)
        {
            for (var p = 0; p < result.Framework.Pillars.Length; p++)
            {
                text.Append(Text(result.Units[u])).Append(',').Append(Text(result.Framework.Pillars[p].Name)).Append(',')
                    .Append(colours[u][p].ToString().ToLowerInvariant()).Append('\n');
            }
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>Writes <c>scores.csv</c>: <c>unit,level,name,score,rank</c>, per unit the index row, its pillars, then its indicators.</summary>
    public static void WriteScores(string path, IndexResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder("unit,level,name,score,rank\n");
        var framework = result.Framework;
        for (var u = 0; u < result.Units.Length; u++)
        {
            Row(text, result.Units[u], "index", "index", result.IndexScore(u), result.IndexRank(u));
            for (var p = 0; p < framework.Pillars.Length; p++) Row(text, result.Units[u], "pillar", framework.Pillars[p].Name, result.PillarScore(u, p), result.PillarRank(u, p));
            for (var i = 0; i < framework.Indicators.Length; i++) Row(text, result.Units[u], "indicator", framework.Indicators[i].Code, result.IndicatorScore(u, i), result.IndicatorRank(u, i));
        }

        AtomicFile.WriteAllText(path, text.ToString());
    }

    /// <summary>Writes <c>sensitivity.csv</c> (rank uncertainty per unit) and, when estimated, <c>sobol.csv</c> next to it.</summary>
    public static void WriteSensitivity(string path, UncertaintyResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var text = new StringBuilder("unit,nominal_score,nominal_rank,median_rank,rank_p05,rank_p95,mean_abs_rank_shift\n");
        foreach (var u in result.Units)
        {
            text.Append(Text(u.Unit)).Append(',').Append(Num(u.NominalScore)).Append(',').Append(Int(u.NominalRank)).Append(',')
                .Append(Num(u.MedianRank)).Append(',').Append(Num(u.Rank05)).Append(',').Append(Num(u.Rank95)).Append(',').Append(Num(u.MeanAbsoluteShift)).Append('\n');
        }

        AtomicFile.WriteAllText(path, text.ToString());
        if (result.Factors.IsDefaultOrEmpty) return;
        var sobol = new StringBuilder("factor,first_order,total,first_order_se,total_se\n");
        foreach (var f in result.Factors)
        {
            sobol.Append(Text(f.Factor)).Append(',').Append(Num(f.FirstOrder)).Append(',').Append(Num(f.Total)).Append(',')
                .Append(Num(f.FirstOrderStandardError)).Append(',').Append(Num(f.TotalStandardError)).Append('\n');
        }

        AtomicFile.WriteAllText(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "sobol.csv"), sobol.ToString());
    }

    private static void Row(StringBuilder text, string unit, string level, string name, double score, int? rank) =>
        text.Append(Text(unit)).Append(',').Append(Text(level)).Append(',').Append(Text(name)).Append(',').Append(Num(score)).Append(',').Append(Int(rank)).Append('\n');

    private static string Num(double value) => CsvText.Number(value);

    private static string Int(int? value) => CsvText.Integer(value);

    private static string Text(string value) => CsvText.Text(value);
}
