using System.Globalization;
using System.Text;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;

namespace ContributionIndex.Tests.Ingest;

/// <summary>
/// The bounded duplicate-key scan gives the same answers in memory and after spilling to partitions (methodology/hardening.md §6):
/// checked against a plain dictionary, and end to end through <see cref="StudyInputReader"/> with a budget small enough to spill.
/// </summary>
public class DuplicateKeyScanTests
{
    private const long TinyBudget = 64L << 10; // 64 KiB: 2,048 slots, spills after 1,434 distinct keys

    /// <summary>Keys drawn from a pool so that about a third of the lines repeat an earlier key; the expected answers come from a dictionary.</summary>
    private static (List<(long Line, UInt128 Digest)> Keys, List<long?> Expected) Sequence(int lines, int distinct, int seed)
    {
        var random = new Random(seed);
        var pool = Enumerable.Range(0, distinct).Select(_ => new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64())).ToArray();
        var keys = new List<(long, UInt128)>();
        var expected = new List<long?>();
        var first = new Dictionary<UInt128, long>();
        var line = 1L;
        for (var i = 0; i < lines; i++)
        {
            line += 1 + random.Next(3); // gaps: rejected rows and multi-line rows leave line numbers out
            var digest = pool[random.Next(distinct)];
            keys.Add((line, digest));
            expected.Add(first.TryAdd(digest, line) ? null : first[digest]);
        }

        return (keys, expected);
    }

    private static List<long?> Run(List<(long Line, UInt128 Digest)> keys, long budget, out DuplicateKeyScan scan, out int secondReads)
    {
        var reads = 0;
        var created = new DuplicateKeyScan(budget, after =>
        {
            reads++;
            return keys.Where(k => k.Line > after);
        });
        var answers = keys.Select(k => created.FirstLineOf(k.Digest, k.Line)).ToList();
        scan = created;
        secondReads = reads;
        return answers;
    }

    [Fact]
    public void In_memory_answers_equal_a_dictionary()
    {
        var (keys, expected) = Sequence(20_000, 14_000, seed: 1);
        var answers = Run(keys, DuplicateKeyScan.DefaultBudgetBytes, out var scan, out var reads);
        using (scan)
        {
            Assert.False(scan.Spilled);
            Assert.Equal(0, reads);
            Assert.Equal(expected, answers);
            Assert.True(expected.Count(e => e is not null) > 5_000, "the sequence must contain many duplicates");
        }
    }

    [Fact]
    public void Spilled_answers_equal_a_dictionary_including_partitions_split_again()
    {
        // 300,000 lines over 200,000 keys with a 64 KiB budget: the table spills after 1,434 keys, each of the 64 first
        // partitions holds ~4,600 entries (110 KiB > 64 KiB), so every partition is split again by the next 6 bits.
        var (keys, expected) = Sequence(300_000, 200_000, seed: 2);
        var answers = Run(keys, TinyBudget, out var scan, out var reads);
        using (scan)
        {
            Assert.True(scan.Spilled);
            Assert.Equal(1, reads);
            Assert.InRange(scan.KeysInMemory, 1_400, 1_440);
            Assert.Equal(expected, answers);
        }
    }

    [Fact]
    public void The_scratch_folder_is_removed_after_spilling()
    {
        var before = Directory.GetDirectories(Path.GetTempPath(), "contrib-keys-*").ToHashSet();
        var (keys, expected) = Sequence(5_000, 3_000, seed: 3);
        var answers = Run(keys, TinyBudget, out var scan, out _);
        scan.Dispose();
        Assert.True(scan.Spilled);
        Assert.Equal(expected, answers);
        Assert.DoesNotContain(Directory.GetDirectories(Path.GetTempPath(), "contrib-keys-*"), d => !before.Contains(d));
    }

    [Fact]
    public void A_survey_read_with_a_spilling_budget_gives_the_same_items_as_in_memory()
    {
        // 6,000 survey rows over 4,000 persons × 2 activities: repeats, rows rejected for a bad weight (whose key does
        // not count as seen: a later row with the same key is accepted), and a repeat of such a key after the spill.
        using var dir = new TempDirectory();
        var csv = new StringBuilder("id,act,w,h\n");
        var random = new Random(7);
        for (var i = 0; i < 6_000; i++)
        {
            var person = random.Next(4_000);
            var weight = random.Next(50) == 0 ? "heavy" : (100 + person % 97).ToString(CultureInfo.InvariantCulture);
            csv.Append(CultureInfo.InvariantCulture, $"P{person},a{random.Next(2)},{weight},{random.Next(40)}.5\n");
        }

        File.WriteAllText(dir.File("data.csv"), csv.ToString(), new UTF8Encoding(false));
        var input = new InputSpec
        {
            Name = "test",
            Kind = ContributionIndex.Ingest.InputKind.Survey,
            Path = "data.csv",
            Columns = new Dictionary<string, string> { ["person_id"] = "id", ["activity_id"] = "act", ["weight"] = "w", ["hours"] = "h" },
        };
        var study = new Study { Id = "t", Year = 2023, SourcePath = dir.File("study.yaml"), Inputs = [input] };

        var memoryCounts = new IngestCounts();
        var inMemory = StudyInputReader.Read(study, input, memoryCounts).Select(Describe).ToList();
        var spillCounts = new IngestCounts();
        var spilled = StudyInputReader.Read(study, input, spillCounts, TinyBudget).Select(Describe).ToList();

        Assert.Equal(inMemory, spilled);
        Assert.Equal((6_000L, memoryCounts.Accepted, memoryCounts.Rejected), (spillCounts.Read, spillCounts.Accepted, spillCounts.Rejected));
        var duplicates = inMemory.Count(d => d.Contains("key.duplicate", StringComparison.Ordinal));
        Assert.True(duplicates > 1_000, $"only {duplicates} duplicates: the data must repeat keys on both sides of the spill");
        Assert.Contains(inMemory.Skip(3_000), d => d.Contains("key.duplicate", StringComparison.Ordinal) && d.Contains("already appears on line", StringComparison.Ordinal));
    }

    private static string Describe(IngestItem item) => item.Record is { } r
        ? string.Create(CultureInfo.InvariantCulture, $"ok {r.Source.Line} {r.PersonId} {r.ActivityId} {r.Weight:R}")
        : string.Create(CultureInfo.InvariantCulture, $"rejected {item.Rejection!.Location} {item.Rejection.Rule} {item.Rejection.Reason} {item.Rejection.RawValue}");
}
