namespace ContributionIndex.Tests.Hardening;

public class HardeningDocTests
{
    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ContributionIndex.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new DirectoryNotFoundException("ContributionIndex.sln not found above the test folder");
    }

    [Fact]
    public void Methodology_page_lists_every_corpus_entry_with_its_outcome()
    {
        var page = File.ReadAllText(Path.Combine(RepositoryRoot(), "methodology", "hardening.md"));
        foreach (var entry in Corpus.Entries)
            Assert.Contains($"| {entry.Id} | `{entry.File}` |", page, StringComparison.Ordinal);
        Assert.Contains("| 2 | `UsageError` |", page, StringComparison.Ordinal);
    }
}
