using System.Collections.Immutable;
using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Indicators.Composite.Io;

namespace ContributionIndex.Indicators.Taxonomy;

/// <summary>How far a label can be trusted (methodology/taxonomies/README.md).</summary>
public enum LabelStatus
{
    /// <summary>Taken from the named official source.</summary>
    Official,

    /// <summary>From a source that could not be checked against the primary text.</summary>
    Unverified,

    /// <summary>No reliable text found; the label is empty and must not be invented.</summary>
    Missing,
}

/// <summary>A label in one language with its status.</summary>
/// <param name="Text">The text (empty when missing).</param>
/// <param name="Status">Trust status.</param>
public readonly record struct Label(string Text, LabelStatus Status);

/// <summary>An SDG goal's names in one language.</summary>
/// <param name="Goal">Goal number 1–17.</param>
/// <param name="Language">ISO 639-1 code (en, ru, kk, ky, uz).</param>
/// <param name="Short">Short name.</param>
/// <param name="Full">Full title.</param>
/// <param name="Source">Where the text comes from.</param>
public sealed record SdgGoalName(int Goal, string Language, Label Short, Label Full, string Source);

/// <summary>One of the 169 SDG targets.</summary>
/// <param name="Code">Target code, e.g. <c>4.7</c>, or <c>1.a</c> for a means-of-implementation target.</param>
/// <param name="Goal">Goal number.</param>
/// <param name="TitleEn">English title (A/RES/71/313 wording via Open SDG).</param>
public sealed record SdgTarget(string Code, int Goal, string TitleEn);

/// <summary>An ISCO-08 major or sub-major group.</summary>
/// <param name="Code">One-digit (major) or two-digit (sub-major) code.</param>
/// <param name="Parent">Major group code of a sub-major group; null for a major group.</param>
/// <param name="TitleEn">ISCO-08 English title.</param>
/// <param name="TitleRu">Russian title with its status.</param>
public sealed record IscoGroup(string Code, string? Parent, string TitleEn, Label TitleRu);

/// <summary>One SDG tag of a Central Asia Volunteers Forum direction.</summary>
/// <param name="Direction">Direction code (e.g. climate_eco).</param>
/// <param name="LabelEn">English label.</param>
/// <param name="Goal">SDG goal.</param>
/// <param name="Weight">Weight for the user-weights allocation rule.</param>
/// <param name="Primary">Whether this is the direction's primary goal.</param>
public sealed record DirectionGoal(string Direction, string LabelEn, int Goal, double Weight, bool Primary);

/// <summary>Loads the taxonomy data files in methodology/taxonomies (format in their README).</summary>
public static class TaxonomyFiles
{
    /// <summary>Loads <c>sdg-goals.csv</c>.</summary>
    public static ImmutableArray<SdgGoalName> LoadGoals(string path)
    {
        var t = CsvTable.Read(path);
        const string header = "goal,lang,short_name,short_status,full_title,full_status,source,note";
        int goal = t.RequireColumn("goal", header), lang = t.RequireColumn("lang", header), sn = t.RequireColumn("short_name", header),
            ss = t.RequireColumn("short_status", header), ft = t.RequireColumn("full_title", header), fs = t.RequireColumn("full_status", header), src = t.RequireColumn("source", header);
        return [.. t.Rows.Select(r => new SdgGoalName(
            Goal(t, r, goal), CsvTable.Field(r, lang),
            LabelOf(t, r, sn, ss), LabelOf(t, r, ft, fs), CsvTable.Field(r, src)))];
    }

    /// <summary>Loads <c>sdg-targets.csv</c>.</summary>
    public static ImmutableArray<SdgTarget> LoadTargets(string path)
    {
        var t = CsvTable.Read(path);
        const string header = "target,goal,title_en";
        int code = t.RequireColumn("target", header), goal = t.RequireColumn("goal", header), title = t.RequireColumn("title_en", header);
        return [.. t.Rows.Select(r =>
        {
            var target = new SdgTarget(CsvTable.Field(r, code), Goal(t, r, goal), CsvTable.Field(r, title));
            if (!target.Code.StartsWith(target.Goal.ToString(CultureInfo.InvariantCulture) + ".", StringComparison.Ordinal))
                throw new InputDataException(new SourceLocation(path, r.Line, code + 1, "target"), $"target '{target.Code}' does not belong to goal {target.Goal}.", "Codes are 'goal.target', e.g. 4.7.");
            return target;
        })];
    }

    /// <summary>Loads <c>isco08.csv</c>.</summary>
    public static ImmutableArray<IscoGroup> LoadIsco(string path)
    {
        var t = CsvTable.Read(path);
        const string header = "code,level,parent,title_en,title_ru,ru_status";
        int code = t.RequireColumn("code", header), parent = t.RequireColumn("parent", header), en = t.RequireColumn("title_en", header),
            ru = t.RequireColumn("title_ru", header), status = t.RequireColumn("ru_status", header);
        return [.. t.Rows.Select(r => new IscoGroup(
            CsvTable.Field(r, code), CsvTable.Field(r, parent) is { Length: > 0 } p ? p : null, CsvTable.Field(r, en), LabelOf(t, r, ru, status)))];
    }

    /// <summary>Loads <c>cavf-directions.csv</c> and checks that each direction has exactly one primary goal.</summary>
    public static ImmutableArray<DirectionGoal> LoadDirections(string path)
    {
        var t = CsvTable.Read(path);
        const string header = "direction,label_en,goal,weight,primary";
        int dir = t.RequireColumn("direction", header), label = t.RequireColumn("label_en", header), goal = t.RequireColumn("goal", header),
            weight = t.RequireColumn("weight", header), primary = t.RequireColumn("primary", header);
        var rows = t.Rows.Select(r =>
        {
            var w = CsvTable.Field(r, weight);
            if (!double.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !(parsed >= 0) || double.IsInfinity(parsed))
                throw new InputDataException(new SourceLocation(path, r.Line, weight + 1, "weight"), $"weight '{w}' is not a non-negative number.", "Use e.g. 1 or 0.5 with a dot.");
            var p = CsvTable.Field(r, primary);
            if (p is not ("yes" or "no"))
                throw new InputDataException(new SourceLocation(path, r.Line, primary + 1, "primary"), $"primary '{p}' is neither yes nor no.", "Write yes for the direction's main goal, no otherwise.");
            return new DirectionGoal(CsvTable.Field(r, dir), CsvTable.Field(r, label), Goal(t, r, goal), parsed, p == "yes");
        }).ToImmutableArray();
        foreach (var group in rows.GroupBy(r => r.Direction, StringComparer.Ordinal))
        {
            if (group.Count(g => g.Primary) != 1)
                throw new InputDataException(SourceLocation.OfFile(path), $"direction '{group.Key}' has {group.Count(g => g.Primary)} primary goals.", "Mark exactly one row per direction primary = yes.");
        }

        return rows;
    }

    /// <summary>The SDG tags of one direction, ready for <see cref="SdgAllocator.Allocate"/>.</summary>
    public static ImmutableArray<SdgTag> TagsOf(IEnumerable<DirectionGoal> directions, string direction) =>
        [.. directions.Where(d => d.Direction == direction).Select(d => new SdgTag(d.Goal, d.Weight, d.Primary))];

    private static int Goal(CsvTable t, CsvRow r, int column)
    {
        var text = CsvTable.Field(r, column);
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var g) && g is >= 1 and <= 17) return g;
        throw new InputDataException(new SourceLocation(t.Path, r.Line, column + 1, "goal"), $"goal '{text}' is not an SDG number 1-17.", "Write the goal number.");
    }

    private static Label LabelOf(CsvTable t, CsvRow r, int textColumn, int statusColumn)
    {
        var status = CsvTable.Field(r, statusColumn) switch
        {
            "official" => LabelStatus.Official,
            "unverified" => LabelStatus.Unverified,
            "missing" => LabelStatus.Missing,
            var other => throw new InputDataException(new SourceLocation(t.Path, r.Line, statusColumn + 1, t.Header[statusColumn]), $"status '{other}' is not official, unverified or missing.", "Use one of the three."),
        };
        var text = CsvTable.Field(r, textColumn);
        if ((status == LabelStatus.Missing) != (text.Length == 0))
            throw new InputDataException(new SourceLocation(t.Path, r.Line, textColumn + 1, t.Header[textColumn]), "a label must be empty exactly when its status is missing.", "Fix the text or the status.");
        return new Label(text, status);
    }
}
