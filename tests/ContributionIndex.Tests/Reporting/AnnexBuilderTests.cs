using ContributionIndex.Cli.Commands;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Reporting;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Samples;
using ContributionIndex.Valuation;

namespace ContributionIndex.Tests.Reporting;

/// <summary>Builds the regional sample annex once (valuation, estimation, indicators, index) for the tests below.</summary>
public sealed class RegionalAnnexFixture : IDisposable
{
    public RegionalAnnexFixture()
    {
        Folder = SampleStudies.NewTemporaryFolder();
        Study = StudyLoader.Load(SampleStudies.Study("regional"));
        Estimates = VolunteerEstimates.Run(Study, new StudyRecordSource(Study), Folder);
        Valuation = Estimates.Valuation;
        Annex = AnnexBuilder.Build(StudyRun.FromEstimates(Study, Estimates), ReportLanguage.ForAnnex("en"), new AnnexOptions());
    }

    public string Folder { get; }

    public Study Study { get; }

    public ValuationResult Valuation { get; }

    public VolunteerEstimateSet Estimates { get; }

    public Annex Annex { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}

public sealed class AnnexBuilderTests(RegionalAnnexFixture fixture) : IClassFixture<RegionalAnnexFixture>
{
    private static readonly string[] Countries = ["KZ", "KG", "TJ", "UZ"];
    private const double Relative = 1e-9;

    private ReportTable Table(string id) => fixture.Annex.Tables.Single(t => t.Id == id);

    private static int Column(ReportTable table, string id) => table.Columns.Select((c, i) => (c, i)).Single(x => x.c.Id == id).i;

    private ValuationSummary Survey(string country) =>
        fixture.Valuation.Summaries.Single(s => s.SourceKind == InputKind.Survey && s.Country == country);

    private static string Name(string code) => ReportLanguage.Load("en").Text("country." + code);

    private static void Close(double expected, double actual, double relative = Relative) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    [Fact]
    public void The_annex_has_its_tables_and_four_charts()
    {
        // T7 method range, T8 survey and platform side by side, T9 goalpost sensitivity (#16); T11 significance of differences (#19).
        Assert.Equal(["T1", "T2", "T3", "T4", "T5", "T6", "T7", "T8", "T9", "T11"], fixture.Annex.Tables.Select(t => t.Id));
        Assert.Equal(["C1", "C2", "C3", "C4"], fixture.Annex.Charts.Select(c => c.Id));
        // Every input's checksum, under the input's kind and country in words (not its file or study name).
        Assert.Contains(fixture.Annex.Metadata, m => m.Key == "Survey microdata, Kazakhstan" && System.Text.RegularExpressions.Regex.IsMatch(m.Value, "[0-9a-f]{64}$"));
        Assert.Equal(new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero), fixture.Annex.Cover.ReleaseDate); // the study's report.release_date
    }

    [Fact]
    public void Survey_totals_in_tables_1_2_and_4_equal_the_valuation_summaries()
    {
        var t1 = Table("T1");
        var t2 = Table("T2");
        var t4 = Table("T4");
        foreach (var country in Countries)
        {
            var summary = Survey(country);
            var total1 = t1.Rows.Single(r => r.Role == RowRole.Total && r.Cells[0].Text == Name(country));
            Close(summary.Volunteers, total1.Cells[Column(t1, "volunteers")].Value!.Value);
            // Rate = volunteers / estimated population (Σ w over respondents).
            var population = fixture.Estimates.Find(country, VolunteerMeasures.Population)!.Estimate.Value;
            Close(summary.Volunteers / population, total1.Cells[Column(t1, "rate")].Value!.Value);

            var total2 = t2.Rows.Single(r => r.Role == RowRole.Total && r.Cells[0].Text == Name(country) && r.Cells[1].Text == "survey estimate");
            Close(summary.HoursAnnual, total2.Cells[Column(t2, "hours")].Value!.Value);
            Close(summary.Fte, total2.Cells[Column(t2, "fte")].Value!.Value);
            Close(summary.HoursAnnual / summary.Volunteers, total2.Cells[Column(t2, "hours_per_volunteer")].Value!.Value);

            // Primary-goal allocation is additive: goals plus "not stated" add up to the total.
            var goalRows = t4.Rows.Where(r => r.Cells[0].Text == Name(country) && r.Role == RowRole.Data).ToArray();
            var total4 = t4.Rows.Single(r => r.Role == RowRole.Total && r.Cells[0].Text == Name(country));
            Close(summary.HoursAnnual, total4.Cells[Column(t4, "hours")].Value!.Value);
            var published = goalRows.Sum(r => r.Cells[Column(t4, "hours")].Value ?? 0);
            if (goalRows.Any(r => r.Cells[Column(t4, "hours")].Flag == CellFlag.Suppressed))
                Assert.True(published < summary.HoursAnnual); // a suppressed goal withholds its share
            else
                Close(summary.HoursAnnual, published);
        }
    }

    [Fact]
    public void Table_2_shows_forum_directions_by_their_labels_and_they_add_up_to_the_total()
    {
        // The samples carry the nine direction codes of the 2022 Forum (methodology/taxonomies/cavf-directions.csv),
        // so every direction row has its label and none shows a raw code.
        var en = ReportLanguage.Load("en");
        var codes = new[] { "climate_eco", "health", "inclusion", "education", "international", "social", "emergencies", "ethno", "it_media" };
        var labels = codes.Select(c => en.Text("direction." + c)).Append(en.Text("dim.unknown")).ToHashSet(StringComparer.Ordinal);
        var t2 = Table("T2");
        var hours = Column(t2, "hours");
        var directionRows = t2.Rows.Where(r => r.Role == RowRole.Data && r.Cells[2].Text == en.Text("dim.direction")).ToArray();
        Assert.NotEmpty(directionRows);
        foreach (var row in directionRows) Assert.True(labels.Contains(row.Cells[3].Text ?? ""), $"'{row.Cells[3].Text}' is not a Forum direction label");

        // Each activity has one direction, so the survey's direction rows partition its annual hours (when none is withheld).
        var checkedCountries = 0;
        foreach (var country in Countries)
        {
            var rows = directionRows.Where(r => r.Cells[0].Text == Name(country) && r.Cells[1].Text == "survey estimate").ToArray();
            if (rows.Any(r => r.Cells[hours].Value is null)) continue;
            Close(Survey(country).HoursAnnual, rows.Sum(r => r.Cells[hours].Value!.Value));
            checkedCountries++;
        }

        Assert.True(checkedCountries >= 2, $"only {checkedCountries} countries publish every direction");
    }

    [Fact]
    public void Precision_columns_are_consistent_and_flags_follow_the_quality_rule()
    {
        var t1 = Table("T1");
        var value = Column(t1, "volunteers");
        var se = Column(t1, "volunteers_se");
        var cv = Column(t1, "volunteers_cv");
        var checkedRows = 0;
        foreach (var row in t1.Rows.Where(r => r.Role != RowRole.GroupHeading))
        {
            var cell = row.Cells[value];
            if (cell.Value is not { } v) { Assert.Equal(CellFlag.Suppressed, cell.Flag); continue; }
            var cvPercent = row.Cells[cv].Value!.Value;
            Close(100 * row.Cells[se].Value!.Value / v, cvPercent, 1e-9);
            Assert.True(row.Cells[Column(t1, "n")].Value >= 10, "n below the minimum must be suppressed");
            // Statistics Canada: CV ≤ 16.5 % publish, ≤ 33.3 % [u].
            Assert.Equal(cvPercent > 16.5 ? CellFlag.LowReliability : CellFlag.None, cell.Flag);
            checkedRows++;
            if (row.Cells[Column(t1, "rate")].Value is null) continue; // forms overlap: no rate
            var low = row.Cells[Column(t1, "rate_ci_low")].Value!.Value;
            var high = row.Cells[Column(t1, "rate_ci_high")].Value!.Value;
            Assert.True(low <= row.Cells[Column(t1, "rate")].Value && row.Cells[Column(t1, "rate")].Value <= high, $"{low} {high}");
        }

        Assert.True(checkedRows > 40);
        Assert.Contains(t1.Rows, r => r.Cells[value].Flag == CellFlag.LowReliability);
    }

    [Fact]
    public void Economic_values_come_from_the_valuation_run_with_survey_precision()
    {
        var t3 = Table("T3");
        foreach (var summary in fixture.Valuation.Summaries)
        {
            var rows = t3.Rows.Where(r => r.DimensionValues["REF_AREA"] == AnnexBuilder.M49(fixture.Study, summary.Country) &&
                                          r.Cells[1].Text == ReportLanguage.Load("en").Text("source." + InputKinds.Code(summary.SourceKind))).ToArray();
            Assert.Equal(4, rows.Length);
            for (var m = 0; m < 4; m++)
            {
                var expected = summary.Values[m];
                if (expected.ValuePpp is { } ppp) Close(ppp, rows[m].Cells[Column(t3, "value_ppp")].Value!.Value);
                if (summary.Country != ValuationSummary.RegionCode && expected.ShareOfGdpPercent is { } gdp)
                    Close(gdp, rows[m].Cells[Column(t3, "pct_gdp")].Value!.Value);
            }
        }

        // The regional PPP total is the sum of the four countries' PPP values.
        var region = fixture.Valuation.Summaries.Single(s => s.SourceKind == InputKind.Survey && s.Country == ValuationSummary.RegionCode);
        Close(Countries.Sum(c => Survey(c)[ValuationMethod.Specialist].ValuePpp!.Value), region[ValuationMethod.Specialist].ValuePpp!.Value);
    }

    [Fact]
    public void The_index_ranks_four_countries_with_intervals_around_the_nominal_rank()
    {
        var t6 = Table("T6");
        Assert.Equal(4, t6.Rows.Count);
        var ranks = t6.Rows.Select(r => r.Cells[Column(t6, "rank")].Value!.Value).ToArray();
        Assert.Equal([1.0, 2, 3, 4], ranks.Order());
        foreach (var row in t6.Rows)
        {
            var rank = row.Cells[Column(t6, "rank")].Value!.Value;
            Assert.InRange(rank, row.Cells[Column(t6, "rank_low")].Value!.Value, row.Cells[Column(t6, "rank_high")].Value!.Value);
            Assert.InRange(row.Cells[Column(t6, "score")].Value!.Value, 0, 100);
        }

        // Table 5 feeds the index: the participation indicator is 100 × the table 1 rate.
        var t5 = Table("T5");
        var t1 = Table("T1");
        foreach (var country in Countries)
        {
            var participation = t5.Rows.Single(r => r.Cells[0].Text == Name(country) && r.DimensionValues["SERIES"] == "VOL_SOC_PARTICIPATION");
            var rate = t1.Rows.Single(r => r.Role == RowRole.Total && r.Cells[0].Text == Name(country)).Cells[Column(t1, "rate")].Value!.Value;
            Close(100 * rate, participation.Cells[Column(t5, "value")].Value!.Value);
        }
    }

    [Fact]
    public void Currency_is_in_thousands_or_millions_with_the_scale_in_the_heading_and_the_cells_in_units()
    {
        foreach (var table in fixture.Annex.Tables)
        {
            foreach (var (column, c) in table.Columns.Select((col, i) => (col, i)).Where(x => x.col.Unit is "LCU" or "USD" or "PPP"))
            {
                Assert.True(column.Style.Scale is 3 or 6, $"{table.Id}/{column.Id} scale {column.Style.Scale}");
                Assert.Equal(1, column.Style.Decimals);
                Assert.EndsWith(column.Style.Scale == 3 ? ", thousands" : ", millions", column.Heading, StringComparison.Ordinal);
                // Thousands exactly when a published non-zero value of the measure is below one million.
                if (column.Kind == ColumnKind.Measure)
                    Assert.Equal(table.Rows.Any(r => r.Cells[c].Value is { } v && v != 0 && Math.Abs(v) < 1e6), column.Style.Scale == 3);
            }
        }

        // T3 has platform rows (a few thousand US$): thousands; the cells keep the valuation's figures in units.
        var t3 = Table("T3");
        var lcu = Column(t3, "value_lcu");
        Assert.Equal(3, t3.Columns[lcu].Style.Scale);
        Assert.True(t3.Rows[0].Cells[lcu].Value > 1e9);
        Assert.Equal("815,547,702.9", ReportLanguage.Load("en").FormatNumber(815547702850.966, t3.Columns[lcu].Style));
        Assert.Equal(6, Table("T6").Columns[Column(Table("T6"), "value_ppp")].Style.Scale);
    }

    [Fact]
    public void Index_scores_have_enough_decimals_to_tell_different_ranks_apart()
    {
        var t6 = Table("T6");
        int score = Column(t6, "score"), rank = Column(t6, "rank");
        var style = t6.Columns[score].Style;
        Assert.InRange(style.Decimals, 1, 6);
        var rows = t6.Rows.Where(r => r.Cells[rank].Value is not null).ToList();
        for (var i = 0; i < rows.Count; i++)
        for (var j = i + 1; j < rows.Count; j++)
        {
            if (rows[i].Cells[rank].Value == rows[j].Cells[rank].Value) continue;
            Assert.NotEqual(style.Published(rows[i].Cells[score].Value!.Value), style.Published(rows[j].Cells[score].Value!.Value));
        }

        // Fewest such decimals: one fewer would show two differently ranked countries alike (or it is already one).
        var fewer = style with { Decimals = style.Decimals - 1 };
        Assert.True(style.Decimals == 1 || rows.Select(r => fewer.Published(r.Cells[score].Value!.Value)).Distinct().Count() < rows.Count);
        Assert.All(rows, r => Assert.Equal(Math.Round(r.Cells[rank].Value!.Value), r.Cells[rank].Value!.Value));
        Assert.Contains(t6.Notes, n => n.Text.Contains("unrounded scores", StringComparison.Ordinal));
    }
}
