using System.Text;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Ingest;

namespace ContributionIndex.Tests.Hardening;

/// <summary>The ingest fixes of the hardening pass, checked on their own.</summary>
public class IngestFixTests
{
    private static List<IngestItem> Read(TempDirectory dir, string csv, string kind = "survey")
    {
        File.WriteAllBytes(dir.File("data.csv"), new UTF8Encoding(false).GetBytes(csv));
        var input = new InputSpec
        {
            Name = "in",
            Kind = StudyChoices.Parse<ContributionIndex.Ingest.InputKind>(kind, "kind", ContributionIndex.Diagnostics.SourceLocation.OfFile("test")),
            Path = "data.csv",
            Columns = kind == "survey"
                ? new Dictionary<string, string> { ["person_id"] = "id", ["activity_id"] = "act", ["weight"] = "w", ["hours"] = "h", ["activity_text"] = "text" }
                : new Dictionary<string, string> { ["person_id"] = "id", ["activity_id"] = "act", ["hours"] = "h", ["activity_text"] = "text" },
        };
        var study = new Study { Id = "t", Year = 2023, SourcePath = dir.File("study.yaml"), Inputs = [input] };
        return [.. StudyInputReader.Read(study, input)];
    }

    [Fact]
    public void A_repeated_person_activity_key_is_rejected_naming_the_first_line_and_the_first_row_stands()
    {
        using var dir = new TempDirectory();
        var items = Read(dir, "id,act,w,h,text\n1,a,10,2,x\n1,b,10,3,y\n2,,10,1,z\n1,a,10,9,x again\n2,,10,1,z again\n");
        Assert.Equal([true, true, true, false, false], items.Select(i => i.IsAccepted));
        var first = items[3].Rejection!;
        Assert.Equal(("key.duplicate", 5L, 1, "1"), (first.Rule, first.Location.Line, first.Location.Column, first.RawValue));
        Assert.Contains("already appears on line 2", first.Reason, StringComparison.Ordinal);
        Assert.Contains("already appears on line 4", items[4].Rejection!.Reason, StringComparison.Ordinal);
        Assert.Equal(2.0, items[0].Record!.Hours); // the first row stands
    }

    [Fact]
    public void Hour_logs_may_repeat_a_person_and_activity()
    {
        using var dir = new TempDirectory();
        var items = Read(dir, "id,act,h,text\n1,a,2,x\n1,a,3,x\n", kind: "hour-log");
        Assert.All(items, i => Assert.True(i.IsAccepted));
    }

    [Fact]
    public void Key_digests_are_equal_for_equal_keys_and_differ_for_different_ones()
    {
        Assert.Equal(StudyInputReader.KeyDigest("1001", null), StudyInputReader.KeyDigest("1001", ""));
        Assert.NotEqual(StudyInputReader.KeyDigest("1001", "a"), StudyInputReader.KeyDigest("1001", "b"));
        Assert.NotEqual(StudyInputReader.KeyDigest("10", "01"), StudyInputReader.KeyDigest("100", "1"));
    }

    [Fact]
    public void A_stray_quote_that_joins_lines_says_which_lines_it_joined()
    {
        using var dir = new TempDirectory();
        var items = Read(dir, "id,act,w,h,text\n1,a,10,2,\"broken\n2,a,10,3,fine\n3,a,10,4,\"quoted\" tail\n4,a,10,1,last\n");
        var rejected = Assert.Single(items, i => !i.IsAccepted).Rejection!;
        Assert.Equal(("row.quote", 2L, 5), (rejected.Rule, rejected.Location.Line, rejected.Location.Column));
        Assert.Contains("joined lines 2–4", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(["4"], items.Where(i => i.IsAccepted).Select(i => i.Record!.PersonId));
    }
}
