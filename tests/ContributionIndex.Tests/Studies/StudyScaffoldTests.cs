using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Samples;
using Xunit;

namespace ContributionIndex.Tests.Studies;

/// <summary>
/// <c>contrib init</c> on the four sample surveys and their SPSS twins (written by R haven, tests/r/stat-files.R): the
/// proposal maps every column as the hand-written sample study does, and the proposed study validates after the one optional edit it asks for (the wage table),
/// reading, rejecting and valuing exactly the rows the sample study does.
/// </summary>
public sealed class StudyScaffoldTests
{
    public static TheoryData<string, bool> Surveys() => new() { { "kz", false }, { "kg", false }, { "tj", false }, { "uz", false }, { "kz", true }, { "kg", true }, { "tj", true }, { "uz", true } };

    private static string DataFile(string code, bool spss) => spss
        ? Path.Combine(AppContext.BaseDirectory, "TestData", "statfiles", "samples", $"{code}_lfs_volunteer_module_2023.sav")
        : Path.Combine(SampleStudies.Folder, "data", $"{code}_lfs_volunteer_module_2023.csv");

    [Theory]
    [MemberData(nameof(Surveys))]
    public void The_proposal_maps_every_sample_column_as_the_sample_study_does(string code, bool spss)
    {
        var folder = SampleStudies.NewTemporaryFolder();
        var proposal = StudyScaffold.Propose(DataFile(code, spss), Path.Combine(folder, "study.yaml"), "survey", code.ToUpperInvariant());
        var sample = StudyLoader.Load(SampleStudies.Study(code)).Inputs.Single(i => i.Kind == InputKind.Survey);
        var proposed = proposal.Fields.Where(f => f.Chosen is not null).ToDictionary(f => f.Field, f => f.Chosen!.Column);
        Assert.Equal(sample.Columns.OrderBy(c => c.Key, StringComparer.Ordinal), proposed.OrderBy(c => c.Key, StringComparer.Ordinal));
        Assert.Empty(proposal.Decisions);
    }

    [Theory]
    [MemberData(nameof(Surveys))]
    public void The_proposed_study_validates_and_counts_the_rows_as_the_sample_does(string code, bool spss)
    {
        var folder = SampleStudies.NewTemporaryFolder();
        var data = Path.Combine(folder, Path.GetFileName(DataFile(code, spss)));
        File.Copy(DataFile(code, spss), data);
        var study = Path.Combine(folder, "study.yaml");
        var yaml = StudyScaffold.Propose(data, study, "survey", code.ToUpperInvariant()).Yaml;
        // The one optional edit the proposal asks for that changes results: the wage table by ISCO group (the paid-stipend
        // check compares stipends with the task's wage). Uncomment it and put the sample's table where it points.
        Assert.Contains($"    # wages: parameters/{code}_isco_wages_2023.csv   # DECIDE (optional)", yaml, StringComparison.Ordinal);
        yaml = yaml.Replace("    # wages: parameters/", "    wages: parameters/", StringComparison.Ordinal);
        Directory.CreateDirectory(Path.Combine(folder, "parameters"));
        File.Copy(Path.Combine(SampleStudies.Folder, "parameters", $"{code}_isco_wages_2023.csv"), Path.Combine(folder, "parameters", $"{code}_isco_wages_2023.csv"));
        File.WriteAllText(study, yaml);

        var result = StudyRun.Load(study).Validate();
        var expected = StudyRun.Load(SampleStudies.Study(code)).Validate().Inputs.Single(i => i.Input.EndsWith("-survey", StringComparison.Ordinal));
        var actual = Assert.Single(result.Inputs);
        Assert.True(result.RejectedShare <= 0.01, $"{result.Rejected} of {result.Read} rejected");
        Assert.Equal(expected.Read, actual.Read);
        Assert.Equal(expected.Rejected, actual.Rejected);
        Assert.Equal(expected.Valued, actual.Valued);
        Assert.Equal(expected.Excluded, actual.Excluded);
    }

    [Fact]
    public void Codes_of_a_labelled_file_are_written_by_label_and_unknown_values_are_left_to_decide()
    {
        var folder = SampleStudies.NewTemporaryFolder();
        var proposal = StudyScaffold.Propose(Path.Combine(AppContext.BaseDirectory, "TestData", "statfiles", "pspp-cp1251.sav"), Path.Combine(folder, "s.yaml"), "survey", null);
        Assert.Contains("sex: {\"female\": [\"Женский\"], \"male\": [\"Мужской\"]}", proposal.Yaml, StringComparison.Ordinal);
        Assert.Contains("volunteered: {\"false\": [\"Нет\"], \"true\": [\"Да\"]}", proposal.Yaml, StringComparison.Ordinal);
        // Without --country the country and its parameters are the user's decision; 'Отказ' (9) is user-missing, yet labelled.
        Assert.Contains(proposal.Decisions, d => d.Contains("country", StringComparison.Ordinal));
        Assert.Contains("# DECIDE:", proposal.Yaml, StringComparison.Ordinal);
    }
}
