using System.Globalization;

namespace ContributionIndex.Cli;

/// <summary>A wrong command line found by a command's own checks: one sentence on stderr and exit code 2.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Checks of command-line values that must fail before any data step runs, each with a message naming the argument.</summary>
internal static class CliChecks
{
    /// <summary>The full path of the STUDY argument, or a <see cref="UsageException"/> saying why it is not a study file.</summary>
    /// <remarks>Messages start with the path as given, like every file message (<c>error: PATH: …</c>).</remarks>
    public static string StudyFile(FileInfo? study, string command)
    {
        if (study is null) throw new UsageException($"give the study file: contrib {command} STUDY.");
        var path = study.FullName;
        if (Directory.Exists(path))
        {
            var yamls = Directory.GetFiles(path, "*.yaml").Concat(Directory.GetFiles(path, "*.yml"))
                .Select(Path.GetFileName).Order(StringComparer.Ordinal).Take(8).ToArray();
            var hint = yamls.Length > 0
                ? $"give one of its study files, e.g. {Path.Combine(study.ToString(), yamls[0]!)} (it holds {string.Join(", ", yamls)})."
                : "give the path of the study's YAML file.";
            throw new UsageException($"{study}: the STUDY argument is a folder, not a study file; {hint}");
        }

        if (!File.Exists(path))
            throw new UsageException($"{study}: the study file does not exist (looked for {path}); check the STUDY argument of 'contrib {command}', a path relative to the current folder.");
        return path;
    }

    /// <summary>
    /// Checks, without creating anything, that the output folder can exist: it is not a file and no part of its path is
    /// a file. Called before the study is read; <see cref="CreateOutputFolder"/> follows once the study is valid.
    /// </summary>
    public static void CheckOutputFolder(DirectoryInfo? folder, string option = "--out")
    {
        if (folder is null) throw new UsageException($"{option} is required.");
        var path = folder.FullName;
        if (File.Exists(path)) throw new UsageException($"{option} '{folder}' is a file, not a folder; give a folder (it is created when missing).");
        // The nearest part of the path that exists must be a folder: /dev/null/x cannot be created because /dev/null is a file.
        for (var parent = Path.GetDirectoryName(path); parent is not null; parent = Path.GetDirectoryName(parent))
        {
            if (Directory.Exists(parent)) break;
            if (File.Exists(parent))
                throw new UsageException($"{option} '{folder}' cannot be created: '{parent}' is a file, not a folder; give a folder you can write to.");
        }
    }

    /// <summary>
    /// Creates the output folder when missing and checks that a file can be written in it, so that a bad <c>--out</c>
    /// fails with exit code 2 before the data steps, not after them. Call it once the study has loaded, so that a wrong
    /// study leaves no empty folder behind.
    /// </summary>
    public static string CreateOutputFolder(DirectoryInfo? folder, string option = "--out")
    {
        CheckOutputFolder(folder, option);
        var path = folder!.FullName;
        try
        {
            Directory.CreateDirectory(path);
            var probe = Path.Combine(path, ".contrib-write-test-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new UsageException($"{option} '{folder}' cannot be created or written to ({ex.Message.TrimEnd('.')}); give a folder you can write to.");
        }

        return path;
    }

    /// <summary>Parses a <c>YYYY-MM-DD</c> date option; null when the option is not given.</summary>
    public static DateOnly? Date(string? text, string option)
    {
        if (text is null) return null;
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)) return date;
        throw new UsageException($"{option} '{text}' is not a date; write YYYY-MM-DD, e.g. 2025-06-30.");
    }
}

/// <summary>
/// Range checks of numeric options, run before any file is read (hardening.md §1, "Options checked first"): a value
/// out of range is a usage error (exit 2) naming the option and its range, never a late failure blamed on an input.
/// </summary>
internal static class OptionRange
{
    /// <summary>Refuses an integer option below <paramref name="minimum"/> or above <paramref name="maximum"/>.</summary>
    public static int Check(int value, string option, int minimum, int maximum, string hint = "")
    {
        if (value < minimum || value > maximum)
        {
            var range = maximum == int.MaxValue ? $"at least {minimum}" : $"between {minimum} and {maximum}";
            throw new UsageException(Inv($"{option} {value} is out of range: it must be {range}{(hint.Length > 0 ? "; " + hint : "")}."));
        }

        return value;
    }

    /// <summary>
    /// Refuses a number option that is not finite or lies outside [<paramref name="low"/>, <paramref name="high"/>]
    /// (or [low, high) when <paramref name="highOpen"/>).
    /// </summary>
    public static double Check(double value, string option, double low, double high, bool highOpen = false, string hint = "")
    {
        bool inside = double.IsFinite(value) && value >= low && (highOpen ? value < high : value <= high);
        if (!inside)
        {
            var range = double.IsInfinity(low) && double.IsInfinity(high) ? "a finite number"
                : double.IsInfinity(high) ? Inv($"a number of at least {low}")
                : double.IsInfinity(low) ? Inv($"a number {(highOpen ? "below" : "of at most")} {high}")
                : Inv($"between {low} and {high}{(highOpen ? " (excluded)" : "")}");
            throw new UsageException(Inv($"{option} {value.ToString("R", CultureInfo.InvariantCulture)} is out of range: it must be {range}{(hint.Length > 0 ? "; " + hint : "")}."));
        }

        return value;
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
