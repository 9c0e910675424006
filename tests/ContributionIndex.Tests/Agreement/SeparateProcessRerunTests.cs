using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using ContributionIndex.Tests.Samples;
using UglyToad.PdfPig;

namespace ContributionIndex.Tests.Agreement;

/// <summary>
/// The built <c>contrib</c> (contrib.dll, started with <c>dotnet contrib.dll</c>) run twice, as separate processes, on
/// the regional sample — <c>report --format xlsx,pdf,csv,sdmx</c>, then <c>value</c> — once with UTC, an English
/// locale and one working directory, once with TZ=Asia/Almaty, ru_RU.UTF-8, non-predefined cultures allowed and
/// another working and temporary directory.
/// </summary>
public sealed class SeparateProcessRuns : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    public SeparateProcessRuns()
    {
        Root = Path.Combine(Path.GetTempPath(), "ci-agreement-tests", "processes-" + Guid.NewGuid().ToString("N"));
        Started = DateTimeOffset.UtcNow;
        First = Run("first", new Dictionary<string, string>
        {
            ["TZ"] = "UTC",
            ["LANG"] = "en_US.UTF-8",
            ["LC_ALL"] = "en_US.UTF-8",
        });
        Second = Run("second", new Dictionary<string, string>
        {
            ["TZ"] = "Asia/Almaty",
            ["LANG"] = "ru_RU.UTF-8",
            ["LC_ALL"] = "ru_RU.UTF-8",
            ["DOTNET_SYSTEM_GLOBALIZATION_PREDEFINED_CULTURES_ONLY"] = "false",
        });
        Finished = DateTimeOffset.UtcNow;
    }

    public string Root { get; }

    /// <summary>The first process's output folder (report outputs in report/, value outputs in value/).</summary>
    public string First { get; }

    public string Second { get; }

    public DateTimeOffset Started { get; }

    public DateTimeOffset Finished { get; }

    /// <summary>contrib.dll of the CLI's build output: next to the test assembly (project reference), else the Cli project's bin.</summary>
    public static string ContribDll
    {
        get
        {
            var next = Path.Combine(AppContext.BaseDirectory, "contrib.dll");
            if (File.Exists(next)) return next;
            var bin = Path.Combine(SampleStudies.RepositoryRoot, "src", "ContributionIndex.Cli", "bin");
            var built = Directory.Exists(bin) ? Directory.GetFiles(bin, "contrib.dll", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault() : null;
            return built ?? throw new InvalidOperationException($"contrib.dll is neither next to the tests ({next}) nor under {bin}: build the solution first.");
        }
    }

    /// <summary>The dotnet host that runs the tests (DOTNET_HOST_PATH, else the one above the runtime folder, else PATH).</summary>
    private static string DotnetHost
    {
        get
        {
            if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)) return host;
            var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
            var candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
            return File.Exists(candidate) ? candidate : "dotnet";
        }
    }

    private string Run(string name, Dictionary<string, string> environment)
    {
        var folder = Path.Combine(Root, name);
        var workingDirectory = Path.Combine(Root, name + "-cwd");
        var temporary = Path.Combine(Root, name + "-tmp");
        Directory.CreateDirectory(workingDirectory);
        Directory.CreateDirectory(temporary);
        environment["TMPDIR"] = temporary;
        var study = SampleStudies.Study("regional");
        Contrib(workingDirectory, environment, "report", study, "--out", Path.Combine(folder, "report"), "--format", "xlsx,pdf,csv,sdmx");
        Contrib(workingDirectory, environment, "value", study, "--out", Path.Combine(folder, "value"));
        return folder;
    }

    private static void Contrib(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(ContribDll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"dotnet contrib.dll {string.Join(' ', args)} did not finish in {Timeout.TotalMinutes} minutes.");
        }

        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"dotnet contrib.dll {string.Join(' ', args)} (cwd {workingDirectory}, {string.Join(", ", environment.Select(e => e.Key + "=" + e.Value))}) exited with {process.ExitCode}:\n{stderr.Result}\n{stdout.Result}");
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort: a temporary folder
        }
    }
}

public sealed class SeparateProcessRerunTests(SeparateProcessRuns runs) : IClassFixture<SeparateProcessRuns>
{
    private static IReadOnlyList<string> Files(string folder) =>
        [.. Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order(StringComparer.Ordinal)];

    /// <summary>Every output file of the two processes has the same bytes (the differing files are listed).</summary>
    [Fact]
    public void Report_and_value_in_two_processes_with_different_time_zone_locale_and_directory_write_identical_bytes()
    {
        var first = Files(runs.First);
        var second = Files(runs.Second);
        Assert.Contains(first, f => f.EndsWith(".pdf", StringComparison.Ordinal));
        Assert.Contains(first, f => f.EndsWith(".xlsx", StringComparison.Ordinal));
        Assert.Contains(first, f => f.EndsWith(".sdmx.csv", StringComparison.Ordinal));
        Assert.Contains(first, f => f.StartsWith("value", StringComparison.Ordinal) && f.EndsWith("summary.csv", StringComparison.Ordinal));
        Assert.True(first.SequenceEqual(second), $"The two processes wrote different files:\n  first only: {string.Join(", ", first.Except(second))}\n  second only: {string.Join(", ", second.Except(first))}");
        var differing = first.Where(f => !File.ReadAllBytes(Path.Combine(runs.First, f)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(runs.Second, f)))).ToList();
        Assert.True(differing.Count == 0, $"{differing.Count} of {first.Count} output files differ between the two processes: {string.Join(", ", differing)}");
    }

    /// <summary>
    /// No output embeds the .NET runtime version (the bytes would change with a runtime patch) or the date of the run
    /// (release dates come from the study). Text is read from the CSV and JSON files, from every part of the workbook
    /// and from the PDF's text and raw bytes.
    /// </summary>
    [Fact]
    public void Outputs_embed_neither_the_runtime_version_nor_the_date_of_the_run()
    {
        var version = Environment.Version.ToString();
        var needles = new List<(string What, Regex Pattern)>
        {
            ($".NET runtime version {version}", new Regex(@"(?<![\d.])" + Regex.Escape(version) + @"(?![\d.])", RegexOptions.CultureInvariant)),
        };
        var almaty = TimeZoneInfo.FindSystemTimeZoneById("Asia/Almaty");
        var days = new[] { runs.Started, runs.Finished }.SelectMany(t => new[] { t.UtcDateTime, TimeZoneInfo.ConvertTime(t, almaty).DateTime }).Select(d => d.Date).Distinct();
        foreach (var day in days)
        {
            foreach (var format in new[] { "yyyy-MM-dd", "dd.MM.yyyy", "yyyyMMdd" })
            {
                var text = day.ToString(format, CultureInfo.InvariantCulture);
                needles.Add(($"the date of the run {text}", new Regex(@"(?<!\d)" + Regex.Escape(text) + @"(?!\d)", RegexOptions.CultureInvariant)));
            }
        }

        var found = new List<string>();
        var scanned = 0;
        foreach (var file in Files(runs.First))
        {
            foreach (var (part, text) in Texts(Path.Combine(runs.First, file)))
            {
                scanned++;
                foreach (var (what, pattern) in needles)
                    if (pattern.Match(text) is { Success: true } match)
                        found.Add($"{file}{part}: {what} in \"…{Excerpt(text, match.Index)}…\"");
            }
        }

        Assert.True(scanned > 10, $"Only {scanned} texts scanned.");
        Assert.True(found.Count == 0, $"Outputs embed the runtime version or the date of the run ({found.Count}):\n  " + string.Join("\n  ", found));
    }

    private static string Excerpt(string text, int index)
    {
        var start = Math.Max(0, index - 60);
        return text.Substring(start, Math.Min(text.Length - start, 140)).ReplaceLineEndings(" ");
    }

    /// <summary>The texts of one output file: the file itself, each zip entry of a workbook, the PDF's text and raw bytes.</summary>
    private static IEnumerable<(string Part, string Text)> Texts(string path)
    {
        var latin1 = Encoding.Latin1;
        if (path.EndsWith(".xlsx", StringComparison.Ordinal))
        {
            using var zip = ZipFile.OpenRead(path);
            var parts = new List<(string, string)>();
            foreach (var entry in zip.Entries)
            {
                using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
                parts.Add(("!" + entry.FullName, reader.ReadToEnd()));
            }

            return parts;
        }

        if (path.EndsWith(".pdf", StringComparison.Ordinal))
        {
            using var pdf = PdfDocument.Open(path);
            var info = pdf.Information;
            var text = string.Join("\n", pdf.GetPages().Select(p => string.Concat(p.Letters.Select(l => l.Value))));
            return
            [
                (" (text)", text),
                (" (information)", string.Join("\n", info.Creator, info.Producer, info.CreationDate, info.ModifiedDate, info.Title, info.Subject)),
                (" (bytes)", latin1.GetString(File.ReadAllBytes(path))),
            ];
        }

        return [("", File.ReadAllText(path, Encoding.UTF8))];
    }
}
