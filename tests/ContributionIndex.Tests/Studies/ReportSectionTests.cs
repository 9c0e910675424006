using ContributionIndex.Diagnostics;
using ContributionIndex.Pipeline;
using ContributionIndex.Reporting;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Ingest;
using ContributionIndex.Tests.Reporting;

namespace ContributionIndex.Tests.Studies;

/// <summary>The study's <c>report:</c> section (title, publisher, contact, release date) and the annex cover built from it.</summary>
public sealed class ReportSectionTests(RegionalAnnexFixture fixture) : IClassFixture<RegionalAnnexFixture>
{
    private const string Minimal = """
        id: t-2023
        year: 2023
        title: English title
        inputs:
          - name: log
            kind: hour-log
            path: log.csv
            columns:
              person_id: volunteer
              hours: hours
        """;

    private static Study Load(string report)
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("log.csv"), "volunteer,hours\nv1,2\n");
        var path = dir.File("study.yaml");
        File.WriteAllText(path, Minimal + "\nreport:\n" + report);
        return StudyLoader.Load(path);
    }

    [Fact]
    public void The_report_section_binds_titles_publisher_contact_and_release_date()
    {
        var study = Load("""
              title: {en: Volunteering 2023, ru: Волонтерство 2023, kk: Волонтерлік 2023}
              publisher:
                en: Bureau of National Statistics
                ru: Бюро национальной статистики
                kk: Ұлттық статистика бюросы
              contact: info@stat.example
              release_date: 2024-09-30
            """);
        Assert.Equal("Волонтерство 2023", study.Report.Title!.For("ru"));
        Assert.Equal("Ұлттық статистика бюросы", study.Report.Publisher!.For("kk"));
        Assert.Null(study.Report.Publisher.For("xx"));
        Assert.Equal("info@stat.example", study.Report.Contact);
        Assert.Equal(new DateOnly(2024, 9, 30), study.Report.ReleaseDate);
    }

    [Theory]
    [InlineData("  release_date: 30.09.2024\n", "must be a date, but is '30.09.2024'", "YYYY-MM-DD")]
    [InlineData("  release_date: 2023-12-31\n", "is not after the reference year 2023", "2024-06-30")]
    [InlineData("  title: Volunteering\n", "'report.title' must be a mapping", "once per language")]
    [InlineData("  publisher: {en: X, kz: Y}\n", "unknown key 'kz'", "did you mean 'kk'?")]
    public void A_wrong_report_value_is_refused_with_its_key_and_a_fix(string report, string message, string hint)
    {
        var ex = Assert.Throws<StudyFileException>(() => Load(report));
        Assert.Contains(message, ex.Message);
        Assert.Contains(hint, ex.Message);
        Assert.True(ex.Location.Line > 0);
    }

    [Fact]
    public void The_cover_shows_the_publisher_and_the_title_in_the_annex_language_and_is_not_a_draft()
    {
        foreach (var language in ReportLanguage.Supported)
        {
            var cover = AnnexBuilder.Build(StudyRun.FromEstimates(fixture.Study, fixture.Estimates), ReportLanguage.ForAnnex(language), new AnnexOptions()).Cover;
            Assert.Equal(fixture.Study.Report.Publisher!.For(language), cover.Producer);
            Assert.Equal(fixture.Study.Report.Title!.For(language), cover.Subtitle);
            Assert.DoesNotContain("ContributionIndex", cover.Producer, StringComparison.Ordinal);
            Assert.False(cover.IsDraft);
            Assert.Empty(cover.MissingKeys);
            Assert.Equal(new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero), cover.ReleaseDate);
        }
    }

    [Fact]
    public void A_study_without_release_date_or_kazakh_texts_gives_a_draft_that_names_what_is_missing()
    {
        var study = fixture.Study with
        {
            Report = fixture.Study.Report with
            {
                ReleaseDate = null,
                Title = fixture.Study.Report.Title! with { Kk = null },
                Publisher = fixture.Study.Report.Publisher! with { Kk = " " },
            },
        };
        var kk = AnnexBuilder.Build(StudyRun.FromEstimates(study, fixture.Estimates), ReportLanguage.ForAnnex("kk"), new AnnexOptions()).Cover;
        Assert.True(kk.IsDraft);
        Assert.Equal(["report.title.kk", "report.publisher.kk", "report.release_date"], kk.MissingKeys);
        Assert.Equal(3, kk.DraftReasons.Count);
        Assert.Equal(ReportLanguage.ForAnnex("kk").Text("cover.draft"), kk.DraftMark);
        Assert.DoesNotContain(fixture.Study.Report.Title!.En!, kk.Subtitle, StringComparison.Ordinal); // never the English title in a kk annex

        // --release-date completes the date; the Russian texts are there, so the ru annex is fit to publish.
        var ru = AnnexBuilder.Build(StudyRun.FromEstimates(study, fixture.Estimates), ReportLanguage.ForAnnex("ru"), new AnnexOptions { ReleaseDate = new DateOnly(2026, 10, 1) }).Cover;
        Assert.False(ru.IsDraft);
        Assert.Equal(ReportLanguage.ForAnnex("ru").FormatDate(new DateOnly(2026, 10, 1)), ru.ReleaseDateText);
    }
}
