using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation.Volunteering;
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
        var (context, tables) = Tables(run, language, options);
        // Ranks: once a score is withheld, no rank is published (the others would give it away).
        tables = [.. tables.Select(t => t.Id == "T6" ? CompositeIndexTable.WithholdRanks(t) : t)];
        var ranksWithheld = tables.Any(t => t.Id == "T6" && t.Rows.Any(r => r.Cells[1].Flag == CellFlag.Suppressed));
        // The change table's sentence names only the changes disclosure control left published.
        if (run.Changes is { } changes)
            tables = [.. tables.Select(t => t.Id == ChangeTable.Id ? ChangeTable.WithSentence(t, language, changes.PreviousYear, changes.CurrentYear) : t)];
        // Significance of differences (#19): built once disclosure control is done, from published values only.
        if (new ComparisonTable(context).Build() is { } comparisons) tables.Add(comparisons);
        // Currency in thousands or millions: a presentation scale chosen from the published values, after disclosure control.
        var published = AnnexPrecision.ScaleCurrency(tables, language);
        var metadata = new AnnexMetadata(context);
        return new Annex(metadata.Cover(), published, new AnnexCharts(context).Build(ranksWithheld), metadata.Metadata(), language);
    }

    /// <summary>
    /// The keys (<see cref="AnnexLinks.Key"/>) an annex of <paramref name="run"/> withholds after linked disclosure control:
    /// a change is withheld when its quantity is withheld in either wave's annex (methodology/change-over-time.md).
    /// </summary>
    internal static IReadOnlySet<string> WithheldKeys(StudyRun run)
    {
        var (context, _) = Tables(run, ReportLanguage.ForAnnex("en"), new AnnexOptions());
        return context.Links.Suppressed;
    }

    /// <summary>Every table of the annex, after linked-table disclosure control.</summary>
    private static (AnnexContext Context, List<ReportTable> Tables) Tables(StudyRun run, ReportLanguage language, AnnexOptions options)
    {
        var context = new AnnexContext(run, language, options);
        var tables = new List<ReportTable>
        {
            new ParticipationTable(context).Build(),
            new HoursTable(context).Build(),
            new EconomicValueTable(context).Build(),
            new SdgTable(context).Build(),
            new IndicatorTable(context).Build(),
        };
        if (new CompositeIndexTable(context).Build() is { } index) tables.Add(index);
        // Method range, data sources side by side and goalpost sensitivity (#16).
        tables.Add(new ValuationSensitivityTable(context).Build());
        if (new SourceComparisonTable(context).Build() is { } sources) tables.Add(sources);
        if (new GoalpostSensitivityTable(context).Build() is { } goalposts) tables.Add(goalposts);
        // Change since the previous wave (#19): withheld where either wave's annex withholds the quantity.
        if (run.PreviousWave is { } previous && new ChangeTable(context, WithheldKeys(previous)).Build() is { } change) tables.Add(change);
        // Linked tables: a quantity suppressed in one table is withheld in all, and no table's totals recover it.
        return (context, context.Links.Apply(tables, language.Text("note.disclosure")));
    }
}
