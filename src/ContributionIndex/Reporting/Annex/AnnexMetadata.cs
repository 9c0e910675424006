using System.Globalization;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Ingest;
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

    /// <summary>
    /// The methodology and metadata section: every setting of the study written in the annex language, each parameter
    /// rounded and with its unit, each source named as a reader can find it (methodology/reporting.md, "Methodology page").
    /// </summary>
    public IReadOnlyList<MetadataEntry> Metadata()
    {
        var l = ctx.L;
        var list = new List<MetadataEntry>();
        string N(double v, int decimals) => l.FormatNumber(v, new NumberStyle(decimals));
        static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);
        string Pct(double share) => N(100 * share, 100 * share == Math.Round(100 * share) ? 0 : 1) + " %";
        void Add(string sectionKey, string key, string value) => list.Add(new MetadataEntry(l.Text(sectionKey), l.Text(key), value));
        void AddLabel(string sectionKey, string label, string value) => list.Add(new MetadataEntry(l.Text(sectionKey), label, value));

        const string study = "metadata.section.study";
        var checks = ctx.Study.Checks;
        var period = ctx.Study.ReferencePeriod;
        Add(study, "meta.year", ctx.Period);
        Add(study, "meta.base_year", Int(ctx.Parameters.BaseYear));
        Add(study, "meta.reference_period", l.Format("meta.reference_period.value", Int(period.LengthDays), N(period.AnnualisationFactor, Decimals(period.AnnualisationFactor))));
        Add(study, "meta.population", l.Format("meta.population.value", Int(checks.MinimumAge)));
        Add(study, "meta.minimum_hours", l.Format("meta.minimum_hours.value", N(checks.MinimumHours, Decimals(checks.MinimumHours))));
        Add(study, "meta.stipend", l.Format("meta.stipend.value", Pct(checks.PaidStipendShare)));
        Add(study, "meta.relatives", l.Text(checks.IncludeHelpToRelatives ? "meta.relatives.included" : "meta.relatives.excluded"));
        Add(study, "meta.rejection_tolerance", l.Format("meta.rejection_tolerance.value", Pct(checks.RejectionTolerance)));
        Add(study, "meta.study_file", l.Format("meta.checksum", Manifest.Sha256(ctx.Study.SourcePath) ?? "—"));

        const string inputs = "metadata.section.inputs";
        foreach (var input in ctx.Study.Inputs)
        {
            var label = l.Format("meta.input", l.Text("meta.input." + InputKinds.Code(input.Kind)), InputCountry(input) is { } c ? ctx.CountryName(c) : ctx.AreaName);
            var counts = ctx.Valuation.Inputs.FirstOrDefault(x => x.Input == input.Name);
            var read = counts is null ? "" : l.Format("meta.input.counts", N(counts.Read, 0), N(counts.Rejected, 0), N(counts.Valued, 0)) + " ";
            AddLabel(inputs, label, read + l.Format("meta.checksum", Manifest.Sha256(input.FullPath) ?? "—"));
        }

        const string valuation = "metadata.section.valuation";
        var v = ctx.Study.Valuation;
        Add(valuation, "meta.headline_method", ctx.MethodLabel(ctx.Parameters.HeadlineMethod));
        Add(valuation, "meta.on_cost", Pct(v.OnCostUplift));
        Add(valuation, "meta.generalist_basis", l.Text("meta.generalist_basis." + StudyChoices.Word(v.GeneralistWage)));
        Add(valuation, "meta.opportunity_cost", l.Format("meta.opportunity." + StudyChoices.Word(v.OpportunityCostPolicy), Pct(v.OpportunityCostShare)));
        Add(valuation, "meta.hybrid_groups", v.HybridGeneralistMajorGroups.Count == 0 ? "—"
            : string.Join("; ", v.HybridGeneralistMajorGroups.Select(g => ctx.CategoryLabel("isco_major_group", g).Trim())));

        const string countries = "metadata.section.countries";
        foreach (var c in ctx.Study.Countries)
        {
            var name = ctx.CountryName(c.Code);
            void Sourced(string key, SourcedValue? value, Func<double, string> format)
            {
                if (value is null) return;
                var text = format(value.Value) + (value.Year is { } y ? " (" + Int(y) + ")" : "");
                if (SourceName(value.Source) is { Length: > 0 } source) text += "; " + l.Format("meta.source", source);
                AddLabel(countries, name + ": " + l.Text(key), text);
            }

            AddLabel(countries, name + ": " + l.Text("meta.currency"), c.Currency);
            if (c.Wages is not null)
                AddLabel(countries, name + ": " + l.Text("meta.wages"), l.Format("meta.wages.value", c.WagesFullPath is null ? "—" : Manifest.Sha256(c.WagesFullPath) ?? "—"));
            string PerHour(double x) => l.Format("meta.unit.per_hour", N(x, 2), c.Currency);
            Sourced("meta.generalist_wage", c.GeneralistWage, PerHour);
            Sourced("meta.average_wage", c.AverageHourlyWage, PerHour);
            Sourced("meta.minimum_wage", c.MinimumHourlyWage, PerHour);
            Sourced("meta.full_time_hours", c.FullTimeAnnualHours, x => l.Format("meta.unit.hours_per_year", N(x, 0)));
            Sourced("meta.lcu_per_usd", c.LcuPerUsd, x => l.Format("meta.unit.per_usd", N(x, 2), c.Currency));
            Sourced("meta.lcu_per_ppp", c.LcuPerPppDollar, x => l.Format("meta.unit.per_ppp", N(x, 2), c.Currency));
            Sourced("meta.gdp", c.Gdp, x => l.Format("meta.unit.million", N(x / 1e6, 0), c.Currency));
            Sourced("meta.population_15", c.Population15Plus, x => l.Format("meta.unit.persons", N(x, 0)));
            var cpiBase = c.Cpi.FirstOrDefault(x => x.Index == 100)?.Year;
            foreach (var cpi in c.Cpi)
            {
                var text = N(cpi.Index, 1) + (cpiBase is { } b ? " (" + l.Format("meta.cpi.base", Int(b)) + ")" : "");
                if (SourceName(cpi.Source) is { Length: > 0 } source) text += "; " + l.Format("meta.source", source);
                AddLabel(countries, name + ": " + l.Format("meta.cpi", Int(cpi.Year)), text);
            }
        }

        const string estimation = "metadata.section.estimation";
        var settings = ctx.Set.Settings;
        var quality = settings.Options.Quality ?? QualityRules.StatisticsCanada;
        Add(estimation, "meta.variance", ctx.DesignName + (ctx.Design.Replicates > 0 ? " (" + l.Format("design.replicates", Int(ctx.Design.Replicates)) + ")" : ""));
        Add(estimation, "meta.domains", string.Join(", ", settings.Domains.Select(d => ctx.DomainLabel(d).ToLower(CultureInfo.GetCultureInfo(l.Code)))));
        Add(estimation, "meta.lonely_psu", l.Text("meta.lonely_psu." + settings.LonelyPsu.ToString().ToLowerInvariant()));
        Add(estimation, "meta.confidence_level", ctx.LevelPercent + " %");
        Add(estimation, "meta.quality_rules", l.Format("meta.quality_rules.value", N(100 * quality.PublishLimit, 1), N(100 * quality.CautionLimit, 1), quality.MinimumUnweightedCount.ToString(CultureInfo.InvariantCulture)));
        Add(estimation, "meta.sdg_allocation", l.Text(settings.SdgAllocation switch
        {
            Indicators.Taxonomy.AllocationRule.PrimaryOnly => "t4.allocation.primary",
            Indicators.Taxonomy.AllocationRule.EqualSplit => "t4.allocation.equal",
            Indicators.Taxonomy.AllocationRule.UserWeights => "t4.allocation.weights",
            _ => "t4.allocation.full",
        }));
        // The estimation engine's notes, in the annex language: the hour logs' nature, and a region without a pooled design.
        if (ctx.Study.Inputs.Any(i => i.Kind == InputKind.HourLog)) Add(estimation, "meta.hour_logs", l.Text("note.hour_log"));
        if (ctx.Regional && !ctx.Scopes.Contains(VolunteerEstimates.RegionalScope)) Add(estimation, "meta.no_pool", l.Text("meta.no_pool.value"));
        foreach (var scope in ctx.Scopes)
            if (ctx.Set.DesignOf(scope) is { } design)
                AddLabel(estimation, ctx.CountryName(scope) + ": " + l.Text("meta.sample"),
                    l.Format("meta.sample.value", N(design.RowCount, 0), N(design.DegreesOfFreedom, Decimals(design.DegreesOfFreedom))));
        if (ctx.Study.Index is { } spec && ctx.Index is { } index)
        {
            const string section = "metadata.section.index";
            var pillars = index.Index.Result.Framework.Pillars;
            Add(section, "meta.framework", l.Format("meta.framework.value", Int(index.Index.Result.Framework.Indicators.Length),
                string.Join(", ", pillars.Select(p => l.Has("pillar." + p.Name) ? l.Text("pillar." + p.Name) : p.Name))));
            Add(section, "meta.normalisation", l.Text("meta.normalisation." + StudyChoices.Word(spec.Normalisation)));
            Add(section, "meta.aggregation", l.Text("meta.aggregation." + StudyChoices.Word(spec.Aggregation)));
            Add(section, "meta.weighting", l.Text("meta.weighting." + StudyChoices.Word(spec.Weighting)));
            var s = index.Settings;
            var alternatives = string.Join("; ", s.Normalisations.Select(n => l.Text("meta.normalisation." + StudyChoices.Word(n)))
                .Concat(s.Aggregations.Select(a => l.Text("meta.aggregation." + StudyChoices.Word(a)))));
            Add(section, "meta.rank_uncertainty", l.Format("meta.rank_uncertainty.value", N(s.Runs, 0), Int(s.Seed), N(100 * s.WeightNoise, 0), alternatives)
                + (s.Sobol ? " " + l.Text("meta.sobol") : ""));
        }

        const string software = "metadata.section.software";
        Add(software, "meta.software", l.Format("meta.software.value", ctx.Options.SoftwareVersion, TargetFramework()));
        Add(software, "meta.language", l.Text("cover.language_name"));
        return list;
    }

    /// <summary>Digits enough to show a parameter exactly up to two decimals (13 → 0, 4.33 → 2).</summary>
    private static int Decimals(double v) => v == Math.Round(v) ? 0 : v * 10 == Math.Round(v * 10) ? 1 : 2;

    /// <summary>The country of an input, from its constants; null for an input that carries the country in a column.</summary>
    private static string? InputCountry(InputSpec input) =>
        input.Constants.TryGetValue("country", out var c) && c.Length > 0 ? c : null;

    /// <summary>
    /// A source as a reader can find it in any language: the World Bank's database by its name in the annex language
    /// when the study cites WDI, and the addresses (URLs) the study gives; in English also the study's own wording.
    /// Study-internal notes — evidence grades such as [D] or [!], and references to files of the study's folder — are left out.
    /// </summary>
    private string? SourceName(string? source)
    {
        if (string.IsNullOrWhiteSpace(source)) return null;
        var parts = new List<string>();
        if (source.Contains("WDI", StringComparison.Ordinal)) parts.Add(ctx.L.Text("meta.source.wdi"));
        parts.AddRange(System.Text.RegularExpressions.Regex.Matches(source, @"https?://[^\s;,)]+").Select(m => m.Value.TrimEnd('.')));
        if (ctx.L.Code == "en" && parts.Count == 0)
        {
            var text = System.Text.RegularExpressions.Regex.Replace(source, @"\[[A-Za-z!]+\]\s*", "");
            text = System.Text.RegularExpressions.Regex.Replace(text, @";?\s*[\w.-]+\.md(\s+[\d.]+)?", "").Trim(' ', ';');
            if (text.Length > 0) parts.Add(text);
        }

        return parts.Count == 0 ? ctx.L.Text("meta.source.study") : string.Join("; ", parts.Distinct(StringComparer.Ordinal));
    }

    /// <summary>The framework the library was built for (".NET 10.0"), not the runtime it runs on: the annex's bytes must not depend on the machine.</summary>
    private static string TargetFramework()
    {
        var name = typeof(AnnexBuilder).Assembly.GetCustomAttributes(typeof(System.Runtime.Versioning.TargetFrameworkAttribute), false)
            .OfType<System.Runtime.Versioning.TargetFrameworkAttribute>().FirstOrDefault()?.FrameworkName;
        var version = name is null ? null : System.Text.RegularExpressions.Regex.Match(name, @"Version=v([\d.]+)").Groups[1].Value;
        return string.IsNullOrEmpty(version) ? ".NET" : ".NET " + version;
    }
}
