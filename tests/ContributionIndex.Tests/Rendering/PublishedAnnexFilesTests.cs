using System.Text.RegularExpressions;
using ContributionIndex.Pipeline;
using ContributionIndex.Rendering;
using ContributionIndex.Reporting;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Rendering;

/// <summary>
/// Issue #14's check of what an official publishes: every sample annex (regional and the four countries) in kk, ru and
/// en, rendered as it is shipped: its SDMX-CSV has unique series keys and plain numbers, and independent programs read it
/// back — poppler finds every font embedded and every table
/// and chart title in the PDF text, and LibreOffice opens the workbook and converts it to PDF. Skipped (not passed)
/// where poppler or LibreOffice is missing; .ci/run installs both.
/// </summary>
public sealed partial class PublishedAnnexFilesTests(PublishedAnnexFilesTests.Rendered rendered) : IClassFixture<PublishedAnnexFilesTests.Rendered>
{
    public static TheoryData<string, string> Cases { get; } = new()
    {
        { "regional", "kk" }, { "regional", "ru" }, { "regional", "en" },
        { "kz", "kk" }, { "kz", "ru" }, { "kz", "en" },
        { "kg", "kk" }, { "kg", "ru" }, { "kg", "en" },
        { "tj", "kk" }, { "tj", "ru" }, { "tj", "en" },
        { "uz", "kk" }, { "uz", "ru" }, { "uz", "en" },
    };

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();

    private static string Collapse(string text) => Space().Replace(text, " ").Trim();

    [NeedsProgramsTheory("pdffonts", "pdftotext")]
    [MemberData(nameof(Cases))]
    public void The_pdf_embeds_every_font_and_shows_every_table_and_chart_title(string study, string language)
    {
        var (annex, pdf, _) = rendered.Get(study, language);
        var (exit, fonts) = OfficeSmokeTests.Run(PdfRendererTests.FindOnPath("pdffonts")!, [pdf]);
        Assert.Equal(0, exit);
        var lines = fonts.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToArray();
        Assert.NotEmpty(lines);
        // pdffonts columns: name, type, encoding, emb, sub, uni, object ID; "emb" is the fifth field from the end.
        Assert.All(lines, line => Assert.Equal("yes", line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[^5]));

        var textFile = pdf + ".txt";
        (exit, var log) = OfficeSmokeTests.Run(PdfRendererTests.FindOnPath("pdftotext")!, ["-enc", "UTF-8", pdf, textFile]);
        Assert.True(exit == 0, log);
        var text = Collapse(File.ReadAllText(textFile));
        var titles = annex.Tables.Select(t => t.Title).Concat(annex.Charts.Select(c => c.Title)).ToList();
        Assert.NotEmpty(titles);
        var missing = titles.Where(title => !text.Contains(Collapse(title), StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, $"{study} {language}: not in the PDF text: " + string.Join(" | ", missing));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_sdmx_csv_has_unique_keys_and_plain_numbers(string study, string language)
    {
        var folder = Path.GetDirectoryName(rendered.Get(study, language).Pdf)!;
        var lines = ContributionIndex.Tests.Agreement.CsvFile.Parse(File.ReadAllText(Directory.GetFiles(folder, "*.sdmx.csv").Single()));
        Assert.Equal(SdmxCsvRenderer.Header, lines[0].Fields);
        var period = lines[0].Fields.ToList().IndexOf("TIME_PERIOD");
        var value = period + 1;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, fields) in lines.Skip(1))
        {
            // The series key is every column up to and including TIME_PERIOD.
            Assert.True(keys.Add(string.Join('\u001F', fields.Take(period + 1))), $"{study} {language}: line {line} repeats a series key");
            Assert.Matches("^(-?[0-9]+(\\.[0-9]+)?)?$", fields[value]);
        }

        Assert.True(keys.Count > 100, $"{study} {language}: only {keys.Count} observations");
    }

    [NeedsProgramsTheory("libreoffice|soffice", "pdfinfo")]
    [MemberData(nameof(Cases))]
    public void LibreOffice_opens_the_workbook_and_converts_it_to_pdf(string study, string language)
    {
        var converted = rendered.ConvertedWorkbook(study, language);
        Assert.True(File.Exists(converted), $"LibreOffice wrote no PDF for {study} {language}: {rendered.OfficeLog}");
        var (exit, info) = OfficeSmokeTests.Run(PdfRendererTests.FindOnPath("pdfinfo")!, [converted]);
        Assert.True(exit == 0, info);
        var pages = int.Parse(Regex.Match(info, @"Pages:\s+(\d+)").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(pages, 2, 60);
    }

    /// <summary>Every sample annex rendered once (xlsx and PDF), and every workbook converted by one LibreOffice call.</summary>
    public sealed class Rendered : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "ci-published-" + Guid.NewGuid().ToString("N"));
        private readonly Dictionary<(string, string), (Annex Annex, string Pdf, string Xlsx)> _files = [];
        private readonly Lazy<string> _converted;

        public Rendered()
        {
            Directory.CreateDirectory(_folder);
            _converted = new(Convert);
        }

        public string OfficeLog { get; private set; } = "";

        public (Annex Annex, string Pdf, string Xlsx) Get(string study, string language)
        {
            lock (_files)
            {
                if (_files.TryGetValue((study, language), out var done)) return done;
                var run = StudyRun.Load(SampleStudies.Study(study));
                var annex = run.Annex(language);
                var folder = Path.Combine(_folder, study + "-" + language);
                AnnexWriter.Write(annex, folder, AnnexFormats.Xlsx | AnnexFormats.Pdf | AnnexFormats.Sdmx, Manifest.PackageVersion);
                var result = (annex, Directory.GetFiles(folder, "*.pdf").Single(), Directory.GetFiles(folder, "*.xlsx").Single());
                _files[(study, language)] = result;
                return result;
            }
        }

        public string ConvertedWorkbook(string study, string language)
        {
            return Path.Combine(_converted.Value, study + "-" + language + ".pdf");
        }

        private string Convert()
        {
            var workbooks = new List<string>();
            foreach (var row in Cases)
            {
                var (study, language) = ((string)row[0], (string)row[1]);
                // Each workbook under a name of its own (LibreOffice names its PDF after it).
                var copy = Path.Combine(_folder, "xlsx", study + "-" + language + ".xlsx");
                Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
                File.Copy(Get(study, language).Xlsx, copy, overwrite: true);
                workbooks.Add(copy);
            }

            var output = Path.Combine(_folder, "converted");
            var office = PdfRendererTests.FindOnPath("libreoffice") ?? PdfRendererTests.FindOnPath("soffice")!;
            var profile = new Uri(Path.Combine(_folder, "profile")).AbsoluteUri;
            var (_, log) = OfficeSmokeTests.Run(office, ["-env:UserInstallation=" + profile, "--headless", "--convert-to", "pdf", "--outdir", output, .. workbooks]);
            OfficeLog = log;
            return output;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
                // A temporary folder left behind is harmless.
            }
        }
    }
}

/// <summary>A theory skipped (not passed) when one of the named programs is not on the PATH.</summary>
public sealed class NeedsProgramsTheoryAttribute : TheoryAttribute
{
    /// <summary>Each argument is a program, or alternatives separated by '|'.</summary>
    public NeedsProgramsTheoryAttribute(params string[] programs)
    {
        var missing = programs.Where(p => p.Split('|').All(name => PdfRendererTests.FindOnPath(name) is null)).ToList();
        if (missing.Count > 0)
            Skip = "not installed: " + string.Join(", ", missing) + " (apt-get install -y libreoffice-calc-nogui poppler-utils)";
    }
}
