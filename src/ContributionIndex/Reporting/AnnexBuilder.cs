using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Indicators.Composite;
using ContributionIndex.Indicators.Sensitivity;
using ContributionIndex.Indicators.Taxonomy;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Reporting.Sdmx;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Reporting;

/// <summary>Choices of the annex's cover that are not in the study file (every choice that changes a number is in the study).</summary>
public sealed record AnnexOptions
{
    /// <summary>The release date on the cover and in file metadata; default 31 December of the reference year (never the clock).</summary>
    public DateOnly? ReleaseDate { get; init; }


    /// <summary>Software version written on the cover and in the metadata.</summary>
    public string SoftwareVersion { get; init; } = Manifest.PackageVersion;
}

/// <summary>
/// Turns a study's library results — the valuation run and the design-based estimates of
/// <see cref="VolunteerEstimates"/>, the indicators of <see cref="VolunteerIndicatorEstimates"/> and the index of
/// <see cref="VolunteerIndex"/> — into the six annex tables, four charts and the metadata (methodology/reporting.md).
/// It looks estimates up and lays them out; it computes no methodology of its own.
/// </summary>
public static class AnnexBuilder
{
    /// <summary>
    /// The SDMX <c>REF_AREA</c> of a scope: a country's UN M49 numeric code (<see cref="CountryCodes"/>); for the pooled
    /// aggregate (<c>ALL</c>, <c>REGION</c>) the study's <c>report.pooled_area_code</c>, by default <c>X</c> and the
    /// countries' alpha-2 codes in order. A country without a code is a <see cref="StudyFileException"/>, never passed through.
    /// </summary>
    public static string M49(Study study, string scope) =>
        CountryCodes.RefArea(study, scope, pooled: scope is VolunteerEstimates.RegionalScope or ValuationSummary.RegionCode);

    /// <summary>Lays out a study run's results as the annex; the run computes, the builder only looks results up.</summary>
    /// <param name="run">The study's run (its estimates, indicators and index are computed on demand, once).</param>
    /// <param name="language">Labels with SDG goal names attached (<see cref="ReportLanguage.ForAnnex"/>).</param>
    /// <param name="options">Cover choices.</param>
    public static Annex Build(StudyRun run, ReportLanguage language, AnnexOptions options)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(language);
        ArgumentNullException.ThrowIfNull(options);
        var context = new Context(run, language, options);
        var tables = new List<ReportTable> { context.Participation(), context.Hours(), context.EconomicValue(), context.Sdg(), context.Indicators() };
        if (context.CompositeIndex() is { } index) tables.Add(index);
        // Linked tables: a quantity suppressed in one table is withheld in all, and no table's totals recover it.
        tables = context.Links.Apply(tables, language.Text("note.disclosure"));
        return new Annex(context.Cover(), tables, context.Charts(), context.Metadata(), language);
    }

    private sealed class Context
    {
        private const string All = VolunteerEstimates.AllDomain;
        private readonly StudyRun _run;
        private readonly Study _study;
        private readonly VolunteerEstimateSet _set;
        private readonly StudyDesign _design;
        private readonly ValuationResult _valuation;
        private readonly ReportLanguage _l;
        private readonly AnnexOptions _options;
        private readonly string _period;
        private readonly string _area;
        private readonly string _source;
        private readonly IReadOnlyList<string> _scopes;

        /// <summary>What the tables publish, for linked-table disclosure control once all are built.</summary>
        public AnnexLinks Links { get; } = new();

        public Context(StudyRun run, ReportLanguage language, AnnexOptions options)
        {
            var study = run.Study;
            var set = run.Estimates;
            _run = run;
            _study = study;
            _set = set;
            _design = run.Design;
            _valuation = set.Valuation;
            _l = language;
            _options = options;
            _period = study.Year.ToString(CultureInfo.InvariantCulture);
            _regionLabels = RegionLabels.ForStudy(study);
            var countries = _valuation.Parameters.CountryOrder;
            _area = countries.Count == 1 ? CountryName(countries[0]) : RegionName;
            _source = _l.Format("source.default", string.Join("; ", study.Inputs.Select(i => i.Name + " (" + Path.GetFileName(i.Path) + ")")), options.SoftwareVersion);
            // Survey scopes in study order, then the regional pool when the study has several countries.
            _scopes = set.Countries.Where(c => set.Find(c, VolunteerMeasures.Volunteers) is not null)
                .Concat(set.Find(VolunteerEstimates.RegionalScope, VolunteerMeasures.Volunteers) is not null ? [VolunteerEstimates.RegionalScope] : [])
                .ToArray();
        }

        private bool Regional => _valuation.Parameters.CountryOrder.Count > 1;

        /// <summary>The study's one design, named in the annex language (notes of T1 and T5, metadata).</summary>
        private string DesignName => _l.Text(_design.Kind switch
        {
            StudyDesignKind.Taylor => "design.taylor",
            StudyDesignKind.Jkn => "design.jkn",
            StudyDesignKind.Jk1 => "design.jk1",
            StudyDesignKind.Bootstrap => "design.bootstrap",
            _ => "design.declared",
        });

        /// <summary>The confidence level of every interval, in per cent, as the annex prints it (95, 90, 99.5).</summary>
        private string LevelPercent => (100 * _design.ConfidenceLevel).ToString("0.##", _l.NumberFormat);

        private string RegionName => _l.Format("country.region", _valuation.Parameters.CountryOrder.Count.ToString(CultureInfo.InvariantCulture));

        private string CountryName(string code) =>
            code is VolunteerEstimates.RegionalScope or ValuationSummary.RegionCode ? RegionName : _l.Has("country." + code) ? _l.Text("country." + code) : code;

        private Dictionary<string, string> Area(string scope, params (string Key, string Value)[] more)
        {
            var d = new Dictionary<string, string>(StringComparer.Ordinal) { ["REF_AREA"] = M49(_study, scope) };
            foreach (var (k, v) in more) d[k] = v;
            return d;
        }

        private static CellFlag FlagOf(SurveyEstimate e) => e.Flag switch
        {
            QualityFlag.Publish => CellFlag.None,
            QualityFlag.Caution => CellFlag.LowReliability,
            _ => CellFlag.Suppressed,
        };

        /// <summary>Value, SE, [CI low, CI high,] CV (%) of an estimate times a scale; suppressed estimates withhold every cell.</summary>
        private static Cell[] WithPrecision(VolunteerEstimate? estimate, double scale, bool ci = false)
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

        private static BlockCell Block(int rowIndex, string scope, string category, VolunteerEstimate estimate) =>
            new(rowIndex, scope, category, estimate.Estimate.Value, estimate.Estimate.UnweightedCount, FlagOf(estimate.Estimate) == CellFlag.Suppressed);

        private static List<BlockCell> BlockOf(Dictionary<string, List<BlockCell>> blocks, string domain)
        {
            if (!blocks.TryGetValue(domain, out var list)) blocks[domain] = list = [];
            return list;
        }

        /// <summary>Adds the confidentiality note when the table withholds any cell as [c].</summary>
        private void DisclosureNote(List<ReportRow> rows, List<ReportNote> notes)
        {
            if (rows.Any(r => r.Cells.Any(c => c.Flag == CellFlag.Suppressed)))
                notes.Add(new ReportNote(notes.Count + 1, _l.Text("note.disclosure")));
        }

        private VolunteerEstimate? Find(string scope, string measure, string domain = All, string value = All, InputKind source = InputKind.Survey) =>
            _set.Find(scope, measure, domain, value, source);

        private ReportColumn Col(string id, string key, NumberStyle style, string unit, SdmxMeasure? sdmx = null) =>
            ReportColumn.Measure(id, _l.Text(key), style, unit, sdmx);

        private static ReportColumn Prec(string id, string heading, NumberStyle style, string unit) => ReportColumn.Precision(id, heading, style, unit);

        private string Heading(string measureKey, string precisionKey) => _l.Text(measureKey) + ": " + _l.Text(precisionKey);

        private ReportRow GroupHeading(string scope, string key, int columns, int labelColumns) =>
            new([Cell.Label(CountryName(scope)), Cell.Label(_l.Text(key)), .. Enumerable.Repeat(Cell.Label(""), labelColumns - 2), .. Enumerable.Repeat(Cell.Empty, columns - labelColumns)], 0, RowRole.GroupHeading);

        private string AgeLabel(string group) => group.EndsWith('+') ? _l.Format("age.open", group[..^1]) : _l.Format("age.range", group[..group.IndexOf('-', StringComparison.Ordinal)], group[(group.IndexOf('-', StringComparison.Ordinal) + 1)..]);

        private static string AgeCode(string group) => group.EndsWith('+') ? "Y_GE" + group[..^1] : "Y" + group.Replace("-", "T", StringComparison.Ordinal);

        private static string SdmxCode(string text) => new(text.ToUpperInvariant().Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '_').ToArray());

        /// <summary>A category label: a resource when one exists (sex, area, form, ISCO, direction), else the code as the data give it.</summary>
        private readonly RegionLabels? _regionLabels;

        /// <summary>The region's name in the annex language from the study's region labels; the data's value when the study has none.</summary>
        private string RegionLabel(string region)
        {
            if (_regionLabels is null) return region;
            return _regionLabels.Find(region, _l.Code) ?? throw new StudyFileException(SourceLocation.OfFile(_regionLabels.DisplayPath),
                $"region '{region}' of the data has no row in the region labels, so the {_l.Code} annex cannot name it.",
                $"Add a row '{region},<English>,<Russian>,<Kazakh>' (or correct the region value in the data).");
        }

        private string CategoryLabel(string domain, string value) => (domain, value) switch
        {
            (PersonVariables.Region, _) => RegionLabel(value),
            (PersonVariables.Sex, "female") => _l.Text("sex.F"),
            (PersonVariables.Sex, "male") => _l.Text("sex.M"),
            (PersonVariables.UrbanRural, "urban") => _l.Text("urb.U"),
            (PersonVariables.UrbanRural, "rural") => _l.Text("urb.R"),
            (PersonVariables.AgeGroup or PersonVariables.Youth, _) => AgeLabel(value),
            ("form", "organisation") => _l.Text("form.organisation"),
            ("form", "direct") => _l.Text("form.direct"),
            ("isco_major_group", "unknown") or ("direction", "unknown") or ("form", "unknown") => _l.Text("dim.unknown"),
            ("isco_major_group", _) => value + " " + (_l.Has("isco." + value) ? _l.Text("isco." + value) : ""),
            ("direction", _) => _l.Has("direction." + value) ? _l.Text("direction." + value) : value,
            ("sdg", "unknown") => _l.Text("dim.unknown"),
            ("sdg", _) when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var goal) => _l.SdgGoal(goal),
            _ => value,
        };

        private static (string Dim, string Code) SdmxOf(string domain, string value) => domain switch
        {
            PersonVariables.Sex => ("SEX", value == "female" ? "F" : "M"),
            PersonVariables.AgeGroup or PersonVariables.Youth => ("AGE", AgeCode(value)),
            PersonVariables.UrbanRural => ("URBANISATION", value == "urban" ? "U" : "R"),
            "isco_major_group" => ("OCCUPATION", value == "unknown" ? "_U" : "ISCO08_" + value),
            "form" => ("CUST_BREAKDOWN", value == "organisation" ? "VOL_ORG" : value == "direct" ? "VOL_DIR" : "VOL_U"),
            "sdg" => ("CUST_BREAKDOWN", value == "unknown" ? "SDG_U" : "SDG_" + value.PadLeft(2, '0')),
            "direction" => ("CUST_BREAKDOWN", "DIR_" + SdmxCode(value)),
            _ => ("CUST_BREAKDOWN", SdmxCode(domain) + "_" + SdmxCode(value)),
        };

        private string DomainKey(string domain) => domain switch
        {
            PersonVariables.Sex => "dim.sex",
            PersonVariables.AgeGroup => "dim.age",
            PersonVariables.UrbanRural => "dim.urbanisation",
            PersonVariables.Region => "dim.region",
            "form" => "dim.form",
            "isco_major_group" => "dim.isco",
            "direction" => "dim.direction",
            _ => "dim.breakdown",
        };

        // ------------------------------------------------------------------ Table 1: participation

        public ReportTable Participation()
        {
            var columns = new List<ReportColumn>
            {
                ReportColumn.Dimension("country", _l.Text("dim.country")),
                ReportColumn.Dimension("breakdown", _l.Text("dim.breakdown")),
                ReportColumn.Dimension("category", _l.Text("dim.category")),
                Col("volunteers", "col.volunteers", NumberStyle.Integer, "PERSONS", new SdmxMeasure("VOL_NUM", "NUMBER")),
                Prec("volunteers_se", Heading("col.volunteers", "col.se"), NumberStyle.Integer, "PERSONS"),
                Prec("volunteers_cv", Heading("col.volunteers", "col.cv"), NumberStyle.OneDecimal, "PT"),
                Col("rate", "col.rate", NumberStyle.PercentOneDecimal, "PROPORTION", new SdmxMeasure("VOL_RATE", "PT")),
                Prec("rate_se", Heading("col.rate", "col.se"), NumberStyle.PercentOneDecimal, "PROPORTION"),
                Prec("rate_ci_low", _l.Format("col.ci_low", LevelPercent), NumberStyle.PercentOneDecimal, "PROPORTION"),
                Prec("rate_ci_high", _l.Format("col.ci_high", LevelPercent), NumberStyle.PercentOneDecimal, "PROPORTION"),
                Prec("rate_cv", Heading("col.rate", "col.cv"), NumberStyle.OneDecimal, "PT"),
                Prec("n", _l.Text("col.n"), NumberStyle.Integer, "NUMBER"),
            };
            var rows = new List<ReportRow>();
            var totals = new List<BlockCell>();
            var blocks = new Dictionary<string, List<BlockCell>>(StringComparer.Ordinal);
            foreach (var scope in _scopes)
            {
                var country = CountryName(scope);
                void Add(string breakdown, string category, int indent, RowRole role, VolunteerEstimate? volunteers, VolunteerEstimate? rate, Dictionary<string, string> dims, string? domain = null, string? code = null)
                {
                    if (volunteers is null) return;
                    if (domain is not null && code is not null && !volunteers.IsAdministrative)
                    {
                        var cell = Block(rows.Count, scope, code, volunteers);
                        if (domain == All) totals.Add(cell);
                        else if (domain == "form") Links.Show("T1", "volunteers", domain, cell, AnnexLinks.Range(3, 10)); // forms overlap: no block
                        else BlockOf(blocks, domain).Add(cell);
                    }

                    var cells = new List<Cell> { Cell.Label(country), Cell.Label(breakdown), Cell.Label(category) };
                    cells.AddRange(WithPrecision(volunteers, 1));
                    cells.AddRange(rate is null ? Enumerable.Repeat(Cell.Withheld(CellFlag.NotApplicable), 5) : WithPrecision(rate, 1, ci: true));
                    cells.Add(Cell.Number(volunteers.Estimate.UnweightedCount));
                    rows.Add(new ReportRow(cells, indent, role, dims));
                }

                Add(_l.Text("dim.total"), _l.Text("dim.all_persons"), 0, RowRole.Total, Find(scope, VolunteerMeasures.Volunteers), Find(scope, VolunteerMeasures.VolunteerRate), Area(scope, ("AGE", "Y_GE15")), All, AnnexDisclosure.TotalCategory);
                foreach (var domain in new[] { PersonVariables.Sex, PersonVariables.AgeGroup, PersonVariables.UrbanRural, PersonVariables.Region })
                {
                    var byDomain = _set.ByDomain(scope, VolunteerMeasures.Volunteers, domain);
                    if (byDomain.Count == 0) continue;
                    rows.Add(GroupHeading(scope, DomainKey(domain), columns.Count, 3));
                    foreach (var v in byDomain)
                    {
                        var (dim, code) = SdmxOf(domain, v.DomainValue);
                        Add(_l.Text(DomainKey(domain)), CategoryLabel(domain, v.DomainValue), 1, RowRole.Data, v, Find(scope, VolunteerMeasures.VolunteerRate, domain, v.DomainValue),
                            Area(scope, ("AGE", domain == PersonVariables.AgeGroup ? code : "Y_GE15"), (dim, code)), domain, v.DomainValue);
                    }
                }

                // Forms overlap (a person may volunteer both ways); the rate column does not apply, shares are in table 5.
                rows.Add(GroupHeading(scope, "dim.form", columns.Count, 3));
                Add(_l.Text("dim.form"), _l.Text("form.organisation"), 1, RowRole.Data, Find(scope, VolunteerMeasures.VolunteersOrganisation), null, Area(scope, ("AGE", "Y_GE15"), ("CUST_BREAKDOWN", "VOL_ORG")), "form", "organisation");
                Add(_l.Text("dim.form"), _l.Text("form.direct"), 1, RowRole.Data, Find(scope, VolunteerMeasures.VolunteersDirect), null, Area(scope, ("AGE", "Y_GE15"), ("CUST_BREAKDOWN", "VOL_DIR")), "form", "direct");
            }

            var notes = new List<ReportNote>
            {
                new(1, _l.Format("note.survey_design", DesignName, LevelPercent)),
                new(2, _l.Format("note.quality_rule", (_set.Settings.Options.Quality ?? QualityRules.StatisticsCanada).MinimumUnweightedCount.ToString(CultureInfo.InvariantCulture))),
                new(3, _l.Text("note.hour_log")),
            };
            // Volunteers by sex, age, urbanisation and region add up to all persons, and countries to their pool.
            foreach (var (domain, block) in blocks) Links.Block("T1", "volunteers", domain, [.. block, .. totals], Regional ? VolunteerEstimates.RegionalScope : null, AnnexLinks.Range(3, 10));
            DisclosureNote(rows, notes);
            return new ReportTable("T1", _l.Format("t1.title", _area, _period), _l.Text("t1.units"), _period, columns, rows, notes, _source, totalsMayNotSum: true);
        }

        // ------------------------------------------------------------------ Table 2: hours

        public ReportTable Hours()
        {
            var columns = new List<ReportColumn>
            {
                ReportColumn.Dimension("country", _l.Text("dim.country")),
                ReportColumn.Dimension("source", _l.Text("source.kind")),
                ReportColumn.Dimension("breakdown", _l.Text("dim.breakdown")),
                ReportColumn.Dimension("category", _l.Text("dim.category")),
                Col("hours", "col.hours", NumberStyle.Integer, "HOURS", new SdmxMeasure("VOL_HRS", "HOURS")),
                Prec("hours_se", Heading("col.hours", "col.se"), NumberStyle.Integer, "HOURS"),
                Prec("hours_cv", Heading("col.hours", "col.cv"), NumberStyle.OneDecimal, "PT"),
                Col("hours_per_volunteer", "col.hours_per_volunteer", NumberStyle.OneDecimal, "HOURS", new SdmxMeasure("VOL_HRS_PV", "HOURS")),
                Prec("hours_per_volunteer_se", Heading("col.hours_per_volunteer", "col.se"), NumberStyle.OneDecimal, "HOURS"),
                Col("fte", "col.fte", NumberStyle.Integer, "FTE", new SdmxMeasure("VOL_FTE", "FTE")),
            };
            var rows = new List<ReportRow>();
            var totals = new List<BlockCell>();
            var blocks = new Dictionary<string, List<BlockCell>>(StringComparer.Ordinal);
            var scopes = _scopes.Select(s => (Scope: s, Source: InputKind.Survey))
                .Concat(_set.Countries.Where(c => Find(c, VolunteerMeasures.AnnualHours, source: InputKind.HourLog) is not null).Select(c => (Scope: c, Source: InputKind.HourLog)));
            foreach (var (scope, source) in scopes)
            {
                var country = CountryName(scope);
                var sourceLabel = _l.Text("source." + InputKinds.Code(source));
                var fullTime = scope == VolunteerEstimates.RegionalScope ? (double?)null : _valuation.Parameters.Countries[scope].FullTimeAnnualHours;
                void Add(string breakdown, string category, int indent, RowRole role, string domain, string value, Dictionary<string, string> dims)
                {
                    var hours = Find(scope, VolunteerMeasures.AnnualHours, domain, value, source);
                    if (hours is null) return;
                    if (source == InputKind.Survey && !hours.IsAdministrative)
                    {
                        var cell = Block(rows.Count, scope, domain == All ? AnnexDisclosure.TotalCategory : value, hours);
                        if (domain == All) totals.Add(cell);
                        else BlockOf(blocks, domain).Add(cell);
                        // Hours per volunteer and hours give the volunteers (T1's total and forms).
                        Links.Derived("T2", rows.Count, [7, 8], AnnexLinks.Key("volunteers", scope, domain, value), AnnexLinks.Key("hours", scope, domain, value));
                    }

                    var cells = new List<Cell> { Cell.Label(country), Cell.Label(sourceLabel), Cell.Label(breakdown), Cell.Label(category) };
                    cells.AddRange(WithPrecision(hours, 1));
                    var perVolunteer = Find(scope, VolunteerMeasures.HoursPerVolunteer, domain, value, source);
                    if (perVolunteer is not null)
                    {
                        cells.AddRange(WithPrecision(perVolunteer, 1).Take(2));
                    }
                    else
                    {
                        // Activity classifications have no ratio estimate: the point value only, from the two totals.
                        var volunteers = Find(scope, VolunteerMeasures.Volunteers, domain, value, source);
                        var hidden = FlagOf(hours.Estimate) == CellFlag.Suppressed || volunteers is null || FlagOf(volunteers.Estimate) == CellFlag.Suppressed;
                        cells.Add(hidden ? Cell.Withheld(CellFlag.Suppressed) : Cell.NumberOrNotAvailable(hours.Estimate.Value / volunteers!.Estimate.Value));
                        cells.Add(hidden ? Cell.Withheld(CellFlag.Suppressed) : Cell.Withheld(CellFlag.NotAvailable));
                    }

                    var fte = Find(scope, VolunteerMeasures.Fte, domain, value, source);
                    cells.Add(fte is not null ? WithPrecision(fte, 1)[0]
                        : fullTime is { } ft ? WithPrecision(hours, 1 / ft)[0] : Cell.Withheld(CellFlag.NotApplicable));
                    rows.Add(new ReportRow(cells, indent, role, dims));
                }

                Add(_l.Text("dim.total"), _l.Text("dim.total"), 0, RowRole.Total, All, All, Area(scope, ("NATURE", "C")));
                foreach (var domain in new[] { "form", "isco_major_group", "direction" })
                {
                    var categories = _set.ByDomain(scope, VolunteerMeasures.AnnualHours, domain, source);
                    if (categories.Count == 0) continue;
                    rows.Add(new ReportRow([Cell.Label(country), Cell.Label(sourceLabel), Cell.Label(_l.Text(DomainKey(domain))), Cell.Label(""), .. Enumerable.Repeat(Cell.Empty, columns.Count - 4)], 0, RowRole.GroupHeading));
                    foreach (var c in categories)
                    {
                        var (dim, code) = SdmxOf(domain, c.DomainValue);
                        Add(_l.Text(DomainKey(domain)), CategoryLabel(domain, c.DomainValue), 1, RowRole.Data, domain, c.DomainValue,
                            Area(scope, (dim, code), ("NATURE", "C"), ("SOURCE", InputKinds.Code(source))));
                    }
                }
            }

            var period = _study.ReferencePeriod;
            var notes = new List<ReportNote>
            {
                new(1, _l.Format("note.annualisation", period.LengthDays.ToString(CultureInfo.InvariantCulture), period.AnnualisationFactor.ToString("R", CultureInfo.InvariantCulture))),
                new(2, _l.Format("note.fte", string.Join(", ", _valuation.Parameters.CountryOrder.Select(c => c + " " + _valuation.Parameters.Countries[c].FullTimeAnnualHours.ToString("R", CultureInfo.InvariantCulture))))),
                new(3, _l.Text("note.hour_log")),
            };
            // Hours by form, ISCO major group and direction add up to the total hours, and countries to their pool.
            // Hours, their SE and CV, and FTE (hours over a published constant) are the hours; per volunteer is derived above.
            foreach (var (domain, block) in blocks) Links.Block("T2", "hours", domain, [.. block, .. totals], Regional ? VolunteerEstimates.RegionalScope : null, [4, 5, 6, 9]);
            foreach (var total in totals) Links.Show("T2", "hours", All, total, [4, 5, 6, 9]);
            DisclosureNote(rows, notes);
            return new ReportTable("T2", _l.Format("t2.title", _area, _period), _l.Text("t2.units"), _period, columns, rows, notes, _source, totalsMayNotSum: true);
        }

        // ------------------------------------------------------------------ Table 3: economic value

        public ReportTable EconomicValue()
        {
            var columns = new List<ReportColumn>
            {
                ReportColumn.Dimension("country", _l.Text("dim.country")),
                ReportColumn.Dimension("source", _l.Text("source.kind")),
                ReportColumn.Dimension("method", _l.Text("dim.method")),
                ReportColumn.Dimension("currency", _l.Text("col.unit")),
                Col("value_lcu", "col.value_lcu", NumberStyle.Integer, "LCU", new SdmxMeasure("VOL_VAL_LCU", "CUR_LCU")),
                Prec("value_lcu_se", Heading("col.value_lcu", "col.se"), NumberStyle.Integer, "LCU"),
                Prec("value_lcu_cv", Heading("col.value_lcu", "col.cv"), NumberStyle.OneDecimal, "PT"),
                Col("value_usd", "col.value_usd", NumberStyle.Integer, "USD", new SdmxMeasure("VOL_VAL_USD", "CU_USD")),
                Col("value_ppp", "col.value_ppp", NumberStyle.Integer, "PPP", new SdmxMeasure("VOL_VAL_PPP", "CU_PPP")),
                Prec("value_ppp_se", Heading("col.value_ppp", "col.se"), NumberStyle.Integer, "PPP"),
                Col("pct_gdp", "col.pct_gdp", NumberStyle.TwoDecimals, "PT", new SdmxMeasure("VOL_VAL_GDP", "PT")),
            };
            var rows = new List<ReportRow>();
            var headline = _valuation.Parameters.HeadlineMethod;
            foreach (var summary in _valuation.Summaries)
            {
                var scope = summary.Country == ValuationSummary.RegionCode ? VolunteerEstimates.RegionalScope : summary.Country;
                foreach (var value in summary.Values)
                {
                    var label = _l.Text("method." + value.Method.Code()) + (value.Method == headline ? " (" + _l.Text("method.headline") + ")" : "");
                    var lcu = Find(scope, PersonVariables.Value(value.Method, MoneyUnit.LocalCurrency), source: summary.SourceKind);
                    var ppp = Find(scope, PersonVariables.Value(value.Method, MoneyUnit.PppDollar), source: summary.SourceKind);
                    // The specialist value is T4's value total (in LCU or, converted at a published rate, US$ and PPP).
                    if (summary.SourceKind == InputKind.Survey && value.Method == ValuationMethod.Specialist)
                        Links.Derived("T3", rows.Count, [4, 5, 6, 7, 8, 9, 10], AnnexLinks.Key("value", scope, All, AnnexDisclosure.TotalCategory));
                    var cells = new List<Cell>
                    {
                        Cell.Label(CountryName(summary.Country)),
                        Cell.Label(_l.Text("source." + InputKinds.Code(summary.SourceKind))),
                        Cell.Label(label),
                        Cell.Label(summary.Currency.Length > 0 ? summary.Currency : "—"),
                    };
                    // The values are the valuation run's; the estimation engine adds their sampling error (survey only).
                    var lcuFlag = lcu is null || lcu.IsAdministrative ? CellFlag.None : FlagOf(lcu.Estimate);
                    cells.Add(summary.Country == ValuationSummary.RegionCode ? Cell.Withheld(CellFlag.NotApplicable)
                        : lcuFlag == CellFlag.Suppressed ? Cell.Withheld(lcuFlag) : Cell.NumberOrNotAvailable(value.ValueLcuCurrent, lcuFlag));
                    cells.AddRange(summary.Country == ValuationSummary.RegionCode || lcu is null
                        ? [Cell.Withheld(CellFlag.NotApplicable), Cell.Withheld(CellFlag.NotApplicable)]
                        : WithPrecision(lcu, 1).Skip(1));
                    cells.Add(Cell.NumberOrNotAvailable(value.ValueUsd));
                    cells.Add(Cell.NumberOrNotAvailable(value.ValuePpp));
                    cells.Add(ppp is null ? Cell.Withheld(CellFlag.NotAvailable) : WithPrecision(ppp, 1)[1]);
                    cells.Add(summary.Country == ValuationSummary.RegionCode ? Cell.Withheld(CellFlag.NotApplicable) : Cell.NumberOrNotAvailable(value.ShareOfGdpPercent));
                    rows.Add(new ReportRow(cells, 0, value.Method == headline ? RowRole.Total : RowRole.Data,
                        Area(summary.Country, ("CUST_BREAKDOWN", MethodCode(value.Method)))));
                }
            }

            var notes = new List<ReportNote>
            {
                new(1, _l.Format("note.headline", _l.Text("method." + headline.Code()))),
                new(2, _l.Format("note.conversion",
                    string.Join(", ", _valuation.Parameters.CountryOrder.Select(c => c + " " + Rate(_valuation.Parameters.Countries[c].LcuPerUsd))),
                    string.Join(", ", _valuation.Parameters.CountryOrder.Select(c => c + " " + Rate(_valuation.Parameters.Countries[c].LcuPerPppDollar))))),
                new(3, _l.Text("note.hour_log")),
            };
            return new ReportTable("T3", _l.Format("t3.title", _area, _period), _l.Text("t3.units"), _period, columns, rows, notes, _source, totalsMayNotSum: false);
        }

        private static string Rate(double? rate) => rate is { } r ? r.ToString("R", CultureInfo.InvariantCulture) : "—";

        private static string MethodCode(ValuationMethod method) => method switch
        {
            ValuationMethod.Specialist => "RC_SPEC",
            ValuationMethod.Generalist => "RC_GEN",
            ValuationMethod.Hybrid => "RC_HYB",
            _ => "OC",
        };

        // ------------------------------------------------------------------ Table 4: SDG

        public ReportTable Sdg()
        {
            // The estimates by SDG carry the specialist value in LCU (one country) or US$ (a region: LCUs never add).
            var valueMeasure = PersonVariables.Value(ValuationMethod.Specialist, Regional ? MoneyUnit.UsDollar : MoneyUnit.LocalCurrency);
            var valueKey = Regional ? "col.value_usd" : "col.value_lcu";
            var columns = new List<ReportColumn>
            {
                ReportColumn.Dimension("country", _l.Text("dim.country")),
                ReportColumn.Dimension("goal", _l.Text("dim.goal")),
                Col("hours", "col.hours", NumberStyle.Integer, "HOURS", new SdmxMeasure("VOL_HRS", "HOURS")),
                Prec("hours_se", Heading("col.hours", "col.se"), NumberStyle.Integer, "HOURS"),
                Prec("hours_cv", Heading("col.hours", "col.cv"), NumberStyle.OneDecimal, "PT"),
                Col("value", valueKey, NumberStyle.Integer, Regional ? "USD" : "LCU", new SdmxMeasure(Regional ? "VOL_VAL_USD" : "VOL_VAL_LCU", Regional ? "CU_USD" : "CUR_LCU")),
                Prec("value_cv", Heading(valueKey, "col.cv"), NumberStyle.OneDecimal, "PT"),
                Col("volunteers", "col.volunteers", NumberStyle.Integer, "PERSONS", new SdmxMeasure("VOL_NUM", "NUMBER")),
                Prec("volunteers_cv", Heading("col.volunteers", "col.cv"), NumberStyle.OneDecimal, "PT"),
            };
            var rows = new List<ReportRow>();
            var sdgBlock = new List<BlockCell>();
            var valueBlock = new List<BlockCell>();
            foreach (var scope in _scopes)
            {
                var country = CountryName(scope);
                void Add(string label, RowRole role, string domain, string value, Dictionary<string, string> dims)
                {
                    var hours = Find(scope, VolunteerMeasures.AnnualHours, domain, value);
                    if (hours is null) return;
                    if (!hours.IsAdministrative)
                    {
                        // A goal row is primary-suppressed when any of its additive measures (hours, value) is.
                        var valueEstimate = Find(scope, valueMeasure, domain, value);
                        var primary = FlagOf(hours.Estimate) == CellFlag.Suppressed || (valueEstimate is not null && !valueEstimate.IsAdministrative && FlagOf(valueEstimate.Estimate) == CellFlag.Suppressed);
                        var category = domain == All ? AnnexDisclosure.TotalCategory : value;
                        sdgBlock.Add(new BlockCell(rows.Count, scope, category, hours.Estimate.Value, hours.Estimate.UnweightedCount, primary));
                        if (valueEstimate is not null && !valueEstimate.IsAdministrative)
                            valueBlock.Add(new BlockCell(rows.Count, scope, category, valueEstimate.Estimate.Value, valueEstimate.Estimate.UnweightedCount, primary));
                        if (domain == All && Find(scope, VolunteerMeasures.Volunteers) is { IsAdministrative: false } volunteers)
                            Links.Show("T4", "volunteers", All, Block(rows.Count, scope, AnnexDisclosure.TotalCategory, volunteers), [7, 8]);
                        else if (domain != All)
                            Links.Derived("T4", rows.Count, [7, 8], AnnexLinks.Key("hours", scope, domain, value)); // volunteers by goal go with the goal's hours
                    }

                    var cells = new List<Cell> { Cell.Label(country), Cell.Label(label) };
                    cells.AddRange(WithPrecision(hours, 1));
                    var v = WithPrecision(Find(scope, valueMeasure, domain, value), 1);
                    cells.Add(v[0]);
                    cells.Add(v[2]);
                    var n = WithPrecision(Find(scope, VolunteerMeasures.Volunteers, domain, value), 1);
                    cells.Add(n[0]);
                    cells.Add(n[2]);
                    rows.Add(new ReportRow(cells, 0, role, dims));
                }

                foreach (var goal in _set.ByDomain(scope, VolunteerMeasures.AnnualHours, "sdg"))
                    Add(CategoryLabel("sdg", goal.DomainValue), RowRole.Data, "sdg", goal.DomainValue, Area(scope, SdmxOf("sdg", goal.DomainValue)));
                Add(_l.Text("dim.total"), RowRole.Total, All, All, Area(scope));
            }

            var rule = _set.Settings.SdgAllocation switch
            {
                AllocationRule.PrimaryOnly => "t4.allocation.primary",
                AllocationRule.EqualSplit => "t4.allocation.equal",
                AllocationRule.UserWeights => "t4.allocation.weights",
                _ => "t4.allocation.full",
            };
            var notes = new List<ReportNote>
            {
                new(1, _l.Format("t4.allocation", _l.Text(rule))),
                new(2, _l.Text("t4.volunteers_overlap")),
            };
            // Hours and values by goal add up to the total (equal split or primary goal), and countries to their pool.
            Links.Block("T4", "hours", "sdg", sdgBlock, Regional ? VolunteerEstimates.RegionalScope : null, [2, 3, 4]);
            if (valueBlock.Count > 0) Links.Block("T4", "value", "sdg", valueBlock, Regional ? VolunteerEstimates.RegionalScope : null, [5, 6]);
            DisclosureNote(rows, notes);
            return new ReportTable("T4", _l.Format("t4.title", _area, _period), _l.Text(Regional ? "t4.units_usd" : "t4.units"), _period, columns, rows, notes, _source,
                totalsMayNotSum: _set.Settings.SdgAllocation != AllocationRule.FullAttribution);
        }

        // ------------------------------------------------------------------ Table 5: indicators

        private VolunteerIndicatorSet IndicatorSet() => _run.Indicators;

        public ReportTable Indicators()
        {
            var columns = new List<ReportColumn>
            {
                ReportColumn.Dimension("country", _l.Text("dim.country")),
                ReportColumn.Dimension("indicator", _l.Text("dim.indicator")),
                ReportColumn.Dimension("unit", _l.Text("col.unit")),
                Col("value", "col.value", NumberStyle.TwoDecimals, "VARIOUS", new SdmxMeasure("VOL_IND", "VARIOUS")),
                Prec("se", _l.Text("col.se"), NumberStyle.TwoDecimals, "VARIOUS"),
                Prec("ci_low", _l.Format("col.ci_low", LevelPercent), NumberStyle.TwoDecimals, "VARIOUS"),
                Prec("ci_high", _l.Format("col.ci_high", LevelPercent), NumberStyle.TwoDecimals, "VARIOUS"),
            };
            var rows = new List<ReportRow>();
            var set = IndicatorSet();
            var notes = new List<ReportNote> { new(1, _design.HasReplicates ? _l.Format("t5.replicates", DesignName, LevelPercent) : _l.Text("t5.no_se")) };
            foreach (var unit in set.Units)
            {
                foreach (var code in VolunteerIndicatorEstimates.Codes)
                {
                    var indicator = set.Find(unit, code);
                    Links.Derived("T5", rows.Count, [3, 4, 5, 6], AnnexLinks.IndicatorIngredients(unit, code));
                    var cells = new List<Cell> { Cell.Label(CountryName(unit)), Cell.Label(_l.Text("indicator." + code)), Cell.Label(IndicatorUnit(code)) };
                    if (indicator is null || !double.IsFinite(indicator.Value))
                    {
                        cells.AddRange(Enumerable.Repeat(Cell.Withheld(CellFlag.NotAvailable), 4));
                    }
                    else
                    {
                        var (low, high) = indicator.Interval(_design.ConfidenceLevel);
                        cells.AddRange([Cell.Number(indicator.Value), Cell.NumberOrNotAvailable(indicator.StandardError), Cell.NumberOrNotAvailable(low), Cell.NumberOrNotAvailable(high)]);
                    }

                    rows.Add(new ReportRow(cells, 0, RowRole.Data, Area(unit, ("SERIES", "VOL_" + code.ToUpperInvariant()), ("UNIT_MEASURE", IndicatorSdmxUnit(code)))));
                }
            }

            return new ReportTable("T5", _l.Format("t5.title", _area, _period), _l.Text("t5.units"), _period, columns, rows, notes, _source, totalsMayNotSum: false);
        }

        /// <summary>The unit of an indicator (methodology/indicators.md).</summary>
        private static string IndicatorUnit(string code) => code switch
        {
            "econ_value_gdp" or "soc_participation" or "soc_formal_share" or "hc_certified_share" or "hc_retention" => "%",
            "econ_fte_per_1000" => "FTE / 1000",
            "soc_hours_per_volunteer" or "hc_training_hours" => "h",
            "soc_beneficiaries_per_1000" => "1 / 1000",
            "soc_regional_equity" => "0–100",
            _ => "ratio",
        };

        private static string IndicatorSdmxUnit(string code) => IndicatorUnit(code) switch
        {
            "%" => "PT",
            "h" => "HOURS",
            "FTE / 1000" => "PER_1000_FTE",
            "1 / 1000" => "PER_1000_POP",
            "0–100" => "INDEX",
            _ => "RATIO",
        };

        // ------------------------------------------------------------------ Table 6: composite index

        private StudyIndex? RunIndex() => _run.Index;

        public ReportTable? CompositeIndex()
        {
            if (RunIndex() is not { } outcome) return null;
            var result = outcome.Index.Result;
            var pillars = result.Framework.Pillars;
            var columns = new List<ReportColumn>
            {
                ReportColumn.Dimension("country", _l.Text("dim.country")),
                Col("score", "col.score", NumberStyle.OneDecimal, "SCORE", new SdmxMeasure("VOL_IDX", "INDEX", Nature: "M")),
                Prec("score_se", Heading("col.score", "col.se"), NumberStyle.OneDecimal, "SCORE"),
                Col("rank", "col.rank", NumberStyle.Integer, "RANK", new SdmxMeasure("VOL_IDX_RANK", "RANK", Nature: "M")),
                Prec("rank_low", _l.Text("col.rank_low"), NumberStyle.OneDecimal, "RANK"),
                Prec("rank_high", _l.Text("col.rank_high"), NumberStyle.OneDecimal, "RANK"),
            };
            for (var p = 0; p < pillars.Length; p++)
                columns.Add(ReportColumn.Measure("pillar_" + pillars[p].Name, _l.Text("dim.pillar") + ": " + PillarLabel(pillars[p].Name), NumberStyle.OneDecimal, "SCORE"));
            columns.Add(Col("value_ppp", "col.value_ppp", NumberStyle.Integer, "PPP"));
            var units = result.Units;
            var rows = new List<ReportRow>();
            foreach (var unit in Enumerable.Range(0, units.Length).OrderBy(u => result.IndexRank(u) ?? int.MaxValue).ThenBy(u => units[u], StringComparer.Ordinal))
            {
                var ranks = outcome.Ranks?.Units.FirstOrDefault(x => x.Unit == units[unit]);
                var cells = new List<Cell>
                {
                    Cell.Label(CountryName(units[unit])),
                    Cell.NumberOrNotAvailable(result.IndexScore(unit)),
                    Cell.NumberOrNotAvailable(outcome.Index.StandardErrors[unit]),
                    Cell.NumberOrNotAvailable(result.IndexRank(unit)),
                    Cell.NumberOrNotAvailable(ranks?.Rank05),
                    Cell.NumberOrNotAvailable(ranks?.Rank95),
                };
                for (var p = 0; p < pillars.Length; p++) cells.Add(Cell.NumberOrNotAvailable(result.PillarScore(unit, p)));
                var summary = _valuation.Summaries.FirstOrDefault(x => x.SourceKind == InputKind.Survey && x.Country == units[unit]);
                cells.Add(Cell.NumberOrNotAvailable(summary?[_valuation.Parameters.HeadlineMethod].ValuePpp));
                // Scores follow from the unit's indicators, and the PPP value is T3's: withheld with any of their ingredients.
                var ingredients = VolunteerIndicatorEstimates.Codes.Select(code => AnnexLinks.IndicatorIngredients(units[unit], code)).ToList();
                var headlineValue = AnnexLinks.Key("value", units[unit], All, AnnexDisclosure.TotalCategory);
                Links.Derived("T6", rows.Count, [1, 2, .. Enumerable.Range(6, pillars.Length)], s => ingredients.Any(i => i(s)));
                Links.Derived("T6", rows.Count, [cells.Count - 1], s => _valuation.Parameters.HeadlineMethod == ValuationMethod.Specialist && s.Contains(headlineValue));
                rows.Add(new ReportRow(cells, 0, RowRole.Data, Area(units[unit])));
            }

            var notes = new List<ReportNote>();
            if (outcome.Ranks is { } analysis) notes.Add(new(notes.Count + 1, _l.Format("t6.interval", analysis.Runs.ToString(CultureInfo.InvariantCulture))));
            notes.Add(new(notes.Count + 1, _design.HasReplicates ? _l.Text("t6.se") : _l.Text("t6.no_se")));
            return new ReportTable("T6", _l.Format("t6.title", _area, _period), _l.Text("t6.units"), _period, columns, rows, notes, _source, totalsMayNotSum: false);
        }

        private string PillarLabel(string name) => _l.Has("pillar." + name) ? _l.Text("pillar." + name) : name;

        // ------------------------------------------------------------------ charts

        public IReadOnlyList<ChartSpec> Charts()
        {
            var charts = new List<ChartSpec>();
            var main = Regional && _scopes.Contains(VolunteerEstimates.RegionalScope) ? VolunteerEstimates.RegionalScope : _scopes.FirstOrDefault();
            if (main is null) return charts;

            // A chart point is the number of a table cell: a cell withheld as [c] (primary or complement) is not plotted.
            var goals = _set.ByDomain(main, VolunteerMeasures.AnnualHours, "sdg")
                .Where(g => g.DomainValue != "unknown" && !Withheld(g.Estimate, AnnexLinks.Key("hours", main, "sdg", g.DomainValue))).ToArray();
            if (goals.Length > 0)
                charts.Add(new ChartSpec("C1", _l.Format("c1.title", _area, _period), ChartKind.HorizontalBar, _l.Text("c1.axis"),
                    [new ChartSeries(_l.Text("col.hours"), goals.Select(g => new ChartPoint(CategoryLabel("sdg", g.DomainValue), g.Estimate.Value / 1000)).ToArray())], _source));

            // C2: value by method with its 95 % interval: PPP$ millions for a region, % of GDP for one country.
            var gdp = Regional ? null : _valuation.Parameters.Countries[main].Gdp;
            var c2 = new List<ChartPoint>();
            foreach (var method in ValuationMethods.All)
            {
                var e = Find(main, PersonVariables.Value(method, Regional ? MoneyUnit.PppDollar : MoneyUnit.LocalCurrency))?.Estimate;
                if (e is null || Withheld(e, method == ValuationMethod.Specialist ? AnnexLinks.Key("value", main, All, All) : null)) continue;
                var scale = Regional ? 1e-6 : gdp is { } g ? 100 / g : double.NaN;
                if (!double.IsFinite(scale)) continue;
                c2.Add(new ChartPoint(_l.Text("method." + method.Code()), e.Value * scale, e.ConfidenceLow * scale, e.ConfidenceHigh * scale));
            }

            if (c2.Count > 0)
                charts.Add(new ChartSpec("C2", _l.Format("c2.title", _area, _period), ChartKind.BarWithRange,
                    Regional ? _l.Text("c2.axis_ppp") : _l.Text("c2.axis"), [new ChartSeries(_l.Text("col.value"), c2)], _source));

            // C3: volunteer rate by sex, per country for a region, by age group for one country.
            var series = new List<ChartSeries>();
            foreach (var (sex, key) in new[] { ("female", "sex.F"), ("male", "sex.M") })
            {
                var points = new List<ChartPoint>();
                foreach (var scope in Regional ? _scopes.Where(s => s != VolunteerEstimates.RegionalScope) : [main])
                    if (Find(scope, VolunteerMeasures.VolunteerRate, PersonVariables.Sex, sex)?.Estimate is { } e && !Withheld(e, AnnexLinks.Key("volunteers", scope, PersonVariables.Sex, sex)))
                        points.Add(new ChartPoint(CountryName(scope), 100 * e.Value, 100 * e.ConfidenceLow, 100 * e.ConfidenceHigh));
                series.Add(new ChartSeries(_l.Text(key), points));
            }

            if (!Regional)
            {
                var ages = _set.ByDomain(main, VolunteerMeasures.VolunteerRate, PersonVariables.AgeGroup)
                    .Where(a => !Withheld(a.Estimate, AnnexLinks.Key("volunteers", main, PersonVariables.AgeGroup, a.DomainValue)))
                    .Select(a => new ChartPoint(AgeLabel(a.DomainValue), 100 * a.Estimate.Value, 100 * a.Estimate.ConfidenceLow, 100 * a.Estimate.ConfidenceHigh)).ToArray();
                series = [new ChartSeries(_l.Text("dim.sex"), series.SelectMany(s => s.Points.Select(p => p with { Category = s.Name })).Concat(ages).ToArray())];
            }

            if (series.Any(s => s.Points.Count > 0))
                charts.Add(new ChartSpec("C3", _l.Format(Regional ? "c3.title" : "c3.title_country", _area, _period), ChartKind.GroupedBar, _l.Text("c3.axis"), series, _source));

            if (RunIndex() is { Ranks: { } rankAnalysis })
            {
                var points = rankAnalysis.Units.Where(u => u.NominalRank is not null).OrderBy(u => u.NominalRank)
                    .Select(u => new ChartPoint(CountryName(u.Unit), u.NominalRank!.Value, u.Rank05, u.Rank95)).ToArray();
                charts.Add(new ChartSpec("C4", _l.Format("c4.title", _area, _period), ChartKind.PointWithInterval, _l.Text("col.rank"), [new ChartSeries(_l.Text("col.rank"), points)], _source));
            }

            return charts;
        }

        /// <summary>Whether a chart must leave out an estimate: its own flag suppresses it, or disclosure control withholds its quantity in the tables.</summary>
        private bool Withheld(SurveyEstimate estimate, string? key) =>
            FlagOf(estimate) == CellFlag.Suppressed || (key is not null && Links.Suppressed.Contains(key));

        // ------------------------------------------------------------------ cover and metadata

        public AnnexCover Cover()
        {
            var date = _options.ReleaseDate ?? new DateOnly(_study.Year, 12, 31);
            return new AnnexCover(_l.Text("annex.title"), _study.Title.Length > 0 ? _study.Title : _area, "ContributionIndex " + _options.SoftwareVersion,
                _period, new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), _l.Code, _study.Id);
        }

        public IReadOnlyList<MetadataEntry> Metadata()
        {
            var list = new List<MetadataEntry>();
            static string I(double v) => v.ToString("R", CultureInfo.InvariantCulture);
            void Add(string sectionKey, string key, string? value) => list.Add(new MetadataEntry(_l.Text(sectionKey), key, value ?? "—"));
            const string study = "metadata.section.study";
            Add(study, "id", _study.Id);
            Add(study, "title", _study.Title);
            Add(study, "file", Path.GetFileName(_study.SourcePath));
            Add(study, "sha256", Manifest.Sha256(_study.SourcePath));
            Add(study, "year", _study.Year.ToString(CultureInfo.InvariantCulture));
            Add(study, "base_year", _valuation.Parameters.BaseYear.ToString(CultureInfo.InvariantCulture));
            Add(study, "reference_period.length_days", _study.ReferencePeriod.LengthDays.ToString(CultureInfo.InvariantCulture));
            Add(study, "reference_period.annualisation_factor", I(_study.ReferencePeriod.AnnualisationFactor));
            Add(study, "checks.minimum_hours", I(_study.Checks.MinimumHours));
            Add(study, "checks.paid_stipend_share", I(_study.Checks.PaidStipendShare));
            Add(study, "checks.include_help_to_relatives", _study.Checks.IncludeHelpToRelatives ? "true" : "false");
            Add(study, "checks.minimum_age", _study.Checks.MinimumAge.ToString(CultureInfo.InvariantCulture));
            Add(study, "checks.rejection_tolerance", I(_study.Checks.RejectionTolerance));
            const string inputs = "metadata.section.inputs";
            foreach (var input in _study.Inputs)
            {
                Add(inputs, input.Name + ": kind, file", input.Kind + ", " + input.Path);
                Add(inputs, input.Name + ": sha256", Manifest.Sha256(input.FullPath));
                if (_valuation.Inputs.FirstOrDefault(c => c.Input == input.Name) is { } counts)
                    Add(inputs, input.Name + ": rows read / rejected / valued", string.Create(CultureInfo.InvariantCulture, $"{counts.Read} / {counts.Rejected} / {counts.Valued}"));
            }

            const string valuation = "metadata.section.valuation";
            Add(valuation, "headline_method", _valuation.Parameters.HeadlineMethod.Code());
            Add(valuation, "on_cost_uplift", I(_study.Valuation.OnCostUplift));
            Add(valuation, "opportunity_cost_policy", StudyChoices.Word(_study.Valuation.OpportunityCostPolicy));
            Add(valuation, "opportunity_cost_share", I(_study.Valuation.OpportunityCostShare));
            Add(valuation, "hybrid_generalist_major_groups", string.Join(",", _study.Valuation.HybridGeneralistMajorGroups));
            const string countries = "metadata.section.countries";
            foreach (var c in _study.Countries)
            {
                void Sourced(string name, SourcedValue? v) =>
                    Add(countries, c.Code + ": " + name, v is null ? null : I(v.Value) + (v.Year is { } y ? " (" + y.ToString(CultureInfo.InvariantCulture) + ")" : "") + (v.Source is { } s ? "; " + s : ""));
                Add(countries, c.Code + ": currency", c.Currency);
                Add(countries, c.Code + ": wages", c.Wages is null ? null : c.Wages + "; sha256 " + (c.WagesFullPath is null ? "—" : Manifest.Sha256(c.WagesFullPath)));
                Sourced("generalist_wage", c.GeneralistWage);
                Sourced("average_hourly_wage", c.AverageHourlyWage);
                Sourced("minimum_hourly_wage", c.MinimumHourlyWage);
                Sourced("full_time_annual_hours", c.FullTimeAnnualHours);
                Sourced("lcu_per_usd", c.LcuPerUsd);
                Sourced("lcu_per_ppp_dollar", c.LcuPerPppDollar);
                Sourced("gdp", c.Gdp);
                Sourced("population_15_plus", c.Population15Plus);
                foreach (var cpi in c.Cpi)
                    Add(countries, c.Code + ": cpi " + cpi.Year.ToString(CultureInfo.InvariantCulture), I(cpi.Index) + (cpi.Source is { } s ? "; " + s : ""));
            }

            const string estimation = "metadata.section.estimation";
            var settings = _set.Settings;
            var quality = settings.Options.Quality ?? QualityRules.StatisticsCanada;
            Add(estimation, "variance", DesignName + (_design.Replicates > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({_design.Replicates} replicates)") : ""));
            Add(estimation, "domains", string.Join(", ", settings.Domains));
            Add(estimation, "lonely_psu", settings.LonelyPsu.ToString());
            Add(estimation, "confidence_level", I(settings.Options.ConfidenceLevel));
            Add(estimation, "quality_rules", string.Create(CultureInfo.InvariantCulture, $"CV publish ≤ {quality.PublishLimit:R}, caution ≤ {quality.CautionLimit:R}, minimum n {quality.MinimumUnweightedCount}"));
            Add(estimation, "sdg_allocation", settings.SdgAllocation.ToString());
            foreach (var note in _set.Notes) Add(estimation, "note", note);
            foreach (var scope in _scopes)
                if (_set.DesignOf(scope) is { } design)
                    Add(estimation, scope + ": respondents / df", string.Create(CultureInfo.InvariantCulture, $"{design.RowCount} / {design.DegreesOfFreedom:R}"));
            if (_study.Index is { } spec && RunIndex() is { } index)
            {
                const string section = "metadata.section.index";
                Add(section, "framework", spec.Framework);
                Add(section, "normalisation / aggregation / weighting", spec.Normalisation + " / " + spec.Aggregation + " / " + spec.Weighting);
                Add(section, "rank uncertainty", string.Create(CultureInfo.InvariantCulture, $"{index.Settings.Runs} Monte Carlo runs, seed {index.Settings.Seed}, weights ±{100 * index.Settings.WeightNoise:0.##} %, normalisation {string.Join(" or ", index.Settings.Normalisations.Select(StudyChoices.Word))}{(index.Settings.Aggregations.Length > 0 ? ", aggregation " + string.Join(" or ", index.Settings.Aggregations.Select(StudyChoices.Word)) : "")}{(index.Settings.Sobol ? ", Sobol indices" : "")}"));
            }

            const string software = "metadata.section.software";
            Add(software, "ContributionIndex", _options.SoftwareVersion);
            // The framework the library was built for, not the runtime it runs on: the annex's bytes must not depend on the machine.
            Add(software, ".NET", typeof(AnnexBuilder).Assembly.GetCustomAttributes(typeof(System.Runtime.Versioning.TargetFrameworkAttribute), false)
                .OfType<System.Runtime.Versioning.TargetFrameworkAttribute>().FirstOrDefault()?.FrameworkName ?? "—");
            Add(software, "language", _l.Code);
            return list;
        }
    }
}
