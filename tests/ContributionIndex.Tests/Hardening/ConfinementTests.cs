using System.Text;
using ContributionIndex.Cli;
using ContributionIndex.Diagnostics;
using ContributionIndex.Tests.Ingest;

namespace ContributionIndex.Tests.Hardening;

/// <summary>
/// Confinement and leaks (#15): a study file reads only files in its own folder unless it opts out, and no message
/// prints more than a bounded, escaped excerpt of file content.
/// </summary>
public class ConfinementTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A study folder <c>study/</c> inside <paramref name="dir"/> with wages.csv; the data path is <paramref name="dataPath"/>.</summary>
    private static string Study(TempDirectory dir, string dataPath, string extra = "")
    {
        var folder = Path.Combine(dir.Path, "study");
        Directory.CreateDirectory(folder);
        File.Copy(Path.Combine(Corpus.Folder, "wages.csv"), Path.Combine(folder, "wages.csv"), overwrite: true);
        var path = Corpus.WriteStudy(folder, dataPath, [], "1");
        if (extra.Length > 0) File.AppendAllText(path, extra);
        return path;
    }

    private static void CopyClean(string to) => File.Copy(Path.Combine(Corpus.Folder, "clean.csv"), to, overwrite: true);

    [Fact]
    public void A_dotdot_input_path_leading_outside_the_study_folder_is_refused()
    {
        using var dir = new TempDirectory();
        CopyClean(dir.File("clean.csv"));
        var study = Study(dir, "../clean.csv");
        var (code, _, error) = Run("validate", study);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("leads outside the study file's folder", error, StringComparison.Ordinal);
        Assert.Contains("allow_paths_outside_study_folder", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_absolute_input_path_outside_the_study_folder_is_refused_before_it_is_read()
    {
        using var dir = new TempDirectory();
        var secret = dir.File("secret.csv");
        File.WriteAllText(secret, "TOP-SECRET-FIRST-LINE\n");
        var (code, _, error) = Run("validate", Study(dir, secret));
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("leads outside the study file's folder", error, StringComparison.Ordinal);
        Assert.DoesNotContain("TOP-SECRET", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_file_such_as_proc_self_environ_is_refused_and_the_environment_is_not_printed()
    {
        if (!File.Exists("/proc/self/environ")) return;
        using var dir = new TempDirectory();
        var study = Study(dir, "data.csv", "report:\n  region_labels: /proc/self/environ\n");
        CopyClean(Path.Combine(dir.Path, "study", "data.csv"));
        var (code, output, error) = Run("validate", study);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("leads outside the study file's folder", error, StringComparison.Ordinal);
        Assert.DoesNotContain("PATH=", error + output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symbolic_link_inside_the_study_folder_to_a_file_outside_is_refused()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory();
        CopyClean(dir.File("outside.csv"));
        var study = Study(dir, "linked.csv");
        File.CreateSymbolicLink(Path.Combine(dir.Path, "study", "linked.csv"), dir.File("outside.csv"));
        var (code, _, error) = Run("validate", study);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("leads outside the study file's folder", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_symbolic_link_to_a_folder_outside_is_refused_but_a_link_within_the_folder_is_allowed()
    {
        if (OperatingSystem.IsWindows()) return;
        using var dir = new TempDirectory();
        Directory.CreateDirectory(dir.File("elsewhere"));
        CopyClean(dir.File("elsewhere/clean.csv"));
        var study = Study(dir, "data/clean.csv");
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "study", "data"), dir.File("elsewhere"));
        Assert.Equal(ExitCodes.UsageError, Run("validate", study).Code);

        Directory.Delete(Path.Combine(dir.Path, "study", "data"));
        Directory.CreateDirectory(Path.Combine(dir.Path, "study", "real"));
        CopyClean(Path.Combine(dir.Path, "study", "real", "clean.csv"));
        Directory.CreateSymbolicLink(Path.Combine(dir.Path, "study", "data"), "real");
        var (code, output, error) = Run("validate", study);
        Assert.True(code == ExitCodes.Success, output + error);
    }

    [Fact]
    public void A_study_that_opts_out_may_read_files_outside_its_folder()
    {
        using var dir = new TempDirectory();
        CopyClean(dir.File("clean.csv"));
        var (code, output, error) = Run("validate", Study(dir, "../clean.csv", "allow_paths_outside_study_folder: true\n"));
        Assert.True(code == ExitCodes.Success, output + error);
    }

    [Fact]
    public void A_wrong_header_is_quoted_as_a_bounded_escaped_excerpt_not_the_whole_line()
    {
        using var dir = new TempDirectory();
        var study = Study(dir, "data.csv");
        CopyClean(Path.Combine(dir.Path, "study", "data.csv"));
        var line = "\u001B]0;pwned\u0007\u001B[2J" + new string('x', 5000);
        File.WriteAllText(Path.Combine(dir.Path, "study", "wages.csv"), line + "\n1,2,KZT,2023,s\n");
        var (code, output, error) = Run("validate", study);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("the wage table header is", error, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('x', MessageText.MaxExcerptLength + 1), error, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001B', error + output);
        Assert.DoesNotContain('\u0007', error + output);
        Assert.Contains("\\e]0;pwned", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_list_offered_as_a_hint_is_bounded_and_escaped()
    {
        using var dir = new TempDirectory();
        var study = Study(dir, "data.csv");
        File.WriteAllText(Path.Combine(dir.Path, "study", "data.csv"), "\u001B[2J" + new string('q', 5000) + ",\u009Bmore\n1,2\n");
        var (code, output, error) = Run("validate", study);
        Assert.NotEqual(ExitCodes.Success, code);
        Assert.DoesNotContain(new string('q', 3 * MessageText.MaxExcerptLength + 1), error + output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001B', error + output);
        Assert.DoesNotContain('\u009B', error + output);
    }

    [Fact]
    public void Validate_prints_rejections_with_terminal_escape_sequences_escaped()
    {
        using var dir = new TempDirectory();
        var study = Study(dir, "data.csv");
        var rows = File.ReadAllLines(Path.Combine(Corpus.Folder, "clean.csv"));
        var cells = rows[1].Split(',');
        cells[2] = "\u001B[2J\u009B31m\u007F"; // the weight: not a number
        rows[1] = string.Join(',', cells);
        File.WriteAllText(Path.Combine(dir.Path, "study", "data.csv"), string.Join('\n', rows) + "\n", new UTF8Encoding(false));
        var (_, output, error) = Run("validate", study);
        Assert.Contains("number.invalid", output, StringComparison.Ordinal);
        foreach (var c in "\u001B\u009B\u007F")
            Assert.DoesNotContain(c, output + error);
        Assert.Contains("\\e[2J", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a\u001B[31mb", "a\\e[31mb")]
    [InlineData("x\ny\rz\t", "x\\ny\\rz\\t")]
    [InlineData("\u0000\u007F\u0085\u009B\u2028", "\\u0000\\u007F\\u0085\\u009B\\u2028")]
    [InlineData("Помощь соседям", "Помощь соседям")]
    public void Escape_writes_C0_C1_DEL_and_line_separators_as_escapes(string text, string expected) =>
        Assert.Equal(expected, MessageText.Escape(text));

    [Fact]
    public void An_excerpt_is_bounded_and_says_how_long_the_text_was()
    {
        var excerpt = MessageText.Excerpt(new string('a', 1000));
        Assert.StartsWith(new string('a', MessageText.MaxExcerptLength) + "…", excerpt, StringComparison.Ordinal);
        Assert.EndsWith("(1000 characters)", excerpt, StringComparison.Ordinal);
    }
}
