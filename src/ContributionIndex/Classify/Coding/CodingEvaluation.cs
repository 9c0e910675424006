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
public sealed record CodingScores(int Examples, double IscoAccuracy, double IscoMacroF1, double SdgExactMatch, double SdgMicroF1,
    double Coverage, double IscoAccuracyCovered, double MeanIscoConfidence);

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
        var groups = labelled.Select(l => l.IscoMajorGroup).Distinct().Order().ToArray();
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
            if (truth.SequenceEqual(guess)) exact++;
            truePositive += guess.Count(truth.Contains);
            falsePositive += guess.Count(g => !truth.Contains(g));
            falseNegative += truth.Count(g => !guess.Contains(g));
        }

        var f1s = groups.Select(g =>
        {
            var code = g.ToString(CultureInfo.InvariantCulture);
            int tp = 0, fp = 0, fn = 0;
            for (var i = 0; i < n; i++)
            {
                var isTrue = labelled[i].IscoMajorGroup == g;
                var isPredicted = predicted[i].IscoCode == code;
                if (isTrue && isPredicted) tp++;
                else if (isPredicted) fp++;
                else if (isTrue) fn++;
            }

            return tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn);
        }).ToArray();

        return new CodingScores(
            n,
            Ratio(correct, n),
            f1s.Length == 0 ? double.NaN : f1s.Average(),
            Ratio(exact, n),
            truePositive == 0 ? 0.0 : 2.0 * truePositive / (2.0 * truePositive + falsePositive + falseNegative),
            Ratio(covered, n),
            Ratio(coveredCorrect, covered),
            n == 0 ? double.NaN : confidence / n);
    }

    /// <summary>Assigns each example to one of <paramref name="folds"/> folds, stratified by language and ISCO group (round robin within each stratum, in file order).</summary>
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

    /// <summary>Runs k-fold cross-validation on the training data and scores the full model on the held-out set; returns the evaluation page as Markdown.</summary>
    /// <remarks>The page contains no timings or paths, so the same data and options always give the same text.</remarks>
    public static string Run(IReadOnlyList<LabelledActivity> training, IReadOnlyList<LabelledActivity> heldout, ActivityCoderOptions options, int folds = 5)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(heldout);
        ArgumentNullException.ThrowIfNull(options);
        var assignment = folds >= 2 ? StratifiedFolds(training, folds) : new int[training.Count];
        var cvPredictions = new ActivityCoding[training.Count];
        for (var fold = 0; fold < (folds >= 2 ? folds : 0); fold++)
        {
            var train = training.Where((_, i) => assignment[i] != fold).ToArray();
            var testIndices = Enumerable.Range(0, training.Count).Where(i => assignment[i] == fold).ToArray();
            var coder = ActivityCoder.Train(train, options);
            var predictions = coder.PredictMany(testIndices.Select(i => (string?)training[i].Text).ToArray(), degreeOfParallelism: 1);
            for (var k = 0; k < testIndices.Length; k++) cvPredictions[testIndices[k]] = predictions[k];
        }

        var full = ActivityCoder.Train(training, options);
        var heldoutPredictions = full.PredictMany(heldout.Select(h => (string?)h.Text).ToArray(), degreeOfParallelism: 1);
        return Render(training, cvPredictions, heldout, heldoutPredictions, full.Manifest, folds);
    }

    private static string Render(IReadOnlyList<LabelledActivity> training, ActivityCoding[] cv, IReadOnlyList<LabelledActivity> heldout,
        IReadOnlyList<ActivityCoding> heldoutPredictions, CodingModelManifest manifest, int folds)
    {
        var text = new StringBuilder();
        void Line(FormattableString s) => text.Append(FormattableString.Invariant(s)).Append('\n');
        var options = manifest.Options;
        Line($"# Activity coder: evaluation");
        Line($"");
        Line($"Generated by `contrib classify evaluate` (see README.md in this folder); do not edit by hand.");
        Line($"Training examples: {training.Count} (SHA-256 of the canonical examples `{manifest.TrainingExamplesSha256}`); held-out examples: {heldout.Count}.");
        Line($"Options: seed {options.Seed}, word n-grams 1–{options.WordNgramLength}, character n-grams 1–{options.CharNgramLength}, stem tokens {(options.StemLength > 0 ? "of " + options.StemLength.ToString(CultureInfo.InvariantCulture) + " letters" : "off")}, L1 {options.L1Regularization}, L2 {options.L2Regularization}, review threshold {options.ReviewThreshold}. ML.NET {manifest.MlNetVersion}.");
        Line($"");
        if (folds < 2)
        {
            Line($"Cross-validation was not run (--folds 0).");
            Line($"");
        }
        else
        {
            Section(text, $"{folds}-fold cross-validation on the training data (stratified by language and ISCO group)", training, cv);
        }

        Line($"Cross-validation folds share task concepts and phrasings with their training folds, so these figures are an upper bound; the held-out set below is the honest measure.");
        Line($"");
        Section(text, "Held-out set (tasks, place phrases and sentence frames never used in training)", heldout, heldoutPredictions);
        Calibration(text, heldout, heldoutPredictions);
        return text.ToString();
    }

    private static void Section(StringBuilder text, string title, IReadOnlyList<LabelledActivity> labelled, IReadOnlyList<ActivityCoding> predicted)
    {
        void Line(FormattableString s) => text.Append(FormattableString.Invariant(s)).Append('\n');
        Line($"## {title}");
        Line($"");
        Line($"| language | n | ISCO accuracy | ISCO macro-F1 | SDG exact set | SDG micro-F1 | coverage at threshold | ISCO accuracy of covered | mean ISCO confidence |");
        Line($"|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var languages = labelled.Select(l => l.Language).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var language in languages.Append("all"))
        {
            var indices = Enumerable.Range(0, labelled.Count).Where(i => language == "all" || labelled[i].Language == language).ToArray();
            var s = Score(indices.Select(i => labelled[i]).ToArray(), indices.Select(i => predicted[i]).ToArray());
            Line($"| {language} | {s.Examples} | {s.IscoAccuracy:0.0000} | {s.IscoMacroF1:0.0000} | {s.SdgExactMatch:0.0000} | {s.SdgMicroF1:0.0000} | {s.Coverage:0.0000} | {s.IscoAccuracyCovered:0.0000} | {s.MeanIscoConfidence:0.0000} |");
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

    private static void Calibration(StringBuilder text, IReadOnlyList<LabelledActivity> labelled, IReadOnlyList<ActivityCoding> predicted)
    {
        void Line(FormattableString s) => text.Append(FormattableString.Invariant(s)).Append('\n');
        double[] edges = [0.0, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0000001];
        Line($"Reliability of the ISCO confidence on the held-out set (is a confidence of 0.8 right 80 % of the time?):");
        Line($"");
        Line($"| confidence | n | mean confidence | accuracy |");
        Line($"|---|---:|---:|---:|");
        for (var b = 0; b + 1 < edges.Length; b++)
        {
            var indices = Enumerable.Range(0, labelled.Count).Where(i => predicted[i].IscoConfidence >= edges[b] && predicted[i].IscoConfidence < edges[b + 1]).ToArray();
            var upper = Math.Min(1.0, edges[b + 1]);
            if (indices.Length == 0)
            {
                Line($"| {edges[b]:0.0}–{upper:0.0} | 0 | – | – |");
                continue;
            }

            var meanConfidence = indices.Average(i => predicted[i].IscoConfidence);
            var accuracy = indices.Count(i => predicted[i].IscoCode == labelled[i].IscoMajorGroup.ToString(CultureInfo.InvariantCulture)) / (double)indices.Length;
            Line($"| {edges[b]:0.0}–{upper:0.0} | {indices.Length} | {meanConfidence:0.0000} | {accuracy:0.0000} |");
        }

        Line($"");
    }

    private static double Ratio(int numerator, int denominator) => denominator == 0 ? double.NaN : numerator / (double)denominator;
}
