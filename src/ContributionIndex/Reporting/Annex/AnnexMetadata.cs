using System.Globalization;
using ContributionIndex.Estimation;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Reporting;

/// <summary>The annex's cover and its metadata sheet: the study, inputs and their checksums, parameters, design and software.</summary>
internal sealed class AnnexMetadata(AnnexContext ctx)
{
    /// <summary>
    /// The cover from the study's <c>report:</c> section: its title and publisher in the annex's language, contact and
    /// release date (<c>--release-date</c> first). Whatever is missing makes the annex a draft, with one reason per key.
    /// </summary>
    public AnnexCover Cover()
    {
        var code = ctx.L.Code;
        var spec = ctx.Study.Report;
        var reasons = new List<string>();
        var missing = new List<string>();
        void Missing(string reason, string key)
        {
            reasons.Add(ctx.L.Text(reason));
            missing.Add(key);
        }

        var title = spec.Title?.For(code) ?? (code == "en" && ctx.Study.Title.Trim().Length > 0 ? ctx.Study.Title.Trim() : null);
        if (title is null) Missing("cover.draft_reason.title", "report.title." + code);
        var publisher = spec.Publisher?.For(code);
        if (publisher is null) Missing("cover.draft_reason.publisher", "report.publisher." + code);
        var released = ctx.Options.ReleaseDate ?? spec.ReleaseDate;
        if (released is null) Missing("cover.draft_reason.release_date", "report.release_date");
        // A draft without a date still needs a fixed timestamp for reproducible files; it is never shown as a release date.
        var date = released ?? new DateOnly(ctx.Study.Year, 12, 31);
        return new AnnexCover(ctx.L.Text("annex.title"), title ?? ctx.AreaName, publisher ?? ctx.L.Text("cover.not_given"),
            ctx.Period, new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), code, ctx.Study.Id)
        {
            Contact = string.IsNullOrWhiteSpace(spec.Contact) ? null : spec.Contact.Trim(),
            ReleaseDateText = released is { } d ? ctx.L.FormatDate(d) : ctx.L.Text("cover.release_date_not_set"),
            DraftMark = reasons.Count > 0 ? ctx.L.Text("cover.draft") : null,
            DraftReasons = reasons,
            MissingKeys = missing,
        };
    }

    public IReadOnlyList<MetadataEntry> Metadata()
    {
        var list = new List<MetadataEntry>();
        static string I(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        void Add(string sectionKey, string key, string? value) => list.Add(new MetadataEntry(ctx.L.Text(sectionKey), key, value ?? "—"));
        const string study = "metadata.section.study";
        Add(study, "id", ctx.Study.Id);
        Add(study, "title", ctx.Study.Title);
        Add(study, "file", Path.GetFileName(ctx.Study.SourcePath));
        Add(study, "sha256", Manifest.Sha256(ctx.Study.SourcePath));
        Add(study, "year", ctx.Study.Year.ToString(CultureInfo.InvariantCulture));
        Add(study, "base_year", ctx.Parameters.BaseYear.ToString(CultureInfo.InvariantCulture));
        Add(study, "reference_period.length_days", ctx.Study.ReferencePeriod.LengthDays.ToString(CultureInfo.InvariantCulture));
        Add(study, "reference_period.annualisation_factor", I(ctx.Study.ReferencePeriod.AnnualisationFactor));
        Add(study, "checks.minimum_hours", I(ctx.Study.Checks.MinimumHours));
        Add(study, "checks.paid_stipend_share", I(ctx.Study.Checks.PaidStipendShare));
        Add(study, "checks.include_help_to_relatives", ctx.Study.Checks.IncludeHelpToRelatives ? "true" : "false");
        Add(study, "checks.minimum_age", ctx.Study.Checks.MinimumAge.ToString(CultureInfo.InvariantCulture));
        Add(study, "checks.rejection_tolerance", I(ctx.Study.Checks.RejectionTolerance));
        const string inputs = "metadata.section.inputs";
        foreach (var input in ctx.Study.Inputs)
        {
            Add(inputs, input.Name + ": kind, file", input.Kind + ", " + input.Path);
            Add(inputs, input.Name + ": sha256", Manifest.Sha256(input.FullPath));
            if (ctx.Valuation.Inputs.FirstOrDefault(c => c.Input == input.Name) is { } counts)
                Add(inputs, input.Name + ": rows read / rejected / valued", string.Create(CultureInfo.InvariantCulture, $"{counts.Read} / {counts.Rejected} / {counts.Valued}"));
        }

        const string valuation = "metadata.section.valuation";
        Add(valuation, "headline_method", ctx.Parameters.HeadlineMethod.Code());
        Add(valuation, "on_cost_uplift", I(ctx.Study.Valuation.OnCostUplift));
        Add(valuation, "opportunity_cost_policy", StudyChoices.Word(ctx.Study.Valuation.OpportunityCostPolicy));
        Add(valuation, "opportunity_cost_share", I(ctx.Study.Valuation.OpportunityCostShare));
        Add(valuation, "hybrid_generalist_major_groups", string.Join(",", ctx.Study.Valuation.HybridGeneralistMajorGroups));
        const string countries = "metadata.section.countries";
        foreach (var c in ctx.Study.Countries)
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
        var settings = ctx.Set.Settings;
        var quality = settings.Options.Quality ?? QualityRules.StatisticsCanada;
        Add(estimation, "variance", ctx.DesignName + (ctx.Design.Replicates > 0 ? " (" + ctx.L.Format("design.replicates", ctx.Design.Replicates.ToString(CultureInfo.InvariantCulture)) + ")" : ""));
        Add(estimation, "domains", string.Join(", ", settings.Domains));
        Add(estimation, "lonely_psu", settings.LonelyPsu.ToString());
        Add(estimation, "confidence_level", I(settings.Options.ConfidenceLevel));
        Add(estimation, "quality_rules", string.Create(CultureInfo.InvariantCulture, $"CV publish ≤ {quality.PublishLimit:R}, caution ≤ {quality.CautionLimit:R}, minimum n {quality.MinimumUnweightedCount}"));
        Add(estimation, "sdg_allocation", settings.SdgAllocation.ToString());
        foreach (var note in ctx.Set.Notes) Add(estimation, "note", note);
        foreach (var scope in ctx.Scopes)
            if (ctx.Set.DesignOf(scope) is { } design)
                Add(estimation, scope + ": respondents / df", string.Create(CultureInfo.InvariantCulture, $"{design.RowCount} / {design.DegreesOfFreedom:R}"));
        if (ctx.Study.Index is { } spec && ctx.Index is { } index)
        {
            const string section = "metadata.section.index";
            Add(section, "framework", spec.Framework);
            Add(section, "normalisation / aggregation / weighting", spec.Normalisation + " / " + spec.Aggregation + " / " + spec.Weighting);
            Add(section, "rank uncertainty", string.Create(CultureInfo.InvariantCulture, $"{index.Settings.Runs} Monte Carlo runs, seed {index.Settings.Seed}, weights ±{100 * index.Settings.WeightNoise:0.##} %, normalisation {string.Join(" or ", index.Settings.Normalisations.Select(StudyChoices.Word))}{(index.Settings.Aggregations.Length > 0 ? ", aggregation " + string.Join(" or ", index.Settings.Aggregations.Select(StudyChoices.Word)) : "")}{(index.Settings.Sobol ? ", Sobol indices" : "")}"));
        }

        const string software = "metadata.section.software";
        Add(software, "ContributionIndex", ctx.Options.SoftwareVersion);
        // The framework the library was built for, not the runtime it runs on: the annex's bytes must not depend on the machine.
        Add(software, ".NET", typeof(AnnexBuilder).Assembly.GetCustomAttributes(typeof(System.Runtime.Versioning.TargetFrameworkAttribute), false)
            .OfType<System.Runtime.Versioning.TargetFrameworkAttribute>().FirstOrDefault()?.FrameworkName ?? "—");
        Add(software, "language", ctx.L.Code);
        return list;
    }
}
