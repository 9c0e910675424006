using System.Collections.Immutable;
using System.Globalization;
using ContributionIndex.Estimation;
using ContributionIndex.Indicators;
using ContributionIndex.Indicators.Composite;
using ContributionIndex.Indicators.Sensitivity;
using ContributionIndex.Indicators.Taxonomy;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Reporting;

/// <summary>Choices of the annex that are not in the study file.</summary>
public sealed record AnnexOptions
{
    /// <summary>How hours, values and volunteers tagged with several SDGs are allocated to goals (default: primary goal only).</summary>
    public AllocationRule SdgRule { get; init; } = AllocationRule.PrimaryOnly;

    /// <summary>The release date on the cover and in file metadata; default 31 December of the reference year (never the clock).</summary>
    public DateOnly? ReleaseDate { get; init; }

    /// <summary>Release rules for survey estimates (default Statistics Canada: CV ≤ 16.5 % publish, ≤ 33.3 % [u], else [c]; n ≥ 10).</summary>
    public QualityRules Quality { get; init; } = QualityRules.StatisticsCanada;

    /// <summary>Lonely-PSU policy of the survey designs (default <see cref="LonelyPsuPolicy.Adjust"/>, R "adjust").</summary>
    public LonelyPsuPolicy LonelyPsu { get; init; } = LonelyPsuPolicy.Adjust;

    /// <summary>Monte-Carlo runs of the index uncertainty analysis.</summary>
    public int UncertaintyRuns { get; init; } = 500;

    /// <summary>Seed of the uncertainty analysis.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Software version written on the cover and in the metadata.</summary>
    public string SoftwareVersion { get; init; } = Manifest.PackageVersion;
}

/// <summary>
/// Turns a study's library results — the valuation run, design-based survey estimates from the estimation engine,
/// the indicator functions and the composite-index engine — into the six annex tables, four charts and the metadata
/// (methodology/reporting.md). It formats nothing and computes no methodology of its own.
/// </summary>
public static class AnnexBuilder
{
    private static readonly string[] Dims = ["REF_AREA"];

    /// <summary>M49 numeric codes of the four countries (SDMX <c>REF_AREA</c>); other countries keep their alpha-2 code.</summary>
    public static string M49(string country) => country switch
    {
        "KZ" => "398",
        "KG" => "417",
        "TJ" => "762",
        "UZ" => "860",
        ValuationSummary.RegionCode => "XCA4",
        _ => country,
    };

    /// <summary>Builds the annex.</summary>
    /// <param name="study">The loaded study.</param>
    /// <param name="valuation">The result of <see cref="ValuationRun.Run"/> for the study.</param>
    /// <param name="data">The valued rows (<see cref="StudyMicrodata.Load"/>).</param>
    /// <param name="language">Labels with SDG goal names attached.</param>
    /// <param name="directions">The Forum directions with their SDG tags (methodology/taxonomies/cavf-directions.csv).</param>
    /// <param name="options">Annex choices.</param>
    public static Annex Build(Study study, ValuationResult valuation, StudyMicrodata data, ReportLanguage language, IReadOnlyList<DirectionGoal> directions, AnnexOptions options)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(valuation);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(language);
        ArgumentNullException.ThrowIfNull(options);
        var context = new Context(study, valuation, data, language, directions, options);
        var tables = new List<ReportTable>
        {
            context.Participation(),
            context.Hours(),
            context.EconomicValue(),
            context.Sdg(),
            context.Indicators(),
        };
        var index = context.CompositeIndex();
        if (index is not null) tables.Add(index);
        return new Annex(context.Cover(), tables, context.Charts(), context.Metadata(), language);
    }

    private sealed class Context
    {
        private readonly Study _study;
        private readonly ValuationResult _valuation;
        private readonly ReportLanguage _l;
        private readonly IReadOnlyList<DirectionGoal> _directions;
        private readonly AnnexOptions _options;
        private readonly IReadOnlyList<CountrySurvey> _surveys;
        private readonly string _period;
        private readonly string _area;
        private readonly string _source;
        private IndexOutcome? _index;

        public Context(Study study, ValuationResult valuation, StudyMicrodata data, ReportLanguage language, IReadOnlyList<DirectionGoal> directions, AnnexOptions options)
        {
            _study = study;
            _valuation = valuation;
            _l = language;
            _directions = directions;
            _options = options;
            _period = study.Year.ToString(CultureInfo.InvariantCulture);
            var countries = valuation.Parameters.CountryOrder;
            _area = countries.Count == 1 ? CountryName(countries[0]) : _l.Format("country.region", countries.Count.ToString(CultureInfo.InvariantCulture));
            _source = _l.Format("source.default", SurveySourceText(), options.SoftwareVersion);
            var estimation = new EstimationOptions(Quality: options.Quality);
            var onlyCountry = countries.Count == 1 ? countries[0] : null;
            var surveyRows = study.Inputs.Where(i => i.Kind == "survey")
                .SelectMany(i => data.ByInput.TryGetValue(i.Name, out var rows) ? rows.Select(r => (i.Name, Row: r)) : [])
                .ToArray();
            _surveys = countries
                .Select(c => (Country: c, Rows: surveyRows.Where(r => (r.Row.Record.Country ?? onlyCountry) == c).ToArray()))
                .Where(x => x.Rows.Length > 0)
                .Select(x => CountrySurvey.Create(x.Country, x.Rows, estimation, options.LonelyPsu))
                .ToArray();
        }

        private bool Regional => _valuation.Parameters.CountryOrder.Count > 1;

        private string SurveySourceText() =>
            string.Join("; ", _study.Inputs.Select(i => i.Name + " (" + Path.GetFileName(i.Path) + ")"));

        private string CountryName(string code) =>
            code == ValuationSummary.RegionCode
                ? _l.Format("country.region", _valuation.Parameters.CountryOrder.Count.ToString(CultureInfo.InvariantCulture))
                : _l.Has("country." + code) ? _l.Text("country." + code) : code;

        private static Dictionary<string, string> Area(string country, params (string Key, string Value)[] more)
        {
            var d = new Dictionary<string, string>(StringComparer.Ordinal) { ["REF_AREA"] = M49(country) };
            foreach (var (k, v) in more) d[k] = v;
            return d;
        }

        private static CellFlag FlagOf(SurveyEstimate e) => e.Flag switch
        {
            QualityFlag.Publish => CellFlag.None,
            QualityFlag.Caution => CellFlag.LowReliability,
            _ => CellFlag.Suppressed,
        };

        /// <summary>Value, SE, CV (%) cells of an estimate times a scale; suppressed estimates withhold every cell.</summary>
        private static Cell[] WithPrecision(SurveyEstimate? e, double scale, bool ci = false)
        {
            var width = ci ? 5 : 3;
            if (e is null) return Enumerable.Repeat(Cell.Withheld(CellFlag.NotAvailable), width).ToArray();
            var flag = FlagOf(e);
            if (flag == CellFlag.Suppressed || !double.IsFinite(e.Value)) return Enumerable.Repeat(Cell.Withheld(flag == CellFlag.Suppressed ? CellFlag.Suppressed : CellFlag.NotAvailable), width).ToArray();
            var cells = new List<Cell> { Cell.Number(e.Value * scale, flag), Cell.NumberOrNotAvailable(e.StandardError * Math.Abs(scale)) };
            if (ci)
            {
                cells.Add(Cell.NumberOrNotAvailable(e.ConfidenceLow * scale));
                cells.Add(Cell.NumberOrNotAvailable(e.ConfidenceHigh * scale));
            }

            cells.Add(Cell.NumberOrNotAvailable(e.Value == 0 ? null : 100 * e.CoefficientOfVariation));
            return [.. cells];
        }

        private static SurveyEstimate? Pick(IReadOnlyList<SurveyEstimate> estimates, string label) =>
            estimates.FirstOrDefault(e => e.Domain.Count > 0 && e.Domain[0] == label);

        private ReportColumn Col(string id, string key, NumberStyle style, string unit, SdmxMeasure? sdmx = null) =>
            ReportColumn.Measure(id, _l.Text(key), style, unit, sdmx);

        private ReportColumn Prec(string id, string heading, NumberStyle style, string unit) =>
            ReportColumn.Precision(id, heading, style, unit);

        private string Heading(string measureKey, string precisionKey) => _l.Text(measureKey) + ": " + _l.Text(precisionKey);

        private IEnumerable<string> CountryCodes => _surveys.Select(s => s.Country);

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
                Col("rate", "col.rate", NumberStyle.PercentOneDecimal, "PT", new SdmxMeasure("VOL_RATE", "PT")),
                Prec("rate_se", Heading("col.rate", "col.se"), NumberStyle.PercentOneDecimal, "PT"),
                Prec("rate_ci_low", _l.Text("col.ci_low"), NumberStyle.PercentOneDecimal, "PT"),
                Prec("rate_ci_high", _l.Text("col.ci_high"), NumberStyle.PercentOneDecimal, "PT"),
                Prec("rate_cv", Heading("col.rate", "col.cv"), NumberStyle.OneDecimal, "PT"),
                Prec("n", _l.Text("col.n"), NumberStyle.Integer, "NUMBER"),
            };
            var rows = new List<ReportRow>();
            foreach (var s in _surveys)
            {
                var volunteer = s.Variable(p => p.IsVolunteer ? 1 : 0);
                var country = CountryName(s.Country);
                void Add(string breakdown, string category, int indent, RowRole role, IReadOnlyList<SurveyEstimate> totals, IReadOnlyList<SurveyEstimate> rates, string? label, Dictionary<string, string> dims)
                {
                    var total = label is null ? totals[0] : Pick(totals, label);
                    var rate = label is null ? rates[0] : Pick(rates, label);
                    if (total is null || rate is null) return;
                    var cells = new List<Cell> { Cell.Label(country), Cell.Label(breakdown), Cell.Label(category) };
                    cells.AddRange(WithPrecision(total, 1));
                    cells.AddRange(WithPrecision(rate, 1, ci: true));
                    cells.Add(Cell.Number(rate.UnweightedCount));
                    rows.Add(new ReportRow(cells, indent, role, dims));
                }

                Add(_l.Text("dim.total"), _l.Text("dim.all_persons"), 0, RowRole.Total, s.Total("volunteers", volunteer), s.Mean("volunteers", volunteer), null, Area(s.Country, ("AGE", "Y_GE15")));
                void Breakdown(string key, Func<CountrySurvey.Person, string?> by, IEnumerable<(string Code, string Label, string Dim, string DimValue)> categories)
                {
                    var domains = s.By(key, by);
                    var totals = s.Total("volunteers", volunteer, domains);
                    var rates = s.Mean("volunteers", volunteer, domains);
                    rows.Add(new ReportRow([Cell.Label(country), Cell.Label(_l.Text(key)), .. Enumerable.Repeat(Cell.Empty, columns.Count - 2).Select((c, i) => i == 0 ? Cell.Label("") : c)], 0, RowRole.GroupHeading));
                    foreach (var (code, label, dim, value) in categories)
                        Add(_l.Text(key), label, 1, RowRole.Data, totals, rates, code, Area(s.Country, ("AGE", "Y_GE15"), (dim, value)));
                }

                Breakdown("dim.sex", p => p.First.Sex switch { Sex.Female => "F", Sex.Male => "M", _ => null },
                    [("F", _l.Text("sex.F"), "SEX", "F"), ("M", _l.Text("sex.M"), "SEX", "M")]);
                string[] ages = ["15-24", "25-34", "35-44", "45-54", "55-64", "65+"];
                Breakdown("dim.age", CountrySurvey.AgeGroup, ages.Select(a => (a, AgeLabel(a), "AGE", AgeCode(a))));
                Breakdown("dim.urbanisation", p => p.First.Urbanisation switch { Urbanisation.Urban => "U", Urbanisation.Rural => "R", _ => null },
                    [("U", _l.Text("urb.U"), "URBANISATION", "U"), ("R", _l.Text("urb.R"), "URBANISATION", "R")]);
                var regions = s.Persons.Select(p => p.First.Region).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
                if (regions.Length > 0)
                    Breakdown("dim.region", p => p.First.Region, regions.Select(r => (r, r, "CUST_BREAKDOWN", "REG_" + SdmxCode(r))));

                // Forms overlap (a person may volunteer both ways): each is its own indicator over all respondents.
                rows.Add(new ReportRow([Cell.Label(country), Cell.Label(_l.Text("dim.form")), .. Enumerable.Repeat(Cell.Empty, columns.Count - 2).Select((c, i) => i == 0 ? Cell.Label("") : c)], 0, RowRole.GroupHeading));
                foreach (var (form, key, code) in new[] { (VolunteeringForm.OrganisationBased, "form.organisation", "VOL_ORG"), (VolunteeringForm.Direct, "form.direct", "VOL_DIR") })
                {
                    var y = s.Variable(p => p.VolunteerRows.Any(r => r.Record.Form == form) ? 1 : 0);
                    Add(_l.Text("dim.form"), _l.Text(key), 1, RowRole.Data, s.Total("volunteers", y), s.Mean("volunteers", y), null, Area(s.Country, ("AGE", "Y_GE15"), ("CUST_BREAKDOWN", code)));
                }
            }

            var notes = new List<ReportNote>
            {
                new(1, _l.Format("note.survey_design", "Taylor linearisation")),
                new(2, _l.Format("note.quality_rule", _options.Quality.MinimumUnweightedCount.ToString(CultureInfo.InvariantCulture))),
                new(3, _l.Text("note.hour_log")),
            };
            return new ReportTable("T1", _l.Format("t1.title", _area, _period), _l.Text("t1.units"), _period, columns, rows, notes, _source, totalsMayNotSum: true);
        }

        private string AgeLabel(string group) => group == "65+" ? _l.Format("age.open", "65") : _l.Format("age.range", group[..2], group[3..]);

        private static string AgeCode(string group) => group == "65+" ? "Y_GE65" : "Y" + group[..2] + "T" + group[3..];

        private static string SdmxCode(string text) =>
            new string(text.ToUpperInvariant().Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '_').ToArray());

        // ------------------------------------------------------------------ Table 2: hours

        public ReportTable Hours()
        {
            var columns = new List<ReportColumn>
            {
                ReportColumn.Dimension("country", _l.Text("dim.country")),
                ReportColumn.Dimension("breakdown", _l.Text("dim.breakdown")),
                ReportColumn.Dimension("category", _l.Text("dim.category")),
                Col("hours", "col.hours", NumberStyle.Integer, "HOURS", new SdmxMeasure("VOL_HRS", "HOURS")),
                Prec("hours_se", Heading("col.hours", "col.se"), NumberStyle.Integer, "HOURS"),
                Prec("hours_cv", Heading("col.hours", "col.cv"), NumberStyle.OneDecimal, "PT"),
                Col("hours_per_volunteer", "col.hours_per_volunteer", NumberStyle.OneDecimal, "HOURS", new SdmxMeasure("VOL_HRS_PV", "HOURS")),
                Prec("hours_per_volunteer_se", Heading("col.hours_per_volunteer", "col.se"), NumberStyle.OneDecimal, "HOURS"),
                Prec("hours_per_volunteer_cv", Heading("col.hours_per_volunteer", "col.cv"), NumberStyle.OneDecimal, "PT"),
                Col("fte", "col.fte", NumberStyle.Integer, "FTE", new SdmxMeasure("VOL_FTE", "FTE")),
            };
            var rows = new List<ReportRow>();
            foreach (var s in _surveys)
            {
                var country = CountryName(s.Country);
                var fullTime = _valuation.Parameters.Countries[s.Country].FullTimeAnnualHours;
                void Add(string breakdown, string category, int indent, RowRole role, Func<ValuedRow, bool> inCategory, Dictionary<string, string> dims)
                {
                    var hours = s.Variable(p => p.VolunteerRows.Where(inCategory).Sum(r => r.AnnualHours));
                    var volunteers = s.Variable(p => p.VolunteerRows.Any(inCategory) ? 1 : 0);
                    if (volunteers.All(v => v == 0)) return;
                    var total = s.Total("hours", hours)[0];
                    var perVolunteer = s.Ratio("hours", hours, "volunteers", volunteers)[0];
                    var cells = new List<Cell> { Cell.Label(country), Cell.Label(breakdown), Cell.Label(category) };
                    cells.AddRange(WithPrecision(total, 1));
                    cells.AddRange(WithPrecision(perVolunteer, 1));
                    var fte = FlagOf(total) == CellFlag.Suppressed ? Cell.Withheld(CellFlag.Suppressed) : Cell.Number(VolunteerIndicators.FullTimeEquivalents(total.Value, fullTime), FlagOf(total));
                    cells.Add(fte);
                    rows.Add(new ReportRow(cells, indent, role, dims));
                }

                void Heading(string key) =>
                    rows.Add(new ReportRow([Cell.Label(country), Cell.Label(_l.Text(key)), Cell.Label(""), .. Enumerable.Repeat(Cell.Empty, columns.Count - 3)], 0, RowRole.GroupHeading));

                Add(_l.Text("dim.total"), _l.Text("dim.total"), 0, RowRole.Total, _ => true, Area(s.Country));
                Heading("dim.form");
                Add(_l.Text("dim.form"), _l.Text("form.organisation"), 1, RowRole.Data, r => r.Record.Form == VolunteeringForm.OrganisationBased, Area(s.Country, ("CUST_BREAKDOWN", "VOL_ORG")));
                Add(_l.Text("dim.form"), _l.Text("form.direct"), 1, RowRole.Data, r => r.Record.Form == VolunteeringForm.Direct, Area(s.Country, ("CUST_BREAKDOWN", "VOL_DIR")));
                Heading("dim.isco");
                foreach (var major in "0123456789")
                    Add(_l.Text("dim.isco"), major + " " + _l.Text("isco." + major), 1, RowRole.Data, r => IscoMajor(r) == major, Area(s.Country, ("OCCUPATION", "ISCO08_" + major)));
                Add(_l.Text("dim.isco"), _l.Text("dim.unknown"), 1, RowRole.Data, r => IscoMajor(r) is null, Area(s.Country, ("OCCUPATION", "_U")));
                Heading("dim.direction");
                foreach (var direction in _directions.Select(d => d.Direction).Distinct(StringComparer.Ordinal))
                    Add(_l.Text("dim.direction"), DirectionLabel(direction), 1, RowRole.Data, r => r.Record.Direction == direction, Area(s.Country, ("CUST_BREAKDOWN", "DIR_" + SdmxCode(direction))));
                Add(_l.Text("dim.direction"), _l.Text("dim.unknown"), 1, RowRole.Data, r => r.Record.Direction is null || !_directions.Any(d => d.Direction == r.Record.Direction), Area(s.Country, ("CUST_BREAKDOWN", "DIR_U")));
            }

            // Platform logs: registered hours, no sampling error.
            foreach (var summary in _valuation.Summaries.Where(x => x.SourceKind == InputKind.HourLog && x.Country != ValuationSummary.RegionCode))
            {
                rows.Add(new ReportRow(
                [
                    Cell.Label(CountryName(summary.Country)), Cell.Label(_l.Text("source.hour-log")), Cell.Label(_l.Text("form.organisation"), 3),
                    Cell.Number(summary.HoursAnnual), Cell.Withheld(CellFlag.NotApplicable), Cell.Withheld(CellFlag.NotApplicable),
                    Cell.NumberOrNotAvailable(summary.Volunteers > 0 ? summary.HoursAnnual / summary.Volunteers : null), Cell.Withheld(CellFlag.NotApplicable), Cell.Withheld(CellFlag.NotApplicable),
                    Cell.Number(summary.Fte),
                ], 0, RowRole.Data, Area(summary.Country, ("CUST_BREAKDOWN", "LOG"))));
            }

            var annualisation = _study.ReferencePeriod;
            var notes = new List<ReportNote>
            {
                new(1, _l.Format("note.annualisation", annualisation.LengthDays.ToString(CultureInfo.InvariantCulture), annualisation.AnnualisationFactor.ToString("R", CultureInfo.InvariantCulture))),
                new(2, _l.Format("note.fte", string.Join(", ", _valuation.Parameters.CountryOrder.Select(c => c + " " + _valuation.Parameters.Countries[c].FullTimeAnnualHours.ToString("R", CultureInfo.InvariantCulture))))),
                new(3, _l.Text("note.hour_log")),
            };
            return new ReportTable("T2", _l.Format("t2.title", _area, _period), _l.Text("t2.units"), _period, columns, rows, notes, _source, totalsMayNotSum: true);
        }

        private static char? IscoMajor(ValuedRow r) => r.Record.IscoCode is { Length: > 0 } code && char.IsAsciiDigit(code[0]) ? code[0] : null;

        private string DirectionLabel(string direction) => _l.Has("direction." + direction) ? _l.Text("direction." + direction) : direction;

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
                Col("pct_gdp", "col.pct_gdp", NumberStyle.TwoDecimals, "PT", new SdmxMeasure("VOL_VAL_GDP", "PT")),
            };
            var rows = new List<ReportRow>();
            var headline = _valuation.Parameters.HeadlineMethod;
            foreach (var summary in _valuation.Summaries)
            {
                var survey = summary.SourceKind == InputKind.Survey ? _surveys.FirstOrDefault(s => s.Country == summary.Country) : null;
                foreach (var value in summary.Values)
                {
                    var methodLabel = _l.Text("method." + value.Method.Code()) + (value.Method == headline ? " (" + _l.Text("method.headline") + ")" : "");
                    var cells = new List<Cell>
                    {
                        Cell.Label(CountryName(summary.Country)),
                        Cell.Label(_l.Text("source." + InputKinds.Code(summary.SourceKind))),
                        Cell.Label(methodLabel),
                        Cell.Label(summary.Currency.Length > 0 ? summary.Currency : "—"),
                    };
                    if (summary.Country == ValuationSummary.RegionCode)
                    {
                        cells.AddRange([Cell.Withheld(CellFlag.NotApplicable), Cell.Withheld(CellFlag.NotApplicable), Cell.Withheld(CellFlag.NotApplicable)]);
                    }
                    else if (survey is not null)
                    {
                        // The survey total of the per-person value equals the valuation run's value; the engine adds its SE.
                        var y = survey.Variable(p => p.VolunteerRows.Sum(r => r.Values is { } v ? v[value.Method] : 0));
                        var estimate = survey.Total("value", y)[0];
                        var flag = FlagOf(estimate);
                        cells.Add(value.ValueLcuCurrent is { } lcu ? (flag == CellFlag.Suppressed ? Cell.Withheld(flag) : Cell.Number(lcu, flag)) : Cell.Withheld(CellFlag.NotAvailable));
                        cells.AddRange(WithPrecision(estimate, 1).Skip(1));
                    }
                    else
                    {
                        cells.AddRange([Cell.NumberOrNotAvailable(value.ValueLcuCurrent), Cell.Withheld(CellFlag.NotApplicable), Cell.Withheld(CellFlag.NotApplicable)]);
                    }

                    cells.Add(Cell.NumberOrNotAvailable(value.ValueUsd));
                    cells.Add(Cell.NumberOrNotAvailable(value.ValuePpp));
                    cells.Add(summary.Country == ValuationSummary.RegionCode ? Cell.Withheld(CellFlag.NotApplicable) : Cell.NumberOrNotAvailable(value.ShareOfGdpPercent));
                    rows.Add(new ReportRow(cells, 0, value.Method == headline ? RowRole.Total : RowRole.Data,
                        Area(summary.Country, ("CUST_BREAKDOWN", MethodCode(value.Method)), ("NATURE", "C"))));
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

        private IReadOnlyList<SdgTag> TagsOf(VolunteerRecord record)
        {
            if (record.SdgGoals.Count > 0)
                return record.SdgGoals.Where(g => g is >= 1 and <= 17).Distinct().Select((g, i) => new SdgTag(g, 1, i == 0)).ToArray();
            return record.Direction is { } d ? TaxonomyFiles.TagsOf(_directions, d) : [];
        }

        private double Allocated(ValuedRow row, int goal, double amount)
        {
            var tags = TagsOf(row.Record);
            if (tags.Count == 0) return 0;
            return SdgAllocator.Allocate(amount, tags, _options.SdgRule).ByGoal.GetValueOrDefault(goal);
        }

        private double ValueForSdg(CountrySurvey s, ValuedRow r)
        {
            if (r.Values is not { } v) return 0;
            var method = _valuation.Parameters.HeadlineMethod;
            if (!Regional) return v[method];
            var ppp = _valuation.Parameters.Countries[s.Country].LcuPerPppDollar;
            return r.ValuesAtBasePrices is { } b && ppp is { } p ? b[method] / p : double.NaN;
        }

        public ReportTable Sdg()
        {
            var valueKey = Regional ? "col.value_ppp" : "col.value_lcu";
            var columns = new List<ReportColumn>
            {
                ReportColumn.Dimension("country", _l.Text("dim.country")),
                ReportColumn.Dimension("goal", _l.Text("dim.goal")),
                Col("hours", "col.hours", NumberStyle.Integer, "HOURS", new SdmxMeasure("VOL_HRS", "HOURS")),
                Prec("hours_se", Heading("col.hours", "col.se"), NumberStyle.Integer, "HOURS"),
                Prec("hours_cv", Heading("col.hours", "col.cv"), NumberStyle.OneDecimal, "PT"),
                Col("value", valueKey, NumberStyle.Integer, Regional ? "PPP" : "LCU", new SdmxMeasure(Regional ? "VOL_VAL_PPP" : "VOL_VAL_LCU", Regional ? "CU_PPP" : "CUR_LCU")),
                Prec("value_cv", Heading(valueKey, "col.cv"), NumberStyle.OneDecimal, "PT"),
                Col("volunteers", "col.volunteers", NumberStyle.Integer, "PERSONS", new SdmxMeasure("VOL_NUM", "NUMBER")),
                Prec("volunteers_cv", Heading("col.volunteers", "col.cv"), NumberStyle.OneDecimal, "PT"),
            };
            var rows = new List<ReportRow>();
            foreach (var s in _surveys)
            {
                var country = CountryName(s.Country);
                for (var goal = 1; goal <= 17; goal++)
                {
                    var g = goal;
                    var hours = s.Variable(p => p.VolunteerRows.Sum(r => Allocated(r, g, r.AnnualHours)));
                    if (hours.All(h => h == 0)) continue;
                    var value = s.Variable(p => p.VolunteerRows.Sum(r => Allocated(r, g, ValueForSdg(s, r))));
                    var volunteers = s.Variable(p => p.VolunteerRows.Any(r => Allocated(r, g, 1) > 0) ? 1 : 0);
                    var cells = new List<Cell> { Cell.Label(country), Cell.Label(_l.SdgGoal(goal)) };
                    cells.AddRange(WithPrecision(s.Total("hours", hours)[0], 1));
                    var v = WithPrecision(s.Total("value", value)[0], 1);
                    cells.Add(v[0]);
                    cells.Add(v[2]);
                    var n = WithPrecision(s.Total("volunteers", volunteers)[0], 1);
                    cells.Add(n[0]);
                    cells.Add(n[2]);
                    rows.Add(new ReportRow(cells, 0, RowRole.Data, Area(s.Country, ("CUST_BREAKDOWN", "SDG_" + goal.ToString("00", CultureInfo.InvariantCulture)))));
                }

                var unallocated = s.Variable(p => p.VolunteerRows.Where(r => TagsOf(r.Record).Count == 0).Sum(r => r.AnnualHours));
                if (unallocated.Any(h => h > 0))
                {
                    var cells = new List<Cell> { Cell.Label(country), Cell.Label(_l.Text("dim.unknown")) };
                    cells.AddRange(WithPrecision(s.Total("hours", unallocated)[0], 1));
                    cells.AddRange([Cell.Withheld(CellFlag.NotAvailable), Cell.Withheld(CellFlag.NotAvailable), Cell.Withheld(CellFlag.NotAvailable), Cell.Withheld(CellFlag.NotAvailable)]);
                    rows.Add(new ReportRow(cells, 0, RowRole.Data, Area(s.Country, ("CUST_BREAKDOWN", "SDG_U"))));
                }

                var total = s.Variable(p => p.VolunteerRows.Sum(r => r.AnnualHours));
                var totalCells = new List<Cell> { Cell.Label(country), Cell.Label(_l.Text("dim.total")) };
                totalCells.AddRange(WithPrecision(s.Total("hours", total)[0], 1));
                var totalValue = WithPrecision(s.Total("value", s.Variable(p => p.VolunteerRows.Sum(r => ValueForSdg(s, r))))[0], 1);
                totalCells.Add(totalValue[0]);
                totalCells.Add(totalValue[2]);
                var totalVolunteers = WithPrecision(s.Total("volunteers", s.Variable(p => p.IsVolunteer ? 1 : 0))[0], 1);
                totalCells.Add(totalVolunteers[0]);
                totalCells.Add(totalVolunteers[2]);
                rows.Add(new ReportRow(totalCells, 0, RowRole.Total, Area(s.Country)));
            }

            var rule = _options.SdgRule switch
            {
                AllocationRule.PrimaryOnly => "t4.allocation.primary",
                AllocationRule.EqualSplit => "t4.allocation.equal",
                AllocationRule.UserWeights => "t4.allocation.weights",
                _ => "t4.allocation.full",
            };
            var notes = new List<ReportNote>
            {
                new(1, _l.Format("t4.allocation", _l.Text(rule))),
                new(2, _l.Format("note.headline", _l.Text("method." + _valuation.Parameters.HeadlineMethod.Code()))),
            };
            return new ReportTable("T4", _l.Format("t4.title", _area, _period), _l.Text("t4.units"), _period, columns, rows, notes, _source,
                totalsMayNotSum: _options.SdgRule != AllocationRule.FullAttribution);
        }

        // ------------------------------------------------------------------ Table 5: indicators

        /// <summary>The indicator values per country (code → value, SE), used by tables 5 and 6.</summary>
        private readonly Dictionary<string, Dictionary<string, (double? Value, double? Se, CellFlag Flag)>> _indicatorValues = new(StringComparer.Ordinal);

        private static readonly (string Code, string Unit, NumberStyle Style)[] IndicatorList =
        [
            ("econ_value_gdp", "%", NumberStyle.TwoDecimals),
            ("econ_fte_per_1000", "FTE / 1,000", NumberStyle.TwoDecimals),
            ("soc_participation", "%", NumberStyle.OneDecimal),
            ("soc_hours_per_volunteer", "h", NumberStyle.OneDecimal),
            ("soc_formal_share", "%", NumberStyle.OneDecimal),
            ("soc_women_ratio", "ratio", NumberStyle.TwoDecimals),
            ("soc_youth_ratio", "ratio", NumberStyle.TwoDecimals),
            ("soc_disability_ratio", "ratio", NumberStyle.TwoDecimals),
            ("soc_rural_ratio", "ratio", NumberStyle.TwoDecimals),
            ("soc_beneficiaries_per_1000", "1/1,000", NumberStyle.OneDecimal),
            ("soc_regional_equity", "0–100", NumberStyle.OneDecimal),
            ("hc_training_hours", "h", NumberStyle.OneDecimal),
            ("hc_certified_share", "%", NumberStyle.OneDecimal),
            ("hc_retention", "%", NumberStyle.OneDecimal),
        ];

        private Dictionary<string, (double? Value, double? Se, CellFlag Flag)> IndicatorValues(CountrySurvey s)
        {
            if (_indicatorValues.TryGetValue(s.Country, out var cached)) return cached;
            var result = new Dictionary<string, (double?, double?, CellFlag)>(StringComparer.Ordinal);
            var country = _valuation.Parameters.Countries[s.Country];
            var spec = _study.Countries.FirstOrDefault(c => c.Code == s.Country);
            var population = spec?.Population15Plus?.Value;
            var volunteer = s.Variable(p => p.IsVolunteer ? 1 : 0);
            var hours = s.Variable(p => p.VolunteerRows.Sum(r => r.AnnualHours));
            var volunteersEstimate = s.Total("volunteers", volunteer)[0];
            var hoursEstimate = s.Total("hours", hours)[0];
            (double?, double?, CellFlag) From(SurveyEstimate e, double scale) =>
                (e.Value * scale, e.StandardError * Math.Abs(scale), FlagOf(e));

            var headline = _valuation.Parameters.HeadlineMethod;
            var value = s.Total("value", s.Variable(p => p.VolunteerRows.Sum(r => r.Values is { } v ? v[headline] : 0)))[0];
            result["econ_value_gdp"] = country.Gdp is { } gdp
                ? (VolunteerIndicators.ValueShareOfGdp(value.Value, gdp), 100 * value.StandardError / gdp, FlagOf(value))
                : (null, null, CellFlag.NotAvailable);
            result["econ_fte_per_1000"] = population is { } pop
                ? (1000 * VolunteerIndicators.FullTimeEquivalents(hoursEstimate.Value, country.FullTimeAnnualHours) / pop, 1000 * hoursEstimate.StandardError / country.FullTimeAnnualHours / pop, FlagOf(hoursEstimate))
                : (null, null, CellFlag.NotAvailable);
            var rate = s.Mean("volunteers", volunteer)[0];
            result["soc_participation"] = From(rate, 100);
            result["soc_hours_per_volunteer"] = From(s.Ratio("hours", hours, "volunteers", volunteer)[0], 1);
            var formal = s.Variable(p => p.VolunteerRows.Where(r => r.Record.Form == VolunteeringForm.OrganisationBased).Sum(r => r.AnnualHours));
            result["soc_formal_share"] = From(s.Ratio("hours_org", formal, "hours", hours)[0], 100);
            (double?, double?, CellFlag) Representation(Func<CountrySurvey.Person, bool> inGroup)
            {
                var member = s.Variable(p => inGroup(p) ? 1 : 0);
                var memberVolunteer = s.Variable(p => inGroup(p) && p.IsVolunteer ? 1 : 0);
                var shareVolunteers = s.Ratio("member_volunteers", memberVolunteer, "volunteers", volunteer)[0];
                var sharePopulation = s.Mean("member", member)[0];
                if (sharePopulation.Value <= 0) return (null, null, CellFlag.NotAvailable);
                var flag = FlagOf(shareVolunteers);
                return flag == CellFlag.Suppressed
                    ? (null, null, CellFlag.Suppressed)
                    : (VolunteerIndicators.RepresentationRatio(100 * shareVolunteers.Value, 100 * sharePopulation.Value), null, flag);
            }

            result["soc_women_ratio"] = Representation(p => p.First.Sex == Sex.Female);
            result["soc_youth_ratio"] = Representation(p => p.First.Age is >= 15 and <= 29);
            result["soc_disability_ratio"] = s.Persons.Any(p => p.First.Disability is not null) ? Representation(p => p.First.Disability == true) : (null, null, CellFlag.NotAvailable);
            result["soc_rural_ratio"] = Representation(p => p.First.Urbanisation == Urbanisation.Rural);
            var beneficiaries = s.Variable(p => p.VolunteerRows.Sum(r => r.Record.Beneficiaries ?? 0));
            if (population is { } p15 && beneficiaries.Any(b => b > 0))
            {
                var b = s.Total("beneficiaries", beneficiaries)[0];
                result["soc_beneficiaries_per_1000"] = (VolunteerIndicators.BeneficiariesPerThousand(b.Value, p15), 1000 * b.StandardError / p15, FlagOf(b));
            }
            else
            {
                result["soc_beneficiaries_per_1000"] = (null, null, CellFlag.NotAvailable);
            }

            var regions = s.By("region", p => p.First.Region);
            var regionalRates = s.Mean("volunteers", volunteer, regions);
            var regionalPopulations = s.Total("population", s.Variable(_ => 1), regions);
            result["soc_regional_equity"] = regionalRates.Count >= 2
                ? (VolunteerIndicators.RegionalEquity(regionalRates.Select(e => e.Value).ToArray(), regionalPopulations.Select(e => e.Value).ToArray()), null, CellFlag.None)
                : (null, null, CellFlag.NotAvailable);
            var training = s.Variable(p => p.VolunteerRows.Sum(r => r.Record.TrainingHours ?? 0));
            result["hc_training_hours"] = training.Any(t => t > 0) ? From(s.Ratio("training_hours", training, "volunteers", volunteer)[0], 1) : (null, null, CellFlag.NotAvailable);
            // A survey cannot measure certificates or retention (methodology/indicators.md H2, H3).
            result["hc_certified_share"] = (null, null, CellFlag.NotAvailable);
            result["hc_retention"] = (null, null, CellFlag.NotAvailable);
            _ = volunteersEstimate;
            _indicatorValues[s.Country] = result;
            return result;
        }

        public ReportTable Indicators()
        {
            var columns = new List<ReportColumn>
            {
                ReportColumn.Dimension("country", _l.Text("dim.country")),
                ReportColumn.Dimension("indicator", _l.Text("dim.indicator")),
                ReportColumn.Dimension("unit", _l.Text("col.unit")),
                Col("value", "col.value", NumberStyle.TwoDecimals, "VARIOUS", new SdmxMeasure("VOL_IND", "VARIOUS")),
                Prec("se", _l.Text("col.se"), NumberStyle.TwoDecimals, "VARIOUS"),
            };
            var rows = new List<ReportRow>();
            foreach (var s in _surveys)
            {
                var values = IndicatorValues(s);
                foreach (var (code, unit, _) in IndicatorList)
                {
                    var (value, se, flag) = values[code];
                    var valueCell = value is { } v && double.IsFinite(v) && !flag.WithholdsValue() ? Cell.Number(v, flag) : Cell.Withheld(flag.WithholdsValue() ? flag : CellFlag.NotAvailable);
                    var seCell = valueCell.Value is null ? Cell.Withheld(valueCell.Flag) : se is { } e && double.IsFinite(e) ? Cell.Number(e) : Cell.Withheld(CellFlag.NotAvailable);
                    rows.Add(new ReportRow([Cell.Label(CountryName(s.Country)), Cell.Label(IndicatorLabel(code)), Cell.Label(unit), valueCell, seCell], 0, RowRole.Data,
                        Area(s.Country, ("SERIES", "VOL_" + code.ToUpperInvariant()))));
                }
            }

            var notes = new List<ReportNote> { new(1, _l.Format("note.survey_design", "Taylor linearisation")) };
            return new ReportTable("T5", _l.Format("t5.title", _area, _period), _l.Text("t5.units"), _period, columns, rows, notes, _source, totalsMayNotSum: false);
        }

        private string IndicatorLabel(string code) => _l.Text("indicator." + code);

        // ------------------------------------------------------------------ Table 6: composite index

        private sealed record IndexOutcome(IndexResult Result, UncertaintyResult Uncertainty, IndicatorData Data);

        private static Framework VciFramework() => new(
        [
            // methodology/indicators.md: codes, pillars, directions and the suggested goalposts.
            new IndicatorDefinition("econ_value_gdp", "economic", Direction.Positive, 0, 5),
            new IndicatorDefinition("econ_fte_per_1000", "economic", Direction.Positive, 0, 30),
            new IndicatorDefinition("soc_participation", "social", Direction.Positive, 0, 50),
            new IndicatorDefinition("soc_hours_per_volunteer", "social", Direction.Positive, 0, 200),
            new IndicatorDefinition("soc_women_ratio", "social", Direction.Positive, 0, 1),
            new IndicatorDefinition("soc_youth_ratio", "social", Direction.Positive, 0, 1),
            new IndicatorDefinition("soc_disability_ratio", "social", Direction.Positive, 0, 1),
            new IndicatorDefinition("soc_rural_ratio", "social", Direction.Positive, 0, 1),
            new IndicatorDefinition("soc_beneficiaries_per_1000", "social", Direction.Positive, 0, 500),
            new IndicatorDefinition("soc_regional_equity", "social", Direction.Positive, 0, 100),
            new IndicatorDefinition("hc_training_hours", "human_capital", Direction.Positive, 0, 40),
            new IndicatorDefinition("hc_certified_share", "human_capital", Direction.Positive, 0, 100),
            new IndicatorDefinition("hc_retention", "human_capital", Direction.Positive, 0, 100),
        ], source: "methodology/indicators.md");

        private IndexOutcome? RunIndex()
        {
            if (_index is not null) return _index;
            if (_surveys.Count < 2) return null;
            var framework = VciFramework();
            var observations = _surveys.SelectMany(s => IndicatorValues(s)
                .Where(p => framework.TryGetIndicator(p.Key, out _))
                .Select(p => new Observation(s.Country, p.Key, p.Value.Flag.WithholdsValue() ? null : p.Value.Value)));
            var data = IndicatorData.FromObservations(framework, observations);
            var nominal = new IndexOptions();
            var result = ContributionIndex.Indicators.Composite.CompositeIndex.Compute(data, nominal);
            var uncertainty = UncertaintyAnalysis.Run(data, nominal, new UncertaintySettings
            {
                Runs = _options.UncertaintyRuns,
                Seed = _options.Seed,
                Normalisations = [NormalisationMethod.Bounded, NormalisationMethod.MinMax],
                WeightNoise = 0.25,
                Sobol = false,
            });
            _index = new IndexOutcome(result, uncertainty, data);
            return _index;
        }

        public ReportTable? CompositeIndex()
        {
            var outcome = RunIndex();
            if (outcome is null) return null;
            var result = outcome.Result;
            var pillars = result.Framework.Pillars;
            var columns = new List<ReportColumn>
            {
                ReportColumn.Dimension("country", _l.Text("dim.country")),
                Col("score", "col.score", NumberStyle.OneDecimal, "SCORE", new SdmxMeasure("VOL_IDX", "INDEX", Nature: "M")),
                Col("rank", "col.rank", NumberStyle.Integer, "RANK", new SdmxMeasure("VOL_IDX_RANK", "RANK", Nature: "M")),
                Prec("rank_low", _l.Text("col.rank_low"), NumberStyle.OneDecimal, "RANK"),
                Prec("rank_high", _l.Text("col.rank_high"), NumberStyle.OneDecimal, "RANK"),
            };
            for (var p = 0; p < pillars.Length; p++)
                columns.Add(ReportColumn.Measure("pillar_" + pillars[p].Name, _l.Text("dim.pillar") + ": " + PillarLabel(pillars[p].Name), NumberStyle.OneDecimal, "SCORE"));
            columns.Add(Col("value_ppp", "col.value_ppp", NumberStyle.Integer, "PPP"));
            var rows = new List<ReportRow>();
            var units = outcome.Data.Units;
            foreach (var unit in Enumerable.Range(0, units.Length).OrderBy(u => result.IndexRank(u) ?? int.MaxValue).ThenBy(u => units[u], StringComparer.Ordinal))
            {
                var u = outcome.Uncertainty.Units.FirstOrDefault(x => x.Unit == units[unit]);
                var cells = new List<Cell>
                {
                    Cell.Label(CountryName(units[unit])),
                    Cell.NumberOrNotAvailable(result.IndexScore(unit)),
                    Cell.NumberOrNotAvailable(result.IndexRank(unit)),
                    Cell.NumberOrNotAvailable(u?.Rank05),
                    Cell.NumberOrNotAvailable(u?.Rank95),
                };
                for (var p = 0; p < pillars.Length; p++) cells.Add(Cell.NumberOrNotAvailable(result.PillarScore(unit, p)));
                var summary = _valuation.Summaries.FirstOrDefault(x => x.SourceKind == InputKind.Survey && x.Country == units[unit]);
                cells.Add(Cell.NumberOrNotAvailable(summary?[_valuation.Parameters.HeadlineMethod].ValuePpp));
                rows.Add(new ReportRow(cells, 0, RowRole.Data, Area(units[unit])));
            }

            var notes = new List<ReportNote>
            {
                new(1, _l.Format("t6.interval", outcome.Uncertainty.Runs.ToString(CultureInfo.InvariantCulture))),
            };
            return new ReportTable("T6", _l.Format("t6.title", _area, _period), _l.Text("t6.units"), _period, columns, rows, notes, _source, totalsMayNotSum: false);
        }

        private string PillarLabel(string name) => _l.Text("pillar." + name);

        // ------------------------------------------------------------------ charts

        public IReadOnlyList<ChartSpec> Charts()
        {
            var charts = new List<ChartSpec>();
            // C1: hours by SDG goal, summed over countries (hours add up across countries).
            var byGoal = new SortedDictionary<int, double>();
            foreach (var s in _surveys)
                foreach (var p in s.Persons)
                    foreach (var r in p.VolunteerRows)
                    {
                        var tags = TagsOf(r.Record);
                        if (tags.Count == 0) continue;
                        foreach (var (goal, amount) in SdgAllocator.Allocate(r.AnnualHours * p.Weight, tags, _options.SdgRule).ByGoal)
                            byGoal[goal] = byGoal.GetValueOrDefault(goal) + amount;
                    }

            if (byGoal.Count > 0)
                charts.Add(new ChartSpec("C1", _l.Format("c1.title", _area, _period), ChartKind.HorizontalBar, _l.Text("c1.axis"),
                    [new ChartSeries(_l.Text("col.hours"), byGoal.Select(p => new ChartPoint(_l.SdgGoal(p.Key), p.Value / 1000)).ToArray())], _source));

            // C2: value by method with the 95 % confidence interval of each (PPP$ for a region, % of GDP for one country).
            var c2 = new List<ChartPoint>();
            foreach (var method in ValuationMethods.All)
            {
                double sum = 0, variance = 0;
                var ok = true;
                foreach (var s in _surveys)
                {
                    var country = _valuation.Parameters.Countries[s.Country];
                    var scale = Regional ? (country.LcuPerPppDollar is { } ppp ? 1 / ppp : double.NaN) : (country.Gdp is { } gdp ? 100 / gdp : double.NaN);
                    if (!double.IsFinite(scale)) { ok = false; break; }
                    var y = s.Variable(p => p.VolunteerRows.Sum(r => (Regional ? r.ValuesAtBasePrices : r.Values) is { } v ? v[method] : 0));
                    var e = s.Total("value", y)[0];
                    sum += e.Value * scale;
                    variance += e.Variance * scale * scale;
                }

                if (!ok || _surveys.Count == 0) continue;
                var half = 1.959963984540054 * Math.Sqrt(variance);
                c2.Add(new ChartPoint(_l.Text("method." + method.Code()), Regional ? sum / 1e6 : sum, Regional ? (sum - half) / 1e6 : sum - half, Regional ? (sum + half) / 1e6 : sum + half));
            }

            if (c2.Count > 0)
                charts.Add(new ChartSpec("C2", _l.Format("c2.title", _area, _period), ChartKind.BarWithRange,
                    Regional ? _l.Text("col.value_ppp") + ", mn" : _l.Text("c2.axis"), [new ChartSeries(_l.Text("col.value"), c2)], _source));

            // C3: volunteer rate by sex (series) and age group (categories) of the first country, or by country for a region.
            if (_surveys.Count > 0)
            {
                var series = new List<ChartSeries>();
                foreach (var (sex, key) in new[] { (Sex.Female, "sex.F"), (Sex.Male, "sex.M") })
                {
                    var points = new List<ChartPoint>();
                    if (Regional)
                    {
                        foreach (var s in _surveys)
                        {
                            var y = s.Variable(p => p.IsVolunteer ? 1 : 0);
                            var e = Pick(s.Mean("volunteers", y, s.By("sex", p => p.First.Sex == sex ? "x" : null)), "x");
                            if (e is not null) points.Add(new ChartPoint(CountryName(s.Country), 100 * e.Value, 100 * e.ConfidenceLow, 100 * e.ConfidenceHigh));
                        }
                    }
                    else
                    {
                        var s = _surveys[0];
                        var y = s.Variable(p => p.IsVolunteer ? 1 : 0);
                        var rates = s.Mean("volunteers", y, s.By("age", p => p.First.Sex == sex ? CountrySurvey.AgeGroup(p) : null));
                        foreach (var age in new[] { "15-24", "25-34", "35-44", "45-54", "55-64", "65+" })
                            if (Pick(rates, age) is { } e) points.Add(new ChartPoint(AgeLabel(age), 100 * e.Value));
                    }

                    series.Add(new ChartSeries(_l.Text(key), points));
                }

                charts.Add(new ChartSpec("C3", _l.Format("c3.title", _area, _period), ChartKind.GroupedBar, _l.Text("c3.axis"), series, _source));
            }

            // C4: index ranks with their 5–95 % intervals.
            if (RunIndex() is { } index)
            {
                var points = index.Uncertainty.Units
                    .OrderBy(u => u.NominalRank ?? int.MaxValue)
                    .Where(u => u.NominalRank is not null)
                    .Select(u => new ChartPoint(CountryName(u.Unit), u.NominalRank!.Value, u.Rank05, u.Rank95))
                    .ToArray();
                charts.Add(new ChartSpec("C4", _l.Format("c4.title", _area, _period), ChartKind.PointWithInterval, _l.Text("col.rank"), [new ChartSeries(_l.Text("col.rank"), points)], _source));
            }

            return charts;
        }

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
            string I(double v) => v.ToString("R", CultureInfo.InvariantCulture);
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
                var counts = _valuation.Inputs.FirstOrDefault(c => c.Input == input.Name);
                Add(inputs, input.Name + ": kind, file", input.Kind + ", " + input.Path);
                Add(inputs, input.Name + ": sha256", Manifest.Sha256(input.FullPath));
                if (counts is not null)
                    Add(inputs, input.Name + ": rows read / rejected / valued", string.Create(CultureInfo.InvariantCulture, $"{counts.Read} / {counts.Rejected} / {counts.Valued}"));
            }

            const string valuation = "metadata.section.valuation";
            Add(valuation, "headline_method", _valuation.Parameters.HeadlineMethod.Code());
            Add(valuation, "on_cost_uplift", I(_study.Valuation.OnCostUplift));
            Add(valuation, "opportunity_cost_policy", _study.Valuation.OpportunityCostPolicy);
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
            Add(estimation, "variance", "Taylor linearisation, with-replacement PSUs nested in strata (R survey: svydesign(ids=~psu, strata=~strata, weights=~w, nest=TRUE))");
            Add(estimation, "lonely_psu", _options.LonelyPsu.ToString());
            Add(estimation, "confidence_level", "0.95 (t with design degrees of freedom)");
            Add(estimation, "quality_rules", string.Create(CultureInfo.InvariantCulture, $"CV publish ≤ {_options.Quality.PublishLimit:R}, caution ≤ {_options.Quality.CautionLimit:R}, minimum n {_options.Quality.MinimumUnweightedCount}"));
            foreach (var s in _surveys)
                Add(estimation, s.Country + ": respondents / strata / PSUs / df", string.Create(CultureInfo.InvariantCulture, $"{s.Count} / {s.Design.StratumCount} / {s.Design.PsuCount} / {s.Design.DegreesOfFreedom:R}"));
            Add(estimation, "sdg_allocation_rule", _options.SdgRule.ToString());
            if (RunIndex() is { } index)
            {
                const string section = "metadata.section.index";
                Add(section, "framework", "Volunteer Contribution Index, methodology/indicators.md (3 pillars, 13 indicators, bounded normalisation on the suggested goalposts)");
                Add(section, "aggregation", "arithmetic mean of indicators within pillars and of pillars, equal weights");
                Add(section, "uncertainty", string.Create(CultureInfo.InvariantCulture, $"{index.Uncertainty.Runs} Monte Carlo runs, seed {_options.Seed}, weights ±25 %, normalisation bounded or min-max"));
            }

            const string software = "metadata.section.software";
            Add(software, "ContributionIndex", _options.SoftwareVersion);
            Add(software, ".NET", Environment.Version.ToString());
            Add(software, "language", _l.Code);
            return list;
        }
    }
}
