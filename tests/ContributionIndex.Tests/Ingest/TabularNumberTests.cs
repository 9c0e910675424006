using System.Globalization;
using ContributionIndex.Ingest;
using FsCheck;
using FsCheck.Xunit;

namespace ContributionIndex.Tests.Ingest;

public class TabularNumberTests
{
    [Theory]
    [InlineData("1 234,5", ',', ' ', 1234.5)]
    [InlineData("1\u00A0234,5", ',', ' ', 1234.5)]
    [InlineData("1\u202F234\u202F567,25", ',', ' ', 1234567.25)]
    [InlineData("1,234.5", '.', ',', 1234.5)]
    [InlineData("1.234,5", ',', '.', 1234.5)]
    [InlineData("1'234.5", '.', '\'', 1234.5)]
    [InlineData("  2,5 ", ',', null, 2.5)]
    [InlineData("-0.25", '.', null, -0.25)]
    [InlineData("\u22123,5", ',', null, -3.5)]
    [InlineData("+7", '.', null, 7.0)]
    [InlineData(".5", '.', null, 0.5)]
    [InlineData("1.5E-3", '.', null, 0.0015)]
    [InlineData("1,5e2", ',', null, 150.0)]
    [InlineData("0110", '.', null, 110.0)]
    public void Parses_declared_formats(string text, char decimalSeparator, object? thousands, double expected)
    {
        var status = TabularNumber.Parse(text, decimalSeparator, (char?)thousands, out var value);
        Assert.Equal(NumberParseStatus.Ok, status);
        Assert.Equal(expected, value);
        Assert.True(TabularNumber.TryParse(text, decimalSeparator, (char?)thousands, out var again));
        Assert.Equal(expected, again);
    }

    [Theory]
    [InlineData("1,5", '.', null)] // decimal comma in a decimal-point file is refused, not misread as 15
    [InlineData("1 234,5", ',', null)] // grouping not declared
    [InlineData("12 34,5", ',', ' ')] // a later group must have three digits
    [InlineData("1234 567", '.', ' ')] // the first group has at most three digits
    [InlineData("1,234,56", '.', ',')]
    [InlineData("abc", '.', null)]
    [InlineData("1.2.3", '.', null)]
    [InlineData("-", '.', null)]
    [InlineData("1e", '.', null)]
    [InlineData("5 ", '.', ' ')] // trailing space is trimmed, so this one is fine: asserted separately below
    public void Refuses_text_that_is_not_a_number_in_the_declared_format(string text, char decimalSeparator, object? thousands)
    {
        var status = TabularNumber.Parse(text, decimalSeparator, (char?)thousands, out _);
        if (text == "5 ")
        {
            Assert.Equal(NumberParseStatus.Ok, status);
            return;
        }

        Assert.Equal(NumberParseStatus.Invalid, status);
        Assert.False(TabularNumber.TryParse(text, decimalSeparator, (char?)thousands, out var value));
        Assert.Equal(0, value);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("inf")]
    [InlineData("1e400")]
    public void Non_finite_values_are_refused_unless_asked(string text)
    {
        Assert.Equal(NumberParseStatus.NotFinite, TabularNumber.Parse(text, '.', null, out _));
        Assert.False(TabularNumber.TryParse(text, '.', null, out _));
        Assert.True(TabularNumber.TryParse(text, '.', null, out var value, allowNonFinite: true));
        Assert.False(double.IsFinite(value));
    }

    [Fact]
    public void Empty_text_is_reported_as_empty()
    {
        Assert.Equal(NumberParseStatus.Empty, TabularNumber.Parse("  ", '.', null, out _));
    }

    [Property(MaxTest = 300)]
    public bool Russian_formatting_parses_as_dotnet_ru_culture_does(NormalFloat number)
    {
        // Oracle: .NET's own ru-RU parser, with NBSP grouping as Russian-locale exports write it.
        var ru = (CultureInfo)CultureInfo.GetCultureInfo("ru-RU").Clone();
        ru.NumberFormat.NumberGroupSeparator = "\u00A0";
        ru.NumberFormat.NumberDecimalSeparator = ",";
        var text = number.Get.ToString("N6", ru);
        var expected = double.Parse(text, NumberStyles.Number, ru);
        return TabularNumber.Parse(text, ',', ' ', out var actual) == NumberParseStatus.Ok && actual == expected;
    }

    [Property(MaxTest = 300)]
    public bool Invariant_round_trip_text_parses_exactly(NormalFloat number)
    {
        var text = number.Get.ToString("R", CultureInfo.InvariantCulture);
        return TabularNumber.Parse(text, '.', null, out var actual) == NumberParseStatus.Ok && actual == number.Get;
    }
}
