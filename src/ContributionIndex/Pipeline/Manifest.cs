using System.Reflection;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ContributionIndex.Classify;
using ContributionIndex.IO;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Pipeline;

/// <summary>
/// Writes manifest.json: the package version, the study file and each input and wage table with its SHA-256, every
/// parameter, and the row counts per input. It holds no time stamp, so the same inputs give the same bytes.
/// </summary>
public static class Manifest
{
    /// <summary>The library's informational version (package version, plus the commit when built from source).</summary>
    public static string PackageVersion { get; } =
        typeof(Manifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(Manifest).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The SHA-256 of a file in lower-case hex; null when the file does not exist.</summary>
    public static string? Sha256(string path)
    {
        if (!File.Exists(path)) return null;
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The SHA-256 of every input file by input name (<see cref="Sha256"/>), e.g. computed on an idle core while a run goes on.</summary>
    internal static IReadOnlyDictionary<string, string?> InputDigests(Study study) =>
        study.Inputs.GroupBy(i => i.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Sha256(Resolve(study, g.First().Path)), StringComparer.Ordinal);

    internal static void Write(string path, Study study, ValuationParameters parameters, IReadOnlyList<InputCounts> counts, IReadOnlyList<ValuationSummary> summaries, CodingSummary? coding = null,
        RecordOutput records = RecordOutput.Csv, IReadOnlyDictionary<string, string?>? inputDigests = null)
    {
        using var file = new AtomicFile(path);
        file.Writer.Write(Build(study, parameters, counts, summaries, coding, records, inputDigests));
        file.Writer.Write('\n');
        file.Commit();
    }

    /// <summary>Builds the manifest text.</summary>
    public static string Build(Study study, ValuationParameters parameters, IReadOnlyList<InputCounts> counts, IReadOnlyList<ValuationSummary> summaries, CodingSummary? coding = null,
        RecordOutput records = RecordOutput.Csv) => Build(study, parameters, counts, summaries, coding, records, null);

    private static string Build(Study study, ValuationParameters parameters, IReadOnlyList<InputCounts> counts, IReadOnlyList<ValuationSummary> summaries, CodingSummary? coding,
        RecordOutput records, IReadOnlyDictionary<string, string?>? inputDigests)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(summaries);
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            WriteIndented = true,
            NewLine = "\n",
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            // Only what the study file says: loader-set members (absolute paths, locations) would make the bytes depend on the machine.
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DropLoaderMembers } },
        };
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n", Encoder = options.Encoder }))
        {
            json.WriteStartObject();
            json.WriteString("tool", "ContributionIndex");
            json.WriteString("package_version", PackageVersion);
            json.WriteStartObject("study");
            json.WriteString("id", study.Id);
            json.WriteString("title", study.Title);
            json.WriteString("file", Path.GetFileName(study.SourcePath));
            WriteNullable(json, "sha256", string.IsNullOrEmpty(study.SourcePath) ? null : Sha256(study.SourcePath));
            json.WriteNumber("year", study.Year);
            json.WriteNumber("base_year", parameters.BaseYear);
            json.WriteEndObject();

            json.WritePropertyName("parameters");
            json.WriteStartObject();
            json.WritePropertyName("reference_period");
            JsonSerializer.Serialize(json, study.ReferencePeriod, options);
            json.WritePropertyName("valuation");
            JsonSerializer.Serialize(json, study.Valuation, options);
            json.WritePropertyName("checks");
            JsonSerializer.Serialize(json, study.Checks, options);
            json.WritePropertyName("countries");
            JsonSerializer.Serialize(json, study.Countries, options);
            json.WriteEndObject();

            json.WriteStartArray("wage_tables");
            foreach (var country in study.Countries.Where(c => !string.IsNullOrWhiteSpace(c.Wages)))
            {
                json.WriteStartObject();
                json.WriteString("country", country.Code);
                json.WriteString("path", country.Wages!.Replace('\\', '/'));
                WriteNullable(json, "sha256", Sha256(Resolve(study, country.Wages!)));
                json.WriteNumber("entries", parameters.Countries.TryGetValue(country.Code.Trim().ToUpperInvariant(), out var p) ? p.Wages.Count : 0);
                json.WriteEndObject();
            }

            json.WriteEndArray();

            json.WriteStartArray("inputs");
            var specs = study.Inputs.ToDictionary(i => i.Name, StringComparer.Ordinal);
            foreach (var count in counts)
            {
                json.WriteStartObject();
                json.WriteString("name", count.Input);
                if (specs.TryGetValue(count.Input, out var spec))
                {
                    json.WriteString("kind", Studies.StudyChoices.Word(spec.Kind));
                    json.WriteString("path", spec.Path.Replace('\\', '/'));
                    WriteNullable(json, "sha256", inputDigests is not null && inputDigests.TryGetValue(count.Input, out var digest) ? digest : Sha256(Resolve(study, spec.Path)));
                }

                json.WriteNumber("rows_read", count.Read);
                json.WriteNumber("rows_accepted", count.Accepted);
                json.WriteNumber("rows_rejected", count.Rejected);
                json.WriteNumber("rows_rejected_at_ingest", count.RejectedAtIngest);
                json.WriteNumber("rows_rejected_by_checks", count.RejectedByChecks);
                json.WriteNumber("rows_valued", count.Valued);
                json.WriteStartObject("rows_excluded");
                foreach (var (reason, n) in count.Excluded) json.WriteNumber(reason.Code(), n);
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (coding is not null) WriteCoding(json, coding);
            json.WriteStartArray("outputs");
            foreach (var name in ValuationRun.OutputFilesFor(records)) json.WriteStringValue(name);
            if (coding is not null) json.WriteStringValue(CodedRecordSource.ReviewFileName);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The "coding" section: model, thresholds, direction use, counts, mean confidence and confidence bands (methodology/coding/README.md).</summary>
    private static void WriteCoding(Utf8JsonWriter json, CodingSummary coding)
    {
        json.WriteStartObject("coding");
        json.WriteString("model", coding.Model);
        json.WriteString("model_training_examples_sha256", coding.ModelTrainingExamplesSha256);
        if (coding.Coder is { } coder)
        {
            // Coder version and its evaluation-set figures (issue #17), so a run records how good its automatic codes are.
            json.WriteString("coder_version", coder.CoderVersion);
            if (coder.Evaluation is { } figures)
            {
                json.WriteStartObject("coder_evaluation");
                foreach (var (name, value) in figures.OrderBy(f => f.Key, StringComparer.Ordinal)) json.WriteNumber(name, value);
                json.WriteEndObject();
            }
        }

        // Which thresholds decided (the model's recorded ones unless the study set them) and how often the Forum
        // direction was evidence, so that a run can be compared with 'contrib classify' on the same texts.
        json.WriteNumber("isco_threshold", coding.IscoThreshold);
        json.WriteString("isco_threshold_source", coding.IscoThresholdFromStudy ? "study" : "model");
        json.WriteNumber("sdg_threshold", coding.SdgThreshold);
        json.WriteString("sdg_threshold_source", coding.SdgThresholdFromStudy ? "study" : "model");
        json.WriteNumber("records_with_direction", coding.WithDirection);
        json.WriteNumber("records_with_unknown_direction", coding.WithUnknownDirection);
        json.WriteNumber("records_coded", coding.Records.Count);
        json.WriteNumber("isco_codes_used", coding.IscoCoded);
        json.WriteNumber("sdg_goals_filled", coding.SdgFilled);
        json.WriteNumber("sent_to_review", coding.SentToReview);
        if (coding.Records.Count == 0) json.WriteNull("mean_isco_confidence");
        else json.WriteNumber("mean_isco_confidence", coding.MeanIscoConfidence);
        json.WriteStartObject("isco_confidence_bands");
        var bands = coding.IscoConfidenceBands;
        for (var i = 0; i < bands.Count; i++) json.WriteNumber(CodingSummary.BandLabels[i], bands[i]);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void DropLoaderMembers(JsonTypeInfo info)
    {
        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].AttributeProvider?.IsDefined(typeof(YamlDotNet.Serialization.YamlIgnoreAttribute), inherit: true) == true)
                info.Properties.RemoveAt(i);
        }
    }

    private static string Resolve(Study study, string path) => Path.IsPathRooted(path) ? path : Path.Combine(study.BaseDirectory, path);

    private static void WriteNullable(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }
}
