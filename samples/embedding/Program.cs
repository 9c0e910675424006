using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Samples.Embedding;

/// <summary>
/// Values a small dataset through the library API alone: the study is built in code, the records are mapped from the
/// caller's own data source (here a tiny CSV) into <see cref="VolunteerRecord"/>s, and <see cref="ValuationRun"/> does
/// the 19th ICLS checks, the valuation and the output files.
/// </summary>
public static class EmbeddingExample
{
    /// <summary>Runs the example: values data/activities.csv, writes the outputs into <paramref name="outputDirectory"/> and prints a summary.</summary>
    public static ValuationResult Run(string outputDirectory, TextWriter log)
    {
        var dataFolder = Path.Combine(AppContext.BaseDirectory, "data");
        var study = new Study
        {
            Id = "embedding-example",
            Title = "Library API example",
            Year = 2023,
            // Relative paths (the wage table) are resolved against the folder of SourcePath.
            SourcePath = Path.Combine(dataFolder, "study-built-in-code.yaml"),
            ReferencePeriod = new ReferencePeriodSpec { LengthDays = 28, AnnualisationFactor = 13 },
            Valuation = new ValuationSpec { OpportunityCostPolicy = "minimum-wage" },
            Countries =
            [
                new CountrySpec
                {
                    Code = "KZ",
                    Currency = "XXX",
                    Wages = "wages.csv",
                    GeneralistWage = new SourcedValue { Value = 4.5, Year = 2023, Source = "synthetic" },
                    MinimumHourlyWage = new SourcedValue { Value = 2.0, Year = 2023, Source = "synthetic" },
                    FullTimeAnnualHours = new SourcedValue { Value = 2080, Source = "US GAO convention, 40 h x 52" },
                },
            ],
            Inputs = [new InputSpec { Name = "activities", Kind = "survey", Path = "activities.csv" }],
        };

        var records = ReadActivities(Path.Combine(dataFolder, "activities.csv")).ToList();
        var result = ValuationRun.Run(study, InMemoryRecordSource.Of(records), outputDirectory);

        var kz = result.Summaries.Single(s => s.Country == "KZ");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows read {result.Read}, rejected {result.Rejected}, valued {result.Inputs.Sum(i => i.Valued)}"));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"volunteers {kz.Volunteers:R}; annual hours {kz.HoursAnnual:R}; FTE {kz.Fte:R}"));
        foreach (var value in kz.Values)
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{value.Method.Code(),-12} {value.ValueLcuBase:R} {kz.Currency}"));
        return result;
    }

    /// <summary>Maps the caller's own CSV (person,activity,weight,hours_4_weeks,isco,own_hourly_wage,stipend) to canonical records.</summary>
    public static IEnumerable<VolunteerRecord> ReadActivities(string path)
    {
        var line = 1L;
        foreach (var text in File.ReadLines(path).Skip(1))
        {
            line++;
            var f = text.Split(',');
            yield return new VolunteerRecord
            {
                Source = new SourceLocation("activities.csv", line, 0),
                InputName = "activities",
                PersonId = f[0],
                ActivityId = f[1],
                Weight = double.Parse(f[2], CultureInfo.InvariantCulture),
                Volunteered = true,
                Hours = double.Parse(f[3], CultureInfo.InvariantCulture),
                IscoCode = f[4],
                OwnHourlyWage = f[5].Length > 0 ? double.Parse(f[5], CultureInfo.InvariantCulture) : null,
                Stipend = f[6].Length > 0 ? double.Parse(f[6], CultureInfo.InvariantCulture) : null,
                Country = "KZ",
            };
        }
    }

    /// <summary>Entry point: <c>dotnet run --project samples/embedding -- OUTPUT_DIR</c>.</summary>
    public static int Main(string[] args)
    {
        Run(args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "contributionindex-embedding"), Console.Out);
        return 0;
    }
}
