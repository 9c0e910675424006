using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Indicators.Sensitivity;
using ContributionIndex.Reporting;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Pipeline;

/// <summary>Choices of a <see cref="StudyRun"/> that are about where results go, not about the methodology (which is all in the study).</summary>
public sealed record StudyRunOptions
{
    /// <summary>
    /// The folder for the valuation outputs (<c>valued_records.csv</c>, <c>summary.csv</c>, <c>method_range.csv</c>,
    /// <c>quarantine.csv</c>, <c>manifest.json</c>, and <c>coding_review.csv</c> when the study codes activities);
    /// null writes nothing.
    /// </summary>
    public string? ValuationOutputDirectory { get; init; }

    /// <summary>
    /// The records to run instead of reading the study's inputs: a researcher's own data mapped to
    /// <see cref="Ingest.VolunteerRecord"/>s (activity coding still applies when the study enables it). Null reads the inputs.
    /// </summary>
    public IRecordSource? RecordSource { get; init; }

    /// <summary>Whether <c>valued_records.csv</c> is written with the other valuation outputs (default yes).</summary>
    public RecordOutput Records { get; init; } = RecordOutput.Csv;

    /// <summary>
    /// True when only the valuation is wanted: the accepted records are then not kept in memory (a log of millions of
    /// rows streams through), and the estimation stages cannot be used.
    /// </summary>
    public bool ValuationOnly { get; init; }
}

/// <summary>The composite index of a study with the rank-uncertainty analysis its <c>index.uncertainty</c> section asks for.</summary>
/// <param name="Index">The index over the study's countries with replicate standard errors of the scores.</param>
/// <param name="Ranks">The Monte-Carlo rank intervals; null when the study asks for no runs.</param>
/// <param name="Settings">The uncertainty settings used, resolved from the study.</param>
public sealed record StudyIndex(VolunteerIndexResult Index, UncertaintyResult? Ranks, UncertaintySettings Settings);

/// <summary>
/// One run of a study through the whole methodology: ingest (with activity coding where the study enables it) → 19th
/// ICLS checks → valuation → design-based estimation (one design per study) → indicators → composite index → the annex
/// table model. Each stage is computed once, when it is first asked for, and every command and every embedding program
/// reads its results from here, so that no two of them can disagree.
/// </summary>
/// <example>
/// <code>
/// var run = StudyRun.Load("samples/central-asia/kz.yaml");
/// var rate = run.Estimates.Find("KZ", VolunteerMeasures.VolunteerRate);
/// var annex = run.Annex("ru");
/// </code>
/// </example>
public sealed class StudyRun
{
    private readonly Lazy<(ValuationResult Result, List<ValuedRecord>? Records)> _valuation;
    private readonly Lazy<VolunteerEstimateSet> _estimates;
    private readonly Lazy<VolunteerIndicatorSet> _indicators;
    private readonly Lazy<StudyIndex?> _index;
    private readonly Lazy<StudyRun?> _previousWave;
    private readonly Lazy<WaveChangeSet?> _changes;
    private readonly Lazy<IReadOnlyList<VolunteerComparison>> _comparisons;

    private StudyRun(Study study, StudyRunOptions options, VolunteerEstimateSet? estimates)
    {
        StudyValidator.Validate(study);
        Study = study;
        Options = options;
        _valuation = new(RunValuation);
        _estimates = estimates is null ? new(Estimate) : new(estimates);
        _indicators = new(() => VolunteerIndicatorEstimates.Compute(Estimates, Study));
        _index = new(ComputeIndex);
        // The previous wave is a run of its own study (its inputs, design and parameters), started only when a change is asked for.
        _previousWave = new(() => study.PreviousWave?.Wave is { } wave ? new StudyRun(wave, new StudyRunOptions(), null) : null);
        _changes = new(() => PreviousWave is { } previous ? WaveChanges.Compute(Study, Estimates, previous.Study, previous.Estimates) : null);
        _comparisons = new(() => VolunteerComparisons.Compute(Estimates));
    }

    /// <summary>Loads the study file at <paramref name="studyPath"/> (validated) and prepares its run; nothing is read until a result is asked for.</summary>
    /// <exception cref="StudyFileException">The study file is missing or invalid; the message names file, line and column.</exception>
    public static StudyRun Load(string studyPath, StudyRunOptions? options = null) => new(StudyLoader.Load(studyPath), options ?? new StudyRunOptions(), null);

    /// <summary>Prepares the run of a study loaded or built in code; the study is validated first, with the loader's checks.</summary>
    /// <exception cref="StudyFileException">The study is invalid.</exception>
    public static StudyRun Of(Study study, StudyRunOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        return new(study, options ?? new StudyRunOptions(), null);
    }

    /// <summary>A run whose estimates are already computed (for callers that estimated from their own record source).</summary>
    internal static StudyRun FromEstimates(Study study, VolunteerEstimateSet estimates) => new(study, new StudyRunOptions(), estimates);

    /// <summary>The validated study.</summary>
    public Study Study { get; }

    /// <summary>Where the run writes its valuation outputs.</summary>
    public StudyRunOptions Options { get; }

    /// <summary>
    /// The valuation: counts per input, summaries per country and method, method ranges and resolved parameters. Writes
    /// the valuation outputs when <see cref="StudyRunOptions.ValuationOutputDirectory"/> is set.
    /// </summary>
    /// <exception cref="ContributionIndexException">An input cannot be read, or more rows were rejected than the study tolerates.</exception>
    public ValuationResult Valuation => _estimates.IsValueCreated ? Estimates.Valuation : _valuation.Value.Result;

    /// <summary>The design-based estimates of every country, domain and activity classification (one design per study).</summary>
    /// <exception cref="InvalidOperationException">The run was started with <see cref="StudyRunOptions.ValuationOnly"/>.</exception>
    public VolunteerEstimateSet Estimates => _estimates.Value;

    /// <summary>The Volunteer Contribution Index indicators of every survey scope, with standard errors from the study's design.</summary>
    public VolunteerIndicatorSet Indicators => _indicators.Value;

    /// <summary>The composite index and its rank uncertainty; null when the study has no <c>index:</c> section or fewer than two countries.</summary>
    public StudyIndex? Index => _index.Value;

    /// <summary>The run of the study's previous wave (<c>previous_wave:</c>), or null when the study names none; it writes no files.</summary>
    public StudyRun? PreviousWave => _previousWave.Value;

    /// <summary>
    /// The change table against the previous wave (rate, hours, hours per volunteer, headline value at this wave's prices:
    /// difference, SE of independent samples, interval, significance), or null when the study names no previous wave.
    /// </summary>
    public WaveChangeSet? Changes => _changes.Value;

    /// <summary>
    /// Pairwise differences of the volunteer rate and of hours per volunteer between the sexes of each survey scope and
    /// between countries, with SE, df, p-value and significance at the study's confidence level (the annex's comparison table).
    /// </summary>
    public IReadOnlyList<VolunteerComparison> Comparisons => _comparisons.Value;

    /// <summary>The study's one survey design, described for notes and metadata.</summary>
    public StudyDesign Design => StudyDesign.Of(Study, Estimates);

    /// <summary>Reads and checks every input without writing anything (the valuation's counts and first rejections); does not stop at the rejection tolerance.</summary>
    public ValuationResult Validate() => ValuationRun.Validate(Study, Source());

    /// <summary>Builds the annex table model (tables, charts, cover, metadata) in a report language.</summary>
    /// <param name="language">A code of <see cref="ReportLanguage.Supported"/>: <c>kk</c>, <c>ru</c> or <c>en</c>.</param>
    /// <param name="options">Cover choices; the defaults when null.</param>
    /// <exception cref="ArgumentException">The language is not supported.</exception>
    public Annex Annex(string language, AnnexOptions? options = null) =>
        AnnexBuilder.Build(this, ReportLanguage.ForAnnex(language), options ?? new AnnexOptions());

    /// <summary>The study's records: ingest, then activity coding when the study enables it (every stage reads this one source).</summary>
    private IRecordSource Source() => CodedRecordSource.ForStudy(Study, Options.RecordSource ?? new StudyRecordSource(Study));

    private (ValuationResult, List<ValuedRecord>?) RunValuation()
    {
        var records = Options.ValuationOnly ? null : new List<ValuedRecord>();
        var result = ValuationRun.Execute(Study, Source(), Options.ValuationOutputDirectory, records is null ? null : records.Add,
            writeRecords: Options.Records != RecordOutput.None);
        // With an output folder the valuation stops at the tolerance itself, after writing quarantine.csv.
        if (Options.ValuationOutputDirectory is null && result.RejectedShare > Study.Checks.RejectionTolerance)
            throw new RejectionToleranceExceededException(result.Read, result.Rejected, Study.Checks.RejectionTolerance, "the quarantine.csv written by contrib value STUDY --out DIR");

        return (result, records);
    }

    private VolunteerEstimateSet Estimate()
    {
        if (Options.ValuationOnly)
            throw new InvalidOperationException("This run was started for the valuation only (StudyRunOptions.ValuationOnly); start another run to estimate.");
        var (result, records) = _valuation.Value;
        return VolunteerEstimates.Compute(Study, result, records!);
    }

    private StudyIndex? ComputeIndex()
    {
        if (Study.Index is not { } spec || Valuation.Parameters.CountryOrder.Count < 2) return null;
        var index = VolunteerIndex.Compute(Study, Indicators);
        var settings = UncertaintySettingsOf(spec);
        var ranks = settings.Runs > 0 ? UncertaintyAnalysis.Run(index.Data, VolunteerIndex.Options(spec), settings) : null;
        return new StudyIndex(index, ranks, settings);
    }

    /// <summary>The Monte-Carlo settings of a study's <c>index.uncertainty</c> section; the study's own normalisation and aggregation are always drawn.</summary>
    public static UncertaintySettings UncertaintySettingsOf(IndexSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var u = spec.Uncertainty;
        return new UncertaintySettings
        {
            Runs = u.Runs,
            Seed = u.Seed,
            Normalisations = [.. u.Normalisations.Prepend(spec.Normalisation).Distinct()],
            Aggregations = u.Aggregations.Count == 0 ? [] : [.. u.Aggregations.Prepend(spec.Aggregation).Distinct()],
            WeightNoise = u.WeightNoise,
            Sobol = u.Sobol,
        };
    }
}

/// <summary>The kind of a study's one survey design.</summary>
public enum StudyDesignKind
{
    /// <summary>Taylor linearisation with PSUs nested in strata (with replacement).</summary>
    Taylor,

    /// <summary>Replicate weights the survey ships (declared by the inputs).</summary>
    DeclaredReplicates,

    /// <summary>Stratified delete-one-PSU jackknife built from strata and PSUs.</summary>
    Jkn,

    /// <summary>Delete-one-PSU jackknife of an unstratified design.</summary>
    Jk1,

    /// <summary>Rao–Wu bootstrap built from strata and PSUs.</summary>
    Bootstrap,
}

/// <summary>The one survey design of a study, as notes and metadata describe it.</summary>
/// <param name="Kind">Taylor, declared replicates, or replicates built from strata and PSUs.</param>
/// <param name="DeclaredMethod">The method of declared replicate weights (null otherwise).</param>
/// <param name="Replicates">Replicates of the largest scope (0 under Taylor linearisation).</param>
/// <param name="ConfidenceLevel">The level of every published interval, in (0, 1).</param>
public sealed record StudyDesign(StudyDesignKind Kind, ReplicateMethod? DeclaredMethod, int Replicates, double ConfidenceLevel)
{
    /// <summary>Whether indicators and the index have standard errors (they need replicates).</summary>
    public bool HasReplicates => Kind != StudyDesignKind.Taylor;

    /// <summary>The design of a study's estimates.</summary>
    public static StudyDesign Of(Study study, VolunteerEstimateSet estimates)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(estimates);
        var designs = estimates.Countries.Append(VolunteerEstimates.RegionalScope).Select(estimates.DesignOf).OfType<SurveyDesign>().ToList();
        var replicates = designs.OfType<ReplicateDesign>().Select(d => d.ReplicateCount).DefaultIfEmpty(0).Max();
        var level = estimates.Settings.Options.ConfidenceLevel;
        if (estimates.Settings.ReplicateMethod is { } declared && estimates.Survey.ReplicateWeights.Count > 0)
            return new StudyDesign(StudyDesignKind.DeclaredReplicates, declared, replicates, level);
        var kind = estimates.Settings.Convert switch
        {
            ReplicateConversionKind.None => StudyDesignKind.Taylor,
            ReplicateConversionKind.Jkn => StudyDesignKind.Jkn,
            ReplicateConversionKind.Jk1 => StudyDesignKind.Jk1,
            ReplicateConversionKind.Bootstrap => StudyDesignKind.Bootstrap,
            _ => designs.OfType<ReplicateDesign>().Any(d => d.Method == ReplicateMethod.Jkn) ? StudyDesignKind.Jkn : StudyDesignKind.Jk1,
        };
        return new StudyDesign(kind, null, replicates, level);
    }
}
