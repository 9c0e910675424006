using System.CommandLine;
using ContributionIndex.Pipeline;
using ContributionIndex.Rendering;
using ContributionIndex.Reporting;

namespace ContributionIndex.Cli.Commands;

/// <summary>
/// <c>contrib report STUDY --out DIR [--lang kk|ru|en] [--format xlsx,pdf,csv,sdmx,opensdg]</c>: runs the whole pipeline
/// (ingest → 19th ICLS checks → valuation → survey estimation → indicators → composite index) and writes the annex.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var study = CommandLine.StudyArgument();
        var output = CommandLine.OutFolder("Folder for the annex files and the valuation outputs (created when missing).");
        var language = CommandLine.Choice("--lang", "Report language: kk, ru or en (default en).", "en", [.. ReportLanguage.Supported]);
        var formats = CommandLine.WithDefault("--format", "Comma-separated formats: xlsx, pdf, csv, sdmx, opensdg (Open SDG platform files in DIR/opensdg; default xlsx,pdf,csv,sdmx).", "xlsx,pdf,csv,sdmx");
        // Read as text and parsed here: System.CommandLine's own message for a bad DateOnly names a .NET type.
        var releaseDate = new Option<string?>("--release-date")
        {
            Description = "Release date on the cover and in file metadata, YYYY-MM-DD (overrides the study's report.release_date; without either the annex is marked DRAFT on every page).",
            HelpName = "YYYY-MM-DD",
        };

        var command = new Command("report", "Run the whole pipeline and write the statistical annex (Excel, PDF, tidy CSV, SDMX-CSV).")
        {
            study, output, language, formats, releaseDate,
        };
        command.SetRunAction(stderr, parse =>
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

            // Every check of the command line comes before the first data step: a bad date or an unwritable folder
            // must not cost a full valuation run.
            var released = CliChecks.Date(parse.GetValue(releaseDate), "--release-date");
            using var output_ = OutputFolder.Plan(parse.GetValue(output));
            var studyPath = CliChecks.StudyFile(parse.GetValue(study), "report");
            var folder = output_.Target;
            var valuationFolder = Path.Combine(folder, "valuation");
            Step("[1/5] loading " + parse.GetValue(study)!.Name);
            var run = StudyRun.Load(studyPath, new StudyRunOptions { ValuationOutputDirectory = Path.Combine(output_.Staging, "valuation") });
            output_.RefuseInputs(OutputFolder.StudyFiles(run.Study));
            if (released is { } date && date <= new DateOnly(run.Study.Year, 12, 31))
            {
                throw new UsageException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"--release-date {date:yyyy-MM-dd} is not after the reference year {run.Study.Year}: an annex cannot be released before its data and sources exist."));
            }

            output_.Create(); // the study is valid: now the (staging) folder, before any data step
            return output_.Run(() =>
            {
                Step("[2/5] valuation and survey estimation (ingest, 19th ICLS checks, valuation, design-based estimates) -> " + valuationFolder);
                _ = run.Estimates;
                ValidateCommand.PrintCounts(stdout, run.Valuation);
                Step("[3/5] indicators and composite index");
                _ = run.Index;
                var annex = run.Annex(parse.GetValue(language)!, new AnnexOptions { ReleaseDate = released });
                if (annex.Cover.IsDraft)
                {
                    stderr.WriteLine("warning: the annex is marked DRAFT on every page: the study does not set " + string.Join(", ", annex.Cover.MissingKeys) +
                                     " (see the report: section in methodology/reporting.md; --release-date sets the date).");
                }

                Step("[4/5] " + string.Join(", ", annex.Tables.Select(t => t.Id)) + " and " + annex.Charts.Count + " charts");
                Step("[5/5] rendering " + chosen.ToString().ToLowerInvariant());
                var written = AnnexWriter.Write(annex, output_.Staging, chosen, Manifest.PackageVersion, line => stdout.WriteLine("      " + line));
                if (verbose) timer.Lap(stdout, total: true);
                stdout.WriteLine($"wrote {written.Count} files to {folder}");
                return ExitCodes.Success;
            });
        });
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
}
