using System.Text;
using ContributionIndex.Classify.Coding;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Tests.Classify.Coding;

public class LabelledDataFileTests
{
    private static IReadOnlyList<LabelledActivity> ReadCsv(string content) =>
        LabelledDataFile.Read(new MemoryStream(Encoding.UTF8.GetBytes(content)), "queue.csv");

    [Fact]
    public void Reads_a_reviewed_queue_with_quotes_and_full_isco_codes()
    {
        var rows = ReadCsv("line,language,text,isco_code,sdg_goals\r\n2,ru,\"сажали деревья, в парке\",6210,13;3\r\n");
        var row = Assert.Single(rows);
        Assert.Equal("сажали деревья, в парке", row.Text);
        Assert.Equal(6, row.IscoMajorGroup);
        Assert.Equal([3, 13], row.SdgGoals);
        Assert.Equal("ru", row.Language);
    }

    [Fact]
    public void A_bad_isco_code_names_file_line_and_column()
    {
        var ex = Assert.Throws<InputDataException>(() => ReadCsv("text,isco_code,sdg_goals\nok,5,3\nbad,0110,3\n"));
        Assert.Equal(new SourceLocation("queue.csv", 3, 2, "isco_code"), ex.Location);
        Assert.Contains("civilian major group", ex.Message);
    }

    [Fact]
    public void A_goal_outside_1_to_17_is_rejected_with_a_hint()
    {
        var ex = Assert.Throws<InputDataException>(() => ReadCsv("text,isco_major,sdg_goals\nok,5,18\n"));
        Assert.Equal(2, ex.Location.Line);
        Assert.Contains("1–17", ex.Message);
    }

    [Fact]
    public void The_committed_data_cover_every_major_group_per_language_every_volunteer_sub_major_group_and_all_17_goals()
    {
        // Training: at least 25 situations per major group and language (build_data.py prints the counts); evaluation: at least 5.
        foreach (var (name, data, floor) in new[] { ("training", CodingData.Training(), 25), ("evaluation", CodingData.HeldOut(), 5) })
        {
            var counts = data.GroupBy(d => (d.Language, d.IscoMajorGroup)).ToDictionary(g => g.Key, g => g.Count());
            foreach (var language in new[] { "en", "ru", "kk" })
                for (var group = 1; group <= 9; group++)
                    Assert.True(counts.GetValueOrDefault((language, group)) >= floor, $"{name} {language} {group}");
        }

        var training = CodingData.Training();
        // Every ISCO-08 sub-major group of groups 1-9 except 63 (subsistence farming is not volunteer work; rules.md).
        var expected = LabelledDataFile.IscoSubMajorGroups.Where(g => g != 63).Order();
        Assert.Equal(expected, training.Select(t => t.IscoSubMajorGroup!.Value).Distinct().Order());
        Assert.Equal(Enumerable.Range(1, 17), training.SelectMany(t => t.SdgGoals).Distinct().Order());
        Assert.True(training.Select(t => t.Group).Distinct().Count() >= 750, "at least 750 situations");
        Assert.True(CodingData.HeldOut().Count >= 300, "at least 300 evaluation answers");
    }

    [Fact]
    public void The_primary_goal_is_the_first_goal_as_written()
    {
        var rows = ReadCsv("text,isco_code,sdg_goals\na,9613,11;12\nb,5120,2;1\n");
        Assert.Equal([11, 2], rows.Select(r => r.PrimaryGoal));
        Assert.Equal([1, 2], rows[1].SdgGoals);
        Assert.All(CodingData.Training().Concat(CodingData.HeldOut()), d => Assert.Contains(d.PrimaryGoal!.Value, d.SdgGoals));
    }

    [Fact]
    public void Codes_of_two_or_more_digits_give_the_sub_major_group_and_the_group_column_is_read()
    {
        var rows = ReadCsv("text,isco_code,sdg_goals,group\na,9321,8,s1\nb,23,4,s1\nc,6,13,\n");
        Assert.Equal([93, 23, null], rows.Select(r => r.IscoSubMajorGroup));
        Assert.Equal(["93", "23", "6"], rows.Select(r => r.IscoClass));
        Assert.Equal([9, 2, 6], rows.Select(r => r.IscoMajorGroup));
        Assert.Equal(["s1", "s1", ""], rows.Select(r => r.Group));
    }

    [Fact]
    public void A_code_whose_first_two_digits_are_no_sub_major_group_is_rejected()
    {
        // ISCO-08 major group 2 has sub-major groups 21-26 only.
        var ex = Assert.Throws<InputDataException>(() => ReadCsv("text,isco_code,sdg_goals\nok,2310,4\nbad,2912,4\n"));
        Assert.Equal(new SourceLocation("queue.csv", 3, 2, "isco_code"), ex.Location);
        Assert.Contains("29 does not exist", ex.Message);
    }

    [Fact]
    public void Every_committed_description_has_a_sub_major_group_and_each_training_situation_has_all_three_languages()
    {
        foreach (var data in new[] { CodingData.Training(), CodingData.HeldOut() }) Assert.All(data, d => Assert.NotNull(d.IscoSubMajorGroup));
        Assert.All(CodingData.Training().GroupBy(d => d.Group), g => Assert.Equal(["en", "kk", "ru"], g.Select(d => d.Language).Order(StringComparer.Ordinal)));

        // Held-out situations are separate situations: no group id is shared with training.
        var trainingGroups = CodingData.Training().Select(t => t.Group).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(CodingData.HeldOut(), h => trainingGroups.Contains(h.Group));
    }

    [Fact]
    public void No_held_out_description_occurs_in_the_training_data()
    {
        var training = CodingData.Training().Select(t => ActivityText.Normalize(t.Text)).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(CodingData.HeldOut(), h => training.Contains(ActivityText.Normalize(h.Text)));
    }
}
