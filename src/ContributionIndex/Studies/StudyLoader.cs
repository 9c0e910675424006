using System.Globalization;
using System.Text;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ContributionIndex.Studies;

/// <summary>
/// Loads and validates a study file (YAML, snake_case keys). Every problem is a <see cref="StudyFileException"/> naming
/// <c>file:line:column</c>, what is wrong and how to fix it (with the nearest valid key for a misspelt one).
/// </summary>
public static class StudyLoader
{
    /// <summary>Loads, binds and validates the study file at <paramref name="path"/>; relative paths inside it are resolved against its directory.</summary>
    public static Study Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            throw new StudyFileException(SourceLocation.OfFile(path), "this is a folder, not a study file.", "Give the path of the study's YAML file.");
        if (!File.Exists(path))
        {
            throw new StudyFileException(SourceLocation.OfFile(path), "the study file does not exist.",
                "Check the path of the study file (relative paths start at the current folder).");
        }

        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
        }
        catch (DecoderFallbackException ex)
        {
            throw new StudyFileException(SourceLocation.OfFile(path), "the study file is not valid UTF-8 text.", "Save it as UTF-8.", ex);
        }

        return Parse(text, path);
    }

    /// <summary>Binds and validates study YAML text; <paramref name="path"/> names it in messages and anchors relative paths.</summary>
    public static Study Parse(string yaml, string path)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new StudyFileException(new SourceLocation(path, ex.Start.Line, (int)ex.Start.Column),
                $"the study file is not valid YAML: {FirstSentence(ex)}",
                ex.Message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase) ? "Keep one of them." : "Check the indentation and the colons on that line.", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" })
            throw new StudyFileException(SourceLocation.OfFile(path), "the study file is empty.", "See methodology/ingest.md for a complete example.");
        if (stream.Documents.Count > 1)
            throw new StudyFileException(new SourceLocation(path, stream.Documents[1].RootNode.Start.Line, 1), "the study file holds more than one YAML document.", "Keep one study per file.");

        var binder = new YamlBinder(path);
        var study = (Study)binder.Bind(stream.Documents[0].RootNode, typeof(Study), "", nullable: false)!;
        study.SetSource(Path.GetFullPath(path), path, binder.Locations);
        StudyValidator.Validate(study);
        return study;
    }

    private static string FirstSentence(YamlException ex)
    {
        var message = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 40) - (Line ...): "; the location is given separately.
        var index = message.LastIndexOf("): ", StringComparison.Ordinal);
        if (index >= 0) message = message[(index + 3)..];
        return message.TrimEnd('.') + ".";
    }

    /// <summary>The person-level domains <c>estimation.domains</c> may list.</summary>
    public static IReadOnlyList<string> EstimationDomains { get; } = ["sex", "age_group", "youth", "region", "urban_rural", "disability", "employment_status"];






    /// <summary>The canonical fields an input of this kind must map to a column.</summary>
    public static IReadOnlyList<string> RequiredFields(InputKind kind) =>
        kind == InputKind.HourLog ? [CanonicalFields.PersonId, CanonicalFields.Hours] : [CanonicalFields.PersonId, CanonicalFields.Weight];
}
