using ContributionIndex.Cli;
using ContributionIndex.Tests.Ingest;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Cli;

/// <summary>Each wrong command line of issue #14 gets one clear sentence, exit code 2, and no data step.</summary>
public class CliMessageTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void A_missing_study_file_names_the_STUDY_argument_not_a_study_option()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = Run("report", "no-such-study.yaml", "--out", dir.Path);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.StartsWith("error: no-such-study.yaml: the study file does not exist", error);
        Assert.Contains("check the STUDY argument of 'contrib report'", error);
        Assert.DoesNotContain("--study", error);
        Assert.Equal("", output);
    }

    [Fact]
    public void A_folder_given_as_study_is_called_a_folder_and_its_study_files_are_listed()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = Run("validate", SampleStudies.Folder);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("the STUDY argument is a folder, not a study file", error);
        Assert.Contains("kz.yaml", error);
        Assert.DoesNotContain("does not exist", error);
    }

    [Fact]
    public void A_misspelt_option_suggests_the_nearest_one()
    {
        var (code, _, error) = Run("report", SampleStudies.Study("kz"), "--output", "/tmp/x");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("'report' has no option '--output'; did you mean '--out'?", error);
        Assert.DoesNotContain("'/tmp/x'", error); // the unknown option's value is not a second error
        Assert.Contains("contrib report --help", error);
    }

    [Fact]
    public void A_misspelt_command_suggests_the_nearest_one()
    {
        var (code, _, error) = Run("reprot", "study.yaml");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("'reprot' is not a command of contrib; did you mean 'report'?", error);
        Assert.DoesNotContain("Required command", error);
    }

    [Fact]
    public void An_unknown_word_without_a_near_command_lists_the_commands()
    {
        var (code, _, error) = Run("frobnicate");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("the commands are validate, value", error);
    }

    [Fact]
    public void A_bad_release_date_asks_for_YYYY_MM_DD_and_names_no_dotnet_type()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = Run("report", SampleStudies.Study("kz"), "--out", dir.Path, "--release-date", "2024-13-01");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--release-date '2024-13-01' is not a date; write YYYY-MM-DD", error);
        Assert.DoesNotContain("System.", error);
        Assert.Equal("", output); // refused before loading
    }

    [Fact]
    public void A_release_date_inside_the_reference_year_is_refused_before_the_data_steps()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = Run("report", SampleStudies.Study("kz"), "--out", dir.Path, "--release-date", "2023-06-30");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--release-date 2023-06-30 is not after the reference year 2023", error);
        Assert.DoesNotContain("[2/5]", output);
    }

    [Fact]
    public void An_unknown_language_suggests_the_nearest_one()
    {
        var (code, _, error) = Run("report", SampleStudies.Study("kz"), "--out", "/tmp/x", "--lang", "kz");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("--lang 'kz' is not one of kk, ru, en; did you mean 'kk'?", error);
    }

    [Fact]
    public void An_output_folder_that_cannot_be_created_fails_before_any_data_step()
    {
        using var dir = new TempDirectory();
        var file = dir.File("a-file");
        File.WriteAllText(file, "");
        var (code, output, error) = Run("report", SampleStudies.Study("kz"), "--out", Path.Combine(file, "x"));
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains($"'{file}' is a file, not a folder", error);
        Assert.Equal("", output); // not even "[1/5] loading"
        Assert.False(Directory.Exists(Path.Combine(file, "x")));

        (code, _, error) = Run("value", SampleStudies.Study("kz"), "--out", file);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("is a file, not a folder", error);
    }

    [Fact]
    public void A_wrong_study_leaves_no_empty_output_folder_behind()
    {
        using var dir = new TempDirectory();
        var (code, _, _) = Run("report", dir.File("missing.yaml"), "--out", dir.File("out"));
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.False(Directory.Exists(dir.File("out")));
    }

    [Fact]
    public void Report_prints_the_reconciliation_of_every_input_and_no_draft_warning_for_the_sample()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = Run("report", SampleStudies.Study("kz"), "--out", dir.Path, "--format", "csv", "--lang", "kk");
        Assert.True(code == ExitCodes.Success, error);
        foreach (var input in new[] { "kz-survey", "kz-platform" })
            Assert.Matches($@"{input}: read (\d+) = accepted (\d+) \+ rejected (\d+)", output);
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(output, @"read (\d+) = accepted (\d+) \+ rejected (\d+)"))
            Assert.Equal(long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value) + long.Parse(m.Groups[3].Value));
        Assert.DoesNotContain("DRAFT", error);
    }

    [Fact]
    public void Report_without_a_release_date_warns_that_the_annex_is_a_draft_and_names_the_key()
    {
        using var dir = new TempDirectory();
        var study = SampleStudies.Variant("kz", "  release_date: 2026-09-01", "");
        var (code, _, error) = Run("report", study, "--out", dir.Path, "--format", "csv");
        Assert.True(code == ExitCodes.Success, error);
        Assert.Contains("warning: the annex is marked DRAFT on every page: the study does not set report.release_date", error);
    }
}
