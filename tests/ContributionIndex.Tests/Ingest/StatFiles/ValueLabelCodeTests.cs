using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;
using Xunit;

namespace ContributionIndex.Tests.Ingest.StatFiles;

/// <summary>Codes mapped by value label (<c>sex: {male: ["Мужской"]}</c>), and rejections that show code and label.</summary>
public sealed class ValueLabelCodeTests
{
    private static string Study(Func<string, string> edit, Func<byte[], byte[]>? patch = null)
    {
        var folder = Path.Combine(Path.GetTempPath(), $"labels-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var data = Path.Combine(folder, "pspp_2023.sav");
        var bytes = File.ReadAllBytes(Path.Combine(StatFileTwinTests.Folder, "pspp-cp1251.sav"));
        File.WriteAllBytes(data, patch is null ? bytes : patch(bytes));
        var study = Path.Combine(folder, "study.yaml");
        var yaml = StudyScaffold.Propose(data, study, "survey", "KZ").Yaml;
        // The one decision the proposal leaves for this file: the weight column (the PSPP fixture has none; id serves).
        Assert.Contains("      weight: \"\"", yaml, StringComparison.Ordinal);
        File.WriteAllText(study, edit(yaml.Replace("      weight: \"\"", "      weight: \"id\"", StringComparison.Ordinal)));
        return study;
    }

    [Fact]
    public void Codes_by_label_map_the_labelled_codes_and_user_missing_values_are_missing()
    {
        var result = StudyRun.Load(Study(y => y)).Validate();
        Assert.Equal(6, result.Read);
        Assert.Equal(0, result.Rejected);
        var records = StudyInputReader.ReadAll(StudyLoader.Load(Study(y => y))).Select(i => i.Record!).ToList();
        Assert.Equal([Sex.Male, Sex.Female, Sex.Female, Sex.Male, Sex.Female, Sex.Male], records.Select(r => r.Sex));
        // 'Да' = 1 and 'Нет' = 2 (the built-in 1 = true holds; 2 is mapped through its label).
        Assert.Equal([true, false, true, false, true, true], records.Select(r => r.Volunteered));
        // Age 97 and 99 fall in the user-missing range 97 thru 99; status 9 ('Отказ') is a user-missing value.
        Assert.Equal([34, null, 51, null, 28, 63], records.Select(r => r.Age));
        Assert.Equal(EmploymentStatus.Unknown, records[2].Survey?.EmploymentStatus ?? EmploymentStatus.Unknown);
        Assert.Equal(EmploymentStatus.Unemployed, records[1].Survey!.EmploymentStatus);
    }

    [Fact]
    public void A_code_whose_label_no_code_list_knows_is_rejected_showing_code_and_label()
    {
        // The label of 2 becomes 'Женщины' (same length in Windows-1251), which neither the built-in codes nor the study know.
        static byte[] Relabel(byte[] bytes)
        {
            System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
            var encoding = System.Text.Encoding.GetEncoding(1251);
            var from = encoding.GetBytes("Женский");
            var at = bytes.AsSpan().IndexOf(from);
            Assert.True(at > 0);
            encoding.GetBytes("Женщины").CopyTo(bytes.AsSpan(at));
            return bytes;
        }

        var study = Study(y => y, Relabel);
        Assert.Contains("# DECIDE: sex: the values \"2\" are in no category", File.ReadAllText(study), StringComparison.Ordinal);
        var result = StudyRun.Load(study).Validate();
        Assert.Equal(3, result.Rejected);
        var first = result.FirstRejections[0];
        Assert.Equal(2, first.Location.Line); // the case number
        Assert.Equal("sex", first.Location.ColumnName);
        Assert.Equal("2", first.RawValue);
        Assert.Contains("the file labels the value '2' as 'Женщины'", first.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void The_study_codes_of_a_code_decide_over_its_label()
    {
        var lookup = CategoryCodes.WithValueLabels(CanonicalFields.Sex,
            new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> { [CanonicalFields.Sex] = new Dictionary<string, IReadOnlyList<string>> { ["female"] = ["1"] } },
            CategoryCodes.LookupFor(CanonicalFields.Sex, new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> { [CanonicalFields.Sex] = new Dictionary<string, IReadOnlyList<string>> { ["female"] = ["1"] } }),
            new Dictionary<string, string> { ["1"] = "Мужской", ["2"] = "Женский" });
        Assert.Equal("female", lookup["1"]);
        Assert.Equal("female", lookup["2"]);
        // A boolean whose 1 is labelled 'Нет' is read by its label, not as the built-in 1 = true.
        var flags = CategoryCodes.WithValueLabels(CanonicalFields.Volunteered, null, CategoryCodes.LookupFor(CanonicalFields.Volunteered, null),
            new Dictionary<string, string> { ["1"] = "Нет", ["2"] = "Да" });
        Assert.Equal("false", flags["1"]);
        Assert.Equal("true", flags["2"]);
    }
}
