using System.Globalization;
using System.Text;

namespace ContributionIndex.Classify.Coding;

/// <summary>
/// Fits the coder's calibration on out-of-fold predictions of group-aware cross-validation on the training data (never on
/// an evaluation set): the ISCO temperature, the weights of the Forum direction's evidence, Platt scaling of the SDG
/// confidence and the two review thresholds (methodology/coding/README.md, "Calibration"; issue #17).
/// </summary>
public static class CodingCalibration
{
    /// <summary>
    /// Fits the calibration and the review thresholds of <paramref name="coder"/> out-of-fold on the data it was trained on
    /// and returns the model with them recorded (not retrained: none of them enters the weights) and the report page.
    /// </summary>
    /// <param name="coder">The trained model.</param>
    /// <param name="examples">The data it was trained on (checked by the examples SHA-256); rows without goals train the ISCO model in every fold and are not scored.</param>
    /// <param name="folds">Number of group-aware folds (at least 2).</param>
    /// <param name="evaluation">A labelled set scored once after fitting for the report (never used to fit), or null.</param>
    /// <param name="cachedScores">Out-of-fold scores written by an earlier run (<paramref name="scores"/>), reused when they fit the data; null to compute them.</param>
    /// <param name="scores">The out-of-fold scores used, to keep for a later run.</param>
    public static (ActivityCoder Model, string Report) Calibrate(ActivityCoder coder, IReadOnlyList<LabelledActivity> examples, int folds,
        IReadOnlyList<LabelledActivity>? evaluation, string? cachedScores, out string scores)
    {
        ArgumentNullException.ThrowIfNull(coder);
        ArgumentNullException.ThrowIfNull(examples);
        if (folds < 2) throw new ArgumentOutOfRangeException(nameof(folds), folds, "Calibration needs at least two folds.");
        if (ActivityCoder.ExamplesSha256(examples) != coder.Manifest.TrainingExamplesSha256)
            throw new ArgumentException("The model was not trained on these examples (the examples SHA-256 differs).", nameof(examples));
        var scored = examples.Where(e => e.SdgGoals.Count > 0).ToArray();
        var extra = examples.Where(e => e.SdgGoals.Count == 0).ToArray();
        var manifest = coder.Manifest;
        var oof = (cachedScores is null ? null : Read(cachedScores, scored.Length, manifest.IscoClasses.Count, manifest.SdgGoals.Count))
            ?? Score(scored, extra, manifest.Options, folds, manifest.IscoClasses, manifest.SdgGoals, coder.Lexicon);
        scores = Write(oof);
        var (fitted, foldManifests) = Fit(scored, oof, manifest);
        var calibrated = coder.WithCalibration(fitted, examples);
        var report = Report(scored, extra.Length, oof, foldManifests, manifest.Options, fitted, manifest.TrainingExamplesSha256, evaluation, coder, calibrated);
        return (calibrated, report);
    }

    /// <summary>Accuracy the accepted (auto-coded) decisions must reach when the thresholds are chosen.</summary>
    internal const double TargetAccuracy = 0.95;

    /// <summary>Out-of-fold raw scores: for each scored training row its fold and the fold model's ISCO class and goal probabilities, in the order of the full model's classes and goals (0 for a class or goal the fold model lacks).</summary>
    internal sealed record OutOfFold(int[] Fold, float[][] Isco, float[][] Goals);

    /// <summary>Trains one model per fold (on the other folds plus <paramref name="extra"/>) and keeps its raw scores of the fold's rows.</summary>
    internal static OutOfFold Score(IReadOnlyList<LabelledActivity> scored, IReadOnlyList<LabelledActivity> extra, ActivityCoderOptions options, int folds,
        IReadOnlyList<string> classes, IReadOnlyList<int> goals, ConceptLexicon? lexicon = null)
    {
        var assignment = CodingEvaluation.GroupedFolds(scored, folds);
        var isco = new float[scored.Count][];
        var goalScores = new float[scored.Count][];
        // Folds are independent single-threaded trainings; each writes only its own rows, so the result does not depend on scheduling.
        Parallel.For(0, folds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, fold =>
        {
            var test = Enumerable.Range(0, scored.Count).Where(i => assignment[i] == fold).ToArray();
            if (test.Length == 0) return;
            var coder = ActivityCoder.Train([.. scored.Where((_, i) => assignment[i] != fold), .. extra], options, lexicon);
            var raw = coder.ScoreFast([.. test.Select(i => (string?)scored[i].Text)], degreeOfParallelism: 1);
            var classIndex = coder.Manifest.IscoClasses.Select(c => IndexOf(classes, c)).ToArray();
            var goalIndex = coder.Manifest.SdgGoals.Select(g => IndexOf(goals, g)).ToArray();
            for (var k = 0; k < test.Length; k++)
            {
                isco[test[k]] = new float[classes.Count];
                goalScores[test[k]] = new float[goals.Count];
                for (var c = 0; c < classIndex.Length; c++) isco[test[k]][classIndex[c]] = raw[k].Isco[c];
                for (var g = 0; g < goalIndex.Length; g++) goalScores[test[k]][goalIndex[g]] = raw[k].Goals[g];
            }
        });
        return new OutOfFold(assignment, isco, goalScores);
    }

    private static int IndexOf<T>(IReadOnlyList<T> list, T value)
    {
        for (var i = 0; i < list.Count; i++)
            if (EqualityComparer<T>.Default.Equals(list[i], value)) return i;
        throw new InvalidOperationException($"A fold model has the class or goal {value}, which the full model lacks.");
    }

    /// <summary>Writes out-of-fold scores as text (round-trip floats), so a calibration can be refitted without retraining.</summary>
    internal static string Write(OutOfFold oof)
    {
        var text = new StringBuilder();
        for (var i = 0; i < oof.Fold.Length; i++)
            text.Append(CultureInfo.InvariantCulture, $"{oof.Fold[i]}\t{string.Join(' ', oof.Isco[i].Select(x => x.ToString("R", CultureInfo.InvariantCulture)))}\t{string.Join(' ', oof.Goals[i].Select(x => x.ToString("R", CultureInfo.InvariantCulture)))}\n");
        return text.ToString();
    }

    /// <summary>Reads what <see cref="Write"/> wrote; null when it does not fit the rows, classes and goals (then the scores are recomputed).</summary>
    internal static OutOfFold? Read(string text, int rows, int classes, int goals)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length != rows) return null;
        var fold = new int[rows];
        var isco = new float[rows][];
        var goalScores = new float[rows][];
        for (var i = 0; i < rows; i++)
        {
            var parts = lines[i].Split('\t');
            if (parts.Length != 3) return null;
            fold[i] = int.Parse(parts[0], CultureInfo.InvariantCulture);
            isco[i] = [.. parts[1].Split(' ').Select(x => float.Parse(x, CultureInfo.InvariantCulture))];
            goalScores[i] = [.. parts[2].Split(' ').Select(x => float.Parse(x, CultureInfo.InvariantCulture))];
            if (isco[i].Length != classes || goalScores[i].Length != goals) return null;
        }

        return new OutOfFold(fold, isco, goalScores);
    }

    /// <summary>The fitted calibration (the options' temperature, direction weights, SDG slope and offset and thresholds), with the manifest of each fold (its direction tables).</summary>
    /// <param name="scored">The scored training rows, in the order of <paramref name="oof"/>.</param>
    /// <param name="oof">Their out-of-fold scores.</param>
    /// <param name="full">The full model's manifest (classes, goals, options).</param>
    internal static (ActivityCoderOptions Fitted, CodingModelManifest[] FoldManifests) Fit(IReadOnlyList<LabelledActivity> scored, OutOfFold oof, CodingModelManifest full)
    {
        var folds = oof.Fold.Max() + 1;
        var foldManifests = Enumerable.Range(0, folds).Select(f =>
        {
            var part = scored.Where((_, i) => oof.Fold[i] != f).ToArray();
            return full with { DirectionGoalLogOdds = DirectionEvidence.GoalLogOdds(part, full.SdgGoals), DirectionClassLogRatio = DirectionEvidence.ClassLogRatio(part, full.IscoClasses) };
        }).ToArray();
        var rows = Enumerable.Range(0, scored.Count).ToArray();

        // 1. Temperature: minimises the log loss of the rolled-up true major group (without direction).
        var masks = rows.Select(i => full.IscoClasses.Select(c => c[0] - '0' == scored[i].IscoMajorGroup).ToArray()).ToArray();
        var temperature = CodingEvaluation.FitTemperature(oof.Isco, masks);

        // 2. Direction weights on a grid 0–2 (steps of 0.05), each minimising its log loss with the temperature fixed.
        var neutral = full.Options with { IscoTemperature = temperature, DirectionGoalWeight = 0, DirectionIscoWeight = 0, SdgConfidenceSlope = 1, SdgConfidenceOffset = 0 };
        double IscoLoss(double weight) => rows.Sum(i =>
        {
            var p = TrueMajorProbability(oof.Isco[i], scored[i], scored[i].Direction, foldManifests[oof.Fold[i]], neutral with { DirectionIscoWeight = weight });
            return -Math.Log(Math.Max(p, 1e-12));
        });
        double GoalLoss(double weight) => rows.Where(i => scored[i].SdgGoals.Count > 0).Sum(i =>
        {
            var probabilities = FusedGoals(oof.Goals[i], scored[i].Direction, foldManifests[oof.Fold[i]], weight);
            var loss = 0.0;
            for (var g = 0; g < probabilities.Length; g++)
            {
                var p = Math.Clamp(probabilities[g], 1e-12, 1 - 1e-12);
                loss -= scored[i].SdgGoals.Contains(full.SdgGoals[g]) ? Math.Log(p) : Math.Log(1 - p);
            }

            return loss;
        });
        var grid = Enumerable.Range(0, 41).Select(k => k / 20.0).ToArray(); // k / 20 is exact where k · 0.05 is not (19 · 0.05 = 0.9500000000000001)
        var iscoWeight = grid.MinBy(IscoLoss);
        var goalWeight = grid.MinBy(GoalLoss);

        // 3. Platt scaling of the SDG confidence and 4. the thresholds, on the rows with and without their direction
        // (the coder must hold its accuracy both when the input has a direction column and when it has not).
        var withDirection = neutral with { DirectionIscoWeight = iscoWeight, DirectionGoalWeight = goalWeight };
        var uncalibrated = Decisions(scored, oof, foldManifests, withDirection);
        var known = Enumerable.Range(0, uncalibrated.Length).Where(k => scored[k % scored.Count].SdgGoals.Count > 0).ToArray();
        var (slope, offset) = FitPlatt([.. known.Select(k => (ActivityCoder.ClampedLogit(uncalibrated[k].SdgProbabilities.Count > 0 ? uncalibrated[k].SdgProbabilities[0] : 0), CodingEvaluation.IsFirstGoalRight(scored[k % scored.Count], uncalibrated[k])))]);
        var calibrated = withDirection with { SdgConfidenceSlope = Math.Round(slope, 4), SdgConfidenceOffset = Math.Round(offset, 4) };
        var decisions = Decisions(scored, oof, foldManifests, calibrated);
        var iscoThreshold = CodingEvaluation.ChooseThreshold([.. decisions.Select((d, k) => (d.IscoConfidence, CodingEvaluation.IsMajorRight(scored[k % scored.Count], d)))], TargetAccuracy);
        var sdgThreshold = CodingEvaluation.ChooseThreshold([.. known.Select(k => (decisions[k].SdgConfidence, CodingEvaluation.IsFirstGoalRight(scored[k % scored.Count], decisions[k])))], TargetAccuracy);
        return (calibrated with { ReviewThreshold = iscoThreshold, SdgReviewThreshold = sdgThreshold }, foldManifests);
    }

    /// <summary>Out-of-fold decisions at <paramref name="calibration"/>: every row with its direction, then every row again without one.</summary>
    internal static ActivityCoding[] Decisions(IReadOnlyList<LabelledActivity> scored, OutOfFold oof, IReadOnlyList<CodingModelManifest> foldManifests, ActivityCoderOptions calibration) =>
    [
        .. Enumerable.Range(0, scored.Count).Select(i => ActivityCoder.Decide((float[])oof.Isco[i].Clone(), (float[])oof.Goals[i].Clone(), scored[i].Direction, foldManifests[oof.Fold[i]], calibration, calibration.ReviewThreshold, calibration.SdgReviewThreshold)),
        .. Enumerable.Range(0, scored.Count).Select(i => ActivityCoder.Decide((float[])oof.Isco[i].Clone(), (float[])oof.Goals[i].Clone(), null, foldManifests[oof.Fold[i]], calibration, calibration.ReviewThreshold, calibration.SdgReviewThreshold)),
    ];

    private static double TrueMajorProbability(float[] raw, LabelledActivity row, string? direction, CodingModelManifest manifest, ActivityCoderOptions calibration)
    {
        var scores = (float[])raw.Clone();
        ActivityCoder.Temper(scores, calibration.IscoTemperature);
        var key = DirectionEvidence.Key(direction);
        var weights = new double[scores.Length];
        for (var k = 0; k < scores.Length; k++)
            weights[k] = scores[k] * (key.Length > 0 && manifest.DirectionClassLogRatio?.TryGetValue(key, out var ratio) == true ? Math.Exp(calibration.DirectionIscoWeight * ratio[k]) : 1.0);
        var total = weights.Sum();
        if (total <= 0) return 0;
        return Enumerable.Range(0, scores.Length).Where(k => manifest.IscoClasses[k][0] - '0' == row.IscoMajorGroup).Sum(k => weights[k]) / total;
    }

    private static double[] FusedGoals(float[] raw, string? direction, CodingModelManifest manifest, double weight)
    {
        var key = DirectionEvidence.Key(direction);
        var odds = key.Length > 0 && manifest.DirectionGoalLogOdds?.TryGetValue(key, out var table) == true ? table : null;
        return [.. raw.Select((p, g) => odds is null ? p : DirectionEvidence.Sigmoid(ActivityCoder.ClampedLogit(p) + weight * odds[g]))];
    }

    /// <summary>Logistic regression of right/wrong on x (Newton's method from a = 1, b = 0): the a and b of σ(a·x + b) that maximise the likelihood.</summary>
    internal static (double Slope, double Offset) FitPlatt(IReadOnlyList<(double X, bool Right)> data)
    {
        double a = 1, b = 0;
        for (var iteration = 0; iteration < 100; iteration++)
        {
            double ga = 0, gb = 0, haa = 0, hab = 0, hbb = 0;
            foreach (var (x, right) in data)
            {
                var p = DirectionEvidence.Sigmoid(a * x + b);
                var residual = (right ? 1 : 0) - p;
                var w = p * (1 - p);
                ga += residual * x;
                gb += residual;
                haa += w * x * x;
                hab += w * x;
                hbb += w;
            }

            // A tiny ridge keeps the 2×2 system solvable when the data are separable.
            haa += 1e-9;
            hbb += 1e-9;
            var det = haa * hbb - hab * hab;
            if (det <= 0) break;
            var da = (hbb * ga - hab * gb) / det;
            var db = (haa * gb - hab * ga) / det;
            a += da;
            b += db;
            if (Math.Abs(da) + Math.Abs(db) < 1e-10) break;
        }

        return (a, b);
    }

    /// <summary>The calibration page: fitted values, and before/after figures and reliability tables out-of-fold and, when given, on an evaluation set (scored once, after fitting).</summary>
    internal static string Report(IReadOnlyList<LabelledActivity> scored, int extraCount, OutOfFold oof, CodingModelManifest[] foldManifests, ActivityCoderOptions before, ActivityCoderOptions fitted,
        string examplesSha256, IReadOnlyList<LabelledActivity>? evaluation, ActivityCoder? beforeCoder, ActivityCoder? afterCoder)
    {
        var text = new StringBuilder();
        void Line(FormattableString s) => text.Append(FormattableString.Invariant(s)).Append('\n');
        var folds = oof.Fold.Max() + 1;
        Line($"# Activity coder: calibration and review thresholds");
        Line($"");
        Line($"Generated by `contrib classify calibrate` (methodology/coding/README.md); do not edit by hand. Model examples SHA-256 `{examplesSha256}`.");
        Line($"Fitted on the out-of-fold predictions of {folds}-fold group-aware cross-validation on the training data: {scored.Count} scored rows in {scored.Select(t => t.Group).Distinct().Count()} situations, plus {extraCount} ISCO-only rows in the training side of every fold (never scored). No evaluation-set row is used for fitting.");
        Line($"");
        Line($"| setting | before | fitted |");
        Line($"|---|---:|---:|");
        Line($"| ISCO temperature T | {before.IscoTemperature:0.00} | {fitted.IscoTemperature:0.00} |");
        Line($"| direction weight, ISCO classes | {before.DirectionIscoWeight:0.00} | {fitted.DirectionIscoWeight:0.00} |");
        Line($"| direction weight, goals | {before.DirectionGoalWeight:0.00} | {fitted.DirectionGoalWeight:0.00} |");
        Line($"| SDG confidence slope a | {before.SdgConfidenceSlope:0.0000} | {fitted.SdgConfidenceSlope:0.0000} |");
        Line($"| SDG confidence offset b | {before.SdgConfidenceOffset:0.0000} | {fitted.SdgConfidenceOffset:0.0000} |");
        Line($"| θ_ISCO (accepted major groups right ≥ {TargetAccuracy:0%} out-of-fold) | {before.ReviewThreshold:0.00} | {fitted.ReviewThreshold:0.00} |");
        Line($"| θ_SDG (accepted first goals right ≥ {TargetAccuracy:0%} out-of-fold) | {before.SdgReviewThreshold:0.00} | {fitted.SdgReviewThreshold:0.00} |");
        Line($"");
        var n = scored.Count;
        var beforeOof = Decisions(scored, oof, foldManifests, before)[..n];
        var afterOof = Decisions(scored, oof, foldManifests, fitted);
        Line($"## Out-of-fold (training data)");
        Line($"");
        SummaryHeader(text);
        SummaryRow(text, "before (model's options), no direction", scored, beforeOof);
        SummaryRow(text, "fitted, without direction", scored, afterOof[n..]);
        SummaryRow(text, "fitted, with direction", scored, afterOof[..n]);
        Line($"");
        var doubled = scored.Concat(scored).ToArray();
        CodingEvaluation.Calibration(text, "ISCO major-group confidence (fitted; rows with and without direction)", doubled, afterOof, i => afterOof[i].IscoConfidence,
            i => CodingEvaluation.IsMajorRight(doubled[i], afterOof[i]), _ => true, "the out-of-fold predictions");
        CodingEvaluation.Calibration(text, "SDG confidence (fitted; rows with and without direction)", doubled, afterOof, i => afterOof[i].SdgConfidence,
            i => CodingEvaluation.IsFirstGoalRight(doubled[i], afterOof[i]), i => doubled[i].SdgGoals.Count > 0, "the out-of-fold predictions");
        if (evaluation is null || beforeCoder is null || afterCoder is null) return text.ToString();

        var texts = evaluation.Select(e => (string?)e.Text).ToArray();
        var directions = evaluation.Select(e => (string?)e.Direction).ToArray();
        var beforeEval = beforeCoder.PredictMany(texts, degreeOfParallelism: 1);
        var withoutEval = afterCoder.PredictMany(texts, degreeOfParallelism: 1);
        var withEval = afterCoder.PredictMany(texts, directions, degreeOfParallelism: 1);
        Line($"## Evaluation set (scored once, after fitting; never used to fit)");
        Line($"");
        SummaryHeader(text);
        SummaryRow(text, "before (model's options), no direction", evaluation, beforeEval);
        SummaryRow(text, "fitted, without direction", evaluation, withoutEval);
        SummaryRow(text, "fitted, with direction", evaluation, withEval);
        Line($"");
        Line($"Per language, fitted, **without** direction (θ_ISCO {fitted.ReviewThreshold:0.00}, θ_SDG {fitted.SdgReviewThreshold:0.00}):");
        Line($"");
        text.Append(CodingEvaluation.PerLanguageSummary(evaluation, withoutEval, fitted.ReviewThreshold, fitted.SdgReviewThreshold));
        Line($"");
        Line($"Per language, fitted, **with** the direction column:");
        Line($"");
        text.Append(CodingEvaluation.PerLanguageSummary(evaluation, withEval, fitted.ReviewThreshold, fitted.SdgReviewThreshold));
        Line($"");
        foreach (var (label, predicted) in new[] { ("before", beforeEval), ("fitted, without direction", withoutEval), ("fitted, with direction", withEval) })
        {
            CodingEvaluation.Calibration(text, $"ISCO major-group confidence ({label})", evaluation, predicted, i => predicted[i].IscoConfidence,
                i => CodingEvaluation.IsMajorRight(evaluation[i], predicted[i]), _ => true, "the evaluation set");
            CodingEvaluation.Calibration(text, $"SDG confidence ({label})", evaluation, predicted, i => predicted[i].SdgConfidence,
                i => CodingEvaluation.IsFirstGoalRight(evaluation[i], predicted[i]), _ => true, "the evaluation set");
        }

        return text.ToString();
    }

    private static void SummaryHeader(StringBuilder text) =>
        text.Append("| variant | n | ISCO major top-1 | primary goal among proposed | SDG micro-F1 | ECE ISCO major | ECE SDG | auto-coded share | ISCO major right of auto-coded | SDG first goal right of auto-coded |\n")
            .Append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");

    private static void SummaryRow(StringBuilder text, string label, IReadOnlyList<LabelledActivity> labelled, IReadOnlyList<ActivityCoding> predicted)
    {
        var all = Enumerable.Range(0, labelled.Count).ToArray();
        var known = all.Where(i => labelled[i].SdgGoals.Count > 0).ToArray();
        var auto = all.Where(i => !predicted[i].NeedsReview).ToArray();
        var autoKnown = auto.Where(i => labelled[i].SdgGoals.Count > 0).ToArray();
        var scores = CodingEvaluation.Score([.. known.Select(i => labelled[i])], [.. known.Select(i => predicted[i])]);
        string F(double v) => double.IsNaN(v) ? "–" : v.ToString("0.0000", CultureInfo.InvariantCulture);
        double Share(int count, int of) => of == 0 ? double.NaN : count / (double)of;
        text.Append(CultureInfo.InvariantCulture, $"| {label} | {labelled.Count} | {F(Share(all.Count(i => CodingEvaluation.IsMajorRight(labelled[i], predicted[i])), all.Length))} | {F(CodingEvaluation.PrimaryGoalProposed(all, labelled, predicted))} | {F(scores.SdgMicroF1)} | ")
            .Append(CultureInfo.InvariantCulture, $"{F(CodingEvaluation.ExpectedCalibrationError([.. all.Select(i => (predicted[i].IscoConfidence, CodingEvaluation.IsMajorRight(labelled[i], predicted[i])))]))} | ")
            .Append(CultureInfo.InvariantCulture, $"{F(CodingEvaluation.ExpectedCalibrationError([.. known.Select(i => (predicted[i].SdgConfidence, CodingEvaluation.IsFirstGoalRight(labelled[i], predicted[i])))]))} | ")
            .Append(CultureInfo.InvariantCulture, $"{F(Share(auto.Length, all.Length))} | {F(Share(auto.Count(i => CodingEvaluation.IsMajorRight(labelled[i], predicted[i])), auto.Length))} | {F(Share(autoKnown.Count(i => CodingEvaluation.IsFirstGoalRight(labelled[i], predicted[i])), autoKnown.Length))} |\n");
    }
}
