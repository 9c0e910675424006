using ContributionIndex.Diagnostics;

namespace ContributionIndex.Cli;

/// <summary>
/// A command's <c>--out</c> folder written as one unit (methodology/hardening.md, "Output folders"): every file goes to a
/// staging folder next to it (<c>.NAME.staging-GUID</c>), and only a run that finishes publishes it, by swapping it for the
/// old folder under an exclusive lock (<c>.NAME.lock</c> in the parent). A reader never sees files of two runs, and files
/// of an earlier run that this run did not write (a stale <c>partial.json</c>) are gone. The folder is owned by contrib:
/// it carries the marker <see cref="MarkerName"/>, and a folder that holds other files without the marker is refused.
/// </summary>
internal sealed class OutputFolder : IDisposable
{
    /// <summary>The file that marks a folder as written by contrib (and so replaceable as a whole).</summary>
    public const string MarkerName = ".contrib-output";

    private const string MarkerText = "This folder was written by contrib. Each run replaces the whole folder; do not keep other files here.\n";

    /// <summary>How long a run waits for another run's publication into the same folder before it gives up (exit 1).</summary>
    internal static TimeSpan LockWait { get; set; } = TimeSpan.FromSeconds(60);

    private readonly string _option;
    private readonly string _display;
    private readonly string _parent;
    private readonly string _name;
    private FileStream? _marker;
    private bool _created;
    private bool _published;

    private OutputFolder(string target, string display, string option)
    {
        Target = target;
        _display = display;
        _option = option;
        _parent = Path.GetDirectoryName(target) ?? throw new UsageException($"{option} '{display}' is a root folder; give a folder of its own (each run replaces it as a whole).");
        _name = Path.GetFileName(target);
        Staging = Path.Combine(_parent, $".{_name}.staging-{Guid.NewGuid():N}");
    }

    /// <summary>The folder the user named (full path): where the outputs appear when the run publishes them.</summary>
    public string Target { get; }

    /// <summary>The folder the run writes into; nothing outside the staging folder is written before <see cref="Publish"/>.</summary>
    public string Staging { get; }

    /// <summary>Plans the output folder without creating anything (the checks of <see cref="CliChecks.CheckOutputFolder"/>).</summary>
    public static OutputFolder Plan(DirectoryInfo? folder, string option = "--out")
    {
        CliChecks.CheckOutputFolder(folder, option);
        return new OutputFolder(Path.TrimEndingDirectorySeparator(folder!.FullName), folder.ToString(), option);
    }

    /// <summary>
    /// Refuses the folder when it is, or contains, one of <paramref name="files"/> (the study file, inputs, parameter
    /// files), compared after resolving symbolic links: a run replaces the whole folder and would delete them.
    /// </summary>
    public void RefuseInputs(IEnumerable<(string Path, string What)> files)
    {
        var target = RealPath(Target);
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        foreach (var (path, what) in files)
        {
            if (string.IsNullOrEmpty(path)) continue;
            var real = RealPath(path);
            if (string.Equals(real, target, comparison) || real.StartsWith(target + Path.DirectorySeparatorChar, comparison))
            {
                throw new UsageException($"{_option} '{_display}' contains the {what} '{path}': each run replaces the whole output folder, which would delete or overwrite it; give an output folder that holds no study, input or parameter file.");
            }
        }
    }

    /// <summary>The study file and every file the study reads (inputs, wage tables, framework, region labels, coding model).</summary>
    public static IEnumerable<(string Path, string What)> StudyFiles(Studies.Study study)
    {
        yield return (study.SourcePath, "study file");
        foreach (var input in study.Inputs)
            yield return (string.IsNullOrEmpty(input.FullPath) ? study.ResolvePath(input.Path) : input.FullPath, $"input '{input.Name}'");
        foreach (var country in study.Countries)
            if (country.WagesFullPath is { } wages) yield return (wages, "wage table");
        if (study.Index is { } index)
            yield return (index.FrameworkFullPath.Length > 0 ? index.FrameworkFullPath : study.ResolvePath(index.Framework), "index framework");
        if (study.Report.RegionLabelsFullPath.Length > 0) yield return (study.Report.RegionLabelsFullPath, "region labels");
        if (!string.IsNullOrWhiteSpace(study.Coding.Model)) yield return (study.ResolvePath(study.Coding.Model), "coding model");
        // The previous wave's study file and its inputs are read too (change over time, #19): never an output folder either.
        if (study.PreviousWave?.Wave is { } previous)
            foreach (var (path, what) in StudyFiles(previous)) yield return (path, "previous wave's " + what);
    }

    /// <summary>
    /// Refuses a folder that holds files contrib did not write, then creates the staging folder (which proves the parent
    /// can be written): call once the study is known to be valid, before any data step.
    /// </summary>
    public string Create()
    {
        if (_created) return Staging;
        CheckOwned();
        try
        {
            Directory.CreateDirectory(Staging);
            _created = true;
            // The marker doubles as the staging folder's liveness lock: a later run deletes a staging folder only when it
            // can lock its marker, i.e. when the run that made it has ended.
            _marker = new FileStream(Path.Combine(Staging, MarkerName), FileMode.CreateNew, FileAccess.Write, FileShare.None);
            var bytes = System.Text.Encoding.UTF8.GetBytes(MarkerText);
            _marker.Write(bytes);
            _marker.Flush();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new UsageException($"{_option} '{_display}' cannot be created or written to ({ex.Message.TrimEnd('.')}); give a folder you can write to.");
        }

        return Staging;
    }

    /// <summary>
    /// Runs <paramref name="body"/> and publishes the staging folder when it succeeds (or when the only failure is too many
    /// rejected rows: then the quarantine is the run's output); any other failure leaves the old folder as it was.
    /// </summary>
    public int Run(Func<int> body)
    {
        try
        {
            var code = body();
            if (code == ExitCodes.Success) Publish();
            return code;
        }
        catch (RejectionToleranceExceededException)
        {
            Publish();
            throw;
        }
        catch (IOException ex) when (IsDiskFull(ex))
        {
            // A write failed for want of space: the staging folder goes (finally), the previous folder stays; say which.
            throw new IOException($"{_option} '{_display}': writing the outputs failed ({ex.Message.TrimEnd('.')}); nothing was published and the folder is as it was before the run.", ex);
        }
        finally
        {
            Dispose();
        }
    }

    /// <summary>Swaps the staging folder in for the target under the folder's lock, then removes the old folder and stale leftovers.</summary>
    public void Publish()
    {
        if (!_created || _published) return;
        using (AcquireLock())
        {
            // The marker is released only under the lock, so that no other run takes this folder for a stale one.
            _marker?.Dispose();
            _marker = null;
            CheckOwned();
            var old = Path.Combine(_parent, $".{_name}.old-{Guid.NewGuid():N}");
            if (Directory.Exists(Target)) Directory.Move(Target, old);
            // A kill between the two moves leaves no folder at all (never a mix); the next run removes the old one.
            Directory.Move(Staging, Target);
            _published = true;
            RemoveLeftovers();
        }
    }

    /// <summary>Deletes the staging folder of a run that did not publish.</summary>
    public void Dispose()
    {
        _marker?.Dispose();
        _marker = null;
        if (_created && !_published) TryDelete(Staging);
    }

    /// <summary>ENOSPC (28), EFBIG (27) or EDQUOT (122) on Unix (.NET puts the errno in HResult), ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.</summary>
    private static bool IsDiskFull(IOException ex) => ex.HResult is 28 or 27 or 122 or unchecked((int)0x80070070) or unchecked((int)0x80070027);

    private FileStream AcquireLock()
    {
        var path = Path.Combine(_parent, $".{_name}.lock");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (clock.Elapsed < LockWait)
            {
                Thread.Sleep(50);
            }
            catch (IOException ex)
            {
                throw new OutputBusyException($"{_option} '{_display}' is busy: another contrib run has held the lock '{path}' for {LockWait.TotalSeconds:0} s ({ex.Message.TrimEnd('.')}); nothing was published. Run again when it has finished, or give another folder.");
            }
        }
    }

    private void CheckOwned()
    {
        if (!Directory.Exists(Target) || File.Exists(Path.Combine(Target, MarkerName))) return;
        if (!Directory.EnumerateFileSystemEntries(Target).Any()) return;
        throw new UsageException($"{_option} '{_display}' holds files that contrib did not write (no {MarkerName} marker); each run replaces the whole output folder, so give a new or empty folder.");
    }

    private void RemoveLeftovers()
    {
        foreach (var old in Directory.EnumerateDirectories(_parent, $".{_name}.old-*")) TryDelete(old);
        foreach (var staging in Directory.EnumerateDirectories(_parent, $".{_name}.staging-*"))
        {
            try
            {
                using (new FileStream(Path.Combine(staging, MarkerName), FileMode.Open, FileAccess.Read, FileShare.None)) { }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // a run still writing there (or a folder just created): leave it
            }

            TryDelete(staging);
        }
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover is removed by the next publication into the same folder.
        }
    }

    /// <summary>The full path with every symbolic link along it resolved (parts that do not exist are kept as written).</summary>
    internal static string RealPath(string path, int depth = 0)
    {
        var full = Path.GetFullPath(path);
        if (depth > 40) return full;
        var root = Path.GetPathRoot(full) ?? "";
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            try
            {
                FileSystemInfo info = Directory.Exists(next) ? new DirectoryInfo(next) : new FileInfo(next);
                if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
                    next = RealPath(target.FullName, depth + 1);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // unresolvable link: compare as written
            }

            current = next;
        }

        return Path.TrimEndingDirectorySeparator(current);
    }
}

/// <summary>Another run holds the output folder's lock for too long: exit 1 with a 'busy' message.</summary>
internal sealed class OutputBusyException(string message) : IOException(message);
