using System.Globalization;
using System.Text;
using ContributionIndex.Cli;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.Reporting;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Ingest;

namespace ContributionIndex.Tests.Hardening;

/// <summary>
/// Issue #15, "errors that crash or hang instead of explaining": every error names its file (and line and column where
/// known), options are checked before any work, a folder is called a folder, invalid UTF-8 is placed by line and
/// character, and fields and labels have documented size limits (methodology/hardening.md §1).
/// </summary>
public class ErrorMessageTests
{
    private static (int Exit, string Stdout, string Stderr) Run(params string[] args) => CorpusRun.Cli(args);

    private static string[] ErrorLines(string stderr) =>
        [.. stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("error: ", StringComparison.Ordinal))];

    public static TheoryData<CorpusEntry> FailingEntries()
    {
        var data = new TheoryData<CorpusEntry>();
        foreach (var entry in Corpus.Entries.Where(e => e.Outcome is "file-error" or "study-error" or "tolerance-exceeded" or "estimate-error"))
            data.Add(entry);
        return data;
    }

    /// <summary>
    /// The audit of item 7: every bad input of the corpus, through every command that reads it (value, validate and, for
    /// data files, estimate in quick mode), fails with error lines that each name the file — the data file, the study
    /// file for study errors, the quarantine for too many rejected rows — and no stack trace.
    /// </summary>
    [Theory]
    [MemberData(nameof(FailingEntries))]
    public void Every_error_of_the_corpus_names_its_file_in_every_command(CorpusEntry entry)
    {
        using var scratch = new TempDirectory();
        var studyPath = Corpus.Materialise(entry, scratch.Path);
        var dataFile = entry.File.Replace("gen:", "", StringComparison.Ordinal);
        var expected = entry.Outcome switch
        {
            "study-error" => Path.GetFileName(studyPath),
            _ => dataFile,
        };

        // An estimate-error entry is accepted by value and validate (the design is checked by estimate only).
        var runs = new List<(string Command, (int Exit, string Stdout, string Stderr) Result, string Names)>();
        if (entry.Outcome != "estimate-error")
        {
            runs.Add(("validate", Run("validate", studyPath), entry.Outcome == "tolerance-exceeded" ? Path.GetFileName(studyPath) : expected));
            runs.Add(("value", Run("value", studyPath, "--out", scratch.File("out")), entry.Outcome == "tolerance-exceeded" ? "quarantine.csv" : expected));
        }

        if (entry.Outcome is "file-error" or "estimate-error" && !entry.InputOptions.Any(o => o.Key == "thousands"))
        {
            var args = new List<string> { "estimate", "--data", scratch.File(dataFile), "--weights", "w", "--strata", "strata", "--psu", "psu", "--total", "h" };
            foreach (var (key, value) in entry.InputOptions) args.AddRange([$"--{key}", value]);
            runs.Add(("estimate", Run([.. args]), dataFile));
        }

        foreach (var (command, result, names) in runs)
        {
            Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("internal error", result.Stderr, StringComparison.Ordinal);
            var errors = ErrorLines(result.Stderr);
            Assert.True(result.Exit != ExitCodes.Success && errors.Length == 1, $"{command}: exit {result.Exit}, stderr: {result.Stderr}");
            Assert.True(errors[0].Contains(names, StringComparison.Ordinal), $"{command}: '{names}' not in: {errors[0]}");
        }
    }

    private static (string Framework, string Data) IndexFiles()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "samples", "regional-index", "vci-illustrative");
        return (Path.GetFullPath(Path.Combine(folder, "framework.csv")), Path.GetFullPath(Path.Combine(folder, "data.csv")));
    }

    [Theory]
    [InlineData("--mc-runs", "0")]
    [InlineData("--mc-runs", "-5")]
    [InlineData("--mc-runs", "1")]
    [InlineData("--min-coverage", "2")]
    [InlineData("--min-pillar-coverage", "-0.1")]
    [InlineData("--score-min", "200")]
    [InlineData("--power", "NaN")]
    [InlineData("--mc-weight-noise", "1")]
    public void An_index_option_out_of_range_is_a_usage_error_naming_the_option_before_any_file_is_read(string option, string value)
    {
        using var scratch = new TempDirectory();
        // The framework does not exist: the option must be refused before it is looked for, and nothing is created.
        string[] args = ["index", "--framework", scratch.File("missing-framework.csv"), "--data", scratch.File("missing-data.csv"), "--out", scratch.File("out"), option, value];
        if (option == "--mc-weight-noise") args = [.. args, "--mc-runs", "10"];
        var (exit, stdout, stderr) = Run(args);
        Assert.Equal(ExitCodes.UsageError, exit);
        var errors = ErrorLines(stderr);
        Assert.Single(errors);
        Assert.StartsWith($"error: {option} ", errors[0], StringComparison.Ordinal);
        Assert.Contains("out of range", errors[0], StringComparison.Ordinal);
        Assert.DoesNotContain("framework", errors[0], StringComparison.Ordinal);
        Assert.Equal("", stdout);
        Assert.False(Directory.Exists(scratch.File("out")));
    }

    [Fact]
    public void Index_without_mc_runs_skips_the_analysis_and_with_a_valid_value_runs_it()
    {
        var (framework, data) = IndexFiles();
        using var scratch = new TempDirectory();
        Assert.Equal(ExitCodes.Success, Run("index", "--framework", framework, "--data", data, "--out", scratch.File("a")).Exit);
        Assert.False(File.Exists(Path.Combine(scratch.File("a"), "sensitivity.csv")));
        Assert.Equal(ExitCodes.Success, Run("index", "--framework", framework, "--data", data, "--out", scratch.File("b"), "--mc-runs", "2", "--seed", "3").Exit);
        Assert.True(File.Exists(Path.Combine(scratch.File("b"), "sensitivity.csv")));
    }

    [Fact]
    public void Zscore_alternatives_with_geometric_aggregation_are_refused_as_options_not_blamed_on_the_framework()
    {
        var (framework, data) = IndexFiles();
        using var scratch = new TempDirectory();
        var (exit, _, stderr) = Run("index", "--framework", framework, "--data", data, "--out", scratch.File("out"), "--mc-runs", "5", "--mc-normalise", "zscore");
        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.StartsWith("error: --mc-normalise includes zscore", ErrorLines(stderr).Single(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(scratch.File("out")));
    }

    [Theory]
    [InlineData("--rep-type bootstrap --replicates 1", "error: --replicates 1 is out of range")]
    [InlineData("--repweights rw* --rep-type fay --rho 1.5", "error: --rho 1.5 is out of range")]
    [InlineData("--repweights rw* --rep-type fay", "error: --rep-type fay needs --rho")]
    [InlineData("--rep-type brr", "error: --rep-type brr cannot be built from strata and PSUs")]
    [InlineData("--rep-type jk1 --scale -1", "error: --scale -1 is out of range")]
    [InlineData("--repweights rw*", "error: --repweights needs the replicate method")]
    public void A_quick_estimate_option_out_of_range_is_refused_before_the_data_is_read(string options, string message)
    {
        using var scratch = new TempDirectory();
        var (exit, _, stderr) = Run(["estimate", "--data", scratch.File("missing.csv"), "--weights", "w", "--total", "h", .. options.Split(' ')]);
        Assert.Equal(ExitCodes.UsageError, exit);
        Assert.StartsWith(message, ErrorLines(stderr).Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("missing.csv", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_given_as_a_file_is_called_a_folder_not_missing()
    {
        using var scratch = new TempDirectory();
        Directory.CreateDirectory(scratch.File("survey.csv"));
        var (exit, _, stderr) = Run("estimate", "--data", scratch.File("survey.csv"), "--weights", "w", "--total", "h");
        Assert.Equal(ExitCodes.DataRejected, exit);
        var error = ErrorLines(stderr).Single();
        Assert.Contains("survey.csv: the file is a folder, not a file", error, StringComparison.Ordinal);
        Assert.DoesNotContain("does not exist", error, StringComparison.Ordinal);

        var (indexExit, _, indexErr) = Run("index", "--framework", scratch.File("survey.csv"), "--data", scratch.File("survey.csv"), "--out", scratch.File("out"));
        Assert.Equal(ExitCodes.DataRejected, indexExit);
        Assert.Contains("is a folder, not a file", indexErr, StringComparison.Ordinal);

        // A study whose input path names a folder: exit 2 at the path's line and column.
        var entry = Corpus.Entries.Single(e => e.File == "clean.csv");
        var study = Corpus.Materialise(entry, scratch.Path);
        File.WriteAllText(study, File.ReadAllText(study).Replace("path: \"clean.csv\"", "path: \"survey.csv\"", StringComparison.Ordinal));
        var (studyExit, _, studyErr) = Run("validate", study);
        Assert.Equal(ExitCodes.UsageError, studyExit);
        Assert.Contains("which is a folder, not a file", studyErr, StringComparison.Ordinal);
        Assert.Contains("study.yaml:11:11", studyErr, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_in_the_middle_of_a_file_is_placed_by_line_character_and_byte_offset()
    {
        using var scratch = new TempDirectory();
        // Line 3 holds 'Алма' (valid UTF-8, 2 bytes a letter) then the stray byte 0xFF at character 7 of the line.
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes("region,count\nNorth,1\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes("x,Алма"));
        bytes.Add(0xFF);
        bytes.AddRange(Encoding.UTF8.GetBytes(",2\nSouth,3\n"));
        var offset = Encoding.UTF8.GetByteCount("region,count\nNorth,1\nx,Алма");
        File.WriteAllBytes(scratch.File("bad.csv"), [.. bytes]);
        var ex = Assert.Throws<InputDataException>(() => TabularFile.Open(scratch.File("bad.csv")).Dispose());
        Assert.Contains("encoding cannot be detected", ex.Message, StringComparison.Ordinal);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"character 7 of line 3 (byte offset {offset})"), ex.Message, StringComparison.Ordinal);
        Assert.Equal((scratch.File("bad.csv"), 3L), (ex.Location.File, ex.Location.Line));
    }

    [Fact]
    public void A_field_over_the_limit_is_refused_with_file_line_and_column_in_every_reading_path()
    {
        using var scratch = new TempDirectory();
        var options = new TabularOptions { MaxFieldChars = 10 };
        File.WriteAllText(scratch.File("a.csv"), "id,label\n1,short\n2,abcdefghijk\n3,x\n");
        foreach (var recycle in new[] { false, true })
        {
            var ex = Assert.Throws<InputDataException>(() =>
            {
                using var reader = TabularFile.Open(scratch.File("a.csv"), options);
                if (recycle) reader.RecycleRows();
                foreach (var row in reader.ReadRows()) _ = row;
            });
            Assert.Contains("the field is 11 characters long, more than 10 (the field size limit)", ex.Message, StringComparison.Ordinal);
            Assert.Equal((3L, 2, "label"), (ex.Location.Line, ex.Location.Column, ex.Location.ColumnName));
        }

        // At the limit is accepted.
        File.WriteAllText(scratch.File("b.csv"), "id,label\n1,abcdefghij\n");
        using (var reader = TabularFile.Open(scratch.File("b.csv"), options))
            Assert.Equal("abcdefghij", reader.ReadRows().Single()[1]);
    }

    [Fact]
    public void A_region_label_or_wage_table_field_over_its_limit_is_refused_at_its_line_and_column()
    {
        var label = new string('x', InputLimits.MaxLabelChars + 1);
        var ex = Assert.Throws<StudyFileException>(() => RegionLabels.Read(new StringReader($"region,en,ru,kk\nNorth,{label},Север,Солтүстік\n"), "labels.csv"));
        Assert.Equal((2L, 2), (ex.Location.Line, ex.Location.Column));
        Assert.Contains("label size limit", ex.Message, StringComparison.Ordinal);

        var huge = new string('y', InputLimits.MaxFieldChars + 1);
        var wage = Assert.Throws<StudyFileException>(() => ContributionIndex.Valuation.WageTable.SplitCsvLine($"2,10.5,KZT,2023,{huge}", "wages.csv", 7));
        Assert.Equal((7L, 5), (wage.Location.Line, wage.Location.Column));
        Assert.Contains("field size limit", wage.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("title: {0}\n", "title")]
    [InlineData("report:\n  title: {{ en: {0} }}\n", "report.title.en")]
    [InlineData("report:\n  publisher: {{ kk: {0} }}\n", "report.publisher.kk")]
    [InlineData("report:\n  contact: {0}\n", "report.contact")]
    public void A_cover_text_over_the_label_limit_is_a_study_error_at_its_key(string yaml, string key)
    {
        using var scratch = new TempDirectory();
        var entry = Corpus.Entries.Single(e => e.File == "clean.csv");
        var study = Corpus.Materialise(entry, scratch.Path);
        var text = File.ReadAllText(study);
        var longText = new string('T', 40_000); // over Excel's 32,767 characters a cell, which crashed the xlsx writer
        if (key == "title") text = text.Replace("title: Hardening corpus\n", "", StringComparison.Ordinal);
        File.WriteAllText(study, text + string.Format(CultureInfo.InvariantCulture, yaml, longText));
        var ex = Assert.Throws<StudyFileException>(() => StudyLoader.Load(study));
        Assert.Contains($"{key} is 40000 characters long", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.Location.Line > 0 && ex.Location.Column > 0, ex.Message);
    }
}
