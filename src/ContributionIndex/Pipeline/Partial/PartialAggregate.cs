using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContributionIndex.Classify;
using ContributionIndex.Diagnostics;
using ContributionIndex.IO;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Pipeline.Partial;

/// <summary>
/// Per-partition sufficient statistics of a valuation run (<c>partial.json</c>) and their merge into the summary a
/// single run over the concatenated input would write. Each (source kind, country) cell keeps its record count and
/// 16 compensated sums as exact (running sum, compensation) pairs, so a merge of partitions that split by country
/// reproduces the single run's summary.csv byte for byte (methodology/scale.md, "Partial aggregates").
/// </summary>
public static class PartialAggregate
{
    /// <summary>The file name written by <c>contrib value --partial</c>.</summary>
    public const string FileName = "partial.json";

    /// <summary>The format tag in every partial file.</summary>
    public const string FormatTag = "contributionindex-partial/1";

    /// <summary>The names of the 16 sums of a cell, in file order.</summary>
    public static IReadOnlyList<string> SumNames { get; } =
    [
        "volunteers", "hours_reference", "hours_annual",
        "hours_annual_level_fallback", "hours_annual_level_1", "hours_annual_level_2", "hours_annual_level_3", "hours_annual_level_4",
        "value_current_specialist", "value_current_generalist", "value_current_hybrid", "value_current_opportunity",
        "value_base_specialist", "value_base_generalist", "value_base_hybrid", "value_base_opportunity",
    ];

    /// <summary>Writes <c>partial.json</c> for a finished run into <paramref name="outputDirectory"/> (atomically).</summary>
    public static string Write(string outputDirectory, Study study, ValuationResult result)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(result);
        var accumulator = result.Accumulator ?? throw new ArgumentException("The result carries no accumulator.", nameof(result));
        var path = Path.Combine(outputDirectory, FileName);
        using var file = new AtomicFile(path);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("format", FormatTag);
            json.WriteString("study", Path.GetFullPath(study.SourcePath));
            json.WriteString("parameters_sha256", Fingerprint(result.Parameters));
            json.WriteStartArray("inputs");
            foreach (var input in result.Inputs)
            {
                json.WriteStartObject();
                json.WriteString("input", input.Input);
                json.WriteNumber("read", input.Read);
                json.WriteNumber("rejected", input.Rejected);
                json.WriteNumber("valued", input.Valued);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartArray("cells");
            foreach (var (kind, country, records, sums) in accumulator.ExportCells())
            {
                json.WriteStartObject();
                json.WriteString("kind", InputKinds.Code(kind));
                json.WriteString("country", country);
                json.WriteNumber("records", records);
                json.WriteStartObject("sums");
                for (var i = 0; i < sums.Length; i++)
                {
                    json.WriteStartArray(SumNames[i]);
                    json.WriteNumberValue(sums[i].RunningSum);
                    json.WriteNumberValue(sums[i].Compensation);
                    json.WriteEndArray();
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        file.Writer.Write(Encoding.UTF8.GetString(buffer.WrittenSpan));
        file.Writer.Write('\n');
        file.Commit();
        return path;
    }

    /// <summary>
    /// Merges partial files (in the order given) and writes <c>summary.csv</c> and <c>method_range.csv</c> into
    /// <paramref name="outputDirectory"/>. The parameters come from the study named in the first file (or
    /// <paramref name="studyPath"/>); every file must have been made with the same parameters.
    /// </summary>
    /// <exception cref="InputDataException">A file is not a partial file, or its parameters differ from the first.</exception>
    public static ValuationResult Merge(IReadOnlyList<string> partialPaths, string outputDirectory, string? studyPath = null)
    {
        ArgumentNullException.ThrowIfNull(partialPaths);
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        if (partialPaths.Count == 0) throw new ArgumentException("Name at least one partial file.", nameof(partialPaths));
        var parts = partialPaths.Select(Read).ToList();
        var study = StudyLoader.Load(studyPath ?? parts[0].Study);
        var parameters = ValuationParameters.FromStudy(study);
        var fingerprint = Fingerprint(parameters);
        var accumulator = new ValuationAccumulator(parameters);
        var inputs = new Dictionary<string, (long Read, long Rejected, long Valued)>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            if (part.Fingerprint != fingerprint)
            {
                throw new InputDataException(SourceLocation.OfFile(part.Path),
                    $"the partial was made with other valuation parameters than the study {study.SourcePath} (parameters_sha256 differs).",
                    "Value every partition with the same countries, wages, rates and base year; rerun the odd partition.");
            }

            foreach (var cell in part.Cells) accumulator.MergeCell(cell.Kind, cell.Country, cell.Records, cell.Sums);
            foreach (var (name, read, rejected, valued) in part.Inputs)
            {
                var sum = inputs.GetValueOrDefault(name);
                inputs[name] = (sum.Read + read, sum.Rejected + rejected, sum.Valued + valued);
            }
        }

        var summaries = accumulator.Summaries();
        var ranges = summaries.SelectMany(MethodRange.Of).ToList();
        Directory.CreateDirectory(outputDirectory);
        ValuationRun.WriteSummary(Path.Combine(outputDirectory, "summary.csv"), summaries, parameters);
        ValuationRun.WriteRanges(Path.Combine(outputDirectory, "method_range.csv"), ranges);
        return new ValuationResult
        {
            Inputs = [.. inputs.Select(i => new InputCounts
            {
                Input = i.Key,
                Read = i.Value.Read,
                RejectedAtIngest = i.Value.Rejected,
                Valued = i.Value.Valued,
                Excluded = new SortedDictionary<ExclusionReason, long>(),
            })],
            Summaries = summaries,
            Ranges = ranges,
            FirstRejections = [],
            Parameters = parameters,
            Accumulator = accumulator,
        };
    }

    /// <summary>
    /// SHA-256 of everything a summary uses besides the sums: base year, headline method, and per country in study
    /// order its code, currency, full-time hours, exchange and PPP rates and GDP (round-trip text).
    /// </summary>
    internal static string Fingerprint(ValuationParameters parameters)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{parameters.BaseYear}|{parameters.HeadlineMethod.Code()}\n");
        foreach (var code in parameters.CountryOrder)
        {
            var c = parameters.Countries[code];
            text.Append(CultureInfo.InvariantCulture,
                $"{c.Code}|{c.Currency}|{c.FullTimeAnnualHours:R}|{c.LcuPerUsd?.ToString("R", CultureInfo.InvariantCulture)}|{c.LcuPerPppDollar?.ToString("R", CultureInfo.InvariantCulture)}|{c.Gdp?.ToString("R", CultureInfo.InvariantCulture)}\n");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private sealed record PartialCell(InputKind Kind, string Country, long Records, NeumaierSum[] Sums);

    private sealed record PartialFile(string Path, string Study, string Fingerprint, List<(string Name, long Read, long Rejected, long Valued)> Inputs, List<PartialCell> Cells);

    private static PartialFile Read(string path)
    {
        if (!File.Exists(path))
            throw new InputDataException(SourceLocation.OfFile(path), $"the partial file {SpecialFiles.Absence(path)}.", $"Name the {FileName} written by contrib value --partial.");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var root = document.RootElement;
            if (!root.TryGetProperty("format", out var format) || format.GetString() != FormatTag)
                throw new InputDataException(SourceLocation.OfFile(path), $"the file is not a partial aggregate (format is not '{FormatTag}').", $"Name the {FileName} written by contrib value --partial.");
            var inputs = root.GetProperty("inputs").EnumerateArray()
                .Select(i => (i.GetProperty("input").GetString()!, i.GetProperty("read").GetInt64(), i.GetProperty("rejected").GetInt64(), i.GetProperty("valued").GetInt64()))
                .ToList();
            var cells = new List<PartialCell>();
            foreach (var cell in root.GetProperty("cells").EnumerateArray())
            {
                var kindCode = cell.GetProperty("kind").GetString();
                if (!StudyChoices.TryParse<InputKind>(kindCode, out var kind))
                    throw new InputDataException(SourceLocation.OfFile(path), $"cell kind '{kindCode}' is neither survey nor hour-log.", "Regenerate the partial file.");
                var sums = cell.GetProperty("sums");
                var parts = SumNames.Select(name =>
                {
                    var pair = sums.GetProperty(name);
                    return NeumaierSum.FromParts(pair[0].GetDouble(), pair[1].GetDouble());
                }).ToArray();
                cells.Add(new PartialCell(kind, cell.GetProperty("country").GetString()!, cell.GetProperty("records").GetInt64(), parts));
            }

            return new PartialFile(path, root.GetProperty("study").GetString()!, root.GetProperty("parameters_sha256").GetString()!, inputs, cells);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InputDataException(SourceLocation.OfFile(path), $"the partial file cannot be read ({ex.Message}).", "Regenerate it with contrib value --partial; do not edit it by hand.", ex);
        }
    }
}
