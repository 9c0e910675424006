using System.Text.RegularExpressions;
using ContributionIndex.Reporting;

namespace ContributionIndex.Tests.Reporting;

public sealed partial class ReportLanguageTests
{
    [Fact]
    public void Every_key_exists_in_every_language_and_no_text_is_empty()
    {
        var languages = ReportLanguage.Supported.Select(ReportLanguage.Load).ToArray();
        var all = languages.SelectMany(l => l.Keys).ToHashSet(StringComparer.Ordinal);
        foreach (var language in languages)
        {
            var missing = all.Except(language.Keys).Order(StringComparer.Ordinal).ToArray();
            Assert.True(missing.Length == 0, $"Reporting/Resources/{language.Code}.json lacks: {string.Join(", ", missing)}");
            foreach (var key in language.Keys) Assert.False(string.IsNullOrWhiteSpace(language.Text(key)), $"{language.Code}:{key} is empty");
        }

        Assert.True(all.Count > 150);
    }

    [Fact]
    public void Placeholders_match_across_languages()
    {
        var en = ReportLanguage.Load("en");
        foreach (var code in new[] { "ru", "kk" })
        {
            var other = ReportLanguage.Load(code);
            foreach (var key in en.Keys)
            {
                var expected = Placeholder().Matches(en.Text(key)).Select(m => m.Value).Distinct().Order().ToArray();
                var actual = Placeholder().Matches(other.Text(key)).Select(m => m.Value).Distinct().Order().ToArray();
                Assert.True(expected.SequenceEqual(actual), $"{code}:{key} has placeholders {string.Join(",", actual)}, en has {string.Join(",", expected)}");
            }
        }
    }

    [Fact]
    public void A_missing_key_is_an_error_not_a_fallback()
    {
        var ex = Assert.Throws<KeyNotFoundException>(() => ReportLanguage.Load("kk").Text("no.such.key"));
        Assert.Contains("kk.json", ex.Message);
        Assert.Throws<ArgumentException>(() => ReportLanguage.Load("de"));
        Assert.Throws<InvalidOperationException>(() => ReportLanguage.Load("ru").SdgGoal(4));
    }

    [Theory]
    // ru/kk: no-break space between thousands, decimal comma; en: comma thousands, decimal point.
    [InlineData("ru", 1234567.891, 1, false, "1\u00A0234\u00A0567,9")]
    [InlineData("kk", 1234567.891, 0, false, "1\u00A0234\u00A0568")]
    [InlineData("en", 1234567.891, 2, false, "1,234,567.89")]
    [InlineData("en", 0.0861, 1, true, "8.6")]
    [InlineData("kk", 0.0861, 1, true, "8,6")]
    [InlineData("ru", -0.04, 1, false, "0,0")]
    [InlineData("en", 2.5, 0, false, "3")]
    public void Numbers_are_formatted_per_language(string code, double value, int decimals, bool percent, string expected) =>
        Assert.Equal(expected, ReportLanguage.Load(code).FormatNumber(value, new NumberStyle(decimals, percent)));

    [Theory]
    [InlineData("en", "30 June 2024")]
    [InlineData("ru", "30 июня 2024 г.")]
    [InlineData("kk", "2024 жылғы 30 маусым")]
    public void Dates_are_written_per_language(string code, string expected) =>
        Assert.Equal(expected, ReportLanguage.Load(code).FormatDate(new DateOnly(2024, 6, 30)));

    [GeneratedRegex(@"\{\d+\}")]
    private static partial Regex Placeholder();
}
