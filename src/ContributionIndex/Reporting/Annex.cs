namespace ContributionIndex.Reporting;

/// <summary>
/// The cover of an annex: what it is, who publishes it, for when, and in which language. An annex whose study lacks a
/// release date, or a title or publisher in the annex's language, is a draft: <see cref="DraftMark"/> is printed on
/// every page and <see cref="DraftReasons"/> on the cover (methodology/reporting.md, "Cover").
/// </summary>
/// <param name="Title">Annex title.</param>
/// <param name="Subtitle">Subtitle: the study's title in the annex's language (the area's name in a draft without one).</param>
/// <param name="Producer">The publishing agency in the annex's language (<c>report.publisher</c>); the software is named in the metadata.</param>
/// <param name="ReferencePeriod">Reference period shown on the cover (e.g. "2023").</param>
/// <param name="ReleaseDate">Release date; fixed by the study or the command line (never the clock) so that outputs are reproducible. In a draft without one, 31 December of the reference year, used only as the files' timestamp.</param>
/// <param name="Language">Report language code (<c>kk</c>, <c>ru</c>, <c>en</c>).</param>
/// <param name="StudyId">Study identifier, used in file names.</param>
public sealed record AnnexCover(
    string Title,
    string Subtitle,
    string Producer,
    string ReferencePeriod,
    DateTimeOffset ReleaseDate,
    string Language,
    string StudyId)
{
    /// <summary>Where readers send questions (<c>report.contact</c>), or null.</summary>
    public string? Contact { get; init; }

    /// <summary>The release date as shown on the cover, in the annex's language; in a draft without a date, a sentence saying it is not set.</summary>
    public string? ReleaseDateText { get; init; }

    /// <summary>The draft mark printed on every page (e.g. "DRAFT — not for publication"), or null for an annex fit to publish.</summary>
    public string? DraftMark { get; init; }

    /// <summary>Why the annex is a draft, one sentence per missing study key, in the annex's language; empty when it is not.</summary>
    public IReadOnlyList<string> DraftReasons { get; init; } = [];

    /// <summary>The study keys whose absence makes the annex a draft (e.g. <c>report.release_date</c>, <c>report.title.kk</c>), for messages.</summary>
    public IReadOnlyList<string> MissingKeys { get; init; } = [];

    /// <summary>Whether the annex is a draft (<see cref="DraftMark"/> is set).</summary>
    public bool IsDraft => DraftMark is not null;
}

/// <summary>One line of the methodology/metadata sheet: a labelled parameter or source with its value.</summary>
/// <param name="Section">Section heading (e.g. "Valuation", "Inputs", "Software").</param>
/// <param name="Key">The parameter's label.</param>
/// <param name="Value">The value as text (numbers formatted invariantly with full precision by the builder).</param>
public sealed record MetadataEntry(string Section, string Key, string Value);

/// <summary>How a chart draws its series.</summary>
public enum ChartKind
{
    /// <summary>Horizontal bars, one per category (e.g. contribution by SDG goal).</summary>
    HorizontalBar,

    /// <summary>Vertical bars with an error bar from low to high (e.g. value by method with the method range).</summary>
    BarWithRange,

    /// <summary>Vertical bars grouped by category, one colour per series (e.g. participation by sex and age group).</summary>
    GroupedBar,

    /// <summary>Points with interval whiskers (e.g. index ranks with their uncertainty intervals).</summary>
    PointWithInterval,
}

/// <summary>One data point of a chart series.</summary>
/// <param name="Category">Category label (axis tick).</param>
/// <param name="Value">The value.</param>
/// <param name="Low">Lower end of the interval, if any.</param>
/// <param name="High">Upper end of the interval, if any.</param>
public sealed record ChartPoint(string Category, double Value, double? Low = null, double? High = null);

/// <summary>A named series of chart points.</summary>
/// <param name="Name">Legend label.</param>
/// <param name="Points">The points, in category order.</param>
public sealed record ChartSeries(string Name, IReadOnlyList<ChartPoint> Points)
{
    /// <inheritdoc />
    public bool Equals(ChartSeries? other) => other is not null && Name == other.Name && Points.SequenceEqual(other.Points);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Points.Count);
}

/// <summary>A chart as data: renderers draw it (PDF) or may list its data (spreadsheets).</summary>
/// <param name="Id">Stable identifier (e.g. <c>C1</c>).</param>
/// <param name="Title">Chart title in the report language.</param>
/// <param name="Kind">How the series are drawn.</param>
/// <param name="ValueAxisLabel">Label of the value axis, with units.</param>
/// <param name="Series">The series.</param>
/// <param name="Source">Source line under the chart.</param>
public sealed record ChartSpec(string Id, string Title, ChartKind Kind, string ValueAxisLabel, IReadOnlyList<ChartSeries> Series, string Source)
{
    /// <summary>What the error bars or interval lines show (which interval, at which level); empty when the chart has none.</summary>
    public string Note { get; init; } = "";

    /// <inheritdoc />
    public bool Equals(ChartSpec? other) =>
        other is not null && Id == other.Id && Title == other.Title && Kind == other.Kind &&
        ValueAxisLabel == other.ValueAxisLabel && Source == other.Source && Note == other.Note && Series.SequenceEqual(other.Series);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Title, Kind);
}

/// <summary>
/// A statistical annex: cover, tables, charts and the metadata that lets a reader reproduce it (every parameter and
/// source, software version, input file hashes). Immutable and free of I/O; renderers turn it into files.
/// </summary>
public sealed record Annex
{
    /// <summary>Creates an annex; table and chart ids must be unique.</summary>
    /// <exception cref="ArgumentException">Two tables or charts share an id.</exception>
    public Annex(AnnexCover cover, IReadOnlyList<ReportTable> tables, IReadOnlyList<ChartSpec> charts, IReadOnlyList<MetadataEntry> metadata, ReportLanguage language)
    {
        if (tables.Select(t => t.Id).Distinct(StringComparer.Ordinal).Count() != tables.Count)
            throw new ArgumentException("Two tables of the annex share an id.", nameof(tables));
        if (charts.Select(c => c.Id).Distinct(StringComparer.Ordinal).Count() != charts.Count)
            throw new ArgumentException("Two charts of the annex share an id.", nameof(charts));
        Cover = cover;
        Tables = tables.ToArray();
        Charts = charts.ToArray();
        Metadata = metadata.ToArray();
        Language = language;
    }

    /// <summary>The cover information.</summary>
    public AnnexCover Cover { get; }

    /// <summary>The tables in publication order.</summary>
    public IReadOnlyList<ReportTable> Tables { get; }

    /// <summary>The charts in publication order.</summary>
    public IReadOnlyList<ChartSpec> Charts { get; }

    /// <summary>Methodology and metadata entries in display order.</summary>
    public IReadOnlyList<MetadataEntry> Metadata { get; }

    /// <summary>The language resources every renderer uses for fixed text (headings, legend, number format).</summary>
    public ReportLanguage Language { get; }

    /// <inheritdoc />
    public bool Equals(Annex? other) =>
        other is not null && Cover == other.Cover && Language.Code == other.Language.Code &&
        Tables.SequenceEqual(other.Tables) && Charts.SequenceEqual(other.Charts) && Metadata.SequenceEqual(other.Metadata);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Cover, Tables.Count, Charts.Count);
}
