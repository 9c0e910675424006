using ContributionIndex.Cli;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Cli;

/// <summary><c>contrib index STUDY --out DIR</c>: files, determinism and usage errors (file mode is covered by IndexCommandTests).</summary>
public sealed class IndexStudyTests : IDisposable
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "estimation");

    private readonly string _folder = SampleStudies.NewTemporaryFolder();

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Writes_indicators_index_and_errors_with_the_same_bytes_on_every_run()
    {
        var study = Path.Combine(Folder, "two_country_study.yaml");
        var first = Path.Combine(_folder, "a");
        var second = Path.Combine(_folder, "b");
        var (code, stdout, stderr) = Run("index", study, "--out", first);
        Assert.True(code == ExitCodes.Success, stderr);
        Assert.Contains("KZ  index", stdout, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Success, Run("index", study, "--out", second).Code);
        foreach (var file in new[] { "indicators.csv", "data.csv", "scores.csv", "index_se.csv" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(first, file)), File.ReadAllBytes(Path.Combine(second, file)));
        var errors = File.ReadAllLines(Path.Combine(first, "index_se.csv"));
        Assert.Equal("unit,index,se,rank", errors[0]);
        Assert.Equal(3, errors.Length);

        // data.csv is the file-mode input: the same index comes out of contrib index --framework --data.
        var fileMode = Path.Combine(_folder, "c");
        Assert.Equal(ExitCodes.Success, Run("index", "--framework", Path.Combine(Folder, "vci_test_framework.csv"), "--data", Path.Combine(first, "data.csv"), "--out", fileMode).Code);
        Assert.Equal(File.ReadAllBytes(Path.Combine(first, "scores.csv")), File.ReadAllBytes(Path.Combine(fileMode, "scores.csv")));
    }

    [Fact]
    public void A_study_without_an_index_section_or_with_file_options_is_a_usage_error()
    {
        var (code, _, stderr) = Run("index", Path.Combine(Folder, "volunteer_study.yaml"), "--out", _folder);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("index:", stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.UsageError, Run("index", Path.Combine(Folder, "two_country_study.yaml"), "--framework", "f.csv", "--out", _folder).Code);
        Assert.Equal(ExitCodes.UsageError, Run("index", "--out", _folder).Code);
    }
}
