using ContributionIndex.Classify.Coding;

namespace ContributionIndex.Tests.Classify.Coding;

/// <summary>Review thresholds, per-language figures and review-queue titles (issue #17), checked against hand calculations.</summary>
public class ReviewThresholdTests
{
    private static ActivityCoding Coding(string isco, double iscoConfidence, double sdgConfidence, params int[] goals) =>
        new(isco, iscoConfidence, goals, goals.Select(_ => sdgConfidence).ToArray(), sdgConfidence, false) { IscoSubMajorCode = isco + "1" };

    [Fact]
    public void The_chosen_threshold_is_the_smallest_that_keeps_95_percent_of_accepted_decisions_right()
    {
        // 20 decisions: confidences 0.99, 0.98, ..., 0.80; wrong at 0.95 and 0.85, right otherwise.
        // At t = 0.96: 4 accepted, all right (1.00). t = 0.95 adds one wrong: 4/5 = 0.80 < 0.95, so t <= 0.95 fails
        // until enough right ones dilute it: at t = 0.86, 14 accepted with 1 wrong -> 13/14 = 0.929; at t = 0.80, 20 with 2 wrong -> 0.90.
        // No threshold below 0.96 reaches 0.95, so 0.96 it is.
        var decisions = Enumerable.Range(0, 20).Select(i => (Confidence: (99 - i) / 100.0, Right: i != 4 && i != 14)).ToArray();
        Assert.Equal(0.96, CodingEvaluation.ChooseThreshold(decisions, 0.95), 12);
        // Remove the wrong decision at 0.95: at t = 0.00 the 19 decisions hold 18 right = 0.947 < 0.95; at t = 0.85, 14 with 1 wrong = 0.929;
        // at t = 0.86, 13 all right, so 0.86 is the smallest.
        Assert.Equal(0.86, CodingEvaluation.ChooseThreshold(decisions.Where((_, i) => i != 4).ToArray(), 0.95), 12);
        Assert.Equal(0.0, CodingEvaluation.ChooseThreshold([(0.1, true), (0.2, true)], 0.95), 12);
        Assert.Equal(1.0, CodingEvaluation.ChooseThreshold([(0.5, false)], 0.95), 12);
    }

    [Fact]
    public void Figures_per_language_match_a_hand_calculation()
    {
        // en: two rows, major right in both, sub-major right in one (21 vs labelled 21, then 91 vs 92); primary goal 3 proposed in the first,
        // primary 13 not proposed in the second. ru: one row, major wrong, primary 4 proposed.
        LabelledActivity L(string language, int sub, params int[] goals) =>
            new("x", language, sub / 10, [.. goals.Order()]) { IscoSubMajorGroup = sub, PrimaryGoal = goals[0] };
        var labelled = new[] { L("en", 21, 3, 10), L("en", 92, 13, 15), L("ru", 51, 4) };
        var predicted = new[] { Coding("2", 0.97, 0.9, 3), Coding("9", 0.50, 0.9, 15), Coding("3", 0.99, 0.4, 4) };
        var figures = CodingEvaluation.Figures(labelled, predicted, iscoThreshold: 0.95, sdgThreshold: 0.5);
        Assert.Equal(2, figures["en.n"]);
        Assert.Equal(1.0, figures["en.isco_major_top1"]);
        Assert.Equal(0.5, figures["en.isco_submajor_top1"]);
        Assert.Equal(0.5, figures["en.sdg_primary_proposed"]);
        // Auto-coded: ISCO >= 0.95 and SDG >= 0.5 -> only the first en row (the ru row has SDG 0.4).
        Assert.Equal(0.5, figures["en.auto_coded_share"]);
        Assert.Equal(1.0, figures["en.auto_coded_isco_accuracy"]);
        Assert.Equal(0.0, figures["ru.isco_major_top1"]);
        Assert.Equal(0.0, figures["ru.auto_coded_share"]);
        Assert.False(figures.ContainsKey("ru.auto_coded_isco_accuracy"));
        Assert.Equal(Math.Round(2 / 3.0, 4), figures["all.isco_major_top1"]);
        Assert.Equal(Math.Round(2 / 3.0, 4), figures["all.sdg_primary_proposed"]);
        Assert.Equal(Math.Round(1 / 3.0, 4), figures["all.auto_coded_share"]);
        var table = CodingEvaluation.PerLanguageSummary(labelled, predicted, 0.95, 0.5);
        Assert.Contains("| en | 2 | 1.0000 | 0.5000 | 0.5000 | 0.5000 | 1.0000 | 1.0000 |", table);
        Assert.Contains("| ru | 1 | 0.0000 | 0.0000 | 1.0000 | 0.0000 | – | – |", table);
    }

    [Fact]
    public void Review_candidates_carry_titles_in_the_answers_language()
    {
        Assert.Equal("kk", IscoLabels.LanguageOf("ағаш отырғыздық", ""));
        Assert.Equal("ru", IscoLabels.LanguageOf("сажали деревья", ""));
        Assert.Equal("en", IscoLabels.LanguageOf("planted trees", ""));
        Assert.Equal("ru", IscoLabels.LanguageOf("planted trees", "RU"));
        IscoCandidate[] candidates = [new("61", 0.62), new("92", 0.2), new("9", 0.05)];
        Assert.Equal("61 Квалифицированные работники сельского хозяйства (сады, огороды, скот) (0.62); 92 Подсобные рабочие сельского и лесного хозяйства (0.20); 9 Неквалифицированные рабочие (0.05)",
            IscoLabels.Candidates(candidates, "ru"));
        Assert.StartsWith("61 Ауыл шаруашылығының білікті жұмыскерлері", IscoLabels.Candidates(candidates, "kk"), StringComparison.Ordinal);
        Assert.StartsWith("61 Market-oriented skilled agricultural workers (0.62)", IscoLabels.Candidates(candidates, "en"), StringComparison.Ordinal);
        // Every sub-major group the model can propose has a title in all three languages.
        foreach (var group in LabelledDataFile.IscoSubMajorGroups)
            foreach (var language in new[] { "en", "ru", "kk" })
                Assert.NotEmpty(IscoLabels.Title(group.ToString(System.Globalization.CultureInfo.InvariantCulture), language));
    }
}
