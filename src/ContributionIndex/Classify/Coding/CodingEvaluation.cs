using System.Globalization;
using System.Text;

namespace ContributionIndex.Classify.Coding;

/// <summary>Quality figures of the coder on one set of coded descriptions.</summary>
/// <param name="Examples">Number of descriptions.</param>
/// <param name="IscoAccuracy">Share of descriptions whose predicted ISCO major group equals the label.</param>
/// <param name="IscoMacroF1">Unweighted mean over the major groups present of the per-group F1.</param>
/// <param name="SdgExactMatch">Share of descriptions whose predicted goal set equals the labelled set.</param>
/// <param name="SdgMicroF1">F1 over all (description, goal) decisions.</param>
/// <param name="Coverage">Share of descriptions not flagged for review at the threshold.</param>
/// <param name="IscoAccuracyCovered">ISCO accuracy among the descriptions not flagged for review (NaN when none).</param>
/// <param name="MeanIscoConfidence">Mean ISCO confidence, to compare with the accuracy (calibration in the large).</param>
/// <param name="SubMajorExamples">Number of descriptions labelled with a sub-major group.</param>
/// <param name="SubMajorAccuracy">Share of those whose predicted sub-major group equals the label (NaN when none).</param>
/// <param name="SubMajorMacroF1">Unweighted mean over the labelled sub-major groups of the per-group F1 (NaN when none).</param>
public sealed record CodingScores(int Examples, double IscoAccuracy, double IscoMacroF1, double SdgExactMatch, double SdgMicroF1,
    double Coverage, double IscoAccuracyCovered, double MeanIscoConfidence, int SubMajorExamples = 0, double SubMajorAccuracy = double.NaN,
    double SubMajorMacroF1 = double.NaN);

/// <summary>Cross-validation and held-out evaluation of the activity coder, written as methodology/coding/evaluation.md.</summary>
public static class CodingEvaluation
{
    /// <summary>Scores predictions against labels.</summary>
    public static CodingScores Score(IReadOnlyList<LabelledActivity> labelled, IReadOnlyList<ActivityCoding> predicted)
    {
        ArgumentNullException.ThrowIfNull(labelled);
        ArgumentNullException.ThrowIfNull(predicted);
        if (labelled.Count != predicted.Count) throw new ArgumentException("Labels and predictions differ in length.", nameof(predicted));
        var n = labelled.Count;
        int correct = 0, exact = 0, covered = 0, coveredCorrect = 0, truePositive = 0, falsePositive = 0, falseNegative = 0;
        var confidence = 0.0;
        for (var i = 0; i < n; i++)
        {
            var ok = predicted[i].IscoCode == labelled[i].IscoMajorGroup.ToString(CultureInfo.InvariantCulture);
            if (ok) correct++;
            confidence += predicted[i].IscoConfidence;
            if (!predicted[i].NeedsReview)
            {
                covered++;
                if (ok) coveredCorrect++;
            }

            var truth = labelled[i].SdgGoals;
            var guess = predicted[i].SdgGoals;
            if (truth.Count == guess.Count && truth.All(guess.Contains)) exact++;
            truePositive += guess.Count(truth.Contains);
            falsePositive += guess.Count(g => !truth.Contains(g));
            falseNegative += truth.Count(g => !guess.Contains(g));
        }

        var majorTruth = labelled.Select(l => l.IscoMajorGroup.ToString(CultureInfo.InvariantCulture)).ToArray();
        var majorGuess = predicted.Select(p => p.IscoCode).ToArray();
        var withSub = Enumerable.Range(0, n).Where(i => labelled[i].IscoSubMajorGroup is not null).ToArray();
        var subTruth = withSub.Select(i => labelled[i].IscoClass).ToArray();
        var subGuess = withSub.Select(i => predicted[i].IscoSubMajorCode).ToArray();
        return new CodingScores(
            n,
            Ratio(correct, n),
            MacroF1(majorTruth, majorGuess),
            Ratio(exact, n),
            truePositive == 0 ? 0.0 : 2.0 * truePositive / (2.0 * truePositive + falsePositive + falseNegative),
            Ratio(covered, n),
            Ratio(coveredCorrect, covered),
            n == 0 ? double.NaN : confidence / n,
            withSub.Length,
            Ratio(Enumerable.Range(0, withSub.Length).Count(k => subTruth[k] == subGuess[k]), withSub.Length),
            MacroF1(subTruth, subGuess));
    }

    /// <summary>Unweighted mean over the labelled classes of 2·tp / (2·tp + fp + fn); NaN when there are no labels.</summary>
    private static double MacroF1(string[] truth, string[] guess)
    {
        var classes = truth.Distinct().ToArray();
        if (classes.Length == 0) return double.NaN;
        return classes.Average(c =>
        {
            int tp = 0, fp = 0, fn = 0;
            for (var i = 0; i < truth.Length; i++)
            {
                var isTrue = truth[i] == c;
                var isPredicted = guess[i] == c;
                if (isTrue && isPredicted) tp++;
                else if (isPredicted) fp++;
                else if (isTrue) fn++;
            }

            return tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn);
        });
    }

    /// <summary>Assigns each example to one of <paramref name="folds"/> folds, stratified by language and ISCO group (round robin within each stratum, in file order).</summary>
    /// <remarks>Not group-aware: paraphrases and translations of one situation can fall on both sides. Kept to show how much that inflates the figures.</remarks>
    public static int[] StratifiedFolds(IReadOnlyList<LabelledActivity> examples, int folds)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var next = new Dictionary<(string, int), int>();
        var assignment = new int[examples.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            var key = (examples[i].Language, examples[i].IscoMajorGroup);
            next.TryGetValue(key, out var position);
            assignment[i] = position % folds;
            next[key] = position + 1;
        }

        return assignment;
    }

    /// <summary>Assigns each example to one of <paramref name="folds"/> folds so that all examples of one <see cref="LabelledActivity.Group"/> share a fold.</summary>
    /// <remarks>Groups are taken in order of first appearance and dealt round robin within the ISCO major group of their first example, so
    /// folds are balanced by major group (and, when the file is sorted by code, spread over sub-major groups). An example with an empty
    /// group is a group of its own. Deterministic: no random numbers.</remarks>
    public static int[] GroupedFolds(IReadOnlyList<LabelledActivity> examples, int folds)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var foldOfGroup = new Dictionary<string, int>(StringComparer.Ordinal);
        var next = new Dictionary<int, int>();
        var assignment = new int[examples.Count];
        for (var i = 0; i < examples.Count; i++)
        {
            var key = examples[i].Group.Length > 0 ? "g:" + examples[i].Group : "i:" + i.ToString(CultureInfo.InvariantCulture);
            if (!foldOfGroup.TryGetValue(key, out var fold))
            {
                next.TryGetValue(examples[i].IscoMajorGroup, out var position);
                fold = position % folds;
                next[examples[i].IscoMajorGroup] = position + 1;
                foldOfGroup[key] = fold;
            }

            assignment[i] = fold;
        }

        return assignment;
    }

    /// <summary>Runs group-aware k-fold cross-validation on the training data and scores the full model on the held-out set; returns the evaluation page as Markdown.</summary>
    /// <remarks>The page contains no timings or paths, so the same data and options always give the same text.</remarks>
    /// <param name="training">The training data; cross-validation folds are drawn from it.</param>
    /// <param name="heldout">The held-out data, scored once by the model trained on all of <paramref name="training"/>.</param>
    /// <param name="options">Model options.</param>
    /// <param name="folds">Number of folds (below 2: no cross-validation).</param>
    /// <param name="groupAware">True (the default): folds by <see cref="LabelledActivity.Group"/>; false: the naive folds of <see cref="StratifiedFolds"/>, for showing how much leakage inflates the figures.</param>
    /// <param name="extra">Further examples that are added to the training side of every fold and to the full model, but never scored (for example generated data).</param>
    /// <param name="learningCurve">Shares of the training situations (for example 0.25, 0.5, 0.75) for which a model is also trained and scored on the held-out set: how accuracy grows with coded data, which is what reviewed rows added with --reviewed / --data provide.</param>
    public static string Run(IReadOnlyList<LabelledActivity> training, IReadOnlyList<LabelledActivity> heldout, ActivityCoderOptions options, int folds = 5, bool groupAware = true,
        IReadOnlyList<LabelledActivity>? extra = null, IReadOnlyList<double>? learningCurve = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(heldout);
        ArgumentNullException.ThrowIfNull(options);
        extra ??= [];
        var (cvPredictions, fittedTemperature) = CrossValidate(training, options, folds, groupAware ? GroupedFolds : StratifiedFolds, extra);
        var full = ActivityCoder.Train([.. training, .. extra], options);
        var heldoutPredictions = full.PredictMany(heldout.Select(h => (string?)h.Text).ToArray(), degreeOfParallelism: 1);
        var text = Render(training, extra.Count, cvPredictions, fittedTemperature, heldout, heldoutPredictions, full.Manifest, folds, groupAware);
        return text + Curve(training, heldout, options, extra, learningCurve ?? [], heldoutPredictions);
    }

    /// <summary>
    /// The learning curve of <c>--reviewed</c>, simulated on the training data: half of the training situations (every second
    /// situation in file order) stand for the survey answers; a model trained on the other half (plus <paramref name="extra"/>)
    /// codes them, and the rows it queues for review are "reviewed" (given their labels) and added to its training data in
    /// portions (<paramref name="shares"/> of the queue, in file order); each model is scored on <paramref name="heldout"/>.
    /// Returns the Markdown section. The held-out set plays no part in the simulation except being scored.
    /// </summary>
    public static string ReviewedLearningCurve(IReadOnlyList<LabelledActivity> training, IReadOnlyList<LabelledActivity> extra, IReadOnlyList<LabelledActivity> heldout,
        ActivityCoderOptions options, IReadOnlyList<double> shares)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(extra);
        ArgumentNullException.ThrowIfNull(heldout);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(shares);
        var groups = training.Select(t => t.Group).Distinct().ToArray();
        var poolGroups = groups.Where((_, g) => g % 2 == 1).ToHashSet(StringComparer.Ordinal);
        var baseRows = training.Where(t => !poolGroups.Contains(t.Group)).ToArray();
        var pool = training.Where(t => poolGroups.Contains(t.Group)).ToArray();
        var texts = heldout.Select(h => (string?)h.Text).ToArray();
        var baseModel = ActivityCoder.Train([.. baseRows, .. extra], options);
        var poolCoded = baseModel.PredictMany([.. pool.Select(p => (string?)p.Text)], degreeOfParallelism: 1);
        var queue = pool.Where((_, i) => poolCoded[i].NeedsReview).ToArray();
        var accepted = Enumerable.Range(0, pool.Length).Where(i => !poolCoded[i].NeedsReview).ToArray();

        var rows = new List<(string Label, int Added, int Rows, IReadOnlyList<ActivityCoding> Predictions)>
        {
            ("none (base model)", 0, baseRows.Length, baseModel.PredictMany(texts, degreeOfParallelism: 1)),
        };
        foreach (var share in shares)
        {
            var reviewed = queue.Take((int)Math.Ceiling(share * queue.Length)).ToArray();
            var model = ActivityCoder.Train([.. baseRows, .. reviewed, .. extra], options);
            rows.Add((string.Create(CultureInfo.InvariantCulture, $"{share:0%} of the queue"), reviewed.Length, baseRows.Length + reviewed.Length, model.PredictMany(texts, degreeOfParallelism: 1)));
        }

        var everything = ActivityCoder.Train([.. baseRows, .. pool, .. extra], options);
        rows.Add(("every pool row (queue and accepted rows hand-coded)", pool.Length, baseRows.Length + pool.Length, everything.PredictMany(texts, degreeOfParallelism: 1)));

        var text = new StringBuilder();
        void Line(FormattableString f) => text.Append(FormattableString.Invariant(f)).Append('\n');
        Line($"## Learning curve of reviewed rows (`--reviewed`)");
        Line($"");
        Line($"Simulated on the training data: {poolGroups.Count} of the {groups.Length} training situations (every second one, {pool.Length} rows) stand for survey answers; a base model trained on the other {baseRows.Length} rows (plus {extra.Count} ISCO-only rows) codes them at its review thresholds (θ_ISCO {options.ReviewThreshold:0.00}, θ_SDG {options.SdgReviewThreshold:0.00}) and queues {queue.Length} ({Ratio(queue.Length, pool.Length):0.0%}); the rows it auto-codes are right {Format(Ratio(accepted.Count(i => IsMajorRight(pool[i], poolCoded[i])), accepted.Length))} of the time (ISCO major group) and {Format(Ratio(accepted.Count(i => IsFirstGoalRight(pool[i], poolCoded[i])), accepted.Length))} (first goal). The queued rows are then \"reviewed\" (given their labels, as a reviewer returns them with `--reviewed` and `classify train --data`) and added in portions, in file order. Every model is scored on the evaluation set, which plays no other part.");
        Line($"");
        var languages = heldout.Select(h => h.Language).Distinct().Order(StringComparer.Ordinal).ToArray();
        text.Append("| reviewed rows added | n added | training rows |").Append(string.Concat(languages.Select(l => $" ISCO major top-1 {l} |"))).Append(" ISCO major top-1 all | primary goal among proposed | auto-coded share |\n");
        text.Append("|---|---:|---:|").Append(string.Concat(languages.Select(_ => "---:|"))).Append("---:|---:|---:|\n");
        var all = Enumerable.Range(0, heldout.Count).ToArray();
        foreach (var (label, added, count, predictions) in rows)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {label} | {added} | {count} |");
            foreach (var language in languages)
            {
                var indices = all.Where(i => heldout[i].Language == language).ToArray();
                text.Append(' ').Append(Format(Ratio(indices.Count(i => IsMajorRight(heldout[i], predictions[i])), indices.Length))).Append(" |");
            }

            text.Append(CultureInfo.InvariantCulture, $" {Format(Ratio(all.Count(i => IsMajorRight(heldout[i], predictions[i])), all.Length))} | {Format(PrimaryGoalProposed(all, heldout, predictions))} | {Format(Ratio(all.Count(i => !predictions[i].NeedsReview), all.Length))} |\n");
        }

        Line($"");
        return text.ToString();
    }

    /// <summary>Review thresholds that hold 95 % accuracy on the out-of-fold predictions: (ISCO major, SDG first goal); NaN without cross-validation.</summary>
    internal static (double Isco, double Sdg) FittedThresholds(IReadOnlyList<LabelledActivity> training, IReadOnlyList<ActivityCoding> outOfFold)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(outOfFold);
        if (outOfFold.Count == 0) return (double.NaN, double.NaN);
        return (ChooseThreshold([.. outOfFold.Select((p, i) => (p.IscoConfidence, IsMajorRight(training[i], p)))], 0.95),
            ChooseThreshold([.. outOfFold.Select((p, i) => (p.SdgConfidence, IsFirstGoalRight(training[i], p)))], 0.95));
    }

    private static string Curve(IReadOnlyList<LabelledActivity> training, IReadOnlyList<LabelledActivity> heldout, ActivityCoderOptions options,
        IReadOnlyList<LabelledActivity> extra, IReadOnlyList<double> shares, IReadOnlyList<ActivityCoding> fullPredictions)
    {
        if (shares.Count == 0) return string.Empty;
        var text = new StringBuilder();
        void Line(FormattableString s) => text.Append(FormattableString.Invariant(s)).Append('\n');
        // Whole situations are kept or dropped (every k-th group in file order), so no language version leaks across.
        var groups = training.Select(t => t.Group).Distinct().ToArray();
        var texts = heldout.Select(h => (string?)h.Text).ToArray();
        var rows = new List<(int Situations, int Examples, IReadOnlyList<ActivityCoding> Predictions)>();
        foreach (var share in shares)
        {
            var keep = groups.Where((_, g) => Math.Floor((g + 1) * share) > Math.Floor(g * share)).ToHashSet(StringComparer.Ordinal);
            var subset = training.Where(t => keep.Contains(t.Group)).ToArray();
            rows.Add((keep.Count, subset.Length, ActivityCoder.Train([.. subset, .. extra], options).PredictMany(texts, degreeOfParallelism: 1)));
        }

        rows.Add((groups.Length, training.Count, fullPredictions));
        Line($"## Learning curve");
        Line($"");
        Line($"Models trained on part of the training situations (every situation kept or dropped with all its language versions), scored on the held-out set. Reviewed rows given back with `classify train --data` add coded data in the same way, so this is the expected gain per coded situation; it was measured with the hand-written situations, not with real reviewed answers.");
        Line($"");
        Line($"| situations | training rows | ISCO major top-1 | sub-major top-1 | primary goal among proposed |");
        Line($"|---:|---:|---:|---:|---:|");
        var all = Enumerable.Range(0, heldout.Count).ToArray();
        var withSub = all.Where(i => heldout[i].IscoSubMajorGroup is not null).ToArray();
        foreach (var (situations, examples, predictions) in rows)
            Line($"| {situations} | {examples} | {Format(Ratio(all.Count(i => IsMajorRight(heldout[i], predictions[i])), all.Length))} | {Format(Ratio(withSub.Count(i => predictions[i].IscoSubMajorCode == heldout[i].IscoClass), withSub.Length))} | {Format(PrimaryGoalProposed(all, heldout, predictions))} |");
        Line($"");
        return text.ToString();
    }

    /// <summary>Out-of-fold predictions for every training example, with folds from <paramref name="assign"/> (empty when <paramref name="folds"/> is below 2), and the ISCO temperature that minimises their log loss.</summary>
    public static (ActivityCoding[] Predictions, double FittedTemperature) CrossValidate(IReadOnlyList<LabelledActivity> training, ActivityCoderOptions options, int folds,
        Func<IReadOnlyList<LabelledActivity>, int, int[]> assign, IReadOnlyList<LabelledActivity>? extra = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(assign);
        if (folds < 2) return ([], double.NaN);
        var predictions = new ActivityCoding[training.Count];
        var outOfFold = new List<float[]>();
        var inTrueMajor = new List<bool[]>();
        var assignment = assign(training, folds);
        // Folds are independent single-threaded trainings, so they run in parallel; results are gathered by fold
        // and merged in fold order, so the outcome does not depend on scheduling.
        var perFold = new (int[] Test, ActivityCoding[] Predictions, IReadOnlyList<(float[] Isco, float[] Goals)> Raw, IReadOnlyList<string> Classes)[folds];
        Parallel.For(0, folds, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, fold =>
        {
            var train = training.Where((_, i) => assignment[i] != fold).Concat(extra ?? []).ToArray();
            var testIndices = Enumerable.Range(0, training.Count).Where(i => assignment[i] == fold).ToArray();
            if (testIndices.Length == 0)
            {
                perFold[fold] = ([], [], [], []);
                return;
            }

            var coder = ActivityCoder.Train(train, options);
            var texts = testIndices.Select(i => (string?)training[i].Text).ToArray();
            perFold[fold] = (testIndices, [.. coder.PredictMany(texts, degreeOfParallelism: 1)], coder.ScoreFast(texts, degreeOfParallelism: 1), coder.Manifest.IscoClasses);
        });

        foreach (var (testIndices, foldPredictions, raw, classes) in perFold)
        {
            for (var k = 0; k < testIndices.Length; k++)
            {
                predictions[testIndices[k]] = foldPredictions[k];
                // The review flag and valuation use the major group, so T is fitted on the rolled-up major-group probability:
                // the mask marks this fold's classes that belong to the labelled major group.
                var major = (char)('0' + training[testIndices[k]].IscoMajorGroup);
                var mask = classes.Select(c => c[0] == major).ToArray();
                // A major group absent from this fold's training part cannot be predicted at any temperature; it does not inform T.
                if (!mask.Contains(true)) continue;
                outOfFold.Add(raw[k].Isco);
                inTrueMajor.Add(mask);
            }
        }

        return (predictions, FitTemperature(outOfFold, inTrueMajor));
    }

    /// <summary>The temperature T in 0.05–3.00 (steps of 0.01) that minimises −Σ log Σ_{k in the true major group} q_k with q ∝ p^(1/T); ties go to the smaller T.</summary>
    internal static double FitTemperature(IReadOnlyList<float[]> probabilities, IReadOnlyList<bool[]> inTrueMajor)
    {
        if (probabilities.Count == 0) return double.NaN;
        var bestT = 1.0;
        var bestLoss = double.PositiveInfinity;
        for (var step = 5; step <= 300; step++)
        {
            var t = step / 100.0;
            var loss = 0.0;
            for (var n = 0; n < probabilities.Count; n++)
            {
                var copy = (float[])probabilities[n].Clone();
                ActivityCoder.Temper(copy, t);
                var p = 0.0;
                for (var k = 0; k < copy.Length; k++)
                    if (inTrueMajor[n][k]) p += copy[k];
                loss -= Math.Log(Math.Max(p, 1e-12));
            }

            if (loss < bestLoss)
            {
                bestLoss = loss;
                bestT = t;
            }
        }

        return bestT;
    }

    private static string Render(IReadOnlyList<LabelledActivity> training, int extraCount, ActivityCoding[] cv, double fittedTemperature, IReadOnlyList<LabelledActivity> heldout,
        IReadOnlyList<ActivityCoding> heldoutPredictions, CodingModelManifest manifest, int folds, bool groupAware)
    {
        var text = new StringBuilder();
        void Line(FormattableString s) => text.Append(FormattableString.Invariant(s)).Append('\n');
        var options = manifest.Options;
        Line($"# Activity coder: evaluation");
        Line($"");
        Line($"Generated by `contrib classify evaluate` (see README.md in this folder); do not edit by hand.");
        Line($"Training examples: {training.Count} in {training.Select(t => t.Group).Distinct().Count()} groups (SHA-256 of the canonical examples `{manifest.TrainingExamplesSha256}`); held-out examples: {heldout.Count}.");
        if (extraCount > 0) Line($"Extra training examples (the generated set; in the training side of every fold and in the full model, never scored): {extraCount}.");
        Line($"Options: seed {options.Seed}, word n-grams 1–{options.WordNgramLength}, character n-grams 1–{options.CharNgramLength}, stem tokens {(options.StemLength > 0 ? "of " + options.StemLength.ToString(CultureInfo.InvariantCulture) + " letters" : "off")}, language stems {(options.LanguageStems ? "on" : "off")}, concept tokens {(options.ConceptTokens ? "on" : "off")}, n-gram slots of at least {options.MinimumDocumentFrequency} training descriptions, L1 {options.L1Regularization}, L2 {options.L2Regularization}, L-BFGS tolerance {options.OptimizationTolerance} (ISCO {options.IscoOptimizationTolerance}, history {options.IscoHistorySize}, gradient on {options.IscoTrainingThreads} threads), ISCO classes {(options.SubMajorClasses ? "sub-major groups (rolled up to major groups)" : "major groups")} ({manifest.IscoClasses.Count}), ISCO temperature {options.IscoTemperature:0.00}, review thresholds {options.ReviewThreshold} (ISCO) and {options.SdgReviewThreshold} (SDG). ML.NET {manifest.MlNetVersion}.");
        Line($"");
        if (folds < 2)
        {
            Line($"Cross-validation was not run (--folds 0).");
            Line($"");
        }
        else if (!groupAware)
        {
            Section(text, $"{folds}-fold naive cross-validation on the training data (stratified by language and ISCO group, NOT group-aware)", training, cv);
            Line($"These folds ignore groups: translations and paraphrases of one situation fall on both sides, so the figures are inflated by leakage.");
            Line($"");
        }
        else
        {
            Section(text, $"{folds}-fold group-aware cross-validation on the training data", training, cv);
            Line($"ISCO temperature that minimises the log loss of these out-of-fold predictions: T = {fittedTemperature:0.00} (this model used T = {options.IscoTemperature:0.00}; ActivityCoderOptions.IscoTemperature).");
            Line($"");
            Line($"Folds are drawn by group: all descriptions of one situation (its language versions, or one template concept) are in the same fold, so no fold is scored on a paraphrase or translation of a description it was trained on. Folds are balanced by ISCO major group. The examples are still written by the same author as the rest of the training data.");
            Line($"");
        }

        Section(text, "Held-out set (separately written situations, never used for training or for choosing settings)", heldout, heldoutPredictions);
        var (iscoThreshold, sdgThreshold) = FittedThresholds(training, cv);
        if (!double.IsNaN(iscoThreshold))
        {
            Line($"### Review thresholds");
            Line($"");
            Line($"Chosen on the out-of-fold cross-validation predictions of the training data (never on this set) as the smallest thresholds at which the accepted decisions are right at least 95 % of the time: ISCO major group θ_ISCO = {iscoThreshold:0.00}, SDG first goal θ_SDG = {sdgThreshold:0.00} (the model's options: {options.ReviewThreshold:0.00} and {options.SdgReviewThreshold:0.00}). A row is auto-coded when both confidences reach their thresholds. On the held-out set:");
            Line($"");
            text.Append(PerLanguageSummary(heldout, heldoutPredictions, iscoThreshold, sdgThreshold));
            Line($"");
            var cvIndices = Enumerable.Range(0, cv.Length).ToArray();
            Line($"The same thresholds on the out-of-fold predictions they were chosen on: auto-coded share {Format(Ratio(cvIndices.Count(i => cv[i].IscoConfidence >= iscoThreshold && cv[i].SdgConfidence >= sdgThreshold), cv.Length))}.");
            Line($"");
        }

        SubMajorTable(text, heldout, heldoutPredictions);
        Thresholds(text, heldout, heldoutPredictions);
        Calibration(text, "ISCO major-group confidence", heldout, heldoutPredictions, i => heldoutPredictions[i].IscoConfidence,
            i => heldoutPredictions[i].IscoCode == heldout[i].IscoMajorGroup.ToString(CultureInfo.InvariantCulture), _ => true);
        Calibration(text, "ISCO sub-major-group confidence", heldout, heldoutPredictions, i => heldoutPredictions[i].IscoSubMajorConfidence,
            i => heldoutPredictions[i].IscoSubMajorCode == heldout[i].IscoClass, i => heldout[i].IscoSubMajorGroup is not null);
        Calibration(text, "SDG confidence (probability of the proposed first goal; right when it is one of the labelled goals)", heldout, heldoutPredictions,
            i => heldoutPredictions[i].SdgConfidence, i => IsFirstGoalRight(heldout[i], heldoutPredictions[i]), _ => true);
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, IReadOnlyList<LabelledActivity> labelled, IReadOnlyList<ActivityCoding> predicted)
    {
        void Line(FormattableString s) => text.Append(FormattableString.Invariant(s)).Append('\n');
        Line($"## {title}");
        Line($"");
        Line($"| language | n | ISCO major accuracy | ISCO major macro-F1 | sub-major accuracy | sub-major macro-F1 | primary goal among proposed | proposed first goal is a labelled goal | SDG exact set | SDG micro-F1 | auto-coded at the model's thresholds | major accuracy of auto-coded | mean major confidence |");
        Line($"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var languages = labelled.Select(l => l.Language).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var language in languages.Append("all"))
        {
            var indices = Enumerable.Range(0, labelled.Count).Where(i => language == "all" || labelled[i].Language == language).ToArray();
            var s = Score(indices.Select(i => labelled[i]).ToArray(), indices.Select(i => predicted[i]).ToArray());
            Line($"| {language} | {s.Examples} | {s.IscoAccuracy:0.0000} | {s.IscoMacroF1:0.0000} | {Format(s.SubMajorAccuracy)} | {Format(s.SubMajorMacroF1)} | {Format(PrimaryGoalProposed(indices, labelled, predicted))} | {Format(FirstGoalRight(indices, labelled, predicted))} | {s.SdgExactMatch:0.0000} | {s.SdgMicroF1:0.0000} | {s.Coverage:0.0000} | {Format(s.IscoAccuracyCovered)} | {s.MeanIscoConfidence:0.0000} |");
        }

        Line($"");
        var groups = labelled.Select(l => l.IscoMajorGroup).Concat(predicted.Select(p => p.IscoCode[0] - '0')).Distinct().Order().ToArray();
        Line($"Confusion matrix (rows: labelled ISCO major group, columns: predicted), all languages:");
        Line($"");
        text.Append("| labelled \\ predicted |").Append(string.Concat(groups.Select(g => string.Create(CultureInfo.InvariantCulture, $" {g} |")))).Append('\n');
        text.Append("|---|").Append(string.Concat(groups.Select(_ => "---:|"))).Append('\n');
        foreach (var truth in groups)
        {
            text.Append(CultureInfo.InvariantCulture, $"| {truth} |");
            foreach (var guess in groups)
            {
                var count = Enumerable.Range(0, labelled.Count).Count(i => labelled[i].IscoMajorGroup == truth && predicted[i].IscoCode[0] - '0' == guess);
                text.Append(CultureInfo.InvariantCulture, $" {count} |");
            }

            text.Append('\n');
        }

        Line($"");
    }

    /// <summary>Per labelled sub-major group: how many, how many right, precision, recall and F1 (all languages).</summary>
    private static void SubMajorTable(StringBuilder text, IReadOnlyList<LabelledActivity> labelled, IReadOnlyList<ActivityCoding> predicted)
    {
        void Line(FormattableString s) => text.Append(FormattableString.Invariant(s)).Append('\n');
        var codes = labelled.Where(l => l.IscoSubMajorGroup is not null).Select(l => l.IscoClass).Distinct().Order(StringComparer.Ordinal).ToArray();
        if (codes.Length == 0) return;
        Line($"Sub-major groups on the held-out set, all languages (predicted: the most probable sub-major group inside the predicted major group):");
        Line($"");
        Line($"| sub-major group | n | right | precision | recall | F1 |");
        Line($"|---|---:|---:|---:|---:|---:|");
        foreach (var code in codes)
        {
            int tp = 0, fp = 0, fn = 0;
            for (var i = 0; i < labelled.Count; i++)
            {
                if (labelled[i].IscoSubMajorGroup is null) continue;
                var isTrue = labelled[i].IscoClass == code;
                var isPredicted = predicted[i].IscoSubMajorCode == code;
                if (isTrue && isPredicted) tp++;
                else if (isPredicted) fp++;
                else if (isTrue) fn++;
            }

            Line($"| {code} | {tp + fn} | {tp} | {Format(Ratio(tp, tp + fp))} | {Format(Ratio(tp, tp + fn))} | {(tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn)):0.0000} |");
        }

        Line($"");
    }

    /// <summary>Coverage and accuracy if only codes at or above each threshold were accepted (major group on the ISCO confidence alone).</summary>
    private static void Thresholds(StringBuilder text, IReadOnlyList<LabelledActivity> labelled, IReadOnlyList<ActivityCoding> predicted)
    {
        void Line(FormattableString s) => text.Append(FormattableString.Invariant(s)).Append('\n');
        Line($"Coverage and accuracy on the held-out set if codes are accepted only at or above a confidence threshold (major group: its own confidence; sub-major group: its own confidence, among descriptions labelled with one):");
        Line($"");
        Line($"| threshold | major: coverage | major: accuracy of accepted | sub-major: coverage | sub-major: accuracy of accepted |");
        Line($"|---:|---:|---:|---:|---:|");
        var withSub = Enumerable.Range(0, labelled.Count).Where(i => labelled[i].IscoSubMajorGroup is not null).ToArray();
        foreach (var threshold in new[] { 0.0, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9 })
        {
            var major = Enumerable.Range(0, labelled.Count).Where(i => predicted[i].IscoConfidence >= threshold).ToArray();
            var majorRight = major.Count(i => predicted[i].IscoCode == labelled[i].IscoMajorGroup.ToString(CultureInfo.InvariantCulture));
            var sub = withSub.Where(i => predicted[i].IscoSubMajorConfidence >= threshold).ToArray();
            var subRight = sub.Count(i => predicted[i].IscoSubMajorCode == labelled[i].IscoClass);
            Line($"| {threshold:0.0} | {Format(Ratio(major.Length, labelled.Count))} | {Format(Ratio(majorRight, major.Length))} | {Format(Ratio(sub.Length, withSub.Length))} | {Format(Ratio(subRight, sub.Length))} |");
        }

        Line($"");
    }

    internal static void Calibration(StringBuilder text, string what, IReadOnlyList<LabelledActivity> labelled, IReadOnlyList<ActivityCoding> predicted,
        Func<int, double> confidenceOf, Func<int, bool> isRight, Func<int, bool> include, string where = "the held-out set")
    {
        void Line(FormattableString s) => text.Append(FormattableString.Invariant(s)).Append('\n');
        var edges = ReliabilityEdges;
        var all = Enumerable.Range(0, predicted.Count).Where(include).ToArray();
        if (all.Length == 0) return;
        Line($"Reliability of the {what} on {where} (is a confidence of 0.8 right 80 % of the time?):");
        Line($"");
        Line($"| confidence | n | mean confidence | accuracy |");
        Line($"|---|---:|---:|---:|");
        for (var b = 0; b + 1 < edges.Length; b++)
        {
            var indices = all.Where(i => confidenceOf(i) >= edges[b] && confidenceOf(i) < edges[b + 1]).ToArray();
            var upper = Math.Min(1.0, edges[b + 1]);
            if (indices.Length == 0)
            {
                Line($"| {edges[b]:0.0}–{upper:0.0} | 0 | – | – |");
                continue;
            }

            Line($"| {edges[b]:0.0}–{upper:0.0} | {indices.Length} | {indices.Average(confidenceOf):0.0000} | {indices.Count(isRight) / (double)indices.Length:0.0000} |");
        }

        var ece = ExpectedCalibrationError([.. all.Select(i => (confidenceOf(i), isRight(i)))]);

        Line($"");
        Line($"Expected calibration error over these bins: {ece:0.0000} (n = {all.Length}).");
        Line($"");
    }

    /// <summary>Bin edges of the reliability tables and of <see cref="ExpectedCalibrationError"/>.</summary>
    private static readonly double[] ReliabilityEdges = [0.0, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0000001];

    /// <summary>Expected calibration error: the share-weighted mean gap between mean confidence and accuracy over the reliability bins (0–0.3, 0.3–0.4, …, 0.9–1); NaN without decisions.</summary>
    internal static double ExpectedCalibrationError(IReadOnlyList<(double Confidence, bool Right)> decisions)
    {
        if (decisions.Count == 0) return double.NaN;
        var ece = 0.0;
        for (var b = 0; b + 1 < ReliabilityEdges.Length; b++)
        {
            var bin = decisions.Where(d => d.Confidence >= ReliabilityEdges[b] && d.Confidence < ReliabilityEdges[b + 1]).ToArray();
            if (bin.Length > 0) ece += bin.Length / (double)decisions.Count * Math.Abs(bin.Average(d => d.Confidence) - bin.Count(d => d.Right) / (double)bin.Length);
        }

        return ece;
    }

    /// <summary>Share of the rows (with a known primary goal) whose labelled primary goal is among the proposed goals (issue #17's SDG target).</summary>
    internal static double PrimaryGoalProposed(IReadOnlyList<int> indices, IReadOnlyList<LabelledActivity> labelled, IReadOnlyList<ActivityCoding> predicted)
    {
        var known = indices.Where(i => labelled[i].PrimaryGoal is not null).ToArray();
        return Ratio(known.Count(i => predicted[i].SdgGoals.Contains(labelled[i].PrimaryGoal!.Value)), known.Length);
    }

    /// <summary>Share of the rows whose proposed first (most probable) goal is one of the labelled goals: what the SDG confidence is calibrated against.</summary>
    internal static double FirstGoalRight(IReadOnlyList<int> indices, IReadOnlyList<LabelledActivity> labelled, IReadOnlyList<ActivityCoding> predicted) =>
        Ratio(indices.Count(i => IsFirstGoalRight(labelled[i], predicted[i])), indices.Count);

    internal static bool IsFirstGoalRight(LabelledActivity labelled, ActivityCoding predicted) => predicted.SdgGoals.Count > 0 && labelled.SdgGoals.Contains(predicted.SdgGoals[0]);

    internal static bool IsMajorRight(LabelledActivity labelled, ActivityCoding predicted) => predicted.IscoCode == labelled.IscoMajorGroup.ToString(CultureInfo.InvariantCulture);

    /// <summary>The smallest threshold t (0.00–0.99 in steps of 0.01) such that the decisions with confidence ≥ t are right at least <paramref name="target"/> of the time (1.00 when none is).</summary>
    /// <remarks>Chosen on out-of-fold cross-validation predictions of the training data, never on the evaluation set (methodology/coding/README.md).</remarks>
    internal static double ChooseThreshold(IReadOnlyList<(double Confidence, bool Right)> decisions, double target)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        for (var step = 0; step <= 99; step++)
        {
            var t = step / 100.0;
            var accepted = decisions.Where(d => d.Confidence >= t).ToArray();
            if (accepted.Length > 0 && accepted.Count(d => d.Right) >= target * accepted.Length) return t;
        }

        return 1.0;
    }

    /// <summary>The figures recorded in a model's manifest and the run manifest: per language and "all", n, ISCO major and sub-major top-1, labelled primary goal among proposed, auto-coded share at the thresholds and the ISCO and SDG accuracy of the auto-coded rows.</summary>
    public static IReadOnlyDictionary<string, double> Figures(IReadOnlyList<LabelledActivity> labelled, IReadOnlyList<ActivityCoding> predicted, double iscoThreshold, double sdgThreshold)
    {
        ArgumentNullException.ThrowIfNull(labelled);
        ArgumentNullException.ThrowIfNull(predicted);
        var figures = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var language in labelled.Select(l => l.Language).Distinct().Order(StringComparer.Ordinal).Append("all"))
        {
            var key = language.Length == 0 ? "none" : language;
            var indices = Enumerable.Range(0, labelled.Count).Where(i => language == "all" || labelled[i].Language == language).ToArray();
            var withSub = indices.Where(i => labelled[i].IscoSubMajorGroup is not null).ToArray();
            var auto = indices.Where(i => predicted[i].IscoConfidence >= iscoThreshold && predicted[i].SdgConfidence >= sdgThreshold).ToArray();
            void Add(string name, double value)
            {
                if (!double.IsNaN(value)) figures[key + "." + name] = Math.Round(value, 4);
            }

            Add("n", indices.Length);
            Add("isco_major_top1", Ratio(indices.Count(i => IsMajorRight(labelled[i], predicted[i])), indices.Length));
            Add("isco_submajor_top1", Ratio(withSub.Count(i => predicted[i].IscoSubMajorCode == labelled[i].IscoClass), withSub.Length));
            Add("sdg_primary_proposed", PrimaryGoalProposed(indices, labelled, predicted));
            Add("auto_coded_share", Ratio(auto.Length, indices.Length));
            Add("auto_coded_isco_accuracy", Ratio(auto.Count(i => IsMajorRight(labelled[i], predicted[i])), auto.Length));
            Add("auto_coded_sdg_accuracy", Ratio(auto.Count(i => IsFirstGoalRight(labelled[i], predicted[i])), auto.Length));
        }

        return figures;
    }

    /// <summary>Per language and overall: ISCO major and sub-major top-1, labelled primary goal among proposed, and at the given thresholds the auto-coded share with the accuracy of its ISCO and SDG codes.</summary>
    public static string PerLanguageSummary(IReadOnlyList<LabelledActivity> labelled, IReadOnlyList<ActivityCoding> predicted, double iscoThreshold, double sdgThreshold)
    {
        ArgumentNullException.ThrowIfNull(labelled);
        ArgumentNullException.ThrowIfNull(predicted);
        var text = new StringBuilder();
        void Line(FormattableString s) => text.Append(FormattableString.Invariant(s)).Append('\n');
        Line($"| language | n | ISCO major top-1 | sub-major top-1 | primary goal among proposed | auto-coded share | ISCO major accuracy of auto-coded | SDG first goal right of auto-coded |");
        Line($"|---|---:|---:|---:|---:|---:|---:|---:|");
        var languages = labelled.Select(l => l.Language).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var language in languages.Append("all"))
        {
            var indices = Enumerable.Range(0, labelled.Count).Where(i => language == "all" || labelled[i].Language == language).ToArray();
            var withSub = indices.Where(i => labelled[i].IscoSubMajorGroup is not null).ToArray();
            var auto = indices.Where(i => predicted[i].IscoConfidence >= iscoThreshold && predicted[i].SdgConfidence >= sdgThreshold).ToArray();
            Line($"| {(language.Length == 0 ? "(none)" : language)} | {indices.Length} | {Format(Ratio(indices.Count(i => IsMajorRight(labelled[i], predicted[i])), indices.Length))} | {Format(Ratio(withSub.Count(i => predicted[i].IscoSubMajorCode == labelled[i].IscoClass), withSub.Length))} | {Format(PrimaryGoalProposed(indices, labelled, predicted))} | {Format(Ratio(auto.Length, indices.Length))} | {Format(Ratio(auto.Count(i => IsMajorRight(labelled[i], predicted[i])), auto.Length))} | {Format(Ratio(auto.Count(i => IsFirstGoalRight(labelled[i], predicted[i])), auto.Length))} |");
        }

        return text.ToString();
    }

    private static string Format(double value) => double.IsNaN(value) ? "–" : value.ToString("0.0000", CultureInfo.InvariantCulture);

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? double.NaN : numerator / (double)denominator;
}
