using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;

namespace ContributionIndex.Tests.Valuation;

/// <summary>Builds small studies and records in memory, with wage tables written to a temporary folder.</summary>
internal static class TestStudies
{
    public const double Tolerance = 1e-9;

    public static void AssertRelative(double expected, double? actual, double tolerance = Tolerance)
    {
        Assert.NotNull(actual);
        var scale = Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(Math.Abs(actual!.Value - expected) <= tolerance * scale,
            $"expected {expected:R}, got {actual.Value:R} (relative tolerance {tolerance:R})");
    }

    /// <summary>A one-country study in a new temporary folder; the wage table (if any) is written there as wages.csv; <paramref name="configure"/> returns a changed copy.</summary>
    public static Study OneCountry(string wageCsv, Func<Study, Study>? configure = null, string currency = "XXX", string code = "KZ")
    {
        var folder = Path.Combine(Path.GetTempPath(), "ci-value-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "wages.csv"), wageCsv);
        var study = new Study
        {
            Id = "test",
            Title = "Test study",
            Year = 2023,
            SourcePath = Path.Combine(folder, "study.yaml"),
            Inputs = [new InputSpec { Name = "survey", Kind = ContributionIndex.Ingest.InputKind.Survey, Path = "survey.csv" }],
            Countries =
            [
                new CountrySpec
                {
                    Code = code,
                    Currency = currency,
                    Wages = "wages.csv",
                    GeneralistWage = new SourcedValue { Value = 4.5, Year = 2023 },
                    MinimumHourlyWage = new SourcedValue { Value = 2.0, Year = 2023 },
                    AverageHourlyWage = new SourcedValue { Value = 5.0, Year = 2023 },
                    FullTimeAnnualHours = new SourcedValue { Value = 2080 },
                    LcuPerUsd = new SourcedValue { Value = 2.0 },
                    LcuPerPppDollar = new SourcedValue { Value = 0.5 },
                    Gdp = new SourcedValue { Value = 1e9 },
                },
            ],
        };
        File.WriteAllText(study.SourcePath, "# in-memory test study\n");
        return configure is null ? study : configure(study);
    }

    public const string ExampleWages = "isco,hourly_wage,currency,year,source\n3422,6.00,XXX,2023,synthetic §4.3\n9129,3.00,XXX,2023,synthetic §4.3\n";

    private static long _line = 1;

    public static VolunteerRecord Record(string person, double? hours, string? isco = null, double weight = 1, bool? volunteered = true,
        string? activity = null, Func<VolunteerRecord, VolunteerRecord>? with = null)
    {
        var record = new VolunteerRecord
        {
            Source = new SourceLocation("survey.csv", Interlocked.Increment(ref _line), 0),
            InputName = "survey",
            PersonId = person,
            ActivityId = activity,
            Weight = weight,
            Volunteered = volunteered,
            Hours = hours,
            IscoCode = isco,
            Country = "KZ",
            Age = 30,
            Sex = Sex.Female,
        };
        return with is null ? record : with(record);
    }
}
