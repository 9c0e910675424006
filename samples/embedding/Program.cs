using System.Globalization;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Rendering;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Samples.Embedding;

/// <summary>
/// Runs a small study through the library's entry point alone (<see cref="StudyRun"/>): the study is built in code,
/// the run reads its input, checks, values and estimates, and the annex is rendered to a folder and to a stream.
/// </summary>
public static class EmbeddingExample
{
    /// <summary>The study of data/activities.csv, built in code (the same study could be a YAML file: <see cref="StudyRun.Load"/>).</summary>
    public static Study BuildStudy(string dataFolder) => new()
    {
        Id = "embedding-example",
        Title = "Library API example",
        Year = 2023,
        // Relative paths (the data and the wage table) are resolved against the folder of SourcePath.
        SourcePath = Path.Combine(dataFolder, "study-built-in-code.yaml"),
        ReferencePeriod = new ReferencePeriodSpec { LengthDays = 28, AnnualisationFactor = 13 },
        Valuation = new ValuationSpec { OpportunityCostPolicy = OpportunityCostPolicy.MinimumWage },
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
        Inputs =
        [
            new InputSpec
            {
                Name = "activities",
                Kind = InputKind.Survey,
                Path = "activities.csv",
                Columns = new Dictionary<string, string>
                {
                    [CanonicalFields.PersonId] = "person", [CanonicalFields.ActivityId] = "activity", [CanonicalFields.Weight] = "weight",
                    [CanonicalFields.Hours] = "hours_4_weeks", [CanonicalFields.Isco] = "isco", [CanonicalFields.OwnHourlyWage] = "own_hourly_wage",
                    [CanonicalFields.Stipend] = "stipend",
                },
                Constants = new Dictionary<string, string> { [CanonicalFields.Country] = "KZ", [CanonicalFields.Volunteered] = "true" },
            },
        ],
    };

    /// <summary>Runs the example: writes the valuation outputs and the annex (CSV tables) into <paramref name="outputDirectory"/>, prints a summary, returns the run.</summary>
    public static StudyRun Run(string outputDirectory, TextWriter log)
    {
        var study = BuildStudy(Path.Combine(AppContext.BaseDirectory, "data"));
        var run = StudyRun.Of(study, new StudyRunOptions { ValuationOutputDirectory = Path.Combine(outputDirectory, "valuation") });

        // Valued totals (the valuation stage).
        var result = run.Valuation;
        var kz = result.Summaries.Single(s => s.Country == "KZ");
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows read {result.Read}, rejected {result.Rejected}, valued {result.Inputs.Sum(i => i.Valued)}"));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"volunteers {kz.Volunteers:R}; annual hours {kz.HoursAnnual:R}; FTE {kz.Fte:R}"));
        foreach (var value in kz.Values)
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{value.Method.Code(),-12} {value.ValueLcuBase:R} {kz.Currency}"));

        // A design-based estimate with its standard error, interval and release flag (the estimation stage).
        var hours = run.Estimates.Find("KZ", VolunteerMeasures.AnnualHours)!.Estimate;
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"annual hours {hours.Value:R} (SE {hours.StandardError:R}, {100 * run.Design.ConfidenceLevel:0.##} % CI {hours.ConfidenceLow:R} to {hours.ConfidenceHigh:R}, {hours.Flag})"));

        // The annex table model, rendered to a folder (tidy CSV) and to a stream (the Excel workbook).
        var annex = run.Annex("en");
        AnnexWriter.Write(annex, outputDirectory, AnnexFormats.Csv, Manifest.PackageVersion);
        using var workbook = new MemoryStream(ExcelRenderer.Render(annex, Manifest.PackageVersion));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"annex: {string.Join(", ", annex.Tables.Select(t => t.Id))}; workbook {workbook.Length} bytes"));
        return run;
    }

    /// <summary>Entry point: <c>dotnet run --project samples/embedding -- OUTPUT_DIR</c>.</summary>
    public static int Main(string[] args)
    {
        Run(args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "contributionindex-embedding"), Console.Out);
        return 0;
    }
}
