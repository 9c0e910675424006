namespace ContributionIndex.Studies;

// The study model: immutable records filled by StudyLoader from YAML (snake_case keys) or built in code (change a copy
// with `with`); option words are enums parsed once by the loader (StudyChoices). StudyValidator checks a study and
// resolves its relative paths; the loader and StudyRun call it.

/// <summary>One study: its inputs, how their columns map to canonical fields, and every methodology parameter.</summary>
public sealed record Study
{
    /// <summary>Short identifier used in output file names and SDMX series (e.g. <c>kz-2023</c>).</summary>
    public string Id { get; init; } = "";

    /// <summary>Human-readable title (English); the annex cover uses <c>report.title</c> in the annex's language, this one when <c>report.title.en</c> is absent.</summary>
    public string Title { get; init; } = "";

    /// <summary>Reference year of the data.</summary>
    public int Year { get; init; }

    /// <summary>Year whose prices values are expressed in (CPI rebasing); defaults to <see cref="Year"/>.</summary>
    public int? BaseYear { get; init; }

    /// <summary>The inputs: survey microdata and/or hour logs.</summary>
    public IReadOnlyList<InputSpec> Inputs { get; init; } = [];

    /// <summary>Reference period of the survey questions and the annualisation factor.</summary>
    public ReferencePeriodSpec ReferencePeriod { get; init; } = new();

    /// <summary>Valuation choices common to all countries.</summary>
    public ValuationSpec Valuation { get; init; } = new();

    /// <summary>Per-country parameters (wages, exchange rates, PPP, CPI, GDP, population).</summary>
    public IReadOnlyList<CountrySpec> Countries { get; init; } = [];

    /// <summary>Data checks and the 19th ICLS rule parameters.</summary>
    public ChecksSpec Checks { get; init; } = new();

    /// <summary>Design-based estimation choices for study mode (<c>contrib estimate STUDY</c>): domains, release rules, lonely PSUs, replicates.</summary>
    public EstimationSpec Estimation { get; init; } = new();

    /// <summary>The composite index over the study's countries (<c>contrib index STUDY</c>); null when the study defines none.</summary>
    public IndexSpec? Index { get; init; }

    /// <summary>Automatic coding of activity descriptions that have no ISCO code (off unless the study enables it).</summary>
    public CodingSpec Coding { get; init; } = new();

    /// <summary>Settings of the VNR annex (<c>contrib report</c>): title, publisher, contact and release date, and labels of the study's own categories in kk, ru and en.</summary>
    public ReportSpec Report { get; init; } = new();

    /// <summary>
    /// The earlier survey wave this study is compared with (<c>previous_wave: {study: kz-2019.yaml}</c>): a study file of its
    /// own, with its inputs, year and parameters; null when the study has none. <c>contrib estimate</c> and the annex then
    /// add the change table (methodology/change-over-time.md).
    /// </summary>
    public PreviousWaveSpec? PreviousWave { get; init; }

    /// <summary>
    /// Lets input and parameter paths (<c>inputs[].path</c>, <c>countries[].wages</c>, <c>index.framework</c>,
    /// <c>report.region_labels</c>, <c>coding.model</c>) resolve outside the study file's folder
    /// (<c>allow_paths_outside_study_folder: true</c>). Off by default: every such path must lie in the study's folder or
    /// below it once <c>..</c> and symbolic links are resolved.
    /// </summary>
    public bool AllowPathsOutsideStudyFolder { get; init; }

    /// <summary>Absolute path of the study file itself (set by the loader; not a YAML key). A study built in code sets it to anchor its relative paths.</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string SourcePath { get => _sourcePath; init => _sourcePath = value; }

    private string _sourcePath = "";

    /// <summary>Directory against which relative paths in the study are resolved (set by the loader).</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string BaseDirectory => Path.GetDirectoryName(SourcePath) ?? ".";

    /// <summary>The study file path as the user gave it, for messages (set by the loader; not a YAML key).</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string DisplayPath { get; private set; } = "";

    /// <summary>Sets where the study was loaded from (the loader's step after binding).</summary>
    internal void SetSource(string sourcePath, string displayPath, IReadOnlyDictionary<string, Diagnostics.SourceLocation> locations)
    {
        _sourcePath = sourcePath;
        DisplayPath = displayPath;
        Locations = locations;
    }

    /// <summary>
    /// Where each value was written in the study file, by key path such as <c>countries[0].lcu_per_usd</c> or
    /// <c>inputs[1].columns.hours</c> (set by the loader; empty for a study built in code).
    /// </summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public IReadOnlyDictionary<string, Diagnostics.SourceLocation> Locations { get; private set; } =
        new Dictionary<string, Diagnostics.SourceLocation>();

    /// <summary>
    /// The place of a value in the study file, for messages of later stages (e.g. a wage that cannot be used); the
    /// whole file when the path was not written (a default value) or the study was built in code.
    /// </summary>
    /// <param name="keyPath">A key path such as <c>countries[0].lcu_per_usd</c>; list indexes are 0-based.</param>
    public Diagnostics.SourceLocation LocationOf(string keyPath)
    {
        if (Locations.TryGetValue(keyPath, out var location)) return location;
        return Diagnostics.SourceLocation.OfFile(DisplayPath.Length > 0 ? DisplayPath : SourcePath);
    }

    /// <summary>Resolves a path written in the study file against the study file's directory.</summary>
    public string ResolvePath(string path) => System.IO.Path.GetFullPath(System.IO.Path.Combine(BaseDirectory, path));
}

/// <summary>The previous survey wave of a study (<c>previous_wave:</c>): another study file, same countries, an earlier year, no previous wave of its own.</summary>
public sealed record PreviousWaveSpec
{
    /// <summary>Path of the previous wave's study file, relative to this study file (in its folder unless the study allows paths outside it).</summary>
    public string Study { get; init; } = "";

    /// <summary>Absolute path of the previous wave's study file (set by the validator from <see cref="Study"/>; not a YAML key).</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string FullPath { get; internal set; } = "";

    /// <summary>The previous wave's study, loaded and validated by the validator (not a YAML key).</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public Studies.Study? Wave { get; internal set; }
}

/// <summary>One input file of a study.</summary>
public sealed record InputSpec
{
    /// <summary>Name of the input, used in messages and the manifest.</summary>
    public string Name { get; init; } = "";

    /// <summary><c>survey</c> (microdata with design variables, the default) or <c>hour-log</c> (platform entries, weight 1).</summary>
    public Ingest.InputKind Kind { get; init; } = Ingest.InputKind.Survey;

    /// <summary>Path of the data file, relative to the study file.</summary>
    public string Path { get; init; } = "";

    /// <summary>Absolute path of the data file (set by the loader from <see cref="Path"/>; not a YAML key).</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string FullPath { get; internal set; } = "";

    /// <summary>Position of this input in the study's <c>inputs</c> list (0-based; set by the loader), for key paths.</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public int Index { get; internal set; }

    /// <summary><c>csv</c> or <c>xlsx</c>; inferred from the extension when empty.</summary>
    public string? Format { get => _format; init => _format = value?.Trim().ToLowerInvariant(); }

    private readonly string? _format;

    /// <summary>Text encoding of a CSV: <c>auto</c> (default), <c>utf-8</c>, <c>utf-16</c>, <c>windows-1251</c>.</summary>
    public string Encoding { get; init; } = "auto";

    /// <summary>Field delimiter of a CSV: <c>auto</c> (default), <c>,</c>, <c>;</c> or <c>tab</c>.</summary>
    public string Delimiter { get; init; } = "auto";

    /// <summary>Decimal separator in numbers: <c>auto</c> (default), <c>.</c> or <c>,</c>.</summary>
    public string Decimal { get; init; } = "auto";

    /// <summary>Thousands separator in numbers, if any: <c>none</c> (default), <c>space</c>, <c>,</c>, <c>.</c>, <c>'</c>.</summary>
    public string Thousands { get; init; } = "none";

    /// <summary>XLSX sheet, by name or 1-based index; the first sheet when empty.</summary>
    public string? Sheet { get; init; }

    /// <summary>Canonical field name → column header in the file (see <see cref="CanonicalFields"/>).</summary>
    public IReadOnlyDictionary<string, string> Columns { get; init; } = new Dictionary<string, string>();

    /// <summary>Replicate-weight columns: a list of headers, or one wildcard pattern such as <c>repw*</c>.</summary>
    public IReadOnlyList<string> ReplicateWeights { get; init; } = [];

    /// <summary>Codes of categorical fields: field → canonical category → codes used in the file.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Codes { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>();

    /// <summary>Constant values for fields the file lacks (e.g. <c>country: KZ</c> for a one-country log).</summary>
    public IReadOnlyDictionary<string, string> Constants { get; init; } = new Dictionary<string, string>();

    /// <summary>Overrides the study's annualisation factor for this input (e.g. 1 for a log that covers a whole year).</summary>
    public double? AnnualisationFactor { get; init; }
}

/// <summary>Reference period of the volunteer questions.</summary>
public sealed record ReferencePeriodSpec
{
    /// <summary>Length of the reference period in days (ILO module: four weeks = 28).</summary>
    public int LengthDays { get; init; } = 28;

    /// <summary>Factor from reference-period hours to annual hours (52/4 = 13 for four weeks; 12 for a month).</summary>
    public double AnnualisationFactor { get; init; } = 13.0;
}

/// <summary>Valuation choices common to all countries of a study.</summary>
public sealed record ValuationSpec
{
    /// <summary>Share added to wages for employer on-costs (e.g. 0.157 as Independent Sector since 2019); 0 by default.</summary>
    public double OnCostUplift { get; init; }

    /// <summary>
    /// Opportunity-cost policy for people without their own wage: <c>zero</c>, <c>minimum-wage</c>,
    /// <c>share-of-average</c> or <c>imputed</c> (mean own wage of employed volunteers in the same country, sex and age group).
    /// </summary>
    public Valuation.OpportunityCostPolicy OpportunityCostPolicy { get; init; } = Valuation.OpportunityCostPolicy.MinimumWage;

    /// <summary>The share of the average hourly wage used by the <c>share-of-average</c> policy (Brown 1999: 1/2 to 6/7).</summary>
    public double OpportunityCostShare { get; init; } = 0.5;

    /// <summary>
    /// The generalist method's wage: <c>average</c> (default: the country's <c>generalist_wage</c>, the economy-wide
    /// average) or <c>community-social-services</c> (the wage table's ISCO-08 3412, else 341; UN NPI Handbook 2003).
    /// It is also the fall-back of tasks without a usable ISCO code.
    /// </summary>
    public Valuation.GeneralistWageBasis GeneralistWage { get; init; } = Valuation.GeneralistWageBasis.Average;

    /// <summary>ISCO-08 major groups of simple tasks, valued by the hybrid method at their major group's wage (default: 9, elementary occupations).</summary>
    public IReadOnlyList<string> HybridGeneralistMajorGroups { get; init; } = ["9"];

    /// <summary>The method reported as the headline value: <c>specialist</c> (default, ILO), <c>generalist</c>, <c>hybrid</c> or <c>opportunity</c>.</summary>
    public Valuation.ValuationMethod HeadlineMethod { get; init; } = Valuation.ValuationMethod.Specialist;
}

/// <summary>A number with its reference year and source note.</summary>
public sealed record SourcedValue
{
    /// <summary>The value.</summary>
    public double Value { get; init; }

    /// <summary>The year the value refers to.</summary>
    public int? Year { get; init; }

    /// <summary>Where the value comes from (publication, table, URL) and its quality tag.</summary>
    public string? Source { get; init; }
}

/// <summary>One CPI observation used for rebasing.</summary>
public sealed record CpiPoint
{
    /// <summary>Year.</summary>
    public int Year { get; init; }

    /// <summary>Index level (any base).</summary>
    public double Index { get; init; }

    /// <summary>Source note.</summary>
    public string? Source { get; init; }
}

/// <summary>Parameters of one country.</summary>
public sealed record CountrySpec
{
    /// <summary>ISO 3166-1 alpha-2 code (KZ, KG, TJ, UZ).</summary>
    public string Code { get => _code; init => _code = (value ?? "").Trim().ToUpperInvariant(); }

    private readonly string _code = "";

    /// <summary>ISO 4217 currency code of the local currency unit.</summary>
    public string Currency { get => _currency; init => _currency = (value ?? "").Trim().ToUpperInvariant(); }

    private readonly string _currency = "";

    /// <summary>Path of the wage table CSV: <c>isco,hourly_wage,currency,year,source</c>, ISCO-08 code at any level.</summary>
    public string? Wages { get; init; }

    /// <summary>Absolute path of the wage table (set by the loader from <see cref="Wages"/>; not a YAML key).</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string? WagesFullPath { get; internal set; }

    /// <summary>Generalist hourly wage (economy-wide average, or community/social-service workers' average).</summary>
    public SourcedValue? GeneralistWage { get; init; }

    /// <summary>Average hourly wage (for the <c>share-of-average</c> opportunity-cost policy).</summary>
    public SourcedValue? AverageHourlyWage { get; init; }

    /// <summary>Minimum hourly wage (for the <c>minimum-wage</c> opportunity-cost policy).</summary>
    public SourcedValue? MinimumHourlyWage { get; init; }

    /// <summary>Annual hours of a full-time worker, for FTE (e.g. 1,984 for Kazakhstan 2024; 2,080 US convention).</summary>
    public SourcedValue? FullTimeAnnualHours { get; init; }

    /// <summary>Local currency units per US dollar (WDI PA.NUS.FCRF).</summary>
    public SourcedValue? LcuPerUsd { get; init; }

    /// <summary>Local currency units per international dollar (WDI PA.NUS.PPP).</summary>
    public SourcedValue? LcuPerPppDollar { get; init; }

    /// <summary>CPI series for rebasing values to the study's base year.</summary>
    public IReadOnlyList<CpiPoint> Cpi { get; init; } = [];

    /// <summary>GDP at current prices in local currency.</summary>
    public SourcedValue? Gdp { get; init; }

    /// <summary>Population aged 15 and over.</summary>
    public SourcedValue? Population15Plus { get; init; }
}

/// <summary>Data checks and the parameters of the 19th ICLS rules.</summary>
public sealed record ChecksSpec
{
    /// <summary>Share of rejected rows (0–1) tolerated before the run fails; 0 by default.</summary>
    public double RejectionTolerance { get; init; }

    /// <summary>Minimum hours in the reference period for a person to count as a volunteer (19th ICLS: one hour).</summary>
    public double MinimumHours { get; init; } = 1.0;

    /// <summary>Stipend as a share of the local market value of the hours at or above which the work is paid (19th ICLS: one third).</summary>
    public double PaidStipendShare { get; init; } = 1.0 / 3.0;

    /// <summary>Whether help to relatives in other households counts (ILO Manual 2011: yes; 19th ICLS: no, the default).</summary>
    public bool IncludeHelpToRelatives { get; init; }

    /// <summary>Lowest plausible age of a respondent (working age).</summary>
    public int MinimumAge { get; init; } = 15;
}

/// <summary>The <c>estimation:</c> section: how <c>contrib estimate STUDY</c> estimates from the person-level table (methodology/volunteer-estimates.md).</summary>
public sealed record EstimationSpec
{
    /// <summary>Person-level domains estimated besides the whole population, in output order.</summary>
    /// <remarks>Choices: <c>sex</c>, <c>age_group</c> (15–29, 30–54, 55–64, 65+), <c>youth</c> (15–29, 30+), <c>region</c>, <c>urban_rural</c>, <c>disability</c>, <c>employment_status</c>.</remarks>
    public IReadOnlyList<string> Domains { get => _domains; init => _domains = [.. value.Select(d => d.Trim().ToLowerInvariant())]; }

    private readonly IReadOnlyList<string> _domains = ["sex", "age_group", "youth", "region", "urban_rural", "disability", "employment_status"];

    /// <summary>Level of the t intervals, in (0, 1).</summary>
    public double ConfidenceLevel { get; init; } = 0.95;

    /// <summary>Release rules: <c>statistics-canada</c> (default), <c>abs</c> or <c>custom</c> (then <see cref="PublishCv"/>, <see cref="CautionCv"/>, <see cref="MinimumN"/>).</summary>
    public QualityRuleSet Quality { get; init; } = QualityRuleSet.StatisticsCanada;

    /// <summary>Custom rules: the largest CV published without a note (inclusive).</summary>
    public double? PublishCv { get; init; }

    /// <summary>Custom rules: the largest CV published with a caution mark (inclusive).</summary>
    public double? CautionCv { get; init; }

    /// <summary>Custom rules: estimates on fewer unweighted observations are suppressed.</summary>
    public long? MinimumN { get; init; }

    /// <summary>Lonely-PSU policy: <c>fail</c> (default), <c>remove</c>, <c>certainty</c>, <c>adjust</c>, <c>average</c> (R <c>survey.lonely.psu</c>).</summary>
    public Estimation.LonelyPsuPolicy LonelyPsu { get; init; } = Estimation.LonelyPsuPolicy.Fail;

    /// <summary>How hours and values of an activity tagged with several SDGs are allocated: <c>equal-split</c> (default), <c>primary-only</c> or <c>full-attribution</c>.</summary>
    public Indicators.Taxonomy.AllocationRule SdgAllocation { get; init; } = Indicators.Taxonomy.AllocationRule.EqualSplit;

    /// <summary>Replicate weights: the method of declared replicate columns and the conversion used for indicator and index SEs.</summary>
    public ReplicateSpec Replicates { get; init; } = new();

    /// <summary>Calibration of the study's design to population margins (R <c>calibrate()</c>); null leaves the survey weights as they are.</summary>
    public CalibrationSpec? Calibration { get; init; }
}

/// <summary>
/// The <c>estimation.calibration:</c> section: each survey country's weights are calibrated to its population margins
/// before anything is estimated, so estimates, indicators, the index and the annex all use the calibrated weights
/// (methodology/estimation.md §3, "Study mode").
/// </summary>
public sealed record CalibrationSpec
{
    /// <summary>
    /// The margins file of each survey country (country code → path relative to the study file): columns
    /// <c>variable,level,total</c>, one population total per level of a person variable (<c>sex</c>, <c>age_group</c>,
    /// <c>youth</c>, <c>region</c>, <c>urban_rural</c>, <c>disability</c>, <c>employment_status</c>) or of a cross-classification
    /// written <c>sex:age_group</c> with levels <c>female:15-29</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string> Margins { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The distance function: <c>linear</c> (GREG, the default), <c>raking</c> or <c>logit</c> (needs <see cref="Bounds"/>).</summary>
    public Estimation.CalibrationFunction Calfun { get; init; } = Estimation.CalibrationFunction.Linear;

    /// <summary>Bounds [L, U] on the g-weights w*/w (R <c>bounds</c>), L &lt; 1 &lt; U; empty for none.</summary>
    public IReadOnlyList<double> Bounds { get; init; } = [];

    /// <summary>Trimming of the g-weights to [L, U] after calibration (R <c>trim</c>); empty for none.</summary>
    public IReadOnlyList<double> Trim { get; init; } = [];

    /// <summary>The margins files resolved against the study file's folder (set by validation), by country; not a YAML key.</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public IReadOnlyDictionary<string, string> MarginsFullPaths { get; internal set; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>The <c>estimation.replicates:</c> section.</summary>
public sealed record ReplicateSpec
{
    /// <summary>Method of the replicate weights declared by survey inputs (<c>replicate_weights</c>): <c>jk1</c>, <c>jkn</c>, <c>brr</c>, <c>fay</c>, <c>bootstrap</c>, <c>other</c>.</summary>
    public Estimation.ReplicateMethod? Method { get; init; }

    /// <summary>Fay's rho (method <c>fay</c>).</summary>
    public double? Rho { get; init; }

    /// <summary>The overall variance constant (R <c>scale</c>), where the method allows one.</summary>
    public double? Scale { get; init; }

    /// <summary>Per-replicate constants (R <c>rscales</c>; required for <c>jkn</c>).</summary>
    public IReadOnlyList<double> Rscales { get; init; } = [];

    /// <summary>Centre replicate variances on the full-sample estimate (R <c>mse = TRUE</c>).</summary>
    public bool Mse { get; init; }

    /// <summary>
    /// The study's one design when no replicate weights are declared: <c>auto</c> (the default: JKn replicates built from
    /// strata and PSUs, JK1 when unstratified), <c>jkn</c>, <c>jk1</c>, <c>bootstrap</c>, or <c>none</c> (Taylor
    /// linearisation; indicators and the index then have no standard errors, since they need replicates). Estimates,
    /// indicators and the index always use the same design.
    /// </summary>
    public Estimation.Volunteering.ReplicateConversionKind Convert { get; init; } = Estimation.Volunteering.ReplicateConversionKind.Auto;

    /// <summary>Bootstrap replicates to draw when <see cref="Convert"/> is <c>bootstrap</c>.</summary>
    public int BootstrapReplicates { get; init; } = 100;

    /// <summary>Seed of the bootstrap generator.</summary>
    public long Seed { get; init; } = 20221125;
}

/// <summary>The <c>index:</c> section: the Volunteer Contribution Index over the study's countries (methodology/index.md).</summary>
public sealed record IndexSpec
{
    /// <summary>Framework CSV (<c>indicator,pillar,direction,lower,upper,weight</c>), relative to the study file.</summary>
    public string Framework { get; init; } = "";

    /// <summary>Absolute path of the framework (set by the loader; not a YAML key).</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string FrameworkFullPath { get; internal set; } = "";

    /// <summary>Normalisation: <c>bounded</c> (default), <c>minmax</c>, <c>zscore</c>, <c>rank</c>, <c>percentile</c>, <c>target</c>, <c>none</c>.</summary>
    public Indicators.Composite.NormalisationMethod Normalisation { get; init; } = Indicators.Composite.NormalisationMethod.Bounded;

    /// <summary>Aggregation within and across pillars: <c>arithmetic</c> (default), <c>geometric</c>, <c>harmonic</c>, <c>power</c>.</summary>
    public Indicators.Composite.AggregationMethod Aggregation { get; init; } = Indicators.Composite.AggregationMethod.Arithmetic;

    /// <summary>Exponent of the <c>power</c> aggregation.</summary>
    public double Power { get; init; } = 1;

    /// <summary>Weighting: <c>equal</c> (default), <c>explicit</c> or <c>pca</c>.</summary>
    public Indicators.Composite.WeightingMethod Weighting { get; init; } = Indicators.Composite.WeightingMethod.Equal;

    /// <summary>Minimum share of indicators a country needs for an index score (0–1).</summary>
    public double MinCoverage { get; init; }

    /// <summary>Minimum share of a pillar's indicators for the pillar to count (0–1).</summary>
    public double MinPillarCoverage { get; init; }

    /// <summary>Bottom of the score scale (1 for geometric or harmonic aggregation).</summary>
    public double ScoreMin { get; init; }

    /// <summary>The rank-uncertainty analysis published with the index (methodology/index.md, "Uncertainty").</summary>
    public IndexUncertaintySpec Uncertainty { get; init; } = new();
}

/// <summary>
/// The <c>index.uncertainty:</c> section: the Monte-Carlo analysis behind the published rank intervals. Each run draws
/// one normalisation and one aggregation from the lists and perturbs every weight uniformly by ±<see cref="WeightNoise"/>.
/// </summary>
public sealed record IndexUncertaintySpec
{
    /// <summary>Monte-Carlo runs (default 500); 0 publishes no rank intervals.</summary>
    public int Runs { get; init; } = 500;

    /// <summary>Seed of the run generator (default 1): the same seed gives the same intervals.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Normalisations drawn from (default: bounded and minmax); the study's own normalisation is always among them.</summary>
    public IReadOnlyList<Indicators.Composite.NormalisationMethod> Normalisations { get; init; } =
        [Indicators.Composite.NormalisationMethod.Bounded, Indicators.Composite.NormalisationMethod.MinMax];

    /// <summary>Aggregations drawn from (default: none besides the study's own).</summary>
    public IReadOnlyList<Indicators.Composite.AggregationMethod> Aggregations { get; init; } = [];

    /// <summary>Relative uniform noise on each weight (default 0.25: ±25 %).</summary>
    public double WeightNoise { get; init; } = 0.25;

    /// <summary>Whether first-order and total Sobol indices of the factors are estimated too (default false).</summary>
    public bool Sobol { get; init; }
}

/// <summary>
/// Automatic coding of activity descriptions before valuation (methodology/coding/README.md, "Use in a study"):
/// records with activity text and no ISCO code get the coder's ISCO-08 major group when its confidence reaches the
/// threshold (by default the model's recorded one); the others keep no code (generalist fallback) and are listed in
/// coding_review.csv. The record's Forum direction, when it has one, is evidence for the coder, as in <c>contrib classify</c>.
/// </summary>
public sealed record CodingSpec
{
    /// <summary>Whether uncoded descriptions are coded; off by default, so a study's outputs change only when it asks.</summary>
    public bool Enabled { get; init; }

    /// <summary>Lowest ISCO major-group confidence (0–1) at which a proposed code is used; below it the record goes to review. Absent: the model's recorded ISCO review threshold, as <c>contrib classify</c> uses it.</summary>
    /// <remarks>The model's threshold is fitted out-of-fold to hold ≥ 95 % accuracy on the codes it accepts (methodology/coding/calibration.md); a study states a value here only to depart from it (<c>contrib classify --threshold</c>).</remarks>
    public double? Threshold { get; init; }

    /// <summary>Lowest SDG confidence (0–1) at which proposed goals fill a record without goals; below it the record goes to review. Absent: the model's recorded SDG review threshold (<c>contrib classify --sdg-threshold</c>).</summary>
    public double? SdgThreshold { get; init; }

    /// <summary>A model saved by <c>contrib classify train</c>, relative to the study file; the embedded model when absent.</summary>
    public string? Model { get; init; }
}

/// <summary>The <c>report:</c> section: what the annex needs beyond the estimates.</summary>
public sealed record ReportSpec
{
    /// <summary>
    /// Region names per annex language, relative to the study file: a CSV <c>region,en,ru,kk</c> whose <c>region</c> is
    /// the value in the data; regions of the data without a row are refused when the annex is built.
    /// </summary>
    public string? RegionLabels { get; init; }

    /// <summary>Absolute path of <see cref="RegionLabels"/> (set by the loader; not a YAML key).</summary>
    [YamlDotNet.Serialization.YamlIgnore]
    public string RegionLabelsFullPath { get; internal set; } = "";

    /// <summary>
    /// SDMX <c>REF_AREA</c> of the pooled aggregate of a multi-country study (e.g. <c>XCA4</c>); when absent, <c>X</c>
    /// followed by the study's alpha-2 country codes in alphabetical order (methodology/sdmx-series.md).
    /// </summary>
    public string? PooledAreaCode { get; init; }

    /// <summary>
    /// The study's title per annex language, shown as the cover's subtitle (<c>report.title: {en: …, ru: …, kk: …}</c>);
    /// the English title falls back to the study's top-level <c>title</c>. A language without a title makes its annex a draft.
    /// </summary>
    public LocalizedText? Title { get; init; }

    /// <summary>
    /// The publishing agency per annex language, shown on the cover as the producer and written as the files' author
    /// (e.g. the national statistical office). A language without a publisher makes its annex a draft.
    /// </summary>
    public LocalizedText? Publisher { get; init; }

    /// <summary>Where readers send questions (e-mail, web page or postal address), shown on the cover as it is written.</summary>
    public string? Contact { get; init; }

    /// <summary>
    /// The release date on the cover and in file metadata (<c>YYYY-MM-DD</c>, after the reference year); <c>contrib report
    /// --release-date</c> overrides it. Without either, the annex is marked as a draft on every page.
    /// </summary>
    public DateOnly? ReleaseDate { get; init; }
}

/// <summary>A free text written once per annex language (<c>{en: …, ru: …, kk: …}</c>).</summary>
public sealed record LocalizedText
{
    /// <summary>The English text.</summary>
    public string? En { get; init; }

    /// <summary>The Russian text.</summary>
    public string? Ru { get; init; }

    /// <summary>The Kazakh text.</summary>
    public string? Kk { get; init; }

    /// <summary>The text in <paramref name="language"/> (<c>en</c>, <c>ru</c> or <c>kk</c>), or null when it is not written.</summary>
    public string? For(string language)
    {
        var text = language switch { "en" => En, "ru" => Ru, "kk" => Kk, _ => null };
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }
}
