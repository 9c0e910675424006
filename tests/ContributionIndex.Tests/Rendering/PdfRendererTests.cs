using System.Diagnostics;
using ContributionIndex.Rendering;
using ContributionIndex.Rendering.Pdf;
using ContributionIndex.Tests.Ingest;
using UglyToad.PdfPig;

namespace ContributionIndex.Tests.Rendering;

public sealed class PdfRendererTests
{
    [Fact]
    public void Text_reads_back_with_kazakh_letters_and_the_table_header_repeats_on_every_page()
    {
        var annex = SampleAnnex.Build("kk", longTableRows: 120);
        var bytes = PdfRenderer.Render(annex, "0.1.0");
        using var pdf = PdfDocument.Open(bytes);
        var pages = pdf.GetPages().Select(p => string.Concat(p.Letters.Select(l => l.Value))).ToArray();
        var all = string.Concat(pages);

        foreach (var letter in SampleAnnex.KazakhLetters.Where(ch => ch != ' '))
            Assert.Contains(letter.ToString(), all);
        Assert.Contains(Squash(annex.Cover.Title), Squash(pages[0]));
        Assert.Contains(Squash(annex.Language.Text("contents.heading")), Squash(pages[1]));
        Assert.Contains(Squash(SampleAnnex.HostileLabel), Squash(all));

        // Table T1 spans several pages; each of them repeats the column heading and says "(continued)".
        var lang = annex.Language;
        var t1Pages = pages.Skip(2).Where(p => Squash(p).Contains(Squash(lang.Format("table.label", "T1")), StringComparison.Ordinal)).ToArray();
        Assert.True(t1Pages.Length >= 3, $"T1 covers {t1Pages.Length} pages");
        foreach (var page in t1Pages) Assert.Contains(Squash(lang.Text("col.volunteers")), Squash(page));
        Assert.Contains(Squash(lang.Text("table.continued")), Squash(t1Pages[1]));

        // Numbers: no-break space thousands and decimal comma in kk; flags next to the value.
        Assert.Contains("1234568", Squash(all));
        Assert.Contains("8,6", all);
        Assert.Contains("534568[u]", Squash(all));
        Assert.Contains(Squash(lang.Text("table.totals_rounding")), Squash(all));
        Assert.Contains(Squash(lang.Format("page.number", "1", pages.Length.ToString())), Squash(pages[0]));

        // Four charts embedded as images; fonts embedded.
        Assert.True(pdf.GetPages().Sum(p => p.GetImages().Count()) >= 4);
        Assert.Equal(SampleAnnex.Release.UtcDateTime, pdf.Information.GetCreatedDateTimeOffset()!.Value.UtcDateTime);
    }

    [Fact]
    public void Two_runs_give_identical_bytes()
    {
        var first = PdfRenderer.Render(SampleAnnex.Build("ru"), "0.1.0");
        var second = PdfRenderer.Render(SampleAnnex.Build("ru"), "0.1.0");
        Assert.Equal(first, second);
        Assert.Contains("/CIFNTA+", System.Text.Encoding.Latin1.GetString(first));
    }

    [Fact]
    public void Missing_fonts_give_a_clear_error_naming_fonts_and_directories()
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<FontNotFoundException>(() => FontLocator.Find([dir.Path, "/no/such/dir"]));
        Assert.Contains("DejaVu Sans", ex.Message);
        Assert.Contains("Liberation Sans", ex.Message);
        Assert.Contains(dir.Path, ex.Message);
        Assert.Contains("fonts-dejavu-core", ex.Message);
    }

    [Fact]
    public void The_locator_prefers_dejavu_and_finds_it_in_subdirectories()
    {
        using var dir = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(dir.Path, "a", "b"));
        File.WriteAllBytes(Path.Combine(dir.Path, "a", "LiberationSans-Regular.ttf"), [0]);
        File.WriteAllBytes(Path.Combine(dir.Path, "a", "b", "DejaVuSans.ttf"), [0]);
        var faces = FontLocator.Find([dir.Path]);
        Assert.Equal("DejaVu Sans", faces.Family);
        Assert.Null(faces.BoldPath);
    }

    internal static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    /// <summary>PdfPig gives letters without spaces between words; compare without any white space.</summary>
    internal static string Squash(string text) => new(text.Where(ch => !char.IsWhiteSpace(ch)).ToArray());
}
