using System.Globalization;
using System.Text;
using ContributionIndex.Cli;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.IO;
using ContributionIndex.Tests.Ingest;

namespace ContributionIndex.Tests.Hardening;

/// <summary>
/// Issue #15: a full disk on --out must leave no temporary file and the previous outputs as they were; a huge rejected
/// field must not blow up stdout or the quarantine (methodology/hardening.md §1).
/// </summary>
public class DiskFullAndBoundsTests
{
    private static (int Exit, string Stdout, string Stderr) Run(params string[] args) => CorpusRun.Cli(args);

    private static SortedDictionary<string, string> Snapshot(string folder) =>
        new(Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetRelativePath(folder, p), p => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(p)))), StringComparer.Ordinal);

    /// <summary>
    /// The fault-injection seam makes every write fail once a byte budget is spent, at budgets from 0 bytes to past
    /// the whole run. Each failing run is exit 1 with one error line naming --out and the cause, the previous --out is
    /// byte for byte as it was, and nothing else is left beside it (no staging folder, no temporary file) — only the
    /// lock file every run keeps.
    /// </summary>
    [Fact]
    public void A_full_disk_at_any_point_of_a_run_leaves_no_temporary_file_and_the_previous_output_untouched()
    {
        using var scratch = new TempDirectory();
        var entry = Corpus.Entries.First(e => e.File == "negative-hours.csv" && e.Outcome == "rejected-rows"); // a rejected row: quarantine.csv is written too
        var study = Corpus.Materialise(entry, scratch.Path);
        var output = scratch.File("out");
        var first = Run("value", study, "--out", output);
        Assert.True(first.Exit == ExitCodes.Success, first.Stderr);
        var before = Snapshot(output);
        var besideBefore = Directory.EnumerateFileSystemEntries(scratch.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();

        var failures = 0;
        var succeeded = false;
        for (long budget = 0; budget <= 64L * 1024 * 1024 && !succeeded; budget = budget == 0 ? 16 : budget * 4)
        {
            (int Exit, string Stdout, string Stderr) run;
            using (DiskFaults.Simulate(budget)) run = Run("value", study, "--out", output);
            var beside = Directory.EnumerateFileSystemEntries(scratch.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
            Assert.Equal(besideBefore, beside);
            Assert.Equal(before, Snapshot(output)); // a successful rerun writes the same bytes, a failed one changes nothing
            if (run.Exit == ExitCodes.Success)
            {
                succeeded = true;
                continue;
            }

            failures++;
            Assert.True(run.Exit == ExitCodes.DataRejected, $"budget {budget}: exit {run.Exit}: {run.Stderr}");
            var lines = run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 1, run.Stderr);
            Assert.StartsWith($"error: --out '{output}': writing the outputs failed ({DiskFaults.NoSpaceMessage})", lines[0], StringComparison.Ordinal);
        }

        Assert.True(succeeded, "no budget let the run finish");
        Assert.True(failures >= 5, $"only {failures} budgets failed");
        Assert.Contains($".out.lock", besideBefore);
    }

    [Fact]
    public void A_full_disk_while_the_key_scan_spills_removes_its_partition_files_at_once()
    {
        var keys = Enumerable.Range(1, 20_000).Select(i => ((long)i, new UInt128((ulong)i * 0x9E3779B97F4A7C15UL, (ulong)i * 0xC2B2AE3D27D4EB4FUL))).ToList();
        using var scan = new DuplicateKeyScan(64 * 1024, after => keys.Where(k => k.Item1 > after));
        using (DiskFaults.Simulate(10_000))
        {
            var ex = Assert.Throws<IOException>(() =>
            {
                foreach (var (line, digest) in keys) scan.FirstLineOf(digest, line);
            });
            Assert.Equal(DiskFaults.NoSpaceMessage, ex.Message);
        }

        Assert.NotNull(scan.SpillFolder);
        Assert.False(Directory.Exists(scan.SpillFolder), "the partition folder is still there");
    }

    /// <summary>
    /// A real full disk, where the test may mount one (root on Linux): a 256 KiB tmpfs as the output's parent. Without
    /// the permission the test returns at once; the fault-injection test above covers every platform.
    /// </summary>
    [Fact]
    public void A_run_into_a_tiny_real_file_system_fails_cleanly_when_the_test_may_mount_one()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root") return;
        using var scratch = new TempDirectory();
        var mount = scratch.File("tiny");
        Directory.CreateDirectory(mount);
        if (!Shell("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount)) return; // not permitted here (a container without CAP_SYS_ADMIN)
        try
        {
            var entry = Corpus.Entries.First(e => e.File == "negative-hours.csv" && e.Outcome == "rejected-rows");
            var study = Corpus.Materialise(entry, scratch.Path);
            // Fill the file system, then free one page, so the run starts but its outputs cannot fit.
            var filler = Path.Combine(mount, "filler");
            using (var fill = new FileStream(filler, FileMode.CreateNew))
            {
                try
                {
                    while (true) fill.Write(new byte[4096]);
                }
                catch (IOException)
                {
                }

                fill.SetLength(Math.Max(0, fill.Length - 4096));
            }

            var run = Run("value", study, "--out", Path.Combine(mount, "out"));
            Assert.True(run.Exit == ExitCodes.DataRejected, $"exit {run.Exit}: {run.Stderr}");
            Assert.Contains("writing the outputs failed", run.Stderr, StringComparison.Ordinal);
            Assert.Equal(["filler"], Directory.EnumerateFiles(mount, "*", SearchOption.AllDirectories).Select(p => Path.GetFileName(p))
                .Where(n => !n.EndsWith(".lock", StringComparison.Ordinal)).ToArray());
            Assert.Empty(Directory.EnumerateDirectories(mount));
        }
        finally
        {
            Shell("umount", mount);
        }
    }

    private static bool Shell(string command, params string[] args)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(command, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>
    /// A rejected field just under the field size limit (1 MiB) is quarantined as a bounded excerpt naming its length;
    /// the reason quotes it bounded too, so stdout of validate and the quarantine stay small; the counts reconcile.
    /// </summary>
    [Fact]
    public void A_huge_rejected_field_gives_a_bounded_quarantine_row_and_bounded_messages()
    {
        using var scratch = new TempDirectory();
        var entry = Corpus.Entries.Single(e => e.File == "clean.csv");
        var study = Corpus.Materialise(entry, scratch.Path);
        var table = Corpus.CleanTable();
        var isco = Array.IndexOf(table[0], "isco");
        var huge = new string('7', InputLimits.MaxFieldChars - 10); // not 1 to 4 digits: isco.invalid
        var text = new StringBuilder();
        for (var r = 0; r < table.Count; r++)
        {
            var cells = table[r].Select(c => c.IndexOfAny([',', '"', '\n']) >= 0 ? '"' + c.Replace("\"", "\"\"", StringComparison.Ordinal) + '"' : c).ToArray();
            if (r == 11) cells[isco] = huge;
            text.Append(string.Join(',', cells)).Append('\n');
        }

        File.WriteAllText(scratch.File("clean.csv"), text.ToString(), new UTF8Encoding(false));
        var output = scratch.File("out");
        var run = Run("value", study, "--out", output);
        Assert.True(run.Exit == ExitCodes.Success, run.Stderr);
        Assert.Contains("survey: read 12 = accepted 11 + rejected 1 ", run.Stdout, StringComparison.Ordinal);
        Assert.True(run.Stdout.Length < 20_000, $"{run.Stdout.Length} characters on stdout");
        var quarantine = Path.Combine(output, "quarantine.csv");
        Assert.True(new FileInfo(quarantine).Length < 20_000, $"{new FileInfo(quarantine).Length} bytes of quarantine");
        using (var reader = TabularFile.Open(quarantine))
        {
            var row = reader.ReadRows().Single();
            Assert.Equal(("12", (isco + 1).ToString(CultureInfo.InvariantCulture), "isco.invalid"), (row[2], row[3], row[5]));
            Assert.StartsWith(huge[..InputLimits.MaxQuotedChars] + "… (" + huge.Length.ToString(CultureInfo.InvariantCulture) + " characters", row[7], StringComparison.Ordinal);
            Assert.True(row[6].Length < 2 * InputLimits.MaxQuotedChars, row[6][..200]);
        }

        var validate = Run("validate", study);
        Assert.True(validate.Stdout.Length < 20_000, $"{validate.Stdout.Length} characters on stdout of validate");
        Assert.Contains("isco.invalid", validate.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejected_rows_keep_short_values_exactly_and_cut_long_ones_visibly()
    {
        var at = new SourceLocation("a.csv", 3, 2);
        Assert.Equal("=1+2", new RejectedRow(at, "isco.invalid", "ISCO code '=1+2' is bad.", "=1+2").RawValue);
        var raw = new string('x', 5000);
        var row = new RejectedRow(at, "code.unknown", $"code '{raw}' is not known; add it to codes: ['{raw}'].", raw);
        Assert.Equal(InputLimits.MaxQuotedChars, row.RawValue!.IndexOf('…', StringComparison.Ordinal));
        Assert.Contains("(5000 characters", row.RawValue, StringComparison.Ordinal);
        Assert.True(row.Reason.Length < 400, row.Reason);
        Assert.EndsWith("'].", row.Reason, StringComparison.Ordinal); // the hint after the value is kept
    }
}
