using System.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.Scratch;

namespace ContributionIndex.Tests.Hardening;

/// <summary>
/// Temporary spill files hold person ids (#15): they live in a private per-run folder (0700), are owner-only (0600),
/// disappear when closed or at exit, and a killed run's folder is cleaned by the next run.
/// </summary>
public class SpillFileTests
{
    private const UnixFileMode Owner600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Owner700 = Owner600 | UnixFileMode.UserExecute;

    private static UnixFileMode Mode(string path) => OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path);

    [Fact]
    public void A_spill_file_is_owner_only_in_an_owner_only_run_folder_and_deleted_on_close()
    {
        if (OperatingSystem.IsWindows()) return;
        string path;
        using (var stream = ScratchSpace.CreateFile(".spill", FileAccess.ReadWrite, 4096, FileOptions.DeleteOnClose))
        {
            path = stream.Name;
            Assert.StartsWith(ScratchSpace.RunFolder + Path.DirectorySeparatorChar, path, StringComparison.Ordinal);
            Assert.Equal(Owner600, File.GetUnixFileMode(path));
            Assert.Equal(Owner700, File.GetUnixFileMode(ScratchSpace.RunFolder));
            Assert.Equal(Owner700, File.GetUnixFileMode(ScratchSpace.Root));
            Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/') + "/contrib-", path, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void The_duplicate_key_scan_spills_owner_only_files_into_the_private_folder()
    {
        if (OperatingSystem.IsWindows()) return;
        var keys = Enumerable.Range(1, 20_000).Select(i => ((long)i, new UInt128((ulong)i * 0x9E3779B97F4A7C15UL, (ulong)i))).ToList();
        var modes = new List<(string Path, UnixFileMode Mode)>();
        using var scan = new DuplicateKeyScan(64L << 10, after =>
        {
            // Called during the spill, while the partition files are open.
            var folder = Directory.GetDirectories(ScratchSpace.RunFolder, "keys-*").Single(d => Directory.GetFiles(d).Length > 0);
            modes.Add((folder, Mode(folder)));
            modes.AddRange(Directory.GetFiles(folder).Select(f => (f, Mode(f))));
            return keys.Where(k => k.Item1 > after);
        });
        foreach (var (line, digest) in keys) scan.FirstLineOf(digest, line);
        Assert.True(scan.Spilled);
        Assert.NotEmpty(modes);
        Assert.Equal(Owner700, modes[0].Mode);
        Assert.All(modes.Skip(1), m => Assert.Equal(Owner600, m.Mode));
        Assert.False(Directory.Exists(modes[0].Path)); // removed once the scan has its answer
    }

    [Fact]
    public void Run_folders_of_processes_that_are_gone_are_cleaned_and_live_ones_kept()
    {
        if (OperatingSystem.IsWindows()) return;
        _ = ScratchSpace.RunFolder; // creates the root
        int deadPid;
        using (var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            process.WaitForExit();
            deadPid = process.Id;
        }

        var dead = Path.Combine(ScratchSpace.Root, $"run-{deadPid}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dead);
        File.WriteAllText(Path.Combine(dead, "ids.spill"), "1001\n");
        var live = Path.Combine(ScratchSpace.Root, $"run-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(live);
        try
        {
            Assert.True(ScratchSpace.CleanStale() >= 1);
            Assert.False(Directory.Exists(dead));
            Assert.True(Directory.Exists(live));
            Assert.True(Directory.Exists(ScratchSpace.RunFolder));
        }
        finally
        {
            Directory.Delete(live, recursive: true);
        }
    }
}
