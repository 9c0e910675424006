using System.Diagnostics;
using System.Globalization;

namespace ContributionIndex.Scratch;

/// <summary>
/// The private home of temporary spill files (hour-log fast path, duplicate-key scan), which hold person ids:
/// <c>$TMPDIR/contributionindex-&lt;user&gt;/run-&lt;pid&gt;-&lt;guid&gt;/</c>, folders owner-only (0700) and files owner-only
/// (0600) on Unix. A run's folder is removed when the process exits; folders of runs whose process is gone (killed)
/// are removed when the next run first needs scratch space.
/// </summary>
internal static class ScratchSpace
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private static readonly Lazy<string> RunFolderOnce = new(CreateRunFolder, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The per-user folder that holds the run folders (created owner-only on first use).</summary>
    public static string Root
    {
        get
        {
            var user = new string([.. Environment.UserName.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')]);
            return Path.Combine(Path.GetTempPath(), "contributionindex-" + (user.Length > 0 ? user : "user"));
        }
    }

    /// <summary>This process's run folder, created (and stale run folders cleaned) on first use.</summary>
    public static string RunFolder => RunFolderOnce.Value;

    /// <summary>Creates a new owner-only file in the run folder (0600 on Unix).</summary>
    public static FileStream CreateFile(string suffix, FileAccess access, int bufferBytes, FileOptions options)
    {
        var path = Path.Combine(RunFolder, Guid.NewGuid().ToString("N") + suffix);
        return Open(path, FileMode.CreateNew, access, bufferBytes, options);
    }

    /// <summary>Opens <paramref name="path"/> with <paramref name="mode"/>; a file it creates is owner-only (0600 on Unix).</summary>
    public static FileStream Open(string path, FileMode mode, FileAccess access, int bufferBytes, FileOptions options = FileOptions.None)
    {
        var streamOptions = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None, BufferSize = bufferBytes, Options = options };
        if (!OperatingSystem.IsWindows() && mode is FileMode.CreateNew or FileMode.Create or FileMode.OpenOrCreate)
            streamOptions.UnixCreateMode = FileMode600;
        return IO.DiskFaults.Open(path, streamOptions);
    }

    /// <summary>Creates a new owner-only folder inside the run folder, e.g. for a set of partition files.</summary>
    public static string CreateFolder(string prefix)
    {
        var path = Path.Combine(RunFolder, prefix + Guid.NewGuid().ToString("N"));
        CreatePrivateDirectory(path);
        return path;
    }

    /// <summary>Removes run folders under <see cref="Root"/> whose process is no longer alive; returns how many were removed.</summary>
    public static int CleanStale()
    {
        var root = Root;
        if (!Directory.Exists(root)) return 0;
        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(root, "run-*"))
        {
            var parts = Path.GetFileName(folder).Split('-');
            if (parts.Length < 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            if (pid == Environment.ProcessId || IsAlive(pid)) continue;
            if (TryDelete(folder)) removed++;
        }

        return removed;
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string CreateRunFolder()
    {
        var root = Root;
        CreatePrivateDirectory(root, mayExist: true);
        if (!OperatingSystem.IsWindows())
        {
            // Only the owner can set the mode: a folder planted by another user (or a symbolic link) fails here.
            var info = new DirectoryInfo(root);
            if (info.LinkTarget is not null) throw new IOException($"the scratch folder {root} is a symbolic link; remove it.");
            File.SetUnixFileMode(root, FolderMode);
        }

        CleanStale();
        var run = Path.Combine(root, string.Create(CultureInfo.InvariantCulture, $"run-{Environment.ProcessId}-{Guid.NewGuid():N}"));
        CreatePrivateDirectory(run);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TryDelete(run);
        return run;
    }

    private static void CreatePrivateDirectory(string path, bool mayExist = false)
    {
        if (!mayExist && Directory.Exists(path)) throw new IOException($"the scratch folder {path} exists already.");
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else Directory.CreateDirectory(path, FolderMode);
    }

    private static bool TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
