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
public static partial class AnnexBuilder
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

    internal sealed partial class Context
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

    }
}
