using System.CommandLine;
using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Ingest;
using ContributionIndex.IO;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Cli.Commands;

/// <summary>
/// <c>contrib estimate</c>: study mode (<c>contrib estimate STUDY --out DIR</c>: volunteer estimates of a study by country,
/// domain and activity, methodology/volunteer-estimates.md) or quick mode (<c>--data FILE --weights COL ...</c>: totals,
/// means, proportions, ratios and quantiles from one survey file).
/// </summary>
internal static class EstimateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var studyPath = new Argument<string?>("study") { Description = "Study mode: the study file (YAML); estimates every country, domain and activity of the study.", Arity = ArgumentArity.ZeroOrOne };
        var survey = new SurveyDesignOptions();
        var total = Many("--total", "Estimate the total of COL (repeatable).");
        var mean = Many("--mean", "Estimate the mean of COL (repeatable).");
        var proportion = Many("--proportion", "Estimate the share of rows with COL=VALUE (repeatable).");
        var ratio = Many("--ratio", "Estimate the ratio NUM/DEN of two totals (repeatable).");
        var quantile = Many("--quantile", "Estimate the quantile COL:P, e.g. hours:0.5 (repeatable).");
        var by = new Option<string?>("--by") { Description = "Domain columns, comma-separated: COL,COL." };
        var level = CommandLine.WithDefault("--level", "Confidence level of the t intervals (default 0.95).", "0.95");
        var output = new Option<string?>("--out") { Description = "Quick mode: write the estimates to this CSV file (default: standard output). Study mode: the output directory." };
        var calibrate = new Option<string?>("--calibrate") { Description = "Quick mode: calibrate the weights to the population margins in this CSV (variable,level,total) before estimating (R calibrate)." };
        var calfun = CommandLine.Choice("--calfun", "Calibration distance: linear (GREG), raking or logit (needs --bounds).", "linear", "linear", "raking", "logit");
        var bounds = new Option<string?>("--bounds") { Description = "Bounds L,U on the calibration g-weights w*/w, e.g. 0.5,2 (R bounds)." };
        var trim = new Option<string?>("--trim") { Description = "Trim the calibration g-weights to L,U and spread the excess over the others (R calibrate(trim = ))." };
        var ciMethod = CommandLine.Choice("--ci-method", "Interval of --proportion estimates (R svyciprop method): mean (Wald), logit, xlogit, asin, beta, likelihood (Taylor designs).", "mean", "mean", "logit", "xlogit", "asin", "beta", "likelihood");
        var quantileCi = CommandLine.Choice("--quantile-ci", "Interval and SE of --quantile estimates (R svyquantile interval.type): mean (Woodruff), beta, xlogit, asin, score (Taylor designs); mean, quantile (replicate designs).",
            "mean", "mean", "beta", "xlogit", "asin", "score", "quantile");
        var compare = new Option<string?>("--compare") { Description = "A --by variable whose levels are compared pairwise (differences with SE, t, df, p) within the other --by variables." };
        var test = new Option<string?>("--test") { Description = "ttest: design-based t-test of each --mean between the two levels of --compare (R svyttest)." };
        test.AcceptOnlyFromAmong("ttest");
        var chisq = Many("--chisq", "Rao-Scott F test of independence of two columns A,B (R svychisq, statistic F), within each domain of the other --by variables (repeatable).");
        var differencesPath = new Option<string?>("--differences") { Description = "Where --compare and --test write their CSV (default: differences.csv beside --out); --chisq writes chisq.csv beside it." };

        var command = new Command("estimate", "Design-based estimates with SE, t(df) intervals, CV, unweighted counts and release flags (R survey parity): contrib estimate STUDY --out DIR, or quick mode with --data.")
        {
            studyPath,
        };
        foreach (var option in survey.All) command.Options.Add(option);
        foreach (var option in new Option[] { total, mean, proportion, ratio, quantile, by, ciMethod, quantileCi, compare, test, chisq, differencesPath, level, output, calibrate, calfun, bounds, trim }) command.Options.Add(option);
        command.SetRunAction(stderr, parse =>
        {
            if (parse.GetValue(studyPath) is { } studyFile)
            {
                if (parse.GetValue(survey.Data) is not null)
                    throw SurveyDesignOptions.Usage("Give either a study file (study mode) or --data (quick mode), not both.");
                if (parse.GetValue(output) is not { } directory)
                    throw SurveyDesignOptions.Usage("Study mode needs --out DIR, the folder for estimates.csv and the valuation outputs.");
                using var folder = OutputFolder.Plan(new DirectoryInfo(directory));
                return RunStudy(CliChecks.StudyFile(new FileInfo(studyFile), "estimate"), folder, stdout);
            }

            if (parse.GetValue(survey.Data) is null || parse.GetValue(survey.Weights) is null)
                throw SurveyDesignOptions.Usage("Give a study file (contrib estimate STUDY --out DIR) or, in quick mode, both --data FILE and --weights COL.");
            // Every option before the survey is read (hardening.md §1): a wrong option must not cost a full read.
            survey.Check(parse);
            var byColumns = Split(parse.GetValue(by), ',');
            var request = survey.Request(parse) with
            {
                Totals = parse.GetValue(total) ?? [],
                Means = parse.GetValue(mean) ?? [],
                Proportions = (parse.GetValue(proportion) ?? []).Select(p => { var (c, v) = SurveyDesignOptions.Pair(p, '=', "--proportion", "COL=VALUE"); return new ProportionRequest(c, v); }).ToArray(),
                Ratios = (parse.GetValue(ratio) ?? []).Select(r => { var (n, d) = SurveyDesignOptions.Pair(r, '/', "--ratio", "NUM/DEN"); return new RatioRequest(n, d); }).ToArray(),
                Quantiles = (parse.GetValue(quantile) ?? []).Select(ParseQuantile).ToArray(),
                By = byColumns,
                Options = EstimationOptions.Default with
                {
                    ConfidenceLevel = Level(parse.GetValue(level)!),
                    ProportionInterval = StudyChoices.Parse<ProportionInterval>(parse.GetValue(ciMethod), "--ci-method", SurveyDesignOptions.CommandLinePlace),
                    QuantileInterval = QuantileCi(parse.GetValue(quantileCi)!, parse.GetValue(survey.ReplicateType) is not null),
                },
                Compare = parse.GetValue(compare),
                TTest = parse.GetValue(test) is not null,
                ChiSquare = (parse.GetValue(chisq) ?? []).Select(c => SurveyDesignOptions.Pair(c, ',', "--chisq", "A,B")).ToArray(),
                Calibration = parse.GetValue(calibrate) is { } margins
                    ? new CalibrationRequest(margins, StudyChoices.Parse<CalibrationFunction>(parse.GetValue(calfun), "--calfun", SurveyDesignOptions.CommandLinePlace),
                        Limits(parse.GetValue(bounds), "--bounds"), Limits(parse.GetValue(trim), "--trim"))
                    : null,
            };
            if (request.Options.ProportionInterval == ProportionInterval.Likelihood && request.ReplicateType is not null)
                throw SurveyDesignOptions.Usage("--ci-method likelihood is for Taylor designs: R survey 4.1-1 returns NA for it with replicate weights; use logit, beta or another method.");
            string? inferencePath = null;
            if (request.Compare is not null || request.TTest || request.ChiSquare.Count > 0)
            {
                inferencePath = parse.GetValue(differencesPath)
                    ?? (parse.GetValue(output) is { } o ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(o))!, "differences.csv") : null)
                    ?? throw SurveyDesignOptions.Usage("--compare, --test and --chisq write differences.csv: give --out FILE (it goes beside it) or --differences FILE.");
            }
            var executed = QuickEstimate.Execute(request);
            var estimates = executed.Estimates;
            if (inferencePath is not null)
            {
                var others = byColumns.Where(b => b != request.Compare).ToArray();
                if (request.Compare is not null || request.TTest)
                {
                    AtomicFile.WriteText(inferencePath, writer => DifferencesCsv.Write(writer, others, executed.Differences));
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {executed.Differences.Count} differences to {inferencePath}"));
                }
                if (executed.ChiSquare.Count > 0)
                {
                    var chisqPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(inferencePath))!, "chisq.csv");
                    AtomicFile.WriteText(chisqPath, writer => DifferencesCsv.WriteChiSquare(writer, byColumns, executed.ChiSquare));
                    stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {executed.ChiSquare.Count} Rao-Scott tests to {chisqPath}"));
                }
            }
            if (parse.GetValue(output) is { } path)
            {
                EstimateCsv.WriteFile(path, byColumns, estimates);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {estimates.Count} estimates to {path}"));
            }
            else
            {
                EstimateCsv.Write(stdout, byColumns, estimates);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Study mode: the valuation outputs and estimates.csv into <paramref name="output"/> (published as one unit), and a short summary.</summary>
    private static int RunStudy(string studyFile, OutputFolder output, TextWriter stdout)
    {
        var run = StudyRun.Load(studyFile, new StudyRunOptions { ValuationOutputDirectory = output.Staging });
        output.RefuseInputs(OutputFolder.StudyFiles(run.Study));
        output.Create(); // the study is valid: the folder now, before any data step
        return output.Run(() => WriteStudy(run, output, stdout));
    }

    private static int WriteStudy(StudyRun run, OutputFolder output, TextWriter stdout)
    {
        var directory = output.Staging;
        var study = run.Study;
        var set = run.Estimates;
        var path = Path.Combine(directory, "estimates.csv");
        VolunteerEstimatesCsv.WriteFile(path, set.Estimates);
        var headline = set.Valuation.Parameters.HeadlineMethod;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{study.Id}: {set.Survey.Count} survey persons, {set.HourLog.Count} registered volunteers; {set.Estimates.Count} estimates -> {Path.Combine(output.Target, "estimates.csv")}"));
        foreach (var scope in set.Countries.Append(VolunteerEstimates.RegionalScope))
        {
            var rate = set.Find(scope, VolunteerMeasures.VolunteerRate);
            if (rate is null) continue;
            var volunteers = set.Find(scope, VolunteerMeasures.Volunteers)!.Estimate;
            var hours = set.Find(scope, VolunteerMeasures.AnnualHours)!.Estimate;
            var usd = set.Find(scope, PersonVariables.Value(headline, MoneyUnit.UsDollar))?.Estimate;
            var value = usd is null ? "" : string.Create(CultureInfo.InvariantCulture, $", value ({headline.Code()}) USD {usd.Value:N0} ({Flag(usd)})");
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {scope,-3} volunteer rate {100 * rate.Estimate.Value:0.0} % (SE {100 * rate.Estimate.StandardError:0.00}, {Flag(rate.Estimate)}), volunteers {volunteers.Value:N0} ({Flag(volunteers)}), hours {hours.Value:N0} ({Flag(hours)}){value}"));
        }

        foreach (var note in set.Notes) stdout.WriteLine("  note: " + note);
        if (run.Changes is { } changes)
        {
            // Change over time (#19): the previous wave's run, then change.csv beside estimates.csv.
            WaveChangesCsv.WriteFile(Path.Combine(directory, "change.csv"), changes);
            var significant = changes.Changes.Count(c => c.Significant);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  change {changes.PreviousYear}-{changes.CurrentYear}: {changes.Changes.Count} differences, {significant} significant at 5 % -> {Path.Combine(output.Target, "change.csv")}"));
        }

        var design = run.Design;
        if (run.Comparisons.Count > 0)
        {
            // Pairwise differences between the sexes and between countries (#19), the pairs the annex's T11 marks.
            VolunteerComparisonsCsv.WriteFile(Path.Combine(directory, "comparisons.csv"), run.Comparisons, design.ConfidenceLevel);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  comparisons: {run.Comparisons.Count} pairs, {run.Comparisons.Count(c => c.Significant)} significant -> {Path.Combine(output.Target, "comparisons.csv")}"));
        }

        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  design: {design.Kind}{(design.Replicates > 0 ? $" ({design.Replicates} replicates)" : "")}, {100 * design.ConfidenceLevel:0.##} % intervals (the study's one design, also behind its indicators and index)"));
        return ExitCodes.Success;
    }

    private static string Flag(SurveyEstimate estimate) => estimate.Flag.ToString().ToLowerInvariant();

    private static Option<string[]> Many(string name, string description) =>
        new(name) { Description = description, AllowMultipleArgumentsPerToken = true };

    private static string[] Split(string? text, char separator) =>
        text is null ? [] : text.Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static QuantileRequest ParseQuantile(string text)
    {
        int at = text.LastIndexOf(':');
        if (at <= 0 || !double.TryParse(text[(at + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || p < 0 || p > 1)
            throw SurveyDesignOptions.Usage($"--quantile '{text}' is not of the form COL:P with P between 0 and 1 (e.g. hours:0.5).");
        return new QuantileRequest(text[..at].Trim(), p);
    }

    /// <summary>The --quantile-ci word, refused before the survey is read when it does not fit the design (R computes it only for Taylor or only for replicate designs).</summary>
    private static QuantileInterval QuantileCi(string word, bool replicate)
    {
        var method = word switch
        {
            "beta" => QuantileInterval.Beta,
            "xlogit" => QuantileInterval.Xlogit,
            "asin" => QuantileInterval.Asin,
            "score" => QuantileInterval.Score,
            "quantile" => QuantileInterval.Quantile,
            _ => QuantileInterval.Mean,
        };
        if (replicate && method is QuantileInterval.Beta or QuantileInterval.Xlogit or QuantileInterval.Asin or QuantileInterval.Score)
            throw SurveyDesignOptions.Usage($"--quantile-ci {word} is for Taylor designs; with replicate weights use mean (Woodruff) or quantile (replicate variance of the quantile), as R svyquantile does.");
        if (!replicate && method == QuantileInterval.Quantile)
            throw SurveyDesignOptions.Usage("--quantile-ci quantile needs replicate weights (--repweights or --rep-type); for a Taylor design use mean, beta, xlogit, asin or score.");
        return method;
    }

    private static (double, double)? Limits(string? text, string option)
    {
        if (text is null) return null;
        var (low, high) = SurveyDesignOptions.Pair(text, ',', option, "L,U");
        return (SurveyDesignOptions.OptionalNumber(low, option)!.Value, SurveyDesignOptions.OptionalNumber(high, option)!.Value);
    }

    private static double Level(string text)
    {
        var level = SurveyDesignOptions.OptionalNumber(text, "--level")!.Value;
        if (!(level > 0 && level < 1)) throw SurveyDesignOptions.Usage($"--level {text} must be between 0 and 1, e.g. 0.95.");
        return level;
    }
}
