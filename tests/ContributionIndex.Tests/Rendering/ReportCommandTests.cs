using ClosedXML.Excel;
using ContributionIndex.Cli;
using ContributionIndex.Tests.Samples;
using UglyToad.PdfPig;

namespace ContributionIndex.Tests.Rendering;

public sealed class ReportCommandTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Report_writes_every_format_in_kazakh_and_two_runs_give_the_same_bytes()
    {
        var first = SampleStudies.NewTemporaryFolder();
        var second = SampleStudies.NewTemporaryFolder();
        try
        {
            var run1 = Run("report", SampleStudies.Study("kz"), "--out", first, "--lang", "kk");
            Assert.True(run1.Code == 0, run1.Err);
            Assert.Contains("[1/5]", run1.Out);
            Assert.False(run1.Out.Contains('\u001b', StringComparison.Ordinal), run1.Out); // plain lines, no terminal control codes
            var run2 = Run("report", SampleStudies.Study("kz"), "--out", second, "--lang", "kk");
            Assert.Equal(0, run2.Code);

            string[] files = ["kz-2023-annex-kk.xlsx", "kz-2023-annex-kk.pdf", "kz-2023.sdmx.csv", "csv/kz-2023-T1.csv", "csv/kz-2023-T5.csv"];
            foreach (var file in files)
                Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
            Assert.False(File.Exists(Path.Combine(first, "csv", "kz-2023-T6.csv"))); // one country: no index table

            using var workbook = new XLWorkbook(Path.Combine(first, "kz-2023-annex-kk.xlsx"));
            var t1 = workbook.Worksheet("T1");
            Assert.Equal("Қазақстан", t1.Cell(6, 1).GetString());
            Assert.Equal(XLDataType.Number, t1.Cell(6, 4).DataType);
            Assert.Equal(5, t1.SheetView.SplitRow);

            using var pdf = PdfDocument.Open(Path.Combine(first, "kz-2023-annex-kk.pdf"));
            var text = string.Concat(pdf.GetPages().Select(p => string.Concat(p.Letters.Select(l => l.Value))));
            Assert.Contains("Қазақстан", text);
            Assert.Contains("Тұрақтыдамумақсаттары", PdfRendererTests.Squash(text));

            var sdmx = File.ReadAllLines(Path.Combine(first, "kz-2023.sdmx.csv"));
            Assert.StartsWith("DATAFLOW,FREQ,REPORTING_TYPE,SERIES,REF_AREA,", sdmx[0]);
            Assert.Contains(sdmx, l => l.StartsWith("CONTRIB:DF_SDG_VOLUNTEER(1.0),A,N,VOL_NUM,398,_T,Y_GE15,", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(first, recursive: true);
            Directory.Delete(second, recursive: true);
        }
    }

    [Fact]
    public void A_wrong_format_is_a_usage_error()
    {
        var folder = SampleStudies.NewTemporaryFolder();
        var (code, _, err) = Run("report", SampleStudies.Study("kz"), "--out", folder, "--format", "docx");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("docx", err);
        Assert.Contains("xlsx, pdf, csv, sdmx", err);
    }
}
