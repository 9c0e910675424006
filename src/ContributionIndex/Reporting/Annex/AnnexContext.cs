using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Reporting;

/// <summary>
/// What every annex builder shares: the run's computed results (study, estimates, design, valuation, indicators, index),
/// the annex language and its labels, the estimate look-up, column and precision helpers, and the links that
/// linked-table disclosure control applies once all tables are built. It computes nothing.
/// </summary>
internal sealed class AnnexContext
{
    /// <summary>The domain and category of a total.</summary>
    public const string All = VolunteerEstimates.AllDomain;

    private readonly RegionLabels? _regionLabels;

    public AnnexContext(StudyRun run, ReportLanguage language, AnnexOptions options)
    {
        var study = run.Study;
        var set = run.Estimates;
        Run = run;
        Study = study;
        Set = set;
        Design = run.Design;
        Valuation = set.Valuation;
        L = language;
        Options = options;
        Period = study.Year.ToString(CultureInfo.InvariantCulture);
        _regionLabels = RegionLabels.ForStudy(study);
        var countries = Parameters.CountryOrder;
        AreaName = countries.Count == 1 ? CountryName(countries[0]) : RegionName;
        // The sources as a reader names them — the kinds of input and the reference year — not the study's file names.
        Source = L.Format("source.default", string.Join("; ", study.Inputs.Select(i => InputKinds.Code(i.Kind)).Distinct(StringComparer.Ordinal)
            .Select(kind => L.Format("source.input." + kind, Period))), options.SoftwareVersion);
        // Survey scopes in study order, then the regional pool when the study has several countries.
        Scopes = set.Countries.Where(c => set.Find(c, VolunteerMeasures.Volunteers) is not null)
            .Concat(set.Find(VolunteerEstimates.RegionalScope, VolunteerMeasures.Volunteers) is not null ? [VolunteerEstimates.RegionalScope] : [])
            .ToArray();
    }

    public StudyRun Run { get; }

    public Study Study { get; }

    public VolunteerEstimateSet Set { get; }

    public StudyDesign Design { get; }

    public ValuationResult Valuation { get; }

    /// <summary>The annex language.</summary>
    public ReportLanguage L { get; }

    public AnnexOptions Options { get; }

    /// <summary>The reference year as the tables print it.</summary>
    public string Period { get; }

    /// <summary>The country's or the region's name in titles.</summary>
    public string AreaName { get; }

    /// <summary>The source line under every table and chart.</summary>
    public string Source { get; }

    /// <summary>The survey scopes with estimates, in study order, then the regional pool.</summary>
    public IReadOnlyList<string> Scopes { get; }

    /// <summary>What the tables publish, for linked-table disclosure control once all are built.</summary>
    public AnnexLinks Links { get; } = new();

    /// <summary>The run's indicators (computed by the run on first use).</summary>
    public VolunteerIndicatorSet Indicators => Run.Indicators;

    /// <summary>The run's composite index, when the study has one (computed by the run on first use).</summary>
    public StudyIndex? Index => Run.Index;

    /// <summary>The valuation run's parameters: countries in order, their constants, the headline method.</summary>
    public ValuationParameters Parameters => Valuation.Parameters;

    public bool Regional => Parameters.CountryOrder.Count > 1;

    /// <summary>The pool whose countries add up to it in disclosure blocks: the regional scope of a regional study.</summary>
    public string? Pool => Regional ? VolunteerEstimates.RegionalScope : null;

    /// <summary>The study's one design, named in the annex language (notes of T1 and T5, metadata).</summary>
    public string DesignName => L.Text(Design.Kind switch
    {
        StudyDesignKind.Taylor => "design.taylor",
        StudyDesignKind.Jkn => "design.jkn",
        StudyDesignKind.Jk1 => "design.jk1",
        StudyDesignKind.Bootstrap => "design.bootstrap",
        _ => "design.declared",
    });

    /// <summary>The confidence level of every interval, in per cent, as the annex prints it (95, 90, 99.5).</summary>
    public string LevelPercent => (100 * Design.ConfidenceLevel).ToString("0.##", L.NumberFormat);

    private string RegionName => L.Format("country.region", Parameters.CountryOrder.Count.ToString(CultureInfo.InvariantCulture));

    /// <summary>
    /// A valuation method's label as the study applies it (#16): the generalist label names its wage basis, the
    /// opportunity-cost label the policy for persons without a wage of their own, the hybrid label its simple-task rule.
    /// </summary>
    public string MethodLabel(ValuationMethod method) => method switch
    {
        ValuationMethod.Generalist => L.Text("method.generalist." + StudyChoices.Word(Parameters.GeneralistBasis)),
        ValuationMethod.Hybrid => L.Text("method.hybrid.groups"),
        ValuationMethod.Opportunity => L.Format("method.opportunity." + StudyChoices.Word(Parameters.Policy),
            (100 * Parameters.OpportunityCostShare).ToString("0.#", L.NumberFormat) + " %"),
        _ => L.Text("method." + method.Code()),
    };

    public string CountryName(string code) =>
        code is VolunteerEstimates.RegionalScope or ValuationSummary.RegionCode ? RegionName : L.Has("country." + code) ? L.Text("country." + code) : code;

    /// <summary>A row's SDMX dimensions: the scope's <c>REF_AREA</c> and more.</summary>
    public Dictionary<string, string> Area(string scope, params (string Key, string Value)[] more)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal) { ["REF_AREA"] = AnnexBuilder.M49(Study, scope) };
        foreach (var (k, v) in more) d[k] = v;
        return d;
    }

    public VolunteerEstimate? Find(string scope, string measure, string domain = All, string value = All, InputKind source = InputKind.Survey) =>
        Set.Find(scope, measure, domain, value, source);

    /// <summary>A table's or chart's title: its resource with the area and period.</summary>
    public string Title(string key) => L.Format(key, AreaName, Period);

    /// <summary>A table titled by its <c>{id}.title</c> resource, with the context's area, period and source.</summary>
    public ReportTable Table(string id, string unitsKey, List<ReportColumn> columns, List<ReportRow> rows, List<ReportNote> notes, bool totalsMayNotSum) =>
        new(id, Title(id.ToLowerInvariant() + ".title"), L.Text(unitsKey), Period, columns, rows, notes, Source, totalsMayNotSum);

    /// <summary>Adds the confidentiality note when the table withholds any cell as [c].</summary>
    public void DisclosureNote(List<ReportRow> rows, List<ReportNote> notes)
    {
        if (rows.Any(r => r.Cells.Any(c => c.Flag == CellFlag.Suppressed)))
            notes.Add(new ReportNote(notes.Count + 1, L.Text("note.disclosure")));
    }

    /// <summary>
    /// A published constant of every country, in study order, as the notes cite it: the country's name, then the value
    /// in the annex's number format with up to four significant decimals (— when there is none).
    /// </summary>
    public string PerCountry(Func<CountryParameters, double?> constant) =>
        string.Join("; ", Parameters.CountryOrder.Select(c => (Parameters.CountryOrder.Count > 1 ? CountryName(c) + " " : "") + (constant(Parameters.Countries[c]) is { } v ? v.ToString("#,0.####", L.NumberFormat) : "—")));

    // Columns.

    /// <summary>A table's dimension columns, headed by <c>dim.{id}</c> (the source by <c>source.kind</c>, a unit or currency by <c>col.unit</c>).</summary>
    public IEnumerable<ReportColumn> Dimensions(params string[] ids) =>
        ids.Select(id => ReportColumn.Dimension(id, L.Text(id switch
        {
            "source" => "source.kind",
            "currency" or "unit" => "col.unit",
            _ => "dim." + id,
        })));

    public ReportColumn Col(string id, string key, NumberStyle style, string unit, SdmxMeasure? sdmx = null) =>
        ReportColumn.Measure(id, L.Text(key), style, unit, sdmx);

    public static ReportColumn Prec(string id, string heading, NumberStyle style, string unit) => ReportColumn.Precision(id, heading, style, unit);

    public string Heading(string measureKey, string precisionKey) => L.Text(measureKey) + ": " + L.Text(precisionKey);

    /// <summary>A measure's columns as <see cref="WithPrecision"/> fills them: value, SE, [CI low, CI high,] CV (%).</summary>
    public ReportColumn[] WithPrecisionColumns(string id, string key, NumberStyle style, string unit, SdmxMeasure? sdmx, bool ci = false) =>
    [
        Col(id, key, style, unit, sdmx),
        Prec(id + "_se", Heading(key, "col.se"), style, unit),
        .. ci ? [Prec(id + "_ci_low", L.Format("col.ci_low", LevelPercent), style, unit), Prec(id + "_ci_high", L.Format("col.ci_high", LevelPercent), style, unit)] : Array.Empty<ReportColumn>(),
        Prec(id + "_cv", Heading(key, "col.cv"), NumberStyle.OneDecimal, "PT"),
    ];

    /// <summary>A group's heading row: its labels, then empty cells up to the table's width.</summary>
    public static ReportRow GroupHeading(int columns, params string[] labels) =>
        new([.. labels.Select(label => Cell.Label(label)), .. Enumerable.Repeat(Cell.Empty, columns - labels.Length)], 0, RowRole.GroupHeading);

    // Precision and disclosure.

    public static CellFlag FlagOf(SurveyEstimate e) => e.Flag switch
    {
        QualityFlag.Publish => CellFlag.None,
        QualityFlag.Caution => CellFlag.LowReliability,
        _ => CellFlag.Suppressed,
    };

    /// <summary>Value, SE, [CI low, CI high,] CV (%) of an estimate times a scale; suppressed estimates withhold every cell.</summary>
    public static Cell[] WithPrecision(VolunteerEstimate? estimate, double scale, bool ci = false)
    {
        var width = ci ? 5 : 3;
        if (estimate is null) return Enumerable.Repeat(Cell.Withheld(CellFlag.NotAvailable), width).ToArray();
        var e = estimate.Estimate;
        if (estimate.IsAdministrative)
            return [Cell.NumberOrNotAvailable(e.Value * scale), .. Enumerable.Repeat(Cell.Withheld(CellFlag.NotApplicable), width - 1)];
        var flag = FlagOf(e);
        if (flag == CellFlag.Suppressed || !double.IsFinite(e.Value))
            return Enumerable.Repeat(Cell.Withheld(flag == CellFlag.Suppressed ? CellFlag.Suppressed : CellFlag.NotAvailable), width).ToArray();
        var cells = new List<Cell> { Cell.Number(e.Value * scale, flag), Cell.NumberOrNotAvailable(e.StandardError * Math.Abs(scale)) };
        if (ci)
        {
            cells.Add(Cell.NumberOrNotAvailable(e.ConfidenceLow * scale));
            cells.Add(Cell.NumberOrNotAvailable(e.ConfidenceHigh * scale));
        }

        cells.Add(Cell.NumberOrNotAvailable(e.Value == 0 ? null : 100 * e.CoefficientOfVariation));
        return [.. cells];
    }

    /// <summary>
    /// The minimum count of the study's quality rule (<c>estimation.quality</c>, default 10): a survey cell needs this many
    /// respondents, an hour-log cell this many distinct persons, an indicator this many respondents behind each total.
    /// </summary>
    public long MinimumCount => (Set.Settings.Options.Quality ?? QualityRules.StatisticsCanada).MinimumUnweightedCount;

    /// <summary>
    /// Hour-log rule: an administrative cell (platform hour log) summing fewer than <see cref="MinimumCount"/> distinct
    /// persons is withheld like a survey cell with too few respondents (methodology/disclosure-control.md, "Hour-log cells").
    /// </summary>
    public bool TooFewPersons(VolunteerEstimate estimate) => estimate.IsAdministrative && estimate.Estimate.UnweightedCount < MinimumCount;

    /// <summary>The persons behind a scope's total from one source (respondents of the survey, distinct persons of the hour log).</summary>
    public long Persons(string scope, InputKind source) => Find(scope, VolunteerMeasures.Volunteers, source: source)?.Estimate.UnweightedCount ?? 0;

    /// <summary>Whether a T3 value is primary-withheld: its survey estimate (in LCU or PPP$) is suppressed, or its hour log has too few persons.</summary>
    public bool IsPrimary(string scope, InputKind source, VolunteerEstimate? lcu, VolunteerEstimate? ppp)
    {
        if (source == InputKind.HourLog) return Persons(scope, source) < MinimumCount;
        return new[] { lcu, ppp }.Any(e => e is { IsAdministrative: false } && FlagOf(e.Estimate) == CellFlag.Suppressed);
    }

    /// <summary>A published estimate as a cell of a disclosure block (an hour-log cell with too few persons is primary).</summary>
    public BlockCell BlockOf(int rowIndex, string scope, string category, VolunteerEstimate estimate) =>
        Block(rowIndex, scope, category, estimate) with { Primary = Block(rowIndex, scope, category, estimate).Primary || TooFewPersons(estimate) };

    /// <summary>A published estimate as a cell of a disclosure block.</summary>
    public static BlockCell Block(int rowIndex, string scope, string category, VolunteerEstimate estimate) =>
        new(rowIndex, scope, category, estimate.Estimate.Value, estimate.Estimate.UnweightedCount, FlagOf(estimate.Estimate) == CellFlag.Suppressed);

    // Labels.

    public string AgeLabel(string group) => group.EndsWith('+') ? L.Format("age.open", group[..^1]) : L.Format("age.range", group[..group.IndexOf('-', StringComparison.Ordinal)], group[(group.IndexOf('-', StringComparison.Ordinal) + 1)..]);

    /// <summary>The region's name in the annex language from the study's region labels; the data's value when the study has none.</summary>
    private string RegionLabel(string region)
    {
        if (_regionLabels is null) return region;
        return _regionLabels.Find(region, L.Code) ?? throw new StudyFileException(SourceLocation.OfFile(_regionLabels.DisplayPath),
            $"region '{region}' of the data has no row in the region labels, so the {L.Code} annex cannot name it.",
            $"Add a row '{region},<English>,<Russian>,<Kazakh>' (or correct the region value in the data).");
    }

    /// <summary>A category label: a resource when one exists (sex, area, form, ISCO, direction), else the code as the data give it.</summary>
    public string CategoryLabel(string domain, string value) => (domain, value) switch
    {
        (PersonVariables.Region, _) => RegionLabel(value),
        (PersonVariables.Sex, "female") => L.Text("sex.F"),
        (PersonVariables.Sex, "male") => L.Text("sex.M"),
        (PersonVariables.UrbanRural, "urban") => L.Text("urb.U"),
        (PersonVariables.UrbanRural, "rural") => L.Text("urb.R"),
        (PersonVariables.AgeGroup or PersonVariables.Youth, _) => AgeLabel(value),
        ("form", "organisation") => L.Text("form.organisation"),
        ("form", "direct") => L.Text("form.direct"),
        ("isco_major_group", "unknown") or ("direction", "unknown") or ("form", "unknown") => L.Text("dim.unknown"),
        ("isco_major_group", _) => value + " " + (L.Has("isco." + value) ? L.Text("isco." + value) : ""),
        ("direction", _) => L.Has("direction." + value) ? L.Text("direction." + value) : value,
        ("sdg", "unknown") => L.Text("dim.unknown"),
        ("sdg", _) when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var goal) => L.SdgGoal(goal),
        _ => value,
    };

    /// <summary>The label of a domain (breakdown) in the annex language.</summary>
    public string DomainLabel(string domain) => L.Text(domain switch
    {
        PersonVariables.Sex => "dim.sex",
        PersonVariables.AgeGroup => "dim.age",
        PersonVariables.UrbanRural => "dim.urbanisation",
        PersonVariables.Region => "dim.region",
        "form" => "dim.form",
        "isco_major_group" => "dim.isco",
        "direction" => "dim.direction",
        PersonVariables.Youth => "dim.youth",
        PersonVariables.Disability => "dim.disability",
        PersonVariables.EmploymentStatus => "dim.employment_status",
        _ => "dim.breakdown",
    });
}

/// <summary>
/// The published cells of one additive quantity of a table, by domain, with their totals: each domain's categories and
/// the totals form a disclosure block that linked-table disclosure control protects.
/// </summary>
internal sealed class DomainBlocks
{
    private readonly List<BlockCell> _totals = [];
    private readonly Dictionary<string, List<BlockCell>> _blocks = new(StringComparer.Ordinal);

    /// <summary>The totals' cells (domain <see cref="AnnexContext.All"/>).</summary>
    public IReadOnlyList<BlockCell> Totals => _totals;

    public void Add(string domain, BlockCell cell)
    {
        if (domain == AnnexContext.All)
        {
            _totals.Add(cell);
            return;
        }

        if (!_blocks.TryGetValue(domain, out var list)) _blocks[domain] = list = [];
        list.Add(cell);
    }

    /// <summary>Declares every domain's block with the totals: categories add up to the total, and countries to their pool.</summary>
    public void Link(AnnexLinks links, string table, string measure, string? pool, int[] columns)
    {
        foreach (var (domain, block) in _blocks) links.Block(table, measure, domain, [.. block, .. _totals], pool, columns);
    }
}
