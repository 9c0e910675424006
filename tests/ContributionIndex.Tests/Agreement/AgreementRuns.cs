using System.Globalization;
using ContributionIndex.Cli;
using ContributionIndex.Tests.Samples;
using YamlDotNet.RepresentationModel;

namespace ContributionIndex.Tests.Agreement;

/// <summary>
/// The studies every agreement test runs on: the five Central Asia samples and one variant of kz.yaml whose
/// <c>estimation:</c> section asks for a 90 % confidence level and JKn replicate variances (built from strata and
/// PSUs), so that a figure, note or interval that ignores the study's design or level shows.
/// </summary>
public static class AgreementStudies
{
    /// <summary>The variant of kz.yaml with <c>confidence_level: 0.9</c> and <c>replicates: convert: jkn</c>.</summary>
    public const string Kz90Jkn = "kz-jkn90";

    private static readonly string[] Samples = ["kz", "kg", "tj", "uz", "regional"];

    /// <summary>Every study.</summary>
    public static TheoryData<string> All { get; } = [.. Samples, Kz90Jkn];

    /// <summary>The studies with an <c>index:</c> section (<c>contrib index STUDY</c> runs on them).</summary>
    public static TheoryData<string> WithIndex { get; } = [.. Samples.Append(Kz90Jkn).Where(s => FactsOf(s).HasIndex)];

    /// <summary>The study file's text; the variant's input paths are absolute so it can live in a temporary folder.</summary>
    internal static string Text(string key)
    {
        if (key != Kz90Jkn) return File.ReadAllText(SampleStudies.Study(key));
        var text = File.ReadAllText(SampleStudies.Study("kz"));
        Assert.DoesNotContain("\nestimation:", text, StringComparison.Ordinal);
        Assert.Contains("\nreport:", text, StringComparison.Ordinal);
        var folder = SampleStudies.Folder;
        return text
            .Replace("\nreport:", "\nestimation:\n  confidence_level: 0.9\n  replicates:\n    convert: jkn\nreport:", StringComparison.Ordinal)
            .Replace("path: data/", "path: " + Path.Combine(folder, "data") + "/", StringComparison.Ordinal)
            .Replace("wages: parameters/", "wages: " + Path.Combine(folder, "parameters") + "/", StringComparison.Ordinal)
            .Replace("region_labels: parameters/", "region_labels: " + Path.Combine(folder, "parameters") + "/", StringComparison.Ordinal)
            .Replace("study: kz-2019.yaml", "study: " + Path.Combine(folder, "kz-2019.yaml"), StringComparison.Ordinal)
            .TrimEnd('\n') + "\nallow_paths_outside_study_folder: true\n"; // reads the committed data in place (#15)
    }

    internal static StudyFacts FactsOf(string key) => StudyFacts.Parse(Text(key));
}

/// <summary>What the study file says about estimation (its YAML, read here, not through the library's study model).</summary>
/// <param name="HasIndex">The study has an <c>index:</c> section.</param>
/// <param name="ConfidenceLevel"><c>estimation.confidence_level</c> (default 0.95, methodology/volunteer-estimates.md).</param>
/// <param name="Design">
/// How survey estimates get their variance: <c>taylor</c> (no replicates declared, <c>estimation.replicates.convert: none</c>), else the replicate method (<c>jkn</c>, <c>jk1</c>, <c>bootstrap</c> from <c>convert</c>, or
/// <c>estimation.replicates.method</c> of declared replicate weights).
/// </param>
internal sealed record StudyFacts(bool HasIndex, double ConfidenceLevel, string Design)
{
    public static StudyFacts Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var estimation = Child(root, "estimation") as YamlMappingNode;
        var level = Scalar(estimation, "confidence_level") is { } l ? double.Parse(l, NumberStyles.Float, CultureInfo.InvariantCulture) : 0.95;
        var replicates = estimation is null ? null : Child(estimation, "replicates") as YamlMappingNode;
        var declared = Child(root, "inputs") is YamlSequenceNode inputs && inputs.Children.OfType<YamlMappingNode>().Any(i => Child(i, "replicate_weights") is not null);
        // convert: auto (the default) is JKn for the stratified sample surveys.
        var convert = (Scalar(replicates, "convert") ?? "auto").Trim().ToLowerInvariant();
        var design = declared ? (Scalar(replicates, "method") ?? "other").Trim().ToLowerInvariant()
            : convert == "none" ? "taylor"
            : convert == "auto" ? "jkn"
            : convert;
        return new StudyFacts(Child(root, "index") is YamlMappingNode, level, design);
    }

    private static YamlNode? Child(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    private static string? Scalar(YamlMappingNode? node, string key) =>
        node is not null && Child(node, key) is YamlScalarNode { Value: { } v } ? v : null;
}

/// <summary>The output folders of every command run on one study, and their files, read once.</summary>
internal sealed class StudyOutputs
{
    private readonly Lazy<EstimateTable> _estimates;
    private readonly Lazy<ValuationTable> _valuation;
    private readonly Lazy<AnnexFiles> _annex;

    public StudyOutputs(string key, string studyPath, StudyFacts facts, string root)
    {
        Key = key;
        StudyPath = studyPath;
        Facts = facts;
        ValueFolder = Path.Combine(root, "value");
        EstimateFolder = Path.Combine(root, "estimate");
        ReportFolder = Path.Combine(root, "report");
        IndexFolder = facts.HasIndex ? Path.Combine(root, "index") : null;
        _estimates = new(() => EstimateTable.Read(Path.Combine(EstimateFolder, "estimates.csv")));
        _valuation = new(() => ValuationTable.Read(Path.Combine(ValueFolder, "summary.csv")));
        _annex = new(() => AnnexFiles.Read(ReportFolder));
    }

    public string Key { get; }

    public string StudyPath { get; }

    public StudyFacts Facts { get; }

    /// <summary><c>contrib value STUDY --out</c>.</summary>
    public string ValueFolder { get; }

    /// <summary><c>contrib estimate STUDY --out</c>.</summary>
    public string EstimateFolder { get; }

    /// <summary><c>contrib report STUDY --out --lang en --format xlsx,csv,sdmx,opensdg</c>.</summary>
    public string ReportFolder { get; }

    /// <summary><c>contrib index STUDY --out</c>, for a study with an index section.</summary>
    public string? IndexFolder { get; }

    /// <summary>estimates.csv of <c>contrib estimate</c>.</summary>
    public EstimateTable Estimates => _estimates.Value;

    /// <summary>summary.csv of <c>contrib value</c>.</summary>
    public ValuationTable Valuation => _valuation.Value;

    /// <summary>The annex's tidy CSV and SDMX-CSV files of <c>contrib report</c>.</summary>
    public AnnexFiles Annex => _annex.Value;

    public string Workbook =>
        Directory.GetFiles(ReportFolder, "*.xlsx") is [var one] ? one : throw new InvalidOperationException($"Expected one workbook in {ReportFolder}.");

    public string IndexFile(string name) =>
        Path.Combine(IndexFolder ?? throw new InvalidOperationException($"{Key} has no index section."), name);
}

/// <summary>
/// Runs <c>contrib value</c>, <c>contrib estimate STUDY</c>, <c>contrib report</c> (tidy CSV, SDMX-CSV and the
/// workbook for its notes) and, where the study has an index, <c>contrib index STUDY</c> on each study, each into its
/// own temporary folder, through the CLI's entry point (<see cref="Program.Run"/>), once per test run, on first use.
/// </summary>
public sealed class AgreementRuns : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "ci-agreement-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, StudyOutputs> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Exception> _failures = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    internal StudyOutputs Get(string key)
    {
        lock (_lock)
        {
            if (_runs.TryGetValue(key, out var done)) return done;
            if (_failures.TryGetValue(key, out var failed)) throw new InvalidOperationException($"The commands failed on {key} earlier.", failed);
            try
            {
                var outputs = Run(key);
                _runs[key] = outputs;
                return outputs;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _failures[key] = ex;
                throw;
            }
        }
    }

    private StudyOutputs Run(string key)
    {
        var folder = Path.Combine(_root, key);
        Directory.CreateDirectory(folder);
        string study;
        if (key == AgreementStudies.Kz90Jkn)
        {
            study = Path.Combine(folder, "kz.yaml");
            File.WriteAllText(study, AgreementStudies.Text(key));
        }
        else
        {
            study = SampleStudies.Study(key);
        }

        var outputs = new StudyOutputs(key, study, AgreementStudies.FactsOf(key), folder);
        Contrib("value", study, "--out", outputs.ValueFolder);
        Contrib("estimate", study, "--out", outputs.EstimateFolder);
        Contrib("report", study, "--out", outputs.ReportFolder, "--lang", "en", "--format", "xlsx,csv,sdmx,opensdg");
        if (outputs.IndexFolder is { } index) Contrib("index", study, "--out", index);
        return outputs;
    }

    private static void Contrib(params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var code = Program.Run(args, stdout, stderr);
        Assert.True(code == ExitCodes.Success, $"contrib {string.Join(' ', args)} exited with {code}:\n{stderr}\n{stdout}");
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temporary folder
        }
    }
}

/// <summary>The agreement tests share one set of command runs and run one after another (2 shared cores).</summary>
[CollectionDefinition(Name)]
public sealed class AgreementCollection : ICollectionFixture<AgreementRuns>
{
    public const string Name = "Agreement of the commands' outputs";
}

/// <summary>estimates.csv of <c>contrib estimate STUDY</c>, keyed by variable, scope, source and documented breakdown code.</summary>
internal sealed class EstimateTable
{
    private readonly Dictionary<string, CsvRecord> _byKey;

    private EstimateTable(CsvFile file, Dictionary<string, CsvRecord> byKey)
    {
        File = file;
        _byKey = byKey;
    }

    public CsvFile File { get; }

    public const string Source = "contrib estimate (estimates.csv)";

    public static EstimateTable Read(string path)
    {
        var file = CsvFile.Read(path);
        var byKey = new Dictionary<string, CsvRecord>(StringComparer.Ordinal);
        foreach (var r in file.Records)
        {
            if (Scopes.BreakdownOf(r["domain"], r["domain_value"]) is not { } breakdown) continue;
            var key = Key(r["variable"], Scopes.OfCountry(r["country"]), r["source"], breakdown);
            Assert.True(byKey.TryAdd(key, r), $"{r}: a second estimate of {key}.");
        }

        return new EstimateTable(file, byKey);
    }

    private static string Key(string variable, string scope, string source, string breakdown) => variable + "|" + scope + "|" + source + "|" + breakdown;

    public CsvRecord? Find(string variable, string scope, string source, string breakdown) => _byKey.GetValueOrDefault(Key(variable, scope, source, breakdown));

    /// <summary>The estimates of one variable and source in the domains the annex breaks down by.</summary>
    public IEnumerable<(CsvRecord Record, string Scope, string Breakdown)> Of(string variable, string source, params string[] domains) =>
        File.Records.Where(r => r["variable"] == variable && r["source"] == source && domains.Contains(r["domain"]))
            .Select(r => (r, Scopes.OfCountry(r["country"]), Scopes.BreakdownOf(r["domain"], r["domain_value"])!));
}

/// <summary>summary.csv of <c>contrib value</c>, keyed by source kind, scope and method.</summary>
internal sealed class ValuationTable
{
    private ValuationTable(CsvFile file) => File = file;

    public CsvFile File { get; }

    public const string Source = "contrib value (summary.csv)";

    public static ValuationTable Read(string path) => new(CsvFile.Read(path));

    public IEnumerable<CsvRecord> Records => File.Records;

    public CsvRecord? Find(string source, string scope, string method) =>
        File.Records.SingleOrDefault(r => r["source_kind"] == source && Scopes.OfCountry(r["country"]) == scope && r["method"] == method);

    public CsvRecord? Headline(string source, string scope) =>
        File.Records.SingleOrDefault(r => r["source_kind"] == source && Scopes.OfCountry(r["country"]) == scope && r["headline"] == "1");
}
