using ContributionIndex.Classify.Coding;

namespace ContributionIndex.Tests.Classify.Coding;

/// <summary>Finds the committed coding data (methodology/coding) from the test output directory.</summary>
internal static class CodingData
{
    public static string Directory { get; } = Find();

    public static IReadOnlyList<LabelledActivity> HeldOut() => LabelledDataFile.Read(Path.Combine(Directory, "heldout.tsv"));

    public static IReadOnlyList<LabelledActivity> Training() => LabelledDataFile.Read(Path.Combine(Directory, "training.tsv"));

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "methodology", "coding");
            if (File.Exists(Path.Combine(candidate, "heldout.tsv"))) return candidate;
        }

        throw new InvalidOperationException("methodology/coding/heldout.tsv was not found above the test directory.");
    }
}
