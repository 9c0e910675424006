using System.Globalization;
using System.Text.Json;
using ContributionIndex.Estimation;

namespace ContributionIndex.Tests.Estimation;

/// <summary>Loads tests/r/golden.R's output (R survey 4.1-1) and rebuilds each design with this library.</summary>
internal static class RGolden
{
    public static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "estimation");

    private static readonly Lazy<JsonDocument> Document = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "golden.json"))));
    private static readonly Dictionary<string, SurveyDesign> Designs = [];
    private static readonly Dictionary<string, SampleTable> Tables = [];
    private static readonly Lock Gate = new();

    public static JsonElement Root => Document.Value.RootElement;

    public static IEnumerable<JsonElement> Cases => Root.GetProperty("cases").EnumerateArray();

    public static JsonElement Case(string id) => Cases.Single(c => c.GetProperty("id").GetString() == id);

    public static JsonElement DesignSpec(string name) => Root.GetProperty("designs").GetProperty(name);

    /// <summary>Parses a number written by R with sprintf("%.17g"); "NA" becomes NaN.</summary>
    public static double Number(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : Number(e.GetString()!);

    public static double Number(string s) => s switch
    {
        "NA" or "NaN" or "" => double.NaN,
        "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    public static IReadOnlyList<string> Strings(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Array => e.EnumerateArray().Select(x => x.GetString()!).ToArray(),
        JsonValueKind.String => [e.GetString()!],
        _ => [],
    };

    public static SampleTable Table(string file)
    {
        lock (Gate)
        {
            if (!Tables.TryGetValue(file, out var table)) Tables[file] = table = SampleTable.Read(Path.Combine(Folder, file));
            return table;
        }
    }

    public static SurveyDesign Design(string name)
    {
        lock (Gate)
        {
            if (!Designs.TryGetValue(name, out var design)) Designs[name] = design = Build(DesignSpec(name));
            return design;
        }
    }

    public static string DataFile(JsonElement spec) => spec.GetProperty("kind").GetString() is "convert" or "calibrated"
        ? DataFile(spec.GetProperty("base"))
        : spec.GetProperty("data").GetString()!;

    /// <summary>True for designs whose weights come from an iterative fit (raking), checked to 1e-8 instead of 1e-10.</summary>
    public static bool IsIterative(JsonElement spec) => spec.GetProperty("kind").GetString() == "calibrated"
        && spec.GetProperty("calibration").GetProperty("type").GetString() == "raking";

    public static SurveyDesign Build(JsonElement spec)
    {
        var kind = spec.GetProperty("kind").GetString();
        bool mse = spec.TryGetProperty("mse", out var m) && m.ValueKind == JsonValueKind.True;
        switch (kind)
        {
            case "taylor":
                return BuildTaylor(spec);
            case "convert":
                var baseDesign = BuildTaylor(spec.GetProperty("base"));
                return spec.GetProperty("method").GetString() switch
                {
                    "jk1" => ReplicateConversion.Jk1(baseDesign, mse),
                    "jkn" => ReplicateConversion.Jkn(baseDesign, mse),
                    var other => throw new InvalidOperationException(other),
                };
            case "calibrated":
                return Calibrate(Build(spec.GetProperty("base")), spec.GetProperty("calibration"), Table(DataFile(spec)));
            case "replicate":
                var table = Table(spec.GetProperty("data").GetString()!);
                var reps = SampleTable.Read(Path.Combine(Folder, spec.GetProperty("repweights").GetString()!));
                var columns = reps.Columns.Select(c => reps.Numbers(c)).ToArray();
                var method = spec.GetProperty("method").GetString() switch
                {
                    "bootstrap" => ReplicateMethod.Bootstrap,
                    "brr" => ReplicateMethod.Brr,
                    "fay" => ReplicateMethod.Fay,
                    "jkn" => ReplicateMethod.Jkn,
                    "jk1" => ReplicateMethod.Jk1,
                    "other" => ReplicateMethod.Other,
                    var other => throw new InvalidOperationException(other),
                };
                double? rho = spec.TryGetProperty("rho", out var r) ? Number(r) : null;
                double? scale = spec.TryGetProperty("scale", out var s) ? Number(s) : null;
                IReadOnlyList<double>? rscales = spec.TryGetProperty("rscales", out var rs) ? rs.EnumerateArray().Select(Number).ToArray() : null;
                return ReplicateDesign.Create(table.Numbers(spec.GetProperty("weights").GetString()!), columns, method, rho, scale, rscales, mse);
            default:
                throw new InvalidOperationException(kind);
        }
    }

    private static SurveyDesign Calibrate(SurveyDesign design, JsonElement calibration, SampleTable table)
    {
        var type = calibration.GetProperty("type").GetString();
        if (type == "poststratify")
        {
            var population = calibration.GetProperty("population").EnumerateObject().ToDictionary(p => p.Name, p => Number(p.Value));
            return ContributionIndex.Estimation.Calibration.PostStratify(design, table.Strings(calibration.GetProperty("cell").GetString()!), population);
        }
        var model = CalibrationModel.WithIntercept(table.RowCount);
        foreach (var term in calibration.GetProperty("terms").EnumerateArray())
        {
            if (term.TryGetProperty("factor", out var f)) model.AddFactor(f.GetString()!, table.Strings(f.GetString()!));
            else model.AddNumeric(term.GetProperty("numeric").GetString()!, table.Numbers(term.GetProperty("numeric").GetString()!));
        }
        var totals = calibration.GetProperty("totals").EnumerateArray().Select(Number).ToArray();
        return ContributionIndex.Estimation.Calibration.Calibrate(design, model, totals, type == "raking" ? CalibrationFunction.Raking : CalibrationFunction.Linear);
    }

    public static TaylorDesign BuildTaylor(JsonElement spec)
    {
        var table = Table(spec.GetProperty("data").GetString()!);
        string? Optional(string p) => spec.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var strata = Optional("strata");
        var psu = Optional("psu");
        var fpc = Optional("fpc");
        var lonely = Enum.Parse<LonelyPsuPolicy>(spec.GetProperty("lonely").GetString()!, ignoreCase: true);
        return TaylorDesign.Create(table.Numbers(spec.GetProperty("weights").GetString()!),
            strata is null ? null : table.Strings(strata), psu is null ? null : table.Strings(psu),
            fpc is null ? default : table.Numbers(fpc), lonely);
    }
}

/// <summary>A CSV written by golden.R: comma-separated, no quoting, empty field = missing.</summary>
internal sealed class SampleTable
{
    private readonly Dictionary<string, string[]> columns;

    private SampleTable(string[] names, Dictionary<string, string[]> columns)
    {
        Columns = names;
        this.columns = columns;
    }

    public IReadOnlyList<string> Columns { get; }

    public int RowCount => columns[Columns[0]].Length;

    public static SampleTable Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var names = lines[0].Split(',');
        var cells = lines.Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToArray();
        var dict = new Dictionary<string, string[]>();
        for (int c = 0; c < names.Length; c++) dict[names[c]] = cells.Select(row => row[c]).ToArray();
        return new SampleTable(names, dict);
    }

    public string[] Strings(string column) => columns[column];

    public string?[] NullableStrings(string column) => columns[column].Select(v => v.Length == 0 ? null : v).ToArray();

    public double[] Numbers(string column) => columns[column].Select(RGolden.Number).ToArray();
}
