using System.Globalization;
using ContributionIndex.Classify.Coding;
using ContributionIndex.Ingest;
using ContributionIndex.IO;
using ContributionIndex.Studies;

namespace ContributionIndex.Pipeline;

/// <summary>Where a valued record's ISCO code came from (the <c>isco_source</c> column of valued_records.csv).</summary>
public enum IscoSource
{
    /// <summary>The record has no ISCO code and no description to code.</summary>
    None,

    /// <summary>The code was in the input.</summary>
    Input,

    /// <summary>The coder proposed it with a confidence at or above the ISCO threshold, and it is used.</summary>
    Coder,

    /// <summary>The coder's proposal was below the threshold: the record has no code (generalist fallback) and is listed for review.</summary>
    Review,
}

/// <summary>The coder's proposal for one record and what the run did with it.</summary>
/// <param name="InputName">The record's input.</param>
/// <param name="File">The reader's path of the record's file.</param>
/// <param name="Line">The record's line in its file.</param>
/// <param name="PersonId">The record's person.</param>
/// <param name="ActivityId">The record's activity, when rows are person × activity.</param>
/// <param name="Text">The description as written.</param>
/// <param name="Coding">The coder's proposal.</param>
/// <param name="IscoUsed">Whether the proposed ISCO major group was used (confidence at or above the ISCO threshold).</param>
/// <param name="SdgNeeded">Whether the record had no SDG goals of its own.</param>
/// <param name="SdgUsed">Whether the proposed goals were used (needed, and SDG confidence at or above the SDG threshold).</param>
public sealed record CodedRecord(
    string InputName,
    string File,
    long Line,
    string PersonId,
    string? ActivityId,
    string Text,
    ActivityCoding Coding,
    bool IscoUsed,
    bool SdgNeeded,
    bool SdgUsed)
{
    /// <summary>True when a part the record needed was below its threshold, so it is listed in coding_review.csv.</summary>
    /// <remarks>For a record without goals of its own this is the coder's own review flag (<c>contrib classify</c>'s <c>needs_review</c>) at the same thresholds.</remarks>
    public bool NeedsReview => !IscoUsed || (SdgNeeded && !SdgUsed);

    /// <summary>The record's Forum direction as given to the coder (the study's mapped <c>direction</c> field), or empty when it has none.</summary>
    public string Direction { get; init; } = string.Empty;

    /// <summary>Whether the coder used <see cref="Direction"/> as evidence (a direction its training data know); false: the text-only answer.</summary>
    public bool DirectionUsed { get; init; }
}

/// <summary>What the coder did in a run, for manifest.json.</summary>
/// <param name="IscoThreshold">The ISCO confidence threshold used.</param>
/// <param name="SdgThreshold">The SDG confidence threshold used.</param>
/// <param name="Model">"embedded" or the model path as the study file gives it.</param>
/// <param name="ModelTrainingExamplesSha256">The model's training-data hash (from its manifest).</param>
/// <param name="Records">Every coded record, in input order.</param>
public sealed record CodingSummary(double IscoThreshold, double SdgThreshold, string Model, string ModelTrainingExamplesSha256, IReadOnlyList<CodedRecord> Records)
{
    /// <summary>Whether <see cref="IscoThreshold"/> was set by the study (<c>coding.threshold</c>); false: the model's recorded threshold.</summary>
    public bool IscoThresholdFromStudy { get; init; }

    /// <summary>Whether <see cref="SdgThreshold"/> was set by the study (<c>coding.sdg_threshold</c>); false: the model's recorded threshold.</summary>
    public bool SdgThresholdFromStudy { get; init; }

    /// <summary>Coded records whose Forum direction the coder used as evidence.</summary>
    public int WithDirection => Records.Count(r => r.DirectionUsed);

    /// <summary>Coded records with a direction the model does not know (free text, or a value outside the Forum's nine): coded from the text alone.</summary>
    public int WithUnknownDirection => Records.Count(r => !r.DirectionUsed && r.Direction.Length > 0);

    /// <summary>Upper bounds of the confidence bands of the manifest's histogram (the last band is closed at 1).</summary>
    public static IReadOnlyList<double> BandEdges { get; } = [0.5, 0.6, 0.7, 0.8, 0.9, 1.0];

    /// <summary>The manifest of the coding model used (coder version and its evaluation figures), or null when not known.</summary>
    public Classify.Coding.CodingModelManifest? Coder { get; init; }

    /// <summary>Records whose ISCO code was used.</summary>
    public int IscoCoded => Records.Count(r => r.IscoUsed);

    /// <summary>Records whose SDG goals were filled.</summary>
    public int SdgFilled => Records.Count(r => r.SdgUsed);

    /// <summary>Records listed in coding_review.csv.</summary>
    public int SentToReview => Records.Count(r => r.NeedsReview);

    /// <summary>Mean ISCO confidence over every coded record (NaN when none).</summary>
    public double MeanIscoConfidence => Records.Count == 0 ? double.NaN : Records.Average(r => r.Coding.IscoConfidence);

    /// <summary>Number of coded records per ISCO-confidence band [0, 0.5), [0.5, 0.6), …, [0.9, 1.0].</summary>
    public IReadOnlyList<int> IscoConfidenceBands
    {
        get
        {
            var counts = new int[BandEdges.Count];
            foreach (var record in Records)
            {
                var band = 0;
                while (band < BandEdges.Count - 1 && record.Coding.IscoConfidence >= BandEdges[band]) band++;
                counts[band]++;
            }

            return counts;
        }
    }

    /// <summary>The band labels, e.g. <c>0.5-0.6</c>.</summary>
    public static IReadOnlyList<string> BandLabels { get; } =
        [.. BandEdges.Select((edge, i) => string.Create(CultureInfo.InvariantCulture, $"{(i == 0 ? 0.0 : BandEdges[i - 1]):0.0}-{edge:0.0}"))];
}

/// <summary>
/// Decorates a record source: records with activity text and no ISCO code get the coder's ISCO-08 major group when its
/// confidence reaches the ISCO threshold (else they stay uncoded, are valued at the generalist fallback and are listed
/// for review), and their SDG goals when they have none and the SDG confidence reaches the SDG threshold. The thresholds
/// are the model's recorded ones unless the study sets them, and each record's Forum direction goes to the coder as
/// evidence, so a study decides exactly as <c>contrib classify</c> does (methodology/coding/README.md, "Use in a study").
/// </summary>
/// <remarks>
/// The first pass codes each record once (in batches, on all cores) and remembers the answer by input, file and line;
/// later passes reuse it, so both passes of a run see the same codes.
/// </remarks>
public sealed class CodedRecordSource : IRecordSource
{
    /// <summary>The name of the review file written next to the outputs.</summary>
    public const string ReviewFileName = "coding_review.csv";

    /// <summary>The columns of coding_review.csv.</summary>
    public static IReadOnlyList<string> ReviewColumns { get; } =
        ["input", "file", "line", "person_id", "activity_id", "activity_text", "isco_proposed", "isco_confidence", "isco_used", "sdg_proposed", "sdg_confidence", "sdg_used",
            "direction", "direction_used", "isco_threshold", "sdg_threshold"];

    private const int BatchSize = 4096;
    private readonly IRecordSource _inner;
    private readonly ActivityCoder _coder;
    private readonly string _model;
    private readonly bool _iscoThresholdFromStudy;
    private readonly bool _sdgThresholdFromStudy;
    private readonly Dictionary<string, CodedRecord> _coded = new(StringComparer.Ordinal);
    private readonly List<CodedRecord> _order = [];

    /// <summary>
    /// Creates a source that codes the records of <paramref name="inner"/> with <paramref name="coder"/>: at its review
    /// thresholds, or at <paramref name="iscoThreshold"/> and <paramref name="sdgThreshold"/> where given (as
    /// <c>contrib classify --threshold</c> and <c>--sdg-threshold</c>).
    /// </summary>
    public CodedRecordSource(IRecordSource inner, ActivityCoder coder, double? iscoThreshold = null, double? sdgThreshold = null, string model = "embedded")
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(coder);
        _inner = inner;
        if (iscoThreshold is { } isco) coder = coder.WithReviewThreshold(isco);
        if (sdgThreshold is { } sdg) coder = coder.WithSdgReviewThreshold(sdg);
        _coder = coder;
        _model = model;
        _iscoThresholdFromStudy = iscoThreshold is not null;
        _sdgThresholdFromStudy = sdgThreshold is not null;
    }

    /// <summary>The ISCO confidence at or above which a proposed code is used.</summary>
    public double IscoThreshold => _coder.ReviewThreshold;

    /// <summary>The SDG confidence at or above which proposed goals are used.</summary>
    public double SdgThreshold => _coder.SdgReviewThreshold;

    /// <summary>The study's source, coded when the study enables coding (its model or the embedded one); otherwise <paramref name="inner"/> itself.</summary>
    public static IRecordSource ForStudy(Study study, IRecordSource inner)
    {
        ArgumentNullException.ThrowIfNull(study);
        if (!study.Coding.Enabled) return inner;
        var model = study.Coding.Model;
        var coder = string.IsNullOrWhiteSpace(model) ? ActivityCoder.Default : ActivityCoder.Load(study.ResolvePath(model));
        return new CodedRecordSource(inner, coder, study.Coding.Threshold, study.Coding.SdgThreshold, string.IsNullOrWhiteSpace(model) ? "embedded" : model.Replace('\\', '/'));
    }

    /// <summary>Whether the coder would look at this record: it has a description and no ISCO code.</summary>
    public static bool NeedsCoding(VolunteerRecord record) =>
        string.IsNullOrWhiteSpace(record.IscoCode) && !string.IsNullOrWhiteSpace(record.ActivityText);

    /// <inheritdoc />
    public IEnumerable<IngestItem> Read()
    {
        var batch = new List<IngestItem>(BatchSize);
        foreach (var item in _inner.Read())
        {
            batch.Add(item);
            if (batch.Count < BatchSize) continue;
            foreach (var coded in CodeBatch(batch)) yield return coded;
            batch.Clear();
        }

        foreach (var coded in CodeBatch(batch)) yield return coded;
    }

    /// <inheritdoc />
    public int? ColumnOf(string inputName, string field) => _inner.ColumnOf(inputName, field);

    /// <summary>Where the record's ISCO code came from (the record as the source gave it).</summary>
    public IscoSource SourceOf(VolunteerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_coded.TryGetValue(Key(record), out var coded)) return coded.IscoUsed ? IscoSource.Coder : IscoSource.Review;
        return string.IsNullOrWhiteSpace(record.IscoCode) ? IscoSource.None : IscoSource.Input;
    }

    /// <summary>What was coded so far (after a run: every coded record, in input order).</summary>
    public CodingSummary Summary() => new(IscoThreshold, SdgThreshold, _model, _coder.Manifest.TrainingExamplesSha256, [.. _order])
    {
        Coder = _coder.Manifest,
        IscoThresholdFromStudy = _iscoThresholdFromStudy,
        SdgThresholdFromStudy = _sdgThresholdFromStudy,
    };

    /// <summary>Writes coding_review.csv atomically: the records listed for review, in input order; <paramref name="outputFile"/> maps (input, reader path) to the file name written.</summary>
    internal void WriteReview(string path, Func<string, string, string> outputFile)
    {
        using var file = new AtomicFile(path);
        var csv = new CsvRowWriter(file.Writer);
        csv.Header(ReviewColumns);
        foreach (var r in _order.Where(r => r.NeedsReview))
        {
            csv.Text(r.InputName).Text(outputFile(r.InputName, r.File)).Integer(r.Line).Text(r.PersonId).Text(r.ActivityId).Text(r.Text)
                .Text(r.Coding.IscoCode).Number(r.Coding.IscoConfidence).Integer(r.IscoUsed ? 1 : 0)
                .Text(string.Join(';', r.Coding.SdgGoals.Select(g => g.ToString(CultureInfo.InvariantCulture))))
                .Number(r.Coding.SdgConfidence).Integer(r.SdgUsed ? 1 : 0)
                .Text(r.Direction).Integer(r.DirectionUsed ? 1 : 0).Number(IscoThreshold).Number(SdgThreshold).End();
        }

        file.Commit();
    }

    private List<IngestItem> CodeBatch(List<IngestItem> batch)
    {
        var pending = new List<VolunteerRecord>();
        foreach (var item in batch)
        {
            if (item.Record is { } record && NeedsCoding(record) && !_coded.ContainsKey(Key(record))) pending.Add(record);
        }

        if (pending.Count > 0)
        {
            // The record's Forum direction (after the input's code map) is evidence for the coder, as the direction column of
            // 'contrib classify'; a record without one, or with one the model does not know, gets the text-only answer.
            var directions = pending.Select(r => r.Direction?.Trim() ?? string.Empty).ToArray();
            var codings = _coder.PredictMany([.. pending.Select(r => r.ActivityText)], [.. directions.Select(d => (string?)d)]);
            for (var i = 0; i < pending.Count; i++)
            {
                var record = pending[i];
                var coding = codings[i];
                var key = Key(record);
                if (_coded.ContainsKey(key)) continue;
                var sdgNeeded = record.SdgGoals.Count == 0;
                var entry = new CodedRecord(record.InputName, record.Source.File, record.Source.Line, record.PersonId, record.ActivityId, record.ActivityText!,
                    coding, IscoUsed: coding.IscoConfidence >= IscoThreshold, SdgNeeded: sdgNeeded, SdgUsed: sdgNeeded && coding.SdgConfidence >= SdgThreshold)
                {
                    Direction = directions[i],
                    DirectionUsed = _coder.UsesDirection(directions[i]),
                };
                _coded[key] = entry;
                _order.Add(entry);
            }
        }

        var output = new List<IngestItem>(batch.Count);
        foreach (var item in batch)
        {
            if (item.Record is not { } record || !NeedsCoding(record) || !_coded.TryGetValue(Key(record), out var entry))
            {
                output.Add(item);
                continue;
            }

            var coded = record;
            if (entry.IscoUsed) coded = coded with { IscoCode = entry.Coding.IscoCode };
            if (entry.SdgUsed) coded = coded with { SdgGoals = entry.Coding.SdgGoals };
            output.Add(ReferenceEquals(coded, record) ? item : item with { Record = coded });
        }

        return output;
    }

    private static string Key(VolunteerRecord record) =>
        string.Create(CultureInfo.InvariantCulture, $"{record.InputName}\u001F{record.Source.File}\u001F{record.Source.Line}\u001F{record.ActivityId}");
}
