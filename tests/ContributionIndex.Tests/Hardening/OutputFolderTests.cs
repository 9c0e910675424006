using ContributionIndex.Cli;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Hardening;

/// <summary>
/// A run's outputs are one unit (methodology/hardening.md, "Output folders"): staged next to <c>--out</c> and swapped in
/// whole under a lock, so a folder never mixes two runs, and <c>--out</c> never holds the run's own inputs.
/// </summary>
public class OutputFolderTests
{
    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Every file under <paramref name="folder"/> (relative path → bytes).</summary>
    private static SortedDictionary<string, byte[]> Contents(string folder) =>
        new(Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(folder, f), File.ReadAllBytes), StringComparer.Ordinal);

    private static void AssertNoLeftovers(string output)
    {
        var parent = Path.GetDirectoryName(output)!;
        var name = Path.GetFileName(output);
        Assert.Empty(Directory.GetDirectories(parent, $".{name}.staging-*"));
        Assert.Empty(Directory.GetDirectories(parent, $".{name}.old-*"));
    }

    /// <summary>A copy of the kg study with its data and parameters in a folder of its own (relative paths, as users write them).</summary>
    private static string CopyOfKg()
    {
        var folder = SampleStudies.NewTemporaryFolder();
        File.Copy(SampleStudies.Study("kg"), Path.Combine(folder, "kg.yaml"));
        foreach (var sub in new[] { "data", "parameters" })
        {
            Directory.CreateDirectory(Path.Combine(folder, sub));
            foreach (var file in Directory.GetFiles(Path.Combine(SampleStudies.Folder, sub)))
                File.Copy(file, Path.Combine(folder, sub, Path.GetFileName(file)));
        }

        return Path.Combine(folder, "kg.yaml");
    }

    [Fact]
    public void A_later_run_without_partial_removes_the_stale_partial_json_and_merge_cannot_use_it()
    {
        var output = Path.Combine(SampleStudies.NewTemporaryFolder(), "out");
        Assert.Equal(ExitCodes.Success, Run("value", SampleStudies.Study("kg"), "--out", output, "--partial", "--records", "none").Code);
        Assert.True(File.Exists(Path.Combine(output, "partial.json")));

        Assert.Equal(ExitCodes.Success, Run("value", SampleStudies.Study("kg"), "--out", output, "--records", "none").Code);
        Assert.False(File.Exists(Path.Combine(output, "partial.json")), "partial.json of the earlier run survived");
        Assert.NotEqual(ExitCodes.Success, Run("merge", output, "--out", Path.Combine(Path.GetDirectoryName(output)!, "merged")).Code);
        AssertNoLeftovers(output);
    }

    [Fact]
    public void A_run_replaces_the_whole_folder_so_no_file_of_an_earlier_run_survives()
    {
        var output = Path.Combine(SampleStudies.NewTemporaryFolder(), "out");
        Assert.Equal(ExitCodes.Success, Run("value", SampleStudies.Study("kg"), "--out", output, "--records", "none").Code);
        var first = Contents(output);
        Assert.Contains(OutputFolder.MarkerName, first.Keys);
        // What a run killed between per-file renames used to leave: files of another run beside this run's manifest.
        File.WriteAllText(Path.Combine(output, "valued_records.csv"), "from an earlier run\n");
        File.WriteAllText(Path.Combine(output, "estimates.csv"), "from an earlier run\n");

        Assert.Equal(ExitCodes.Success, Run("value", SampleStudies.Study("kg"), "--out", output, "--records", "none").Code);
        Assert.Equal(first, Contents(output));
        AssertNoLeftovers(output);
    }

    [Fact]
    public void A_failed_run_leaves_the_previous_outputs_untouched()
    {
        var output = Path.Combine(SampleStudies.NewTemporaryFolder(), "out");
        Assert.Equal(ExitCodes.Success, Run("value", SampleStudies.Study("kg"), "--out", output, "--records", "none").Code);
        var before = Contents(output);
        var broken = SampleStudies.Variant("kg", "kg_lfs_volunteer_module_2023.csv", "no_such_file.csv");
        Assert.NotEqual(ExitCodes.Success, Run("value", broken, "--out", output).Code);
        Assert.Equal(before, Contents(output));
        AssertNoLeftovers(output);
    }

    [Fact]
    public void A_folder_holding_files_contrib_did_not_write_is_refused_and_kept()
    {
        var output = SampleStudies.NewTemporaryFolder();
        File.WriteAllText(Path.Combine(output, "thesis.docx"), "my work");
        var (code, _, stderr) = Run("value", SampleStudies.Study("kg"), "--out", output, "--records", "none");
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("holds files that contrib did not write", stderr);
        Assert.Equal(["thesis.docx"], Directory.GetFileSystemEntries(output).Select(Path.GetFileName));
        AssertNoLeftovers(output);
    }

    [Theory]
    [InlineData("value", "data", "input 'kg-survey'")]
    [InlineData("value", ".", "study file")]
    [InlineData("estimate", "parameters", "wage table")]
    [InlineData("report", "data/link", "input 'kg-survey'")]
    public void Out_that_is_or_contains_an_input_study_or_parameter_file_is_refused_before_any_data_step(string command, string outFolder, string what)
    {
        var study = CopyOfKg();
        var folder = Path.GetDirectoryName(study)!;
        var target = Path.GetFullPath(Path.Combine(folder, outFolder));
        if (outFolder == "data/link")
        {
            // A symbolic link to the data folder, named elsewhere: compared after resolving links.
            target = Path.Combine(SampleStudies.NewTemporaryFolder(), "link");
            Directory.CreateSymbolicLink(target, Path.Combine(folder, "data"));
        }
        else
        {
            File.WriteAllText(Path.Combine(target, OutputFolder.MarkerName), ""); // even a folder marked as contrib's
        }

        var before = Contents(folder);
        var (code, stdout, stderr) = Run(command, study, "--out", target);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("contains the " + what, stderr);
        Assert.DoesNotContain("[2/5]", stdout);
        Assert.Equal(before, Contents(folder));
    }

    [Fact]
    public void Two_concurrent_report_runs_into_one_folder_leave_the_files_of_one_run()
    {
        var studyA = SampleStudies.Study("kg");
        var studyB = SampleStudies.Variant("kg", "annualisation_factor: 13", "annualisation_factor: 12");
        var root = SampleStudies.NewTemporaryFolder();
        var referenceA = Path.Combine(root, "a");
        var referenceB = Path.Combine(root, "b");
        Assert.Equal(ExitCodes.Success, Run("report", studyA, "--out", referenceA, "--format", "csv,sdmx").Code);
        Assert.Equal(ExitCodes.Success, Run("report", studyB, "--out", referenceB, "--format", "csv,sdmx").Code);
        var a = Contents(referenceA);
        var b = Contents(referenceB);
        Assert.NotEqual(a["valuation/summary.csv"], b["valuation/summary.csv"]);

        var shared = Path.Combine(root, "shared");
        for (var round = 0; round < 2; round++)
        {
            var results = new (int Code, string Out, string Err)[2];
            var threads = new[] { studyA, studyB }.Select((study, i) => new Thread(() => results[i] = Run("report", study, "--out", shared, "--format", "csv,sdmx"))).ToArray();
            foreach (var thread in threads) thread.Start();
            foreach (var thread in threads) thread.Join();
            foreach (var (code, _, stderr) in results)
                Assert.True(code == ExitCodes.Success || (code == ExitCodes.DataRejected && stderr.Contains("is busy", StringComparison.Ordinal)), $"exit {code}: {stderr}");
            Assert.Contains(results, r => r.Code == ExitCodes.Success);

            var published = Contents(shared);
            Assert.True(published.Keys.SequenceEqual(a.Keys) || published.Keys.SequenceEqual(b.Keys), string.Join(", ", published.Keys));
            var one = published.Keys.SequenceEqual(a.Keys) && published.All(f => f.Value.AsSpan().SequenceEqual(a[f.Key])) ? "a"
                : published.Keys.SequenceEqual(b.Keys) && published.All(f => f.Value.AsSpan().SequenceEqual(b[f.Key])) ? "b" : null;
            Assert.True(one is not null, "the folder mixes the files of the two runs");
            AssertNoLeftovers(shared);
        }
    }

    [Fact]
    public void Index_file_mode_refuses_an_out_holding_its_framework_and_publishes_whole()
    {
        var folder = SampleStudies.NewTemporaryFolder();
        var framework = Path.Combine(folder, "f.csv");
        var data = Path.Combine(folder, "d.csv");
        File.WriteAllText(framework, "indicator,pillar,direction,lower,upper,weight\nhours,social,+,0,100,\n");
        File.WriteAllText(data, "unit,indicator,value\nA,hours,12\nB,hours,30\n");
        var (code, _, stderr) = Run("index", "--framework", framework, "--data", data, "--out", folder);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("contains the framework file", stderr);
        Assert.True(File.Exists(framework) && File.Exists(data));

        var output = Path.Combine(folder, "out");
        Assert.Equal(ExitCodes.Success, Run("index", "--framework", framework, "--data", data, "--out", output, "--mc-runs", "20").Code);
        Assert.True(File.Exists(Path.Combine(output, "sensitivity.csv")));
        Assert.Equal(ExitCodes.Success, Run("index", "--framework", framework, "--data", data, "--out", output).Code);
        Assert.False(File.Exists(Path.Combine(output, "sensitivity.csv")), "sensitivity.csv of the earlier run survived");
        AssertNoLeftovers(output);
    }

    [Fact]
    public void A_run_that_cannot_get_the_lock_fails_busy_and_publishes_nothing()
    {
        var output = Path.Combine(SampleStudies.NewTemporaryFolder(), "out");
        Assert.Equal(ExitCodes.Success, Run("value", SampleStudies.Study("kg"), "--out", output, "--records", "none").Code);
        var before = Contents(output);
        var wait = OutputFolder.LockWait;
        try
        {
            OutputFolder.LockWait = TimeSpan.FromSeconds(1);
            using (new FileStream(Path.Combine(Path.GetDirectoryName(output)!, ".out.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None))
            {
                var (code, _, stderr) = Run("value", SampleStudies.Study("kg"), "--out", output, "--partial", "--records", "none");
                Assert.Equal(ExitCodes.DataRejected, code);
                Assert.Contains("is busy", stderr);
            }
        }
        finally
        {
            OutputFolder.LockWait = wait;
        }

        Assert.Equal(before, Contents(output));
        AssertNoLeftovers(output);
    }
}
