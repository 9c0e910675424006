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
    public static Study Load(string path) => Load(path, asPreviousWave: false);

    /// <summary>Loads a study file; as a previous wave it may not name a previous wave of its own (one level only, no chains or cycles).</summary>
    internal static Study Load(string path, bool asPreviousWave)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
            throw new StudyFileException(SourceLocation.OfFile(path), "this is a folder, not a study file.", "Give the path of the study's YAML file.");
        if (!File.Exists(path))
        {
            throw new StudyFileException(SourceLocation.OfFile(path), "the study file does not exist.",
                "Check the path of the study file (relative paths start at the current folder).");
        }

        if (SpecialFiles.Describe(path) is { } kind)
            throw new StudyFileException(SourceLocation.OfFile(path), $"this is {kind}, not a study file.", "Give the path of the study's YAML file.");

        string text;
        try
        {
            text = File.ReadAllText(path, new UTF8Encoding(false, throwOnInvalidBytes: true));
        }
        catch (DecoderFallbackException ex)
        {
            throw new StudyFileException(SourceLocation.OfFile(path), "the study file is not valid UTF-8 text.", "Save it as UTF-8.", ex);
        }

        return Parse(text, path, asPreviousWave);
    }

    /// <summary>Binds and validates study YAML text; <paramref name="path"/> names it in messages and anchors relative paths.</summary>
    public static Study Parse(string yaml, string path) => Parse(yaml, path, asPreviousWave: false);

    private static Study Parse(string yaml, string path, bool asPreviousWave)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new YamlStream();
        try
        {
            CheckNesting(yaml, path);
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex) when (TabLocation(yaml, ex) is { } tab)
        {
            // YamlDotNet reports a tab at the start of the construct it was scanning (often 1:1); name the tab itself.
            throw new StudyFileException(new SourceLocation(path, tab.Line, tab.Column),
                $"the study file is not valid YAML: a tab character where YAML expects spaces ({FirstSentence(ex).TrimEnd('.')}).",
                "Indent with spaces only; YAML does not allow tabs as indentation.", ex);
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
        StudyValidator.Validate(study, asPreviousWave);
        return study;
    }

    /// <summary>
    /// The deepest nesting of mappings and sequences a study file may use. A study needs five levels; the limit keeps
    /// the recursive node builder and binder from overflowing the stack on hostile files (a stack overflow cannot be
    /// caught and ends the process).
    /// </summary>
    public const int MaxNestingDepth = 64;

    /// <summary>Walks the YAML events (the parser is not recursive) and refuses nesting deeper than <see cref="MaxNestingDepth"/>.</summary>
    private static void CheckNesting(string yaml, string path)
    {
        var parser = new Parser(new StringReader(yaml));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart:
                    if (++depth > MaxNestingDepth)
                    {
                        var start = parser.Current.Start;
                        throw new StudyFileException(new SourceLocation(path, start.Line, (int)start.Column),
                            $"the study file is nested more than {MaxNestingDepth.ToString(CultureInfo.InvariantCulture)} levels deep.",
                            "A study file needs a few levels of indentation or brackets; check what produced this file.");
                    }

                    break;
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    depth--;
                    break;
            }
        }
    }

    /// <summary>For a YAML error about a tab: the line and column of the first tab at or after the error's start.</summary>
    private static (long Line, int Column)? TabLocation(string yaml, YamlException ex)
    {
        if (!ex.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) &&
            !(ex.InnerException?.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) ?? false))
            return null;
        // A tab in indentation (only blanks before it on its line) is the usual culprit; else the first tab after the start.
        var from = (int)Math.Clamp(ex.Start.Index, 0, yaml.Length);
        var index = -1;
        for (var i = yaml.IndexOf('\t', from); i >= 0 && index < 0; i = yaml.IndexOf('\t', i + 1))
        {
            var start = yaml.LastIndexOf('\n', Math.Max(i - 1, 0)) + 1;
            if (i == 0 || yaml.AsSpan(start, i - start).Trim(" \t").IsEmpty) index = i;
        }

        if (index < 0) index = yaml.IndexOf('\t', from);
        if (index < 0) return null;
        long line = 1;
        var lineStart = 0;
        for (var i = 0; i < index; i++)
        {
            if (yaml[i] != '\n') continue;
            line++;
            lineStart = i + 1;
        }

        return (line, index - lineStart + 1);
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
