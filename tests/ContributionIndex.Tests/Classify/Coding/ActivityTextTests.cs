using ContributionIndex.Classify.Coding;

namespace ContributionIndex.Tests.Classify.Coding;

public class ActivityTextTests
{
    [Theory]
    [InlineData("Сажали деревья, в парке!", "сажали деревья в парке")]
    [InlineData("МҮГЕДЕК БАЛАЛАРҒА КӨМЕКТЕСТІМ.", "мүгедек балаларға көмектестім")]
    [InlineData("Қалалық саябақта ағаш отырғыздық", "қалалық саябақта ағаш отырғыздық")]
    [InlineData("Ёлку украшали", "елку украшали")]
    [InlineData("O‘quvchilarga dars berdim", "oquvchilarga dars berdim")]
    [InlineData("O'quvchilarga dars berdim", "oquvchilarga dars berdim")]
    [InlineData("Oʻquvchilarga dars berdim", "oquvchilarga dars berdim")]
    [InlineData("  Helped   at the food-bank\t(twice) ", "helped at the food bank twice")]
    [InlineData("ＦＯＯＤ ｂａｎｋ", "food bank")]
    [InlineData("іс-шара №5", "іс шара no5")]
    [InlineData("", "")]
    [InlineData("  ...  ", "")]
    [InlineData(null, "")]
    [InlineData("planted\uFFFEtrees \uD800 park", "planted trees park")]
    public void Normalises_case_compatibility_forms_and_punctuation_and_keeps_kazakh_letters(string? input, string expected) =>
        Assert.Equal(expected, ActivityText.Normalize(input));

    [Fact]
    public void Normalisation_is_idempotent_on_the_training_data()
    {
        foreach (var example in ActivityCoder.DefaultTrainingData())
        {
            var once = ActivityText.Normalize(example.Text);
            Assert.Equal(once, ActivityText.Normalize(once));
        }
    }
}
