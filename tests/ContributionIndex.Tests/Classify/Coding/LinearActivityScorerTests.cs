using ContributionIndex.Classify.Coding;

namespace ContributionIndex.Tests.Classify.Coding;

public class LinearActivityScorerTests
{
    // Texts that exercise the edges of the feature code: empty, blank, unknown words between known ones (bigrams must
    // not bridge them), punctuation and case (normalised away), Kazakh letters, digits, a single character.
    private static readonly string?[] EdgeTexts =
    [
        null, "", "   ", "a", "я", "zzzz planted qqqq trees wwww", "planted zzzz trees at the zzzz food bank", "packed qqqq food", "Planted TREES!!! in, the park...", "Ағаш отырғыздық",
        "o‘qituvchi bo'lib ishladim", "2023 1 2 3", "| < > ␂", "планировал планировала планировали",
    ];

    [Fact]
    public void The_fast_path_gives_MLNET_scores_to_1e_6_and_the_same_argmax_on_every_held_out_text()
    {
        var coder = ActivityCoder.Default;
        var texts = CodingData.HeldOut().Select(e => (string?)e.Text).Concat(EdgeTexts)
            .Concat(CodingData.Training().Where((_, i) => i % 10 == 0).Select(e => (string?)e.Text)).ToArray();
        var fast = coder.ScoreFast(texts);
        var reference = coder.ScoreWithMlNet(texts);
        var worst = 0.0;
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(reference[i].Isco.Length, fast[i].Isco.Length);
            Assert.Equal(reference[i].Goals.Length, fast[i].Goals.Length);
            for (var k = 0; k < fast[i].Isco.Length; k++) worst = Math.Max(worst, Math.Abs(fast[i].Isco[k] - reference[i].Isco[k]));
            for (var g = 0; g < fast[i].Goals.Length; g++) worst = Math.Max(worst, Math.Abs(fast[i].Goals[g] - reference[i].Goals[g]));
            Assert.True(worst <= 1e-6, $"text {i} '{texts[i]}': largest difference so far {worst:R}");
            Assert.Equal(ArgMax(reference[i].Isco), ArgMax(fast[i].Isco));
        }

        // Written to the test log so the margin can be reported; the assertion above is the requirement.
        Console.WriteLine($"fast path vs ML.NET: {texts.Length} texts, largest absolute difference {worst:R}");

        // The decisions built on the scores agree as well (ISCO group, goal set, review flag).
        var fastCodings = coder.PredictMany(texts);
        var referenceCodings = coder.PredictManyWithMlNet(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            Assert.Equal(referenceCodings[i].IscoCode, fastCodings[i].IscoCode);
            Assert.Equal(referenceCodings[i].IscoSubMajorCode, fastCodings[i].IscoSubMajorCode);
            Assert.Equal(referenceCodings[i].SdgGoals, fastCodings[i].SdgGoals);
            Assert.Equal(referenceCodings[i].NeedsReview, fastCodings[i].NeedsReview);
        }
    }

    [Fact]
    public void With_TF_IDF_and_five_character_grams_the_fast_path_gives_MLNET_scores_on_a_freshly_trained_model()
    {
        // A model trained here (every 7th training row), so the check does not depend on the shipped zip: the inverse
        // document frequencies the fast path recounts must be ML.NET's ln(N / df), or the scores would differ.
        var options = ActivityCoderOptions.Default;
        Assert.True(options.InverseDocumentFrequency);
        Assert.Equal(5, options.CharNgramLength);
        var coder = ActivityCoder.Train(CodingData.Training().Where((_, i) => i % 7 == 0).ToArray(), options);
        var texts = CodingData.HeldOut().Where((_, i) => i % 3 == 0).Select(e => (string?)e.Text).Concat(EdgeTexts).ToArray();
        var fast = coder.ScoreFast(texts);
        var reference = coder.ScoreWithMlNet(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            for (var k = 0; k < fast[i].Isco.Length; k++) Assert.Equal(reference[i].Isco[k], fast[i].Isco[k], 1e-6);
            for (var g = 0; g < fast[i].Goals.Length; g++) Assert.Equal(reference[i].Goals[g], fast[i].Goals[g], 1e-6);
        }
    }

    [Fact]
    public void With_language_stems_and_concept_tokens_the_fast_path_gives_MLNET_scores_on_a_freshly_trained_model()
    {
        // Coder 2.3's feature text (Snowball and Kazakh stems, zc_ concept tokens from the embedded lexicon) goes through
        // both paths the same way; the check is on a small model trained here with every feature switched on.
        var options = ActivityCoderOptions.Default with { StemLength = 5, LanguageStems = true, ConceptTokens = true };
        var coder = ActivityCoder.Train(CodingData.Training().Where((_, i) => i % 7 == 0).ToArray(), options);
        Assert.NotNull(coder.Lexicon);
        var texts = CodingData.HeldOut().Where((_, i) => i % 3 == 0).Select(e => (string?)e.Text).Concat(EdgeTexts).ToArray();
        Assert.Contains(texts, t => coder.FeatureText(t).Contains(" zc_", StringComparison.Ordinal));
        var fast = coder.ScoreFast(texts);
        var reference = coder.ScoreWithMlNet(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            for (var k = 0; k < fast[i].Isco.Length; k++) Assert.Equal(reference[i].Isco[k], fast[i].Isco[k], 1e-6);
            for (var g = 0; g < fast[i].Goals.Length; g++) Assert.Equal(reference[i].Goals[g], fast[i].Goals[g], 1e-6);
            Assert.Equal(ArgMax(reference[i].Isco), ArgMax(fast[i].Isco));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void N_grams_below_the_minimum_document_frequency_carry_no_weight_and_the_fast_path_still_gives_MLNET_scores(int minimumDocumentFrequency)
    {
        // Two training descriptions of different classes hold letters found nowhere else (Ѭ, Ѱ), so each n-gram with them
        // occurs in one description only. With a minimum document frequency of 2 those slots are dropped from training, and
        // two texts made of them (same n-gram counts, same idf, same L2 norm) score alike; with 1 each is learnt with its class.
        var examples = CodingData.Training().Where((_, i) => i % 9 == 0).ToList();
        var other = examples.First(e => e.IscoClass != examples[0].IscoClass);
        examples.Add(examples[0] with { Group = "rare-letters-1", Text = "ѬѬѬ ѬѬѬѬ" });
        examples.Add(other with { Group = "rare-letters-2", Text = "ѰѰѰ ѰѰѰѰ" });
        var coder = ActivityCoder.Train(examples, ActivityCoderOptions.Default with { MinimumDocumentFrequency = minimumDocumentFrequency });
        Assert.Equal(minimumDocumentFrequency, coder.Manifest.Options.MinimumDocumentFrequency);
        var texts = CodingData.HeldOut().Where((_, i) => i % 5 == 0).Select(e => (string?)e.Text).Concat(EdgeTexts).Append("ѬѬѬ").Append("ѰѰѰ").ToArray();
        var fast = coder.ScoreFast(texts);
        var reference = coder.ScoreWithMlNet(texts);
        for (var i = 0; i < texts.Length; i++)
        {
            for (var k = 0; k < fast[i].Isco.Length; k++) Assert.Equal(reference[i].Isco[k], fast[i].Isco[k], 1e-6);
            for (var g = 0; g < fast[i].Goals.Length; g++) Assert.Equal(reference[i].Goals[g], fast[i].Goals[g], 1e-6);
        }

        var (first, second) = (fast[^2], fast[^1]);
        var largest = first.Isco.Zip(second.Isco, (a, b) => Math.Abs(a - b)).Concat(first.Goals.Zip(second.Goals, (a, b) => Math.Abs(a - b))).Max();
        if (minimumDocumentFrequency == 1) Assert.True(largest > 1e-4, $"the rare n-grams were not learnt (largest difference {largest:R})");
        else Assert.Equal(0.0, largest);
    }

    [Fact]
    public void One_and_many_and_one_or_two_threads_give_the_same_answers()
    {
        var coder = ActivityCoder.Default;
        var texts = CodingData.HeldOut().Take(300).Select(e => (string?)e.Text).ToArray();
        var one = coder.PredictMany(texts, 1);
        var two = coder.PredictMany(texts, 2);
        Assert.Equal(one, two, new CodingComparer());
        Assert.Equal(one[123], coder.Predict(texts[123]), new CodingComparer());
    }

    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }

    private sealed class CodingComparer : IEqualityComparer<ActivityCoding>
    {
        public bool Equals(ActivityCoding? x, ActivityCoding? y) =>
            x is not null && y is not null && x.IscoCode == y.IscoCode && x.IscoConfidence.Equals(y.IscoConfidence) && x.SdgGoals.SequenceEqual(y.SdgGoals)
            && x.SdgProbabilities.SequenceEqual(y.SdgProbabilities) && x.SdgConfidence.Equals(y.SdgConfidence) && x.NeedsReview == y.NeedsReview
            && x.IscoSubMajorCode == y.IscoSubMajorCode && x.IscoSubMajorConfidence.Equals(y.IscoSubMajorConfidence);

        public int GetHashCode(ActivityCoding obj) => obj.IscoCode.GetHashCode(StringComparison.Ordinal);
    }
}
