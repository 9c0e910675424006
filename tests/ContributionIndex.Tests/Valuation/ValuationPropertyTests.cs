using ContributionIndex.Pipeline;
using ContributionIndex.Valuation;
using FsCheck;
using FsCheck.Xunit;
using static ContributionIndex.Tests.Valuation.TestStudies;

namespace ContributionIndex.Tests.Valuation;

public class ValuationPropertyTests
{
    private static readonly string[] Codes = ["3422", "9129", "342", "9", "2341", "7111", ""];

    /// <summary>
    /// For any hours (1–600 h), weight and ISCO code: the generalist value is exactly H_year × W_gen × (1 + u), and
    /// the method range brackets every method.
    /// </summary>
    [Property(MaxTest = 100)]
    public bool Generalist_is_linear_and_the_range_brackets_every_method(PositiveInt tenths, PositiveInt weight, NonNegativeInt code)
    {
        var hours = 1 + 0.1 * (tenths.Get % 5990); // at least the one-hour minimum, at most 600 h
        var w = 1 + weight.Get % 100_000;
        var isco = Codes[code.Get % Codes.Length];
        var study = OneCountry(ExampleWages, s => s with { Valuation = s.Valuation with { OnCostUplift = 0.12 } });
        var result = ValuationRun.Validate(study, InMemoryRecordSource.Of([Record("p", hours, isco.Length == 0 ? null : isco, weight: w)]));
        var kz = result.Summaries.Single();
        var expected = w * hours * 13 * 4.5 * 1.12;
        var generalist = kz[ValuationMethod.Generalist].ValueLcuCurrent!.Value;
        var range = result.Ranges.Single(r => r.Unit == "XXX");
        return Math.Abs(generalist - expected) <= 1e-9 * expected
            && range.Values.All(v => range.Minimum <= v && v <= range.Maximum)
            && range.Values.Contains(range.Minimum) && range.Values.Contains(range.Maximum);
    }
}
