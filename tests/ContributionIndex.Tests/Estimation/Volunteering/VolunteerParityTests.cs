using System.Text.Json;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Studies;

namespace ContributionIndex.Tests.Estimation.Volunteering;

/// <summary>
/// Study mode against R survey 4.1-1: tests/r/golden.R builds the person-level table from volunteer_study.csv itself and
/// estimates svytotal, svymean and svyratio overall and by sex (volunteer_study_golden.json); agreement to 1e-10 relative.
/// </summary>
public sealed class VolunteerParityTests
{
    private const double Tolerance = 1e-10;

    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "TestData", "estimation");

    private static readonly Lazy<VolunteerEstimateSet> Set = new(() => VolunteerEstimates.Run(StudyLoader.Load(Path.Combine(Folder, "volunteer_study.yaml"))));

    private static readonly Lazy<VolunteerEstimateSet> ReplicateSet = new(() => VolunteerEstimates.Run(StudyLoader.Load(Path.Combine(Folder, "volunteer_study_rep.yaml"))));

    private static readonly Lazy<JsonElement> Golden = new(() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "volunteer_study_golden.json"))).RootElement);

    private static double Number(JsonElement e) => RGolden.Number(e);

    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Tolerance * Math.Abs(expected), $"{what}: R {expected:R}, C# {actual:R}");

    [Fact]
    public void The_person_table_has_the_persons_and_volunteers_R_counts()
    {
        var table = Set.Value.Survey;
        Assert.Equal(Golden.Value.GetProperty("persons").GetInt32(), table.Count);
        Assert.Equal(Golden.Value.GetProperty("volunteers").GetDouble(), table.Variable(PersonVariables.Volunteer).ToArray().Sum());
    }

    [Fact]
    public void Estimates_match_R_survey() => Compare(Set.Value, "cases");

    [Fact]
    public void Estimates_with_declared_jkn_replicate_weights_match_R_survey()
    {
        Assert.IsType<ContributionIndex.Estimation.ReplicateDesign>(ReplicateSet.Value.DesignOf("KZ"));
        Compare(ReplicateSet.Value, "replicate_cases");
    }

    private static void Compare(VolunteerEstimateSet set, string cases)
    {
        int compared = 0;
        foreach (var c in Golden.Value.GetProperty(cases).EnumerateArray())
        {
            var measure = c.GetProperty("measure").GetString()!;
            var domain = c.GetProperty("domain").GetString()!;
            foreach (var r in c.GetProperty("results").EnumerateArray())
            {
                var value = r.GetProperty("domain_value").GetString()!;
                var estimate = set.Find("KZ", measure, domain, value)?.Estimate;
                Assert.True(estimate is not null, $"no estimate {measure} {domain}={value}");
                var what = $"{measure} {domain}={value}";
                Assert.Equal(c.GetProperty("statistic").GetString(), estimate!.Statistic.ToString().ToLowerInvariant());
                Close(Number(r.GetProperty("estimate")), estimate.Value, what + " estimate");
                Close(Number(r.GetProperty("se")), estimate.StandardError, what + " SE");
                Close(Number(r.GetProperty("ci_low")), estimate.ConfidenceLow, what + " ci_low");
                Close(Number(r.GetProperty("ci_high")), estimate.ConfidenceHigh, what + " ci_high");
                Assert.Equal(Number(r.GetProperty("df")), estimate.DegreesOfFreedom);
                compared++;
            }
        }

        Assert.Equal(15, compared);
    }
}
