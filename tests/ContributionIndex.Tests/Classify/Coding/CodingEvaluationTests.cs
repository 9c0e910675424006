using ContributionIndex.Classify.Coding;

namespace ContributionIndex.Tests.Classify.Coding;

public class CodingEvaluationTests
{
    private static LabelledActivity L(int isco, params int[] goals) => new("x", "en", isco, goals);

    private static ActivityCoding P(string isco, bool review, params int[] goals) =>
        new(isco, review ? 0.3 : 0.9, goals, goals.Select(_ => 0.9).ToArray(), 0.9, review);

    [Fact]
    public void Scores_match_a_hand_calculation()
    {
        // Labels 1,1,2,2; predictions 1,2,2,2.
        // Accuracy 3/4. Group 1: tp 1, fp 0, fn 1 -> F1 2/3; group 2: tp 2, fp 1, fn 0 -> F1 4/5; macro-F1 (2/3 + 4/5)/2 = 11/15.
        // SDG: truth {3},{3,13},{4},{4}; guess {3},{3},{4,9},{4} -> exact 2/4; tp 4, fp 1, fn 1 -> micro-F1 8/10.
        // Coverage: rows 2 and 4 flagged -> 2/4; covered rows 1 and 3 are both right -> 1.
        var labelled = new[] { L(1, 3), L(1, 3, 13), L(2, 4), L(2, 4) };
        var predicted = new[] { P("1", false, 3), P("2", true, 3), P("2", false, 4, 9), P("2", true, 4) };
        var s = CodingEvaluation.Score(labelled, predicted);
        Assert.Equal(0.75, s.IscoAccuracy, 12);
        Assert.Equal(11.0 / 15.0, s.IscoMacroF1, 12);
        Assert.Equal(0.5, s.SdgExactMatch, 12);
        Assert.Equal(0.8, s.SdgMicroF1, 12);
        Assert.Equal(0.5, s.Coverage, 12);
        Assert.Equal(1.0, s.IscoAccuracyCovered, 12);
        Assert.Equal((0.9 + 0.3 + 0.9 + 0.3) / 4, s.MeanIscoConfidence, 12);
    }

    [Fact]
    public void Folds_are_stratified_by_language_and_group()
    {
        var data = Enumerable.Range(0, 20).Select(i => new LabelledActivity("x", i < 10 ? "en" : "ru", 1 + (i % 2), [3])).ToArray();
        var folds = CodingEvaluation.StratifiedFolds(data, 5);
        foreach (var stratum in data.Select((d, i) => (d, i)).GroupBy(x => (x.d.Language, x.d.IscoMajorGroup)))
            Assert.Equal(stratum.Count(), stratum.Select(x => folds[x.i]).Distinct().Count());
    }

    [Fact]
    public void Grouped_folds_never_split_a_group_and_balance_major_groups()
    {
        // 12 situations of 4 languages each: 6 of major group 1, 6 of major group 2, plus 2 examples without a group.
        var data = Enumerable.Range(0, 48)
            .Select(i => new LabelledActivity("x", "en", i < 24 ? 1 : 2, [3]) { Group = "s" + (i / 4).ToString(System.Globalization.CultureInfo.InvariantCulture) })
            .Concat([new LabelledActivity("y", "en", 1, [3]), new LabelledActivity("z", "en", 1, [3])])
            .ToArray();
        var folds = CodingEvaluation.GroupedFolds(data, 3);
        foreach (var group in data.Select((d, i) => (d, i)).Where(x => x.d.Group.Length > 0).GroupBy(x => x.d.Group))
            Assert.Single(group.Select(x => folds[x.i]).Distinct());
        // Round robin within each major group: each fold holds 2 situations (8 examples) of each major group.
        for (var fold = 0; fold < 3; fold++)
        {
            Assert.Equal(8, Enumerable.Range(0, 48).Count(i => folds[i] == fold && data[i].IscoMajorGroup == 1));
            Assert.Equal(8, Enumerable.Range(0, 48).Count(i => folds[i] == fold && data[i].IscoMajorGroup == 2));
        }

        // The two ungrouped examples continue major group 1's round robin (situations 0-5 took folds 0,1,2,0,1,2).
        Assert.Equal([0, 1], new[] { folds[48], folds[49] });
    }

    [Fact]
    public void Sub_major_scores_match_a_hand_calculation()
    {
        // Labels 23, 23, 26, 9 (no sub-major); predicted sub-major 23, 26, 26, 91.
        // Sub-major examples: the first three; accuracy 2/3. Class 23: tp 1, fp 0, fn 1 -> F1 2/3; class 26: tp 1, fp 1, fn 0 -> 2/3; macro 2/3.
        var labelled = new[]
        {
            new LabelledActivity("x", "en", 2, [4]) { IscoSubMajorGroup = 23 }, new LabelledActivity("x", "en", 2, [4]) { IscoSubMajorGroup = 23 },
            new LabelledActivity("x", "en", 2, [4]) { IscoSubMajorGroup = 26 }, new LabelledActivity("x", "en", 9, [4]),
        };
        ActivityCoding Sub(string major, string sub) => P(major, false, 4) with { IscoSubMajorCode = sub };
        var s = CodingEvaluation.Score(labelled, [Sub("2", "23"), Sub("2", "26"), Sub("2", "26"), Sub("9", "91")]);
        Assert.Equal(3, s.SubMajorExamples);
        Assert.Equal(2.0 / 3.0, s.SubMajorAccuracy, 12);
        Assert.Equal(2.0 / 3.0, s.SubMajorMacroF1, 12);
    }

    [Fact]
    public void The_fitted_temperature_minimises_the_log_loss_on_a_hand_checked_case()
    {
        // Two classes, the true class always gets p = 0.6 and is right 100 % of the time: sharper is always better,
        // so the smallest temperature on the grid (0.05) wins. If the true class gets 0.6 only 60 % of the time
        // (3 of 5 examples), the trained probabilities are already calibrated and T = 1 is the minimum.
        bool[] first = [true, false], second = [false, true];
        Assert.Equal(0.05, CodingEvaluation.FitTemperature([[0.6f, 0.4f], [0.6f, 0.4f]], [first, first]), 12);
        Assert.Equal(1.0, CodingEvaluation.FitTemperature([[0.6f, 0.4f], [0.6f, 0.4f], [0.6f, 0.4f], [0.6f, 0.4f], [0.6f, 0.4f]], [first, first, first, second, second]), 12);
        // Three classes, the first two in the true major group: its probability 0.3 + 0.3 = 0.6 is right 3 times in 5, so T = 1 again.
        bool[] firstTwo = [true, true, false], third = [false, false, true];
        float[] p = [0.3f, 0.3f, 0.4f];
        Assert.Equal(1.0, CodingEvaluation.FitTemperature([p, p, p, p, p], [firstTwo, firstTwo, firstTwo, third, third]), 12);
    }
}
