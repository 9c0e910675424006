namespace ContributionIndex.Studies;

/// <summary>
/// Where a path really leads: <see cref="RealPath"/> resolves <c>..</c> and every symbolic link on the way (like
/// <c>realpath(3)</c>), and <see cref="IsInside"/> tells whether the result lies in a folder. The validator uses both to keep
/// a study's files inside the study's folder.
/// </summary>
internal static class PathConfinement
{
    private const int MaxLinks = 40;

    /// <summary>The absolute path with every symbolic link resolved; components that do not exist are kept as written.</summary>
    public static string RealPath(string path)
    {
        var links = 0;
        return Resolve(Path.GetFullPath(path), ref links);
    }

    private static string Resolve(string full, ref int links)
    {
        var root = Path.GetPathRoot(full) ?? "";
        var parts = full[root.Length..].Split([Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            string? target = null;
            try { target = new FileInfo(next).LinkTarget; }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }

            if (target is null) { current = next; continue; }
            if (++links > MaxLinks) throw new IOException($"too many levels of symbolic links at {next}");
            var resolved = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target));
            current = Resolve(resolved, ref links);
        }

        return current;
    }

    /// <summary>True when <paramref name="realPath"/> is <paramref name="realFolder"/> or lies below it (both already real).</summary>
    public static bool IsInside(string realPath, string realFolder)
    {
        var comparison = OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var folder = Path.TrimEndingDirectorySeparator(realFolder);
        if (string.Equals(realPath, folder, comparison)) return true;
        return realPath.StartsWith(folder + Path.DirectorySeparatorChar, comparison);
    }
}
