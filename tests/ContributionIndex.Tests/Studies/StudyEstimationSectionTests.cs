using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Ingest;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Studies;

/// <summary>The <c>estimation:</c> and <c>index:</c> sections of a study file: binding, defaults, validation messages.</summary>
public sealed class StudyEstimationSectionTests
{
    private const string Minimal = """
        id: t-2023
        year: 2023
        inputs:
          - name: log
            kind: hour-log
            path: log.csv
            columns:
              person_id: volunteer
              hours: hours
        """;

    private static Study LoadText(TempDirectory dir, string yaml)
    {
        File.WriteAllText(dir.File("log.csv"), "volunteer,hours\nv1,2\n");
        File.WriteAllText(dir.File("framework.csv"), "indicator,pillar,direction,lower,upper,weight\nsoc_participation,social,+,0,50,\n");
        var path = dir.File("study.yaml");
        File.WriteAllText(path, yaml);
        return StudyLoader.Load(path);
    }

    [Fact]
    public void Defaults_apply_without_the_sections()
    {
        using var dir = new TempDirectory();
        var study = LoadText(dir, Minimal);
        Assert.Null(study.Index);
        var settings = VolunteerEstimationSettings.FromStudy(study);
        Assert.Equal(StudyLoader.EstimationDomains, settings.Domains);
        Assert.Equal(QualityRules.StatisticsCanada, settings.Options.Quality);
        Assert.Equal(LonelyPsuPolicy.Fail, settings.LonelyPsu);
        Assert.Equal(ReplicateConversionKind.Auto, settings.Convert);
        Assert.Equal(0.95, settings.Options.ConfidenceLevel);
    }

    [Fact]
    public void The_regional_sample_declares_its_estimation_and_index()
    {
        var study = StudyLoader.Load(SampleStudies.Study("regional"));
        Assert.Equal(Path.Combine(SampleStudies.Folder, "parameters", "vci-framework.csv"), study.Index!.FrameworkFullPath);
        Assert.Equal(ContributionIndex.Indicators.Composite.NormalisationMethod.Bounded, study.Index.Normalisation);
        Assert.Contains("youth", study.Estimation.Domains);
    }

    [Fact]
    public void Custom_rules_and_choices_resolve()
    {
        using var dir = new TempDirectory();
        var study = LoadText(dir, Minimal + """

            estimation:
              domains: [Sex, region]
              quality: custom
              publish_cv: 0.2
              caution_cv: 0.4
              minimum_n: 5
              lonely_psu: adjust
              sdg_allocation: primary-only
              confidence_level: 0.9
              replicates:
                convert: bootstrap
                bootstrap_replicates: 20
                seed: 7
            index:
              framework: framework.csv
              aggregation: geometric
              score_min: 1
            """);
        var settings = VolunteerEstimationSettings.FromStudy(study);
        Assert.Equal(["sex", "region"], settings.Domains);
        Assert.Equal(new QualityRules(0.2, true, 0.4, true, 5), settings.Options.Quality);
        Assert.Equal(LonelyPsuPolicy.Adjust, settings.LonelyPsu);
        Assert.Equal(ContributionIndex.Indicators.Taxonomy.AllocationRule.PrimaryOnly, settings.SdgAllocation);
        Assert.Equal(ReplicateConversionKind.Bootstrap, settings.Convert);
        Assert.Equal(20, settings.BootstrapReplicates);
        Assert.Equal(7UL, settings.Seed);
        var options = VolunteerIndex.Options(study.Index!);
        Assert.Equal(ContributionIndex.Indicators.Composite.AggregationMethod.Geometric, options.IndexAggregation);
        Assert.Equal(1, options.ScoreMin);
    }

    [Theory]
    [InlineData("estimation:\n  domains: [regoin]", "did you mean 'region'?")]
    [InlineData("estimation:\n  domains: [sex, sex]", "listed twice")]
    [InlineData("estimation:\n  lonely_psu: adjsut", "did you mean 'adjust'?")]
    [InlineData("estimation:\n  quality: custom", "publish_cv")]
    [InlineData("estimation:\n  publish_cv: 0.2", "apply only to quality: custom")]
    [InlineData("estimation:\n  confidence_level: 95", "between 0 and 1")]
    [InlineData("estimation:\n  sdg_allocation: user-weights", "not a valid sdg_allocation")]
    [InlineData("estimation:\n  replicates:\n    method: jkn", "rscales")]
    [InlineData("estimation:\n  replicates:\n    method: fay", "rho")]
    [InlineData("estimation:\n  replicates:\n    convert: jackknife", "not a valid convert")]
    [InlineData("index:\n  framework: missing.csv", "does not exist")]
    [InlineData("index:\n  normalisation: minmax", "names no framework")]
    [InlineData("index:\n  framework: framework.csv\n  weighting: pcaa", "did you mean 'pca'?")]
    public void Invalid_sections_are_reported_with_a_fix(string section, string expected)
    {
        using var dir = new TempDirectory();
        var ex = Assert.Throws<StudyFileException>(() => LoadText(dir, Minimal + "\n" + section + "\n"));
        Assert.Contains(expected, ex.Message);
        Assert.True(ex.Location.Line > 0, ex.Message);
    }
}
