using ContributionIndex.Reporting;

namespace ContributionIndex.Tests.Rendering;

/// <summary>A small hand-built annex that exercises every renderer feature: flags, notes, groups, hostile labels, Kazakh letters.</summary>
internal static class SampleAnnex
{
    /// <summary>All nine Kazakh-specific letters, lower and upper case.</summary>
    public const string KazakhLetters = "әғқңөұүһі ӘҒҚҢӨҰҮҺІ";

    /// <summary>A label taken from input data that a spreadsheet would run as a formula if written carelessly.</summary>
    public const string HostileLabel = "=cmd|' /C calc'!A0";

    public static readonly DateTimeOffset Release = new(2024, 6, 30, 0, 0, 0, TimeSpan.Zero);

    public static Annex Build(string languageCode = "kk", int longTableRows = 0)
    {
        var lang = ReportLanguage.Load(languageCode)
            .WithSdgGoalNames(Enumerable.Range(1, 17).ToDictionary(g => g, g => "Мақсат " + g + " " + KazakhLetters[..3]));
        var dims = new Dictionary<string, string> { ["REF_AREA"] = "398" };
        var columns = new[]
        {
            ReportColumn.Dimension("breakdown", lang.Text("dim.breakdown")),
            ReportColumn.Dimension("category", lang.Text("dim.category")),
            ReportColumn.Measure("volunteers", lang.Text("col.volunteers"), NumberStyle.Integer, "PERSONS", new SdmxMeasure("VOL_NUM", "NUMBER")),
            ReportColumn.Precision("volunteers_se", lang.Text("col.se"), NumberStyle.Integer, "PERSONS"),
            ReportColumn.Measure("rate", lang.Text("col.rate"), NumberStyle.PercentOneDecimal, "PT", new SdmxMeasure("VOL_RATE", "PT")),
            ReportColumn.Precision("cv", lang.Text("col.cv"), NumberStyle.OneDecimal, "PT"),
        };
        var rows = new List<ReportRow>
        {
            new([Cell.Label(lang.Text("dim.total")), Cell.Label(lang.Text("dim.all_persons")), Cell.Number(1234567.891), Cell.Number(45678.9), Cell.Number(0.0861), Cell.Number(3.7)], 0, RowRole.Total, dims),
            new([Cell.Label(lang.Text("dim.sex")), Cell.Label(""), Cell.Empty, Cell.Empty, Cell.Empty, Cell.Empty], 0, RowRole.GroupHeading),
            new([Cell.Label(lang.Text("dim.sex")), Cell.Label(lang.Text("sex.F")), Cell.Number(700000.25), Cell.Number(30000), Cell.Number(0.091), Cell.Number(4.3)], 1, RowRole.Data,
                new Dictionary<string, string>(dims) { ["SEX"] = "F" }),
            new([Cell.Label(lang.Text("dim.sex")), Cell.Label(lang.Text("sex.M")), Cell.Number(534567.641, CellFlag.LowReliability), Cell.Number(100000), Cell.Number(0.0801, CellFlag.LowReliability), Cell.Number(18.7)], 1, RowRole.Data,
                new Dictionary<string, string>(dims) { ["SEX"] = "M" }),
            new([Cell.Label(lang.Text("dim.region")), Cell.Label(HostileLabel, 1), Cell.Withheld(CellFlag.Suppressed), Cell.Withheld(CellFlag.Suppressed), Cell.Withheld(CellFlag.Suppressed), Cell.Withheld(CellFlag.Suppressed)], 1, RowRole.Data,
                new Dictionary<string, string>(dims) { ["CUST_BREAKDOWN"] = "REG_X" }),
            new([Cell.Label(lang.Text("dim.region")), Cell.Label("-Шымкент " + KazakhLetters), Cell.Number(-0.5), Cell.Withheld(CellFlag.NotAvailable), Cell.Withheld(CellFlag.NotApplicable), Cell.Withheld(CellFlag.NotAvailable)], 1, RowRole.Data,
                new Dictionary<string, string>(dims) { ["CUST_BREAKDOWN"] = "REG_Y" }),
        };
        for (var i = 0; i < longTableRows; i++)
            rows.Add(new([Cell.Label(lang.Text("dim.region")), Cell.Label("Өңір " + i), Cell.Number(1000 + i), Cell.Number(10 + i), Cell.Number(0.01 * (i % 50)), Cell.Number(1.5)], 1));
        var t1 = new ReportTable("T1", lang.Format("t1.title", lang.Text("country.KZ"), "2023"), lang.Text("t1.units"), "2023", columns, rows,
            [new ReportNote(1, "Жазба мәтіні from input: " + HostileLabel)], lang.Format("source.default", "LFS 2023", "0.1.0"), totalsMayNotSum: true);

        var goalColumns = new[]
        {
            ReportColumn.Dimension("goal", lang.Text("dim.goal")),
            ReportColumn.Measure("hours", lang.Text("col.hours"), NumberStyle.Integer, "HOURS", new SdmxMeasure("VOL_HRS", "HOURS")),
        };
        var goalRows = Enumerable.Range(1, 17).Select(g => new ReportRow([Cell.Label(lang.SdgGoal(g)), Cell.Number(g * 1000.5)], 0, RowRole.Data,
            new Dictionary<string, string>(dims) { ["CUST_BREAKDOWN"] = "SDG_" + g.ToString("00") })).ToArray();
        var t4 = new ReportTable("T4", lang.Format("t4.title", lang.Text("country.KZ"), "2023"), lang.Text("t4.units"), "2023", goalColumns, goalRows, [], "LFS", false);

        var charts = new[]
        {
            new ChartSpec("C1", lang.Format("c1.title", lang.Text("country.KZ"), "2023"), ChartKind.HorizontalBar, lang.Text("c1.axis"),
                [new ChartSeries("hours", Enumerable.Range(1, 17).Select(g => new ChartPoint(lang.SdgGoal(g), g * 1.0005)).ToArray())], "LFS"),
            new ChartSpec("C2", lang.Format("c2.title", lang.Text("country.KZ"), "2023"), ChartKind.BarWithRange, lang.Text("c2.axis"),
                [new ChartSeries("value", [new ChartPoint(lang.Text("method.specialist"), 1.2, 0.8, 1.6), new ChartPoint(lang.Text("method.generalist"), 0.9)])], "LFS"),
            new ChartSpec("C3", lang.Format("c3.title", lang.Text("country.KZ"), "2023"), ChartKind.GroupedBar, lang.Text("c3.axis"),
                [new ChartSeries(lang.Text("sex.F"), [new ChartPoint("15–24", 9.1), new ChartPoint("25–34", 7.2)]), new ChartSeries(lang.Text("sex.M"), [new ChartPoint("15–24", 8.0), new ChartPoint("25–34", 6.0)])], "LFS"),
            new ChartSpec("C4", lang.Format("c4.title", lang.Format("country.region", "4"), "2023"), ChartKind.PointWithInterval, lang.Text("c4.axis"),
                [new ChartSeries("index", [new ChartPoint(lang.Text("country.KZ"), 61, 55, 66), new ChartPoint(lang.Text("country.UZ"), 48, 40, 57)])], "LFS"),
        };
        var metadata = new[]
        {
            new MetadataEntry(lang.Text("metadata.section.study"), "study_file", "kz.yaml"),
            new MetadataEntry(lang.Text("metadata.section.inputs"), "sha256 " + HostileLabel, "+e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        };
        var cover = new AnnexCover(lang.Text("annex.title"), "Қазақстан — " + KazakhLetters, "ContributionIndex", "2023", Release, languageCode, "kz-2023");
        return new Annex(cover, [t1, t4], charts, metadata, lang);
    }
}
