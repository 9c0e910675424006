using System.CommandLine;
using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Indicators.Taxonomy;
using ContributionIndex.Pipeline;
using ContributionIndex.Rendering;
using ContributionIndex.Reporting;
using ContributionIndex.Studies;

namespace ContributionIndex.Cli.Commands;

/// <summary>
/// <c>contrib report STUDY --out DIR [--lang kk|ru|en] [--format xlsx,pdf,csv,sdmx]</c>: runs the whole pipeline
/// (ingest → 19th ICLS checks → valuation → survey estimation → indicators → composite index) and writes the annex.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var study = new Argument<FileInfo>("study") { Description = "The study file (YAML)." };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the annex files and the valuation outputs (created when missing).", Required = true };
        var language = new Option<string>("--lang") { Description = "Report language: kk, ru or en (default en).", DefaultValueFactory = _ => "en" };
        language.AcceptOnlyFromAmong([.. ReportLanguage.Supported]);
        var formats = new Option<string>("--format") { Description = "Comma-separated formats: xlsx, pdf, csv, sdmx (default all).", DefaultValueFactory = _ => "xlsx,pdf,csv,sdmx" };
        var releaseDate = new Option<DateOnly?>("--release-date") { Description = "Release date on the cover and in file metadata (default 31 December of the reference year)." };
        var mcRuns = new Option<int>("--mc-runs") { Description = "Monte-Carlo runs of the index uncertainty analysis (default 500).", DefaultValueFactory = _ => 500 };

        var command = new Command("report", "Run the whole pipeline and write the statistical annex (Excel, PDF, tidy CSV, SDMX-CSV).")
        {
            study, output, language, formats, releaseDate, mcRuns,
        };
        command.SetAction(parse => CommandRunner.Run(stderr, parse.GetValue(CommandLine.Verbose), () =>
        {
            AnnexFormats chosen;
            try
            {
                chosen = AnnexWriter.ParseFormats(parse.GetValue(formats)!);
            }
            catch (ArgumentException ex)
            {
                stderr.WriteLine("error: " + ex.Message.Split(" (Parameter", 2)[0]);
                return ExitCodes.UsageError;
            }

            // Plain progress lines: safe for logs and pipes (no cursor control). With --verbose each step ends with
            // its wall-clock and CPU seconds (CPU of all threads of the process), for profiling on a busy machine.
            var verbose = parse.GetValue(CommandLine.Verbose);
            var timer = new StepTimer();
            void Step(string text)
            {
                if (verbose) timer.Lap(stdout);
                stdout.WriteLine(text);
            }

            var folder = parse.GetValue(output)!.FullName;
            Step("[1/5] loading " + parse.GetValue(study)!.Name);
            var loaded = StudyLoader.Load(parse.GetValue(study)!.FullName);
            var regionLabels = RegionLabels.ForStudy(loaded); // a bad labels file stops the run before the long steps
            ContributionIndex.Reporting.Sdmx.CountryCodes.Check(loaded); // so does a country without an SDMX REF_AREA
            var valuationFolder = Path.Combine(folder, "valuation");
            Step("[2/5] valuation and survey estimation (ingest, 19th ICLS checks, valuation, design-based estimates) -> " + valuationFolder);
            var estimates = VolunteerEstimates.Run(loaded, new StudyRecordSource(loaded), valuationFolder);
            Step("[3/5] indicators and composite index");
            var lang = LoadLanguage(parse.GetValue(language)!);
            var options = new AnnexOptions { ReleaseDate = parse.GetValue(releaseDate), UncertaintyRuns = parse.GetValue(mcRuns), RegionLabels = regionLabels };
            var annex = AnnexBuilder.Build(loaded, estimates, lang, options);
            Step("[4/5] " + string.Join(", ", annex.Tables.Select(t => t.Id)) + " and " + annex.Charts.Count + " charts");
            Step("[5/5] rendering " + chosen.ToString().ToLowerInvariant());
            var written = AnnexWriter.Write(annex, folder, chosen, options.SoftwareVersion, line => stdout.WriteLine("      " + line));
            if (verbose) timer.Lap(stdout, total: true);
            stdout.WriteLine($"wrote {written.Count} files to {folder}");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Wall-clock and CPU seconds per step of the command (printed with --verbose).</summary>
    private sealed class StepTimer
    {
        private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
        private readonly TimeSpan _cpuStart = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        private TimeSpan _wall;
        private TimeSpan _cpu;
        private bool _started;

        public StepTimer() => _cpu = _cpuStart;

        /// <summary>Prints the time since the previous lap (nothing before the first step), and the totals when asked.</summary>
        public void Lap(TextWriter output, bool total = false)
        {
            var wall = _clock.Elapsed;
            var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
            if (_started)
                output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"      step: {(wall - _wall).TotalSeconds:F2} s wall, {(cpu - _cpu).TotalSeconds:F2} s CPU"));
            if (total)
                output.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"      total since start of the command: {wall.TotalSeconds:F2} s wall, {(cpu - _cpuStart).TotalSeconds:F2} s CPU"));
            _started = true;
            _wall = wall;
            _cpu = cpu;
        }
    }

    /// <summary>The language resources with the SDG goal short names of methodology/taxonomies/sdg-goals.csv.</summary>
    internal static ReportLanguage LoadLanguage(string code)
    {
        var goals = TaxonomyFiles.LoadGoals(TaxonomyPath("sdg-goals.csv"))
            .Where(g => g.Language == code && g.Short.Text.Length > 0)
            .ToDictionary(g => g.Goal, g => g.Short.Text);
        return ReportLanguage.Load(code).WithSdgGoalNames(goals);
    }

    /// <summary>The taxonomy files ship next to the program (copied from methodology/taxonomies at build time).</summary>
    internal static string TaxonomyPath(string file)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "taxonomies", file);
        if (!File.Exists(path))
            throw new StudyFileException(SourceLocation.OfFile(path), $"the taxonomy file {file} is missing next to the program.", "Reinstall contrib or rebuild it; the file comes from methodology/taxonomies.");
        return path;
    }
}
