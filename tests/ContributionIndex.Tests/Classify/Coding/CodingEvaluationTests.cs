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
}
