using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using ContributionIndex.Pipeline;
using ContributionIndex.Reporting;
using ContributionIndex.Rendering.Guide;
using ContributionIndex.Rendering.Pdf;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Rendering;

/// <summary>Runs the KZ sample once for the guide tests (the same StudyRun behind <c>contrib report</c>).</summary>
public sealed class KzRunFixture
{
    public StudyRun Run { get; } = StudyRun.Load(SampleStudies.Study("kz"));
}

/// <summary>
/// The methodology guide (methodology/guide/, issue #16): its worked example quotes only figures of the KZ sample's run,
/// every code symbol and test it names exists, and it renders to PDF with the project's own PDF code.
/// Regenerate the committed guide after a change of the samples or the templates with methodology/guide/build.sh.
/// </summary>
public sealed class GuideTests(KzRunFixture fixture) : IClassFixture<KzRunFixture>
{
    public static readonly TheoryData<string> Documents = new() { "guide.en", "guide.ru", "summary.kk" };

    private static string Folder => Path.Combine(SampleStudies.RepositoryRoot, "methodology", "guide");

    private static string LanguageOf(string document) => document[(document.IndexOf('.', StringComparison.Ordinal) + 1)..];

    private string Filled(string document)
    {
        var template = File.ReadAllText(Path.Combine(Folder, "template", document + ".md"), Encoding.UTF8);
        return GuideFigures.Fill(template, GuideFigures.Of(fixture.Run, "KZ", ReportLanguage.ForAnnex(LanguageOf(document))));
    }

    /// <summary>Every figure of the worked example is the run's: the committed guide is its template filled from the KZ run, byte for byte.</summary>
    [Theory]
    [MemberData(nameof(Documents))]
    public void Worked_example_quotes_the_figures_of_the_KZ_run(string document)
    {
        var filled = Filled(document);
        var path = Path.Combine(Folder, document + ".md");
        if (Environment.GetEnvironmentVariable("CONTRIB_WRITE_GUIDE") == "1")
        {
            File.WriteAllText(path, filled, new UTF8Encoding(false));
            File.WriteAllBytes(Path.Combine(Folder, document + ".pdf"), GuidePdf.Render(filled, LanguageOf(document), new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero)));
        }

        Assert.Equal(filled, File.ReadAllText(path, Encoding.UTF8));
        Assert.DoesNotContain("{{", filled, StringComparison.Ordinal);
        // The example quotes the run, not a handful of numbers: the English and Russian texts use dozens of figures.
        var names = GuideFigures.Names(File.ReadAllText(Path.Combine(Folder, "template", document + ".md"), Encoding.UTF8));
        Assert.True(names.Count >= (document.StartsWith("summary", StringComparison.Ordinal) ? 5 : 25), $"{document} quotes only {names.Count} figures");
    }

    /// <summary>A figure the run does not produce is an error naming it, never an empty hole in the guide.</summary>
    [Fact]
    public void An_unknown_figure_is_named()
    {
        var error = Assert.Throws<KeyNotFoundException>(() => GuideFigures.Fill("rate {{rate}} and {{no_such_figure}}", new Dictionary<string, string> { ["rate"] = "1" }));
        Assert.Contains("no_such_figure", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Every formula names its code symbol and the test that checks it: each named type, member and test exists.</summary>
    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_code_symbol_and_test_the_guide_names_exists(string document)
    {
        var text = File.ReadAllText(Path.Combine(Folder, "template", document + ".md"), Encoding.UTF8);
        var library = typeof(StudyRun).Assembly.GetTypes().Concat(typeof(GuidePdf).Assembly.GetTypes()).ToList();
        var tests = typeof(GuideTests).Assembly.GetTypes();
        var symbols = Regex.Matches(text, @"code `([A-Za-z]+)\.([A-Za-z]+)`").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Distinct().ToList();
        var named = Regex.Matches(text, @"test `([A-Za-z]+)\.([A-Za-z0-9_]+)`").Select(m => (m.Groups[1].Value, m.Groups[2].Value)).Distinct().ToList();
        if (!document.StartsWith("summary", StringComparison.Ordinal))
        {
            Assert.True(symbols.Count >= 10, $"{document} names {symbols.Count} code symbols");
            Assert.True(named.Count >= 10, $"{document} names {named.Count} tests");
        }

        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance;
        foreach (var (type, member) in symbols)
        {
            var found = library.Where(t => t.Name == type).ToList();
            Assert.True(found.Count > 0, $"{document}: type {type} not found");
            Assert.True(found.Any(t => t.GetMember(member, all).Length > 0), $"{document}: {type}.{member} not found");
        }

        foreach (var (type, method) in named)
        {
            var found = tests.Where(t => t.Name == type).ToList();
            Assert.True(found.Count > 0, $"{document}: test class {type} not found");
            Assert.True(found.Any(t => t.GetMethod(method, all) is not null), $"{document}: test {type}.{method} not found");
        }
    }

    /// <summary>The guide renders with the project's PDF code, the same bytes every time.</summary>
    [Theory]
    [MemberData(nameof(Documents))]
    public void Guide_renders_to_a_reproducible_pdf(string document)
    {
        var filled = Filled(document);
        var date = new DateTimeOffset(2026, 9, 1, 0, 0, 0, TimeSpan.Zero);
        var first = GuidePdf.Render(filled, LanguageOf(document), date);
        var second = GuidePdf.Render(filled, LanguageOf(document), date);
        Assert.Equal(first, second);
        Assert.Equal("%PDF", Encoding.ASCII.GetString(first, 0, 4));
        var pages = Regex.Matches(Encoding.Latin1.GetString(first), @"/Type\s*/Page[^s]").Count;
        Assert.True(pages >= (document.StartsWith("summary", StringComparison.Ordinal) ? 1 : 6), $"{document}: {pages} pages");
    }

    /// <summary>The Markdown subset: headings, lists, code and tables are recognised; inline markup becomes plain text.</summary>
    [Fact]
    public void Markdown_subset_is_parsed_into_blocks()
    {
        var blocks = GuidePdf.Parse("# Title\n\nSome **bold** text\ncontinued.\n\n- one\n- two\n\n1. first\n\n```\nV = H × W\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
        Assert.Equal([GuidePdf.BlockKind.Heading, GuidePdf.BlockKind.Paragraph, GuidePdf.BlockKind.Bullet, GuidePdf.BlockKind.Bullet,
            GuidePdf.BlockKind.Numbered, GuidePdf.BlockKind.Code, GuidePdf.BlockKind.Table], blocks.Select(b => b.Kind));
        Assert.Equal("Some bold text continued.", GuidePdf.Plain(blocks[1].Lines[0]));
        Assert.Equal(["a\tb", "1\t2"], blocks[6].Lines);
        Assert.Equal("see ILO (https://ilo.org)", GuidePdf.Plain("see [ILO](https://ilo.org)"));
    }
}
