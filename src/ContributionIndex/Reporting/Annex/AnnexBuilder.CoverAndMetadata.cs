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

public static partial class AnnexBuilder
{
    /// <summary>The annex context's builder of the cover and the metadata sheet.</summary>
    internal sealed partial class Context
    {
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
            Add(estimation, "variance", DesignName + (_design.Replicates > 0 ? " (" + _l.Format("design.replicates", _design.Replicates.ToString(CultureInfo.InvariantCulture)) + ")" : ""));
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
