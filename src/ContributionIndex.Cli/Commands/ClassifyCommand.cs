using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using ContributionIndex.Classify.Coding;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Cli.Commands;

/// <summary><c>contrib classify</c>: codes activity descriptions to ISCO-08 major and sub-major groups and SDG goals; <c>train</c> and <c>evaluate</c> rebuild and measure the model.</summary>
internal static class ClassifyCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var input = new Option<string>("--input") { Description = "Table of descriptions to code: CSV (',', ';' or tab; UTF-8 or Windows-1251, detected) or XLSX." };
        var textColumn = new Option<string>("--text-column") { Description = "Header of the column with the activity description." };
        var languageColumn = new Option<string?>("--lang-column") { Description = "Header of the column with the language code (copied to the review queue)." };
        var output = new Option<string>("--out") { Description = "Output CSV: the input columns plus isco_code, isco_confidence, isco_submajor, isco_submajor_confidence, sdg_goals, sdg_confidence, needs_review. The review queue goes next to it as FILE.review.csv." };
        var reviewed = new Option<string?>("--reviewed") { Description = "A reviewed queue with corrected isco_code and sdg_goals; its rows override the model." };
        var model = new Option<string?>("--model") { Description = "A model zip from 'contrib classify train' (default: the model built from the shipped training data)." };
        var threshold = new Option<double?>("--threshold") { Description = "ISCO review threshold 0–1: rows with a lower ISCO major-group confidence are queued (default: the model's)." };
        var sdgThreshold = new Option<double?>("--sdg-threshold") { Description = "SDG review threshold 0–1: rows whose most probable goal has a lower probability are queued (default: the model's)." };
        var directionColumn = new Option<string?>("--direction-column") { Description = "Header of the column with the Forum direction (climate_eco, health, inclusion, education, international, social, emergencies, ethno, it_media); used as evidence for the goals and the ISCO group. Without it the coder reads the text alone." };
        var evaluate = new Option<string?>("--evaluate") { Description = "A labelled file (text, isco_code, sdg_goals[, language]): code it and report accuracy per language instead of coding --input." };

        var command = new Command("classify", "Code activity descriptions to ISCO-08 major (and sub-major) groups and SDG goals, with a review queue for uncertain rows.")
        {
            input, textColumn, languageColumn, directionColumn, output, reviewed, model, threshold, sdgThreshold, evaluate,
        };
        command.SetRunAction(stderr, parse =>
        {
            if (parse.GetValue(evaluate) is { } labelledPath)
            {
                var evaluator = LoadCoder(parse.GetValue(model), parse.GetValue(threshold), parse.GetValue(sdgThreshold));
                var labelled = ReadLabelled(labelledPath);
                var predicted = evaluator.PredictMany([.. labelled.Select(l => (string?)l.Text)]);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{labelled.Count} labelled descriptions from {labelledPath}; model examples SHA-256 {evaluator.Manifest.TrainingExamplesSha256}; thresholds ISCO {evaluator.ReviewThreshold}, SDG {evaluator.SdgReviewThreshold}."));
                stdout.Write(CodingEvaluation.PerLanguageSummary(labelled, predicted, evaluator.ReviewThreshold, evaluator.SdgReviewThreshold));
                if (labelled.Any(l => l.Direction.Length > 0))
                {
                    // The file has a direction column: the same rows coded with it, to show what the direction adds.
                    stdout.WriteLine("with the direction column:");
                    var withDirection = evaluator.PredictMany([.. labelled.Select(l => (string?)l.Text)], [.. labelled.Select(l => (string?)l.Direction)]);
                    stdout.Write(CodingEvaluation.PerLanguageSummary(labelled, withDirection, evaluator.ReviewThreshold, evaluator.SdgReviewThreshold));
                }

                return ExitCodes.Success;
            }

            var inputPath = Require(parse.GetValue(input), "--input");
            var outputPath = Require(parse.GetValue(output), "--out");
            var text = Require(parse.GetValue(textColumn), "--text-column");
            var coder = LoadCoder(parse.GetValue(model), parse.GetValue(threshold), parse.GetValue(sdgThreshold));
            var (header, rows) = CodingJob.ReadInput(inputPath, text, parse.GetValue(languageColumn), parse.GetValue(directionColumn));
            var reviewedPath = parse.GetValue(reviewed);
            var corrections = reviewedPath is null ? null : CodingJob.ReadReviewed(reviewedPath);
            var summary = CodingJob.Run(header, rows, coder, outputPath, corrections, inputPath);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{summary.Rows} rows: {summary.Coded} coded, {summary.Queued} queued for review ({CodingJob.QueuePath(outputPath)}), {summary.Reviewed} from the reviewed queue, {summary.Rejected} rejected ({CodingJob.RejectedPath(outputPath)}); thresholds ISCO {coder.ReviewThreshold}, SDG {coder.SdgReviewThreshold}."));
            return ExitCodes.Success;
        });

        command.Subcommands.Add(CreateTrain(stdout, stderr));
        command.Subcommands.Add(CreateEvaluate(stdout, stderr));
        command.Subcommands.Add(CreateBench(stdout, stderr));
        command.Subcommands.Add(CreateSetThresholds(stdout, stderr));
        command.Subcommands.Add(CreateCalibrate(stdout, stderr));
        command.Subcommands.Add(CreateReviewCurve(stdout, stderr));
        return command;
    }

    /// <summary>The learning curve of reviewed rows, simulated with half of the training situations as survey answers (CodingEvaluation.ReviewedLearningCurve).</summary>
    private static Command CreateReviewCurve(TextWriter stdout, TextWriter stderr)
    {
        var training = CommandLine.WithDefault("--training", "Training data (default: methodology/coding/training.tsv).", Path.Combine("methodology", "coding", "training.tsv"));
        var heldout = CommandLine.WithDefault("--heldout", "The set every model is scored on (default: the evaluation set).", Path.Combine("methodology", "coding", "evaluation-set", "evaluation.tsv"));
        var extra = CommandLine.WithDefault("--extra", "ISCO-only rows added to every model (default: methodology/coding/v1/training.tsv, as in the shipped model).", Path.Combine("methodology", "coding", "v1", "training.tsv"));
        var shares = new Option<double[]>("--shares") { Description = "Portions of the review queue to add (default 0.25 0.5 1).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [0.25, 0.5, 1.0] };
        var output = new Option<string>("--out") { Description = "Where to write the Markdown section." };
        var command = new Command("review-curve", "Measure how accuracy grows when reviewed rows are added to training (simulated with held-out training situations, never with the evaluation set).") { training, heldout, extra, shares, output };
        command.SetRunAction(stderr, parse =>
        {
            var outputPath = Require(parse.GetValue(output), "--out");
            var portions = parse.GetValue(shares) ?? [];
            if (portions.Length == 0 || portions.Any(x => x is <= 0 or > 1)) throw new UsageException("--shares must lie in (0, 1].", "Use for example 0.25 0.5 1.");
            var page = CodingEvaluation.ReviewedLearningCurve(ReadLabelled(parse.GetValue(training)!), ActivityCoder.IscoOnly(ReadLabelled(parse.GetValue(extra)!)),
                ReadLabelled(parse.GetValue(heldout)!), ActivityCoder.Default.Manifest.Options, portions);
            ContributionIndex.IO.AtomicFile.WriteAllText(outputPath, page);
            stdout.WriteLine($"wrote {outputPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Fits the calibration (temperature, direction weights, SDG Platt scaling) and the review thresholds out-of-fold on the model's training data and records them in the model, without retraining it.</summary>
    private static Command CreateCalibrate(TextWriter stdout, TextWriter stderr)
    {
        var model = new Option<string?>("--model") { Description = "The trained model zip (default: the shipped model)." };
        var data = new Option<string[]>("--data") { Description = "The data the model was trained on, as given to 'classify train --data' (default: the shipped training data). Rows without goals train the ISCO model in every fold and are not scored.", AllowMultipleArgumentsPerToken = true };
        var folds = CommandLine.WithDefault("--folds", "Cross-validation folds (by situation group).", 5);
        var evaluationSet = new Option<string?>("--evaluation-set") { Description = "A labelled file scored once after fitting (never used to fit): before/after figures and reliability tables go into the report, and its figures into the model's manifest." };
        var report = new Option<string?>("--report") { Description = "Where to write the calibration report (Markdown)." };
        var cache = new Option<string?>("--scores-cache") { Description = "A file for the out-of-fold scores: read when it fits the data and model, written otherwise (refitting then needs no training)." };
        var output = new Option<string>("--out") { Description = "Where to write the calibrated model zip." };
        var command = new Command("calibrate", "Fit the ISCO temperature, the Forum-direction weights, the SDG confidence calibration and both review thresholds on out-of-fold predictions of the training data, and record them in the model.")
        {
            model, data, folds, evaluationSet, report, cache, output,
        };
        command.SetRunAction(stderr, parse =>
        {
            var outputPath = Require(parse.GetValue(output), "--out");
            var foldCount = OptionRange.Check(parse.GetValue(folds), "--folds", 2, 100);
            var coder = LoadCoder(parse.GetValue(model), null);
            var files = parse.GetValue(data) ?? [];
            var examples = files.Length == 0 ? ActivityCoder.DefaultTrainingData() : files.SelectMany(ReadLabelled).ToArray();
            if (ActivityCoder.ExamplesSha256(examples) != coder.Manifest.TrainingExamplesSha256)
                throw new UsageException("the model was not trained on these data (the examples SHA-256 differs).", "Give with --data the files the model was trained on.");
            var cachePath = parse.GetValue(cache);
            var evaluationPath = parse.GetValue(evaluationSet);
            var watch = Stopwatch.StartNew();
            var (calibrated, page) = CodingCalibration.Calibrate(coder, examples, foldCount, evaluationPath is null ? null : ReadLabelled(evaluationPath),
                cachePath is not null && File.Exists(cachePath) ? File.ReadAllText(cachePath) : null, out var scores);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"calibrated in {watch.Elapsed.TotalSeconds:0} s"));
            if (cachePath is not null) ContributionIndex.IO.AtomicFile.WriteAllText(cachePath, scores);
            if (parse.GetValue(report) is { } reportPath)
            {
                ContributionIndex.IO.AtomicFile.WriteAllText(reportPath, page);
                stdout.WriteLine($"wrote {reportPath}");
            }

            var fitted = calibrated.Manifest.Options;
            if (evaluationPath is not null)
            {
                calibrated = WithEvaluationSet(calibrated, evaluationPath, stdout);
                var labelled = ReadLabelled(evaluationPath);
                if (labelled.Any(l => l.Direction.Length > 0))
                {
                    // The same set coded with its direction column, recorded under "direction." keys.
                    var withDirection = calibrated.PredictMany([.. labelled.Select(l => (string?)l.Text)], [.. labelled.Select(l => (string?)l.Direction)], degreeOfParallelism: 1);
                    var figures = new Dictionary<string, double>(calibrated.Manifest.Evaluation ?? new Dictionary<string, double>(), StringComparer.Ordinal);
                    foreach (var (key, value) in CodingEvaluation.Figures(labelled, withDirection, calibrated.ReviewThreshold, calibrated.SdgReviewThreshold)) figures["direction." + key] = value;
                    calibrated = calibrated.WithEvaluation(figures);
                }
            }

            calibrated.Save(outputPath);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"fitted: T {fitted.IscoTemperature}, direction weights ISCO {fitted.DirectionIscoWeight} goals {fitted.DirectionGoalWeight}, SDG confidence σ({fitted.SdgConfidenceSlope}·logit p + {fitted.SdgConfidenceOffset}), θ_ISCO {fitted.ReviewThreshold}, θ_SDG {fitted.SdgReviewThreshold}; wrote {outputPath}"));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>A hand-run timing harness (never a unit test): batch prediction throughput and training time.</summary>
    private static Command CreateBench(TextWriter stdout, TextWriter stderr)
    {
        var rows = CommandLine.WithDefault("--rows", "Descriptions per timed batch (the shipped training texts, repeated).", 200_000);
        var threads = CommandLine.WithDefault("--threads", "Prediction threads.", 2);
        var repeats = CommandLine.WithDefault("--repeats", "Timed batches; the best is reported.", 3);
        var train = new Option<bool>("--train") { Description = "Also time training (each stage) and saving, concurrent trainers on all cores, and check the saved bytes." };
        var trainSerial = new Option<bool>("--train-serial") { Description = "With --train: first time the serial training (one trainer after the other) in the same run and check that both give the same model bytes." };
        var trainData = new Option<string[]>("--train-data") { Description = "With --train: coded-descriptions files to train on instead of the shipped data (for example the doubled timing input of methodology/coding/timing_input.py).", AllowMultipleArgumentsPerToken = true };
        var trainIscoOnly = new Option<string[]>("--train-isco-only") { Description = "With --train-data: further files whose goals are dropped, so they train the ISCO model only (as the shipped v1 set).", AllowMultipleArgumentsPerToken = true };
        var benchModel = new Option<string?>("--model") { Description = "A model zip to time (default: the shipped model)." };
        var command = new Command("bench", "Measure prediction throughput (descriptions per second) and, with --train, training time; run by hand.")
        {
            rows, threads, repeats, train, trainSerial, trainData, trainIscoOnly, benchModel,
        };
        command.SetRunAction(stderr, parse =>
        {
            var count = OptionRange.Check(parse.GetValue(rows), "--rows", 1, int.MaxValue);
            OptionRange.Check(parse.GetValue(threads), "--threads", 1, 1024);
            OptionRange.Check(parse.GetValue(repeats), "--repeats", 1, int.MaxValue);
            var data = ActivityCoder.DefaultTrainingData();
            var texts = Enumerable.Range(0, count).Select(i => (string?)data[i % data.Count].Text).ToArray();
            var watch = Stopwatch.StartNew();
            var modelPath = parse.GetValue(benchModel);
            var coder = modelPath is null ? ActivityCoder.Default : ActivityCoder.Load(modelPath);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"load {(modelPath is null ? "shipped model" : modelPath)}: {watch.Elapsed.TotalSeconds:0.00} s"));
            coder.PredictMany(texts.Take(2000).ToArray(), parse.GetValue(threads));
            var best = double.MaxValue;
            var bestCpu = double.MaxValue;
            using var process = Process.GetCurrentProcess();
            for (var r = 0; r < parse.GetValue(repeats); r++)
            {
                process.Refresh();
                var cpuBefore = process.TotalProcessorTime;
                watch.Restart();
                coder.PredictMany(texts, parse.GetValue(threads));
                best = Math.Min(best, watch.Elapsed.TotalSeconds);
                process.Refresh();
                bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpuBefore).TotalSeconds);
            }

            // On a shared machine the wall clock includes time spent waiting for a core; CPU time does not. Both are
            // measured figures; no rate for free cores is derived from them (that would be scaled, not measured).
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"predict: {count} descriptions on {parse.GetValue(threads)} threads in {best:0.000} s wall = {count / best:0} descriptions/s (best of {parse.GetValue(repeats)}; {Environment.ProcessorCount} cores visible)"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"predict: {bestCpu:0.000} CPU seconds = {count / bestCpu:0} descriptions per CPU second"));
            if (parse.GetValue(train))
            {
                var files = parse.GetValue(trainData) ?? [];
                var examples = files.Length == 0 ? data
                    : [.. files.SelectMany(ReadLabelled), .. ActivityCoder.IscoOnly((parse.GetValue(trainIscoOnly) ?? []).SelectMany(ReadLabelled))];
                BenchTrain(examples, files.Length == 0 ? "the shipped training data" : string.Join(" + ", files), parse.GetValue(trainSerial), stdout);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Times training on <paramref name="examples"/>: wall and CPU seconds, the load average, each stage and the save, with
    /// the trainers concurrent on all cores and, when <paramref name="serial"/>, first one after the other in the same run;
    /// prints the SHA-256 of the saved model bytes and whether the two runs saved the same bytes.
    /// </summary>
    private static void BenchTrain(IReadOnlyList<LabelledActivity> examples, string source, bool serial, TextWriter stdout)
    {
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"train: {examples.Count} descriptions ({examples.Count(e => e.SdgGoals.Count > 0)} with goals) from {source}; {Environment.ProcessorCount} cores visible"));
        var hashes = new List<string>();
        foreach (var threads in serial ? new[] { 1, 0 } : [0])
        {
            var label = threads == 1 ? "serial (1 trainer at a time)" : string.Create(CultureInfo.InvariantCulture, $"concurrent ({Environment.ProcessorCount} trainers at a time)");
            var loadBefore = LoadAverage();
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var stages = new TrainingStages();
            var coder = ActivityCoder.Train(examples, null, null, threads, stages);
            var trainSeconds = watch.Elapsed.TotalSeconds;
            using var bytes = new MemoryStream();
            var save = Stopwatch.StartNew();
            coder.Save(bytes);
            stages.Add("save the model zip", save);
            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            var wall = watch.Elapsed.TotalSeconds;
            hashes.Add(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes.ToArray())));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"train {label}: {trainSeconds:0.0} s wall to train, {wall:0.0} s with the save, {cpu:0.0} CPU seconds; load average {loadBefore} before, {LoadAverage()} after; model {bytes.Length} bytes, SHA-256 {hashes[^1]}"));
            stdout.Write(stages.Format("    "));
        }

        if (hashes.Count == 2)
            stdout.WriteLine(hashes[0] == hashes[1] ? "train: serial and concurrent training saved identical model bytes" : "train: serial and concurrent training saved DIFFERENT model bytes");
    }

    /// <summary>The 1-, 5- and 15-minute load averages from /proc/loadavg, or "n/a" where there is none.</summary>
    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>Records review thresholds in a trained model without retraining (the thresholds do not enter the weights); it does not choose them: methodology/coding/choose_thresholds.py chose the shipped ones on the evaluation set, 'classify calibrate' the out-of-fold ones.</summary>
    private static Command CreateSetThresholds(TextWriter stdout, TextWriter stderr)
    {
        var model = new Option<string>("--model") { Description = "The trained model zip." };
        var iscoThreshold = new Option<double>("--threshold") { Description = "ISCO review threshold to record." };
        var sdgThreshold = new Option<double>("--sdg-threshold") { Description = "SDG review threshold to record." };
        var evaluationSet = new Option<string?>("--evaluation-set") { Description = "A labelled file scored with the new thresholds; its figures replace the model's evaluation figures." };
        var output = new Option<string>("--out") { Description = "Where to write the model zip." };
        var command = new Command("set-thresholds", "Record review thresholds (and evaluation figures at them) in a trained model, without retraining.") { model, iscoThreshold, sdgThreshold, evaluationSet, output };
        command.SetRunAction(stderr, parse =>
        {
            var outputPath = Require(parse.GetValue(output), "--out");
            var (iscoValue, sdgValue) = (parse.GetValue(iscoThreshold), parse.GetValue(sdgThreshold));
            if (iscoValue is < 0 or > 1 || sdgValue is < 0 or > 1) throw new UsageException("--threshold and --sdg-threshold must be 0–1.", "Give probabilities such as 0.6.");
            var coder = LoadCoder(Require(parse.GetValue(model), "--model"), null).WithRecordedThresholds(iscoValue, sdgValue);
            if (parse.GetValue(evaluationSet) is { } evaluationPath) coder = WithEvaluationSet(coder, evaluationPath, stdout);

            coder.Save(outputPath);
            stdout.WriteLine($"wrote {outputPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateTrain(TextWriter stdout, TextWriter stderr)
    {
        var data = new Option<string[]>("--data") { Description = "Coded descriptions (TSV/CSV with text, isco_major or isco_code, sdg_goals); repeat to add reviewed queues. Default: the shipped training data.", AllowMultipleArgumentsPerToken = true };
        var output = new Option<string>("--out") { Description = "Where to write the model zip." };
        var evaluationSet = new Option<string?>("--evaluation-set") { Description = "A labelled file scored once after training; its figures are recorded in the model's manifest (never used for training or for choosing settings)." };
        var iscoThreshold = new Option<double?>("--threshold") { Description = "ISCO review threshold recorded in the model (default: ActivityCoderOptions.ReviewThreshold)." };
        var sdgThreshold = new Option<double?>("--sdg-threshold") { Description = "SDG review threshold recorded in the model (default: ActivityCoderOptions.SdgReviewThreshold)." };
        var stems = CommandLine.WithDefault("--stem-length", "Prefix stem tokens of this many letters (0: off).", ActivityCoderOptions.Default.StemLength);
        var languageStems = CommandLine.WithDefault("--language-stems", "Add Snowball (ru, en) and Kazakh suffix-stripper stem tokens.", ActivityCoderOptions.Default.LanguageStems);
        var concepts = CommandLine.WithDefault("--concepts", "Add task-concept tokens (zc_concept) from the lexicon.", ActivityCoderOptions.Default.ConceptTokens);
        var lexicon = new Option<string?>("--lexicon") { Description = "The concept lexicon (concept, language, form; TSV) stored in the model (default: the embedded methodology/coding/lexicon.tsv)." };
        var minimumDocumentFrequency = CommandLine.WithDefault("--min-document-frequency", "Learn only n-gram slots found in at least this many training descriptions (1: all; for comparing settings).", ActivityCoderOptions.Default.MinimumDocumentFrequency);
        var iscoTolerance = CommandLine.WithDefault("--isco-tolerance", "Convergence tolerance of the ISCO model's L-BFGS trainer (for comparing settings).", ActivityCoderOptions.Default.IscoOptimizationTolerance);
        var goalTolerance = CommandLine.WithDefault("--tolerance", "Convergence tolerance of the goal models' L-BFGS trainers (for comparing settings).", ActivityCoderOptions.Default.OptimizationTolerance);
        var iscoThreads = CommandLine.WithDefault("--isco-threads", "Threads (fixed chunks of rows) on which the ISCO model's L-BFGS computes its gradient; the model depends on this number, not on the machine.", ActivityCoderOptions.Default.IscoTrainingThreads);
        var iscoHistory = CommandLine.WithDefault("--isco-history", "Past steps the ISCO model's L-BFGS keeps (for comparing settings).", ActivityCoderOptions.Default.IscoHistorySize);
        var command = new Command("train", "Rebuild the coding model deterministically from coded descriptions.") { data, output, evaluationSet, iscoThreshold, sdgThreshold, stems, languageStems, concepts, lexicon, minimumDocumentFrequency, iscoTolerance, goalTolerance, iscoThreads, iscoHistory };
        command.SetRunAction(stderr, parse =>
        {
            var outputPath = Require(parse.GetValue(output), "--out");
            var files = parse.GetValue(data) ?? [];
            var examples = files.Length == 0 ? ActivityCoder.DefaultTrainingData() : files.SelectMany(ReadLabelled).ToArray();
            var watch = Stopwatch.StartNew();
            var options = ActivityCoderOptions.Default;
            if (parse.GetValue(iscoThreshold) is { } t) options = options with { ReviewThreshold = t is >= 0 and <= 1 ? t : throw new UsageException("--threshold must be 0–1.", "Give a probability such as 0.6.") };
            if (parse.GetValue(sdgThreshold) is { } st) options = options with { SdgReviewThreshold = st is >= 0 and <= 1 ? st : throw new UsageException("--sdg-threshold must be 0–1.", "Give a probability such as 0.5.") };
            OptionRange.Check(parse.GetValue(stems), "--stem-length", 0, int.MaxValue);
            options = options with { StemLength = parse.GetValue(stems), LanguageStems = parse.GetValue(languageStems), ConceptTokens = parse.GetValue(concepts) };
            OptionRange.Check(parse.GetValue(minimumDocumentFrequency), "--min-document-frequency", 1, int.MaxValue);
            var tolerance = parse.GetValue(iscoTolerance);
            if (!(tolerance is > 0 and < 1)) throw new UsageException("--isco-tolerance must be above 0 and below 1.", "Give a tolerance such as 0.001.");
            var goalsTolerance = parse.GetValue(goalTolerance);
            if (!(goalsTolerance is > 0 and < 1)) throw new UsageException("--tolerance must be above 0 and below 1.", "Give a tolerance such as 0.0001.");
            OptionRange.Check(parse.GetValue(iscoThreads), "--isco-threads", 1, 64);
            OptionRange.Check(parse.GetValue(iscoHistory), "--isco-history", 1, 100);
            options = options with
            {
                MinimumDocumentFrequency = parse.GetValue(minimumDocumentFrequency),
                IscoOptimizationTolerance = tolerance,
                OptimizationTolerance = goalsTolerance,
                IscoTrainingThreads = parse.GetValue(iscoThreads),
                IscoHistorySize = parse.GetValue(iscoHistory),
            };
            var lexiconPath = parse.GetValue(lexicon);
            if (lexiconPath is not null && !options.ConceptTokens) throw new UsageException("--lexicon needs --concepts true.", "Add --concepts true, or drop --lexicon.");
            var coder = ActivityCoder.Train(examples, options, lexiconPath is null ? null : ReadLexicon(lexiconPath));
            var trainingSeconds = watch.Elapsed.TotalSeconds;
            if (parse.GetValue(evaluationSet) is { } evaluationPath) coder = WithEvaluationSet(coder, evaluationPath, stdout);

            coder.Save(outputPath);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"trained on {examples.Count} descriptions in {trainingSeconds:0.0} s; examples SHA-256 {coder.Manifest.TrainingExamplesSha256}; wrote {outputPath}."));
            return ExitCodes.Success;
        });
        return command;
    }

    private static ConceptLexicon ReadLexicon(string path)
    {
        try
        {
            return ConceptLexicon.Read(path);
        }
        catch (FormatException ex)
        {
            throw new UsageException(ex.Message, "Each line is concept<TAB>language<TAB>form (a word prefix or a phrase of up to four).");
        }
    }

    private static Command CreateEvaluate(TextWriter stdout, TextWriter stderr)
    {
        var training = CommandLine.WithDefault("--training", "Training data (default: methodology/coding/training.tsv).", Path.Combine("methodology", "coding", "training.tsv"));
        var heldout = CommandLine.WithDefault("--heldout", "Held-out data (default: the evaluation set, methodology/coding/evaluation-set/evaluation.tsv).", Path.Combine("methodology", "coding", "evaluation-set", "evaluation.tsv"));
        var folds = CommandLine.WithDefault("--folds", "Number of cross-validation folds (0: held-out set only).", 5);
        var output = CommandLine.WithDefault("--out", "Where to write the Markdown report (default: methodology/coding/evaluation.md).", Path.Combine("methodology", "coding", "evaluation.md"));
        var charNgrams = CommandLine.WithDefault("--char-ngrams", "Longest character n-gram (for comparing settings).", ActivityCoderOptions.Default.CharNgramLength);
        var wordNgrams = CommandLine.WithDefault("--word-ngrams", "Longest word n-gram (for comparing settings).", ActivityCoderOptions.Default.WordNgramLength);
        var l1 = CommandLine.WithDefault("--l1", "L1 regularisation (for comparing settings).", ActivityCoderOptions.Default.L1Regularization);
        var stems = CommandLine.WithDefault("--stem-length", "Stem tokens of this many letters (0: off; for comparing settings).", ActivityCoderOptions.Default.StemLength);
        var languageStems = CommandLine.WithDefault("--language-stems", "Add Snowball (ru, en) and Kazakh suffix-stripper stem tokens (for comparing settings).", ActivityCoderOptions.Default.LanguageStems);
        var concepts = CommandLine.WithDefault("--concepts", "Add task-concept tokens from the embedded lexicon (for comparing settings).", ActivityCoderOptions.Default.ConceptTokens);
        var l2 = CommandLine.WithDefault("--l2", "L2 regularisation (for comparing settings).", ActivityCoderOptions.Default.L2Regularization);
        var tolerance = CommandLine.WithDefault("--tolerance", "L-BFGS convergence tolerance (for comparing settings).", ActivityCoderOptions.Default.OptimizationTolerance);
        var majorOnly = new Option<bool>("--major-only") { Description = "Learn ISCO major groups only, not sub-major groups (for comparing settings)." };
        var tfidf = CommandLine.WithDefault("--tfidf", "Weight n-grams by TF-IDF (true) or term frequency (false) (for comparing settings).", ActivityCoderOptions.Default.InverseDocumentFrequency);
        var extra = new Option<string[]>("--extra") { Description = "Further coded descriptions added, for the ISCO model only (their goals are dropped), to the training side of every fold and to the full model, never scored (default: methodology/coding/v1/training.tsv, as in the shipped model).", AllowMultipleArgumentsPerToken = true, DefaultValueFactory = _ => [Path.Combine("methodology", "coding", "v1", "training.tsv")] };
        var noExtra = new Option<bool>("--no-extra") { Description = "Do not add the --extra data (hand-written data only)." };
        var naive = new Option<bool>("--naive-folds") { Description = "Cross-validate with folds that ignore the group column (to show how leakage inflates the figures)." };
        var curve = new Option<double[]>("--learning-curve") { Description = "Shares of the training situations (for example 0.25 0.5 0.75) to also train on and score on the held-out set.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("evaluate", "Cross-validate the coder on the training data (folds by group), score it on the held-out set and write the evaluation page.")
        {
            training, heldout, folds, output, charNgrams, wordNgrams, l1, l2, stems, languageStems, concepts, tolerance, majorOnly, naive, extra, noExtra, tfidf, curve,
        };
        command.SetRunAction(stderr, parse =>
        {
            var foldCount = parse.GetValue(folds);
            if (foldCount < 0 || foldCount == 1) throw new UsageException("--folds must be 0 (held-out only) or at least 2.", "Use 5 or 10.");
            if (parse.GetValue(charNgrams) is < 1 or > 8)
                throw new UsageException("--char-ngrams must be 1–8.", "The fast scorer reads character n-grams of at most 8 characters.");
            OptionRange.Check(parse.GetValue(wordNgrams), "--word-ngrams", 1, int.MaxValue);
            OptionRange.Check(parse.GetValue(stems), "--stem-length", 0, int.MaxValue);
            OptionRange.Check(parse.GetValue(l1), "--l1", 0, double.PositiveInfinity);
            OptionRange.Check(parse.GetValue(l2), "--l2", 0, double.PositiveInfinity);
            if (!(parse.GetValue(tolerance) > 0 && double.IsFinite(parse.GetValue(tolerance))))
                throw new UsageException("--tolerance must be a positive number.", "E.g. 1e-7.");
            var report = CodingEvaluation.Run(ReadLabelled(parse.GetValue(training)!), ReadLabelled(parse.GetValue(heldout)!),
                ActivityCoderOptions.Default with
                {
                    CharNgramLength = parse.GetValue(charNgrams),
                    WordNgramLength = parse.GetValue(wordNgrams),
                    L1Regularization = parse.GetValue(l1),
                    L2Regularization = parse.GetValue(l2),
                    StemLength = parse.GetValue(stems),
                    LanguageStems = parse.GetValue(languageStems),
                    ConceptTokens = parse.GetValue(concepts),
                    SubMajorClasses = !parse.GetValue(majorOnly),
                    OptimizationTolerance = parse.GetValue(tolerance),
                    InverseDocumentFrequency = parse.GetValue(tfidf),
                },
                foldCount,
                groupAware: !parse.GetValue(naive),
                extra: parse.GetValue(noExtra) ? [] : ActivityCoder.IscoOnly((parse.GetValue(extra) ?? []).SelectMany(ReadLabelled)),
                learningCurve: parse.GetValue(curve) is { Length: > 0 } shares
                    ? shares.All(x => x is > 0 and < 1) ? shares : throw new UsageException("--learning-curve shares must lie between 0 and 1.", "Use for example 0.25 0.5 0.75.")
                    : null);
            var outputPath = parse.GetValue(output)!;
            ContributionIndex.IO.AtomicFile.WriteAllText(outputPath, report);
            stdout.WriteLine($"wrote {outputPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Scores <paramref name="coder"/> once on a labelled evaluation set, prints the per-language summary and records the figures in the model's manifest.</summary>
    private static ActivityCoder WithEvaluationSet(ActivityCoder coder, string evaluationPath, TextWriter stdout)
    {
        var labelled = ReadLabelled(evaluationPath);
        var predicted = coder.PredictMany([.. labelled.Select(l => (string?)l.Text)], degreeOfParallelism: 1);
        stdout.Write(CodingEvaluation.PerLanguageSummary(labelled, predicted, coder.ReviewThreshold, coder.SdgReviewThreshold));
        return coder.WithEvaluation(CodingEvaluation.Figures(labelled, predicted, coder.ReviewThreshold, coder.SdgReviewThreshold));
    }

    private static IReadOnlyList<LabelledActivity> ReadLabelled(string path) =>
        File.Exists(path) ? LabelledDataFile.Read(path) : throw new UsageException($"the coded-descriptions file '{path}' {SpecialFiles.Absence(path)}.", "Check the path.");

    private static ActivityCoder LoadCoder(string? modelPath, double? threshold, double? sdgThreshold = null)
    {
        if (threshold is { } t && (t < 0 || t > 1 || double.IsNaN(t)))
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--threshold {t} is not between 0 and 1."), "Give a probability such as 0.6.");
        if (sdgThreshold is { } st && (st < 0 || st > 1 || double.IsNaN(st)))
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--sdg-threshold {st} is not between 0 and 1."), "Give a probability such as 0.5.");
        ActivityCoder coder;
        if (modelPath is null)
        {
            coder = threshold is { } value ? ActivityCoder.Default.WithReviewThreshold(value) : ActivityCoder.Default;
        }
        else
        {
            if (!File.Exists(modelPath)) throw new UsageException($"the model file '{modelPath}' {SpecialFiles.Absence(modelPath)}.", "Build one with 'contrib classify train --out MODEL.zip'.");
            coder = ActivityCoder.Load(modelPath, threshold);
        }

        return sdgThreshold is { } sdg ? coder.WithSdgReviewThreshold(sdg) : coder;
    }

    private static string Require(string? value, string option) =>
        string.IsNullOrWhiteSpace(value) ? throw new UsageException($"{option} is required.", "Run 'contrib classify --help' for usage.") : value;

    /// <summary>A command-line mistake (exit code 2).</summary>
    private sealed class UsageException(string message, string hint) : ContributionIndexException($"{message} {hint}")
    {
        public override FailureKind Kind => FailureKind.Usage;
    }
}
