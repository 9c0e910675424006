using System.Diagnostics;
using System.Globalization;
using ContributionIndex.Rendering;
using ContributionIndex.Rendering.Pdf;
using ContributionIndex.Tests.Ingest;

namespace ContributionIndex.Tests.Rendering;

/// <summary>
/// Opens the annex files with independent readers when they are installed: the workbook in LibreOffice Calc headless,
/// the PDF with poppler (<c>apt-get install -y libreoffice-calc-nogui poppler-utils</c>). CI images need not ship
/// them, so each test is reported as skipped (not passed) when a program is missing (results: methodology/reporting.md).
/// </summary>
public sealed class OfficeSmokeTests
{
    /// <summary>LibreOffice's CSV export filter: comma, double quote, UTF-8, from line 1, raw values (not as shown), no formulas, every sheet to its own file.</summary>
    private const string CsvEverySheet = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1";

    [NeedsProgramsFact("libreoffice|soffice")]
    public void LibreOffice_reads_every_sheet_with_numbers_and_text_as_written()
    {
        var office = PdfRendererTests.FindOnPath("libreoffice") ?? PdfRendererTests.FindOnPath("soffice");
        Assert.NotNull(office);
        using var dir = new TempDirectory();
        var annex = SampleAnnex.Build("kk");
        var xlsx = dir.File("annex.xlsx");
        ExcelRenderer.WriteFile(annex, xlsx, "0.1.0");

        // A profile of its own, so a running office instance (or another test run) cannot take the job over.
        var profile = new Uri(dir.File("profile")).AbsoluteUri;
        var (exit, output) = Run(office, ["-env:UserInstallation=" + profile, "--headless", "--convert-to", CsvEverySheet, "--outdir", dir.Path, xlsx]);
        Assert.True(exit == 0, "LibreOffice failed: " + output);

        var sheets = new[] { ExcelRenderer.CoverSheetName(annex.Language) }.Concat(annex.Tables.Select(ExcelRenderer.TableSheetName));
        foreach (var sheet in sheets)
            Assert.True(File.Exists(dir.File("annex-" + sheet + ".csv")), $"sheet '{sheet}' was not read: {output}");

        var t1 = File.ReadAllText(dir.File("annex-T1.csv"));
        foreach (var error in new[] { "Err:", "#VALUE!", "#NAME?", "#REF!", "#DIV/0!", "#N/A" })
            Assert.DoesNotContain(error, t1, StringComparison.Ordinal);

        // Numbers arrive as numbers with every digit (raw export, invariant), text stays text: the formula-like label
        // from input data is shown verbatim instead of being evaluated, and Kazakh letters survive.
        var cells = t1.Split('\n').Select(line => line.TrimEnd('\r').Split(',')).ToArray();
        var total = cells.Single(row => row.Contains(annex.Language.Text("dim.all_persons")));
        Assert.Contains(total, c => double.TryParse(c, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && Math.Abs(v - 1234567.891) <= 1e-9 * 1234567.891);
        Assert.Contains(SampleAnnex.HostileLabel, t1, StringComparison.Ordinal);
        Assert.Contains("Шымкент " + SampleAnnex.KazakhLetters, t1, StringComparison.Ordinal);
    }

    [NeedsProgramsFact("pdfinfo", "pdffonts", "pdftotext")]
    public void Poppler_reads_the_pdf_with_every_font_embedded_and_the_kazakh_text()
    {
        var pdfinfo = PdfRendererTests.FindOnPath("pdfinfo");
        var pdffonts = PdfRendererTests.FindOnPath("pdffonts");
        var pdftotext = PdfRendererTests.FindOnPath("pdftotext");
        Assert.NotNull(pdfinfo);
        Assert.NotNull(pdffonts);
        Assert.NotNull(pdftotext);
        using var dir = new TempDirectory();
        var annex = SampleAnnex.Build("kk", longTableRows: 60);
        var pdf = dir.File("annex.pdf");
        PdfRenderer.WriteFile(annex, pdf, "0.1.0");

        // pdfinfo prints syntax errors on stderr; a clean file gives none.
        var (exit, info) = Run(pdfinfo, [pdf]);
        Assert.True(exit == 0, info);
        Assert.DoesNotContain("Error", info, StringComparison.OrdinalIgnoreCase);
        Assert.Matches(@"Pages:\s+\d+", info);
        Assert.Contains("(A4)", info, StringComparison.Ordinal);

        // pdffonts: a header of two lines, then one line per font whose "emb" column must say yes.
        (exit, var fonts) = Run(pdffonts, [pdf]);
        Assert.Equal(0, exit);
        var fontLines = fonts.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToArray();
        Assert.NotEmpty(fontLines);
        foreach (var line in fontLines)
            Assert.Matches(@"\s(yes)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line);

        var text = dir.File("annex.txt");
        (exit, var log) = Run(pdftotext, ["-enc", "UTF-8", pdf, text]);
        Assert.True(exit == 0, log);
        var extracted = File.ReadAllText(text);
        Assert.Contains(SampleAnnex.KazakhLetters.Split(' ')[0], extracted, StringComparison.Ordinal);
        Assert.Contains(annex.Language.Text("annex.title").Split(' ')[0], extracted, StringComparison.Ordinal);
    }

    internal static (int ExitCode, string Output) Run(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(entireProcessTree: true);
            return (-1, "timed out after 180 s");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}

/// <summary>A fact that runs only when every named program is on PATH (alternatives separated by <c>|</c>); otherwise it is reported as skipped.</summary>
public sealed class NeedsProgramsFactAttribute : FactAttribute
{
    public NeedsProgramsFactAttribute(params string[] programs)
    {
        var missing = programs.Where(p => p.Split('|').All(name => PdfRendererTests.FindOnPath(name) is null)).ToList();
        if (missing.Count > 0)
            Skip = "not installed: " + string.Join(", ", missing) + " (apt-get install -y libreoffice-calc-nogui poppler-utils)";
    }
}
