namespace ContributionIndex.Tests.Samples;

/// <summary>Finds the committed Central Asia samples from the test binaries, and makes variants of their study files.</summary>
internal static class SampleStudies
{
    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ContributionIndex.sln")))
                directory = directory.Parent;
            return directory?.FullName ?? throw new InvalidOperationException("ContributionIndex.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Folder => Path.Combine(RepositoryRoot, "samples", "central-asia");

    public static string Study(string code) => Path.Combine(Folder, code + ".yaml");

    public static string NewTemporaryFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "ci-value-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>A copy of a sample study in a temporary folder, pointing at the committed data (so it opts out of path confinement), with a text replacement applied.</summary>
    public static string Variant(string code, string find, string replace)
    {
        var text = File.ReadAllText(Study(code));
        Assert.Contains(find, text);
        text = text.Replace(find, replace, StringComparison.Ordinal)
            .Replace("path: data/", "path: " + Path.Combine(Folder, "data") + "/", StringComparison.Ordinal)
            .Replace("wages: parameters/", "wages: " + Path.Combine(Folder, "parameters") + "/", StringComparison.Ordinal)
            .Replace("region_labels: parameters/", "region_labels: " + Path.Combine(Folder, "parameters") + "/", StringComparison.Ordinal)
            .Replace("study: kz-2019.yaml", "study: " + Path.Combine(Folder, "kz-2019.yaml"), StringComparison.Ordinal);
        // The copy reads the committed data where they are, outside its own folder: it opts out of confinement (#15).
        text = text.TrimEnd('\n') + "\nallow_paths_outside_study_folder: true\n";
        var path = Path.Combine(NewTemporaryFolder(), code + ".yaml");
        File.WriteAllText(path, text);
        return path;
    }
}
