using System.CommandLine;
using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.IO;
using ContributionIndex.Ingest;
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
        var data = new Option<string?>("--data") { Description = "Quick mode: the survey file (CSV or XLSX)." };
        var sheet = new Option<string?>("--sheet") { Description = "The XLSX sheet (default: the first)." };
        var encoding = CommandLine.WithDefault("--encoding", "CSV encoding: auto, utf-8, utf-16, windows-1251.", "auto");
        var delimiter = CommandLine.WithDefault("--delimiter", "CSV field separator: auto, ',', ';', tab.", "auto");
        var decimalSeparator = CommandLine.WithDefault("--decimal", "Decimal separator of numbers written as text: auto, '.', ','.", "auto");
        var weights = new Option<string?>("--weights") { Description = "Quick mode: the full-sample weight column." };
        var strata = new Option<string?>("--strata") { Description = "The stratum column." };
        var psu = new Option<string?>("--psu") { Description = "The PSU (cluster) column, nested in strata; omit when each row is its own PSU." };
        var fpc = new Option<string?>("--fpc") { Description = "Finite population correction column: population PSUs in the stratum (≥ 1) or sampling fraction (≤ 1)." };
        var ssu = new Option<string?>("--ssu") { Description = "Second-stage unit column (nested in PSUs); with --fpc and --fpc2 the variance adds the second stage (R ids = ~psu + ssu)." };
        var fpc2 = new Option<string?>("--fpc2") { Description = "Second-stage fpc column: population SSUs in the row's PSU (>= 1) or sampling fraction (<= 1)." };
        var adjustDomainLonely = new Option<bool>("--adjust-domain-lonely") { Description = "Treat a stratum whose domain has rows in one PSU only as lonely (R options(survey.adjust.domain.lonely = TRUE))." };
        var repweights = new Option<string?>("--repweights") { Description = "Header pattern of the replicate weight columns, e.g. 'repw*'." };
        var repType = new Option<string?>("--rep-type") { Description = "Replicate method: jk1, jkn, brr, fay, bootstrap, other (jk1, jkn, bootstrap without --repweights build replicates from strata and PSUs)." };
        repType.AcceptOnlyFromAmong("jk1", "jkn", "brr", "fay", "bootstrap", "other");
        var rho = new Option<string?>("--rho") { Description = "Fay's rho (required for --rep-type fay)." };
        var scale = new Option<string?>("--scale") { Description = "Replicate variance scale (R scale)." };
        var rscales = new Option<string?>("--rscales") { Description = "File with one rscale per replicate (numbers separated by new lines, spaces or commas)." };
        var mse = new Option<bool>("--mse") { Description = "Centre replicate variances on the full-sample estimate (R mse = TRUE)." };
        var replicates = CommandLine.WithDefault("--replicates", "Bootstrap replicates to build (default 50).", 50);
        var seed = CommandLine.WithDefault("--seed", "Seed of the bootstrap generator.", 20221125UL);
        var total = Many("--total", "Estimate the total of COL (repeatable).");
        var mean = Many("--mean", "Estimate the mean of COL (repeatable).");
        var proportion = Many("--proportion", "Estimate the share of rows with COL=VALUE (repeatable).");
        var ratio = Many("--ratio", "Estimate the ratio NUM/DEN of two totals (repeatable).");
        var quantile = Many("--quantile", "Estimate the quantile COL:P, e.g. hours:0.5 (repeatable).");
        var by = new Option<string?>("--by") { Description = "Domain columns, comma-separated: COL,COL." };
        var where = new Option<string?>("--where") { Description = "Keep rows with COL=VALUE (the design stays whole, as R subset)." };
        var lonely = CommandLine.Choice("--lonely-psu", "Lonely-PSU policy: fail, remove, certainty, adjust, average.", "fail", "fail", "remove", "certainty", "adjust", "average");
        var ciMethod = CommandLine.Choice("--ci-method", "Interval of --proportion estimates (R svyciprop method): mean (Wald), logit, xlogit, asin, beta.", "mean", "mean", "logit", "xlogit", "asin", "beta");
        var compare = new Option<string?>("--compare") { Description = "A --by variable whose levels are compared pairwise (differences with SE, t, df, p) within the other --by variables." };
        var test = new Option<string?>("--test") { Description = "ttest: design-based t-test of each --mean between the two levels of --compare (R svyttest)." };
        test.AcceptOnlyFromAmong("ttest");
        var chisq = Many("--chisq", "Rao-Scott F test of independence of two columns A,B (R svychisq, statistic F; repeatable).");
        var differencesPath = new Option<string?>("--differences") { Description = "Where --compare and --test write their CSV (default: differences.csv beside --out); --chisq writes chisq.csv beside it." };
        var level = CommandLine.WithDefault("--level", "Confidence level of the t intervals (default 0.95).", "0.95");
        var output = new Option<string?>("--out") { Description = "Quick mode: write the estimates to this CSV file (default: standard output). Study mode: the output directory." };

        var command = new Command("estimate", "Design-based estimates with SE, t(df) intervals, CV, unweighted counts and release flags (R survey parity): contrib estimate STUDY --out DIR, or quick mode with --data.")
        {
            studyPath, data, sheet, encoding, delimiter, decimalSeparator, weights, strata, psu, fpc, ssu, fpc2, adjustDomainLonely, repweights, repType, rho, scale, rscales,
            mse, replicates, seed, total, mean, proportion, ratio, quantile, by, where, lonely, ciMethod, compare, test, chisq, differencesPath, level, output,
        };
        command.SetRunAction(stderr, parse =>
        {
            if (parse.GetValue(studyPath) is { } studyFile)
            {
                if (parse.GetValue(data) is not null)
                    throw Usage("Give either a study file (study mode) or --data (quick mode), not both.");
                if (parse.GetValue(output) is not { } directory)
                    throw Usage("Study mode needs --out DIR, the folder for estimates.csv and the valuation outputs.");
                using var folder = OutputFolder.Plan(new DirectoryInfo(directory));
                return RunStudy(CliChecks.StudyFile(new FileInfo(studyFile), "estimate"), folder, stdout);
            }

            if (parse.GetValue(data) is null || parse.GetValue(weights) is null)
                throw Usage("Give a study file (contrib estimate STUDY --out DIR) or, in quick mode, both --data FILE and --weights COL.");
            // Every option before the survey is read (hardening.md §1): a wrong option must not cost a full read.
            CheckQuickOptions(parse, repweights, repType, rho, scale, replicates);
            var byColumns = Split(parse.GetValue(by), ',');
            var request = new QuickEstimateRequest
            {
                DataPath = parse.GetValue(data)!,
                Tabular = TabularOptions.Default with
                {
                    Sheet = parse.GetValue(sheet),
                    Encoding = parse.GetValue(encoding)!,
                    Delimiter = parse.GetValue(delimiter)!,
                    Decimal = parse.GetValue(decimalSeparator)!,
                },
                Weights = parse.GetValue(weights)!,
                Strata = parse.GetValue(strata),
                Psu = parse.GetValue(psu),
                Fpc = parse.GetValue(fpc),
                Ssu = parse.GetValue(ssu),
                Fpc2 = parse.GetValue(fpc2),
                AdjustDomainLonely = parse.GetValue(adjustDomainLonely),
                ReplicateWeights = parse.GetValue(repweights),
                ReplicateType = parse.GetValue(repType) is { } type ? StudyChoices.Parse<ReplicateMethod>(type, "--rep-type", CommandLinePlace) : null,
                Rho = OptionalNumber(parse.GetValue(rho), "--rho"),
                Scale = OptionalNumber(parse.GetValue(scale), "--scale"),
                RScales = parse.GetValue(rscales) is { } file ? ReadRScales(file) : null,
                Mse = parse.GetValue(mse),
                BootstrapReplicates = parse.GetValue(replicates),
                Seed = parse.GetValue(seed),
                Totals = parse.GetValue(total) ?? [],
                Means = parse.GetValue(mean) ?? [],
                Proportions = (parse.GetValue(proportion) ?? []).Select(p => { var (c, v) = Pair(p, '=', "--proportion", "COL=VALUE"); return new ProportionRequest(c, v); }).ToArray(),
                Ratios = (parse.GetValue(ratio) ?? []).Select(r => { var (n, d) = Pair(r, '/', "--ratio", "NUM/DEN"); return new RatioRequest(n, d); }).ToArray(),
                Quantiles = (parse.GetValue(quantile) ?? []).Select(ParseQuantile).ToArray(),
                By = byColumns,
                Where = parse.GetValue(where) is { } w ? WhereFilter(w) : null,
                LonelyPsu = StudyChoices.Parse<LonelyPsuPolicy>(parse.GetValue(lonely), "--lonely-psu", CommandLinePlace),
                Options = EstimationOptions.Default with
                {
                    ConfidenceLevel = Level(parse.GetValue(level)!),
                    ProportionInterval = StudyChoices.Parse<ProportionInterval>(parse.GetValue(ciMethod), "--ci-method", CommandLinePlace),
                },
                Compare = parse.GetValue(compare),
                TTest = parse.GetValue(test) is not null,
                ChiSquare = (parse.GetValue(chisq) ?? []).Select(c => Pair(c, ',', "--chisq", "A,B")).ToArray(),
            };
            string? inferencePath = null;
            if (request.Compare is not null || request.TTest || request.ChiSquare.Count > 0)
            {
                inferencePath = parse.GetValue(differencesPath)
                    ?? (parse.GetValue(output) is { } o ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(o))!, "differences.csv") : null)
                    ?? throw Usage("--compare, --test and --chisq write differences.csv: give --out FILE (it goes beside it) or --differences FILE.");
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
                    AtomicFile.WriteText(chisqPath, writer => DifferencesCsv.WriteChiSquare(writer, executed.ChiSquare));
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
        var design = run.Design;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  design: {design.Kind}{(design.Replicates > 0 ? $" ({design.Replicates} replicates)" : "")}, {100 * design.ConfidenceLevel:0.##} % intervals (the study's one design, also behind its indicators and index)"));
        return ExitCodes.Success;
    }

    /// <summary>The quick-mode options whose range or combination can be checked without the data.</summary>
    private static void CheckQuickOptions(ParseResult parse, Option<string?> repweights, Option<string?> repType, Option<string?> rho, Option<string?> scale, Option<int> replicates)
    {
        var type = parse.GetValue(repType);
        var given = parse.GetValue(repweights) is not null;
        if (given && type is null)
            throw Usage("--repweights needs the replicate method: add --rep-type jk1|jkn|brr|fay|bootstrap|other.");
        if (!given && type is "brr" or "fay" or "other")
            throw Usage($"--rep-type {type} cannot be built from strata and PSUs; give the replicate weight columns with --repweights, or use jk1, jkn or bootstrap.");
        if (OptionalNumber(parse.GetValue(rho), "--rho") is { } r)
            OptionRange.Check(r, "--rho", 0, 1, highOpen: true, hint: "Fay's rho, e.g. 0.5");
        else if (type == "fay")
            throw Usage("--rep-type fay needs --rho (Fay's rho, e.g. 0.5), as R survey requires.");
        if (OptionalNumber(parse.GetValue(scale), "--scale") is { } s && !(double.IsFinite(s) && s > 0))
            throw Usage(string.Create(CultureInfo.InvariantCulture, $"--scale {s.ToString("R", CultureInfo.InvariantCulture)} is out of range: it must be a positive number."));
        if (type == "bootstrap" && !given)
            OptionRange.Check(parse.GetValue(replicates), "--replicates", 2, MaxBootstrapReplicates, "e.g. 50 or 500");
    }

    /// <summary>The most bootstrap replicates quick mode builds (each is a full column of weights in memory).</summary>
    private const int MaxBootstrapReplicates = 100_000;

    private static readonly SourceLocation CommandLinePlace = SourceLocation.OfFile("command line");

    private static string Flag(SurveyEstimate estimate) => estimate.Flag.ToString().ToLowerInvariant();

    private static Option<string[]> Many(string name, string description) =>
        new(name) { Description = description, AllowMultipleArgumentsPerToken = true };

    private static string[] Split(string? text, char separator) =>
        text is null ? [] : text.Split(separator, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    private static EstimationException Usage(string message) => new(FailureKind.Usage, message);

    private static (string, string) Pair(string text, char separator, string option, string shape)
    {
        int at = text.IndexOf(separator, StringComparison.Ordinal);
        if (at <= 0 || at == text.Length - 1) throw Usage($"{option} '{text}' is not of the form {shape}.");
        return (text[..at].Trim(), text[(at + 1)..].Trim());
    }

    private static RowFilter WhereFilter(string text)
    {
        var (column, value) = Pair(text, '=', "--where", "COL=VALUE");
        return new RowFilter(column, value);
    }

    private static QuantileRequest ParseQuantile(string text)
    {
        int at = text.LastIndexOf(':');
        if (at <= 0 || !double.TryParse(text[(at + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var p) || p < 0 || p > 1)
            throw Usage($"--quantile '{text}' is not of the form COL:P with P between 0 and 1 (e.g. hours:0.5).");
        return new QuantileRequest(text[..at].Trim(), p);
    }

    private static double? OptionalNumber(string? text, string option)
    {
        if (text is null) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw Usage($"{option} '{text}' is not a number; write it with a decimal point, e.g. 0.5.");
        return value;
    }

    private static double Level(string text)
    {
        var level = OptionalNumber(text, "--level")!.Value;
        if (!(level > 0 && level < 1)) throw Usage($"--level {text} must be between 0 and 1, e.g. 0.95.");
        return level;
    }

    private static double[] ReadRScales(string path)
    {
        if (!File.Exists(path)) throw new InputDataException(SourceLocation.OfFile(path), $"the rscales file {SpecialFiles.Absence(path)}.", "Check the path given to --rscales.");
        var values = new List<double>();
        var lines = File.ReadAllLines(path);
        for (int line = 0; line < lines.Length; line++)
        {
            var fields = lines[line].Split([' ', '\t', ',', ';'], StringSplitOptions.RemoveEmptyEntries);
            for (int f = 0; f < fields.Length; f++)
            {
                if (!double.TryParse(fields[f], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                    throw new InputDataException(new SourceLocation(path, line + 1, f + 1), $"'{fields[f]}' is not a number.", "Write one rscale per replicate with a decimal point.");
                values.Add(v);
            }
        }
        return [.. values];
    }
}
