using ContributionIndex.Classify.Coding;

namespace ContributionIndex.Tests.Classify.Coding;

/// <summary>Finds the committed coding data (methodology/coding) from the test output directory.</summary>
internal static class CodingData
{
    public static string Directory { get; } = Find();

    /// <summary>The evaluation set (methodology/coding/evaluation-set): answers written separately from the training situations, never trained or tuned on.</summary>
    public static IReadOnlyList<LabelledActivity> HeldOut() => LabelledDataFile.Read(Path.Combine(Directory, "evaluation-set", "evaluation.tsv"));

    /// <summary>Set A, the development set the shipped review thresholds were chosen on (never set B, the final test set).</summary>
    public static IReadOnlyList<LabelledActivity> DevelopmentSet() => LabelledDataFile.Read(Path.Combine(Directory, "independent-set", "answers.tsv"));

    public static IReadOnlyList<LabelledActivity> Training() => LabelledDataFile.Read(Path.Combine(Directory, "training.tsv"));

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "methodology", "coding");
            if (File.Exists(Path.Combine(candidate, "evaluation-set", "evaluation.tsv"))) return candidate;
        }

        throw new InvalidOperationException("methodology/coding/evaluation-set/evaluation.tsv was not found above the test directory.");
    }
}
