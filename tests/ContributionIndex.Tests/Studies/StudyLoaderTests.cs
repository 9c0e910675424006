using ContributionIndex.Diagnostics;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Ingest;

namespace ContributionIndex.Tests.Studies;

public class StudyLoaderTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "ingest", name);

    private const string Minimal = """
        id: t-2023
        year: 2023
        reference_period:
          length_days: 28
          annualisation_factor: 13
        inputs:
          - name: log
            kind: hour-log
            path: log.csv
            columns:
              person_id: volunteer
              hours: hours
        """;

    /// <summary>Writes a study (and an empty data file log.csv beside it) and loads it.</summary>
    private static Study LoadText(TempDirectory dir, string yaml)
    {
        File.WriteAllText(dir.File("log.csv"), "volunteer,hours\nv1,2\n");
        var path = dir.File("study.yaml");
        File.WriteAllText(path, yaml);
        return StudyLoader.Load(path);
    }

    private static StudyFileException Fails(string yaml)
    {
        using var dir = new TempDirectory();
        return Assert.Throws<StudyFileException>(() => LoadText(dir, yaml));
    }

    [Fact]
    public void Loads_the_fixture_study_with_snake_case_keys_and_resolved_paths()
    {
        var study = StudyLoader.Load(Fixture("study.yaml"));
        Assert.Equal("test-kz-2023", study.Id);
        Assert.Equal(2023, study.Year);
        Assert.Equal(13.0, study.ReferencePeriod.AnnualisationFactor);
        Assert.Equal(2, study.Inputs.Count);
        Assert.Equal(Path.GetFullPath(Fixture("study.yaml")), study.SourcePath);
        Assert.Equal(Path.GetFullPath(Fixture("survey-cp1251.csv")), study.Inputs[1].FullPath);
        Assert.Equal("вес", study.Inputs[1].Columns["weight"]); // the YAML alias gives the second input the same map
        Assert.Equal(["репв*"], study.Inputs[0].ReplicateWeights); // a single value is a one-element list
        Assert.Equal(456.31, study.Countries[0].LcuPerUsd!.Value);
        Assert.Equal(0.05, study.Checks.RejectionTolerance);
        Assert.Equal(1.0 / 3.0, study.Checks.PaidStipendShare); // default kept
        var location = study.LocationOf("countries[0].lcu_per_usd.value");
        Assert.True(location.Line > 0);
    }

    [Fact]
    public void Minimal_study_loads()
    {
        using var dir = new TempDirectory();
        var study = LoadText(dir, Minimal);
        Assert.Equal(ContributionIndex.Ingest.InputKind.HourLog, study.Inputs[0].Kind);
        Assert.Equal(dir.File("log.csv"), study.Inputs[0].FullPath);
    }

    [Fact]
    public void Unknown_key_names_file_line_column_and_suggests_the_nearest_key()
    {
        var ex = Fails(Minimal.Replace("  annualisation_factor: 13", "  anualisation_factor: 13", StringComparison.Ordinal));
        Assert.Equal(5, ex.Location.Line);
        Assert.Equal(3, ex.Location.Column);
        Assert.EndsWith("study.yaml", ex.Location.File);
        Assert.Contains("unknown key 'anualisation_factor'", ex.Message);
        Assert.Contains("did you mean 'annualisation_factor'?", ex.Message);
        Assert.Contains(":5:3", ex.Message);
    }

    [Fact]
    public void Unknown_top_level_key_far_from_any_lists_the_valid_keys()
    {
        var ex = Fails(Minimal + "\nzzz: 1\n");
        Assert.Contains("valid keys here are:", ex.Message);
        Assert.Contains("reference_period", ex.Message);
    }

    [Fact]
    public void Transposed_letters_are_suggested()
    {
        var ex = Fails(Minimal.Replace("year: 2023", "yaer: 2023", StringComparison.Ordinal));
        Assert.Contains("did you mean 'year'?", ex.Message);
        Assert.Equal(1, NameSuggestions.Distance("yaer", "year"));
    }

    [Fact]
    public void Text_where_a_number_is_expected_names_line_and_column()
    {
        var ex = Fails(Minimal.Replace("annualisation_factor: 13", "annualisation_factor: thirteen", StringComparison.Ordinal));
        Assert.Equal((5L, 25), (ex.Location.Line, ex.Location.Column));
        Assert.Contains("must be a number, but is 'thirteen'", ex.Message);

        ex = Fails(Minimal.Replace("annualisation_factor: 13", "annualisation_factor: 13,0", StringComparison.Ordinal));
        Assert.Contains("with a point", ex.Message);

        ex = Fails(Minimal.Replace("year: 2023", "year: 2023.5", StringComparison.Ordinal));
        Assert.Contains("whole number", ex.Message);
    }

    [Fact]
    public void Missing_input_file_names_the_path_key_line()
    {
        var ex = Fails(Minimal.Replace("path: log.csv", "path: missing.csv", StringComparison.Ordinal));
        Assert.Equal(9, ex.Location.Line);
        Assert.Contains("'missing.csv', which does not exist", ex.Message);
    }

    [Fact]
    public void Missing_wage_table_names_its_line()
    {
        var ex = Fails(Minimal + "\ncountries:\n  - code: kz\n    currency: KZT\n    wages: wages/kz.csv\n");
        Assert.Equal(16, ex.Location.Line);
        Assert.Contains("wage table 'wages/kz.csv'", ex.Message);
    }

    [Theory]
    [InlineData("kind: hour-log", "kind: hourlogg", "not a valid kind")]
    [InlineData("hours: hours", "hours: hours\n      wieght: w", "did you mean 'weight'?")]
    [InlineData("length_days: 28", "length_days: 0", "length_days 0 is outside")]
    [InlineData("annualisation_factor: 13", "annualisation_factor: 0", "greater than 0")]
    [InlineData("year: 2023", "year: 2023\nchecks:\n  rejection_tolerance: 1.5", "rejection_tolerance must be between 0 and 1")]
    [InlineData("year: 2023", "year: 2023\nvaluation:\n  opportunity_cost_policy: minimum_wage", "did you mean 'minimum-wage'?")]
    [InlineData("year: 2023", "year: 2023\nvaluation:\n  headline_method: median", "not a valid headline_method")]
    [InlineData("hours: hours", "hours: hours\n    codes:\n      sexx: { female: [2] }", "did you mean 'sex'?")]
    [InlineData("hours: hours", "hours: hours\n    codes:\n      sex: { femail: [2] }", "did you mean 'female'?")]
    [InlineData("hours: hours", "hours: hours\n    codes:\n      direction: { environment: [ecology] }", "'environment' is not a category of direction")]
    [InlineData("hours: hours", "hours: hours\n    constants:\n      country: Kazakhstan", "not an ISO 3166-1 alpha-2 code")]
    [InlineData("hours: hours", "hours: hours\n      weight: w", "hour log")]
    [InlineData("      hours: hours", "      volunteered: v", "maps no column to 'hours'")]
    [InlineData("year: 2023", "year: 2023\ncountries:\n  - code: KZ\n    currency: KZT\n    lcu_per_usd: { value: -1 }", "lcu_per_usd must be greater than 0")]
    [InlineData("id: t-2023", "id: t 2023", "may contain only")]
    [InlineData("year: 2023\n", "", "the study has no 'year'")]
    public void Invalid_values_are_reported_with_a_fix(string find, string replace, string expected)
    {
        var ex = Fails(Minimal.Replace(find, replace, StringComparison.Ordinal));
        Assert.Contains(expected, ex.Message);
        Assert.True(ex.Location.Line > 0, ex.Message);
    }

    [Fact]
    public void Column_map_keys_must_be_canonical_fields()
    {
        var ex = Fails(Minimal.Replace("hours: hours", "hours: hours\n      urban_rurl: place", StringComparison.Ordinal));
        Assert.Contains("'urban_rurl' in the columns of input 'log' is not a canonical field", ex.Message);
        Assert.Contains("did you mean 'urban_rural'?", ex.Message);
        Assert.Equal((13L, 7), (ex.Location.Line, ex.Location.Column));
    }

    [Fact]
    public void Yaml_syntax_errors_name_the_place()
    {
        var ex = Fails("id: a\nyear: [2023\n");
        Assert.Contains("not valid YAML", ex.Message);
        Assert.True(ex.Location.Line >= 2);
    }

    [Fact]
    public void Duplicate_keys_are_refused()
    {
        var ex = Fails(Minimal + "\nyear: 2024\n");
        Assert.True(ex.Message.Contains("twice", StringComparison.Ordinal) || ex.Message.Contains("uplicate", StringComparison.Ordinal), ex.Message);
    }

    [Fact]
    public void Empty_and_missing_study_files_are_clear()
    {
        var ex = Fails("");
        Assert.Contains("empty", ex.Message);
        ex = Assert.Throws<StudyFileException>(() => StudyLoader.Load("no-such-study.yaml"));
        Assert.Contains("does not exist", ex.Message);
    }

    [Fact]
    public void Snake_case_names_match_the_documented_keys()
    {
        Assert.Equal("annualisation_factor", YamlBinder.SnakeCase("AnnualisationFactor"));
        Assert.Equal("lcu_per_usd", YamlBinder.SnakeCase("LcuPerUsd"));
        Assert.Equal("lcu_per_ppp_dollar", YamlBinder.SnakeCase("LcuPerPppDollar"));
        Assert.Equal("population_15_plus", YamlBinder.SnakeCase("Population15Plus"));
        Assert.Equal("reference_period", YamlBinder.SnakeCase("ReferencePeriod"));
    }
}
