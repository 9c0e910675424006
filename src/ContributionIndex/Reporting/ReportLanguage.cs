using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;

namespace ContributionIndex.Reporting;

/// <summary>
/// The fixed text and number format of one report language (<c>kk</c>, <c>ru</c>, <c>en</c>): every label comes from
/// the embedded resource file <c>Reporting/Resources/{code}.json</c>; a missing key is an error, never a silent
/// fallback to another language. SDG goal names come from the taxonomy files (methodology/taxonomies) and are attached
/// with <see cref="WithSdgGoalNames"/>.
/// </summary>
public sealed class ReportLanguage
{
    /// <summary>The supported language codes, in the order the CLI lists them.</summary>
    public static IReadOnlyList<string> Supported { get; } = ["kk", "ru", "en"];

    private readonly FrozenDictionary<string, string> _texts;
    private readonly FrozenDictionary<int, string> _sdgGoals;

    private ReportLanguage(string code, FrozenDictionary<string, string> texts, FrozenDictionary<int, string> sdgGoals)
    {
        Code = code;
        _texts = texts;
        _sdgGoals = sdgGoals;
        NumberFormat = code == "en"
            ? new NumberFormatInfo { NumberGroupSeparator = ",", NumberDecimalSeparator = ".", NegativeSign = "-" }
            // ru and kk: space (no-break, so a number never wraps) between thousands, decimal comma (GOST 8.417, BNS usage).
            : new NumberFormatInfo { NumberGroupSeparator = "\u00A0", NumberDecimalSeparator = ",", NegativeSign = "-" };
    }

    /// <summary>The ISO 639-1 code.</summary>
    public string Code { get; }

    /// <summary>Group and decimal separators of displayed numbers (PDF); spreadsheets store numbers, not text.</summary>
    public NumberFormatInfo NumberFormat { get; }

    /// <summary>All resource keys of this language, sorted.</summary>
    public IReadOnlyList<string> Keys => _texts.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Loads the embedded resources of a language.</summary>
    /// <exception cref="ArgumentException">The language is not one of <see cref="Supported"/>.</exception>
    public static ReportLanguage Load(string code)
    {
        if (!Supported.Contains(code))
            throw new ArgumentException($"Report language '{code}' is not supported; use one of {string.Join(", ", Supported)}.", nameof(code));
        var name = $"ContributionIndex.Reporting.Resources.{code}.json";
        using var stream = typeof(ReportLanguage).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from the ContributionIndex assembly.");
        var texts = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)
            ?? throw new InvalidOperationException($"The embedded resource {name} is empty.");
        return new ReportLanguage(code, texts.ToFrozenDictionary(StringComparer.Ordinal), FrozenDictionary<int, string>.Empty);
    }

    /// <summary>The language of an annex: its embedded resources with the SDG goal short names of methodology/taxonomies/sdg-goals.csv.</summary>
    /// <exception cref="ArgumentException">The language is not one of <see cref="Supported"/>.</exception>
    public static ReportLanguage ForAnnex(string code)
    {
        var language = Load(code);
        const string name = "ContributionIndex.Indicators.Taxonomy.sdg-goals.csv";
        using var stream = typeof(ReportLanguage).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The embedded resource {name} is missing from the ContributionIndex assembly.");
        using var parser = new Microsoft.VisualBasic.FileIO.TextFieldParser(stream, System.Text.Encoding.UTF8) { Delimiters = [","], HasFieldsEnclosedInQuotes = true };
        var header = parser.ReadFields() ?? [];
        int goalColumn = Array.IndexOf(header, "goal"), languageColumn = Array.IndexOf(header, "lang"), shortColumn = Array.IndexOf(header, "short_name");
        var goals = new Dictionary<int, string>();
        while (parser.ReadFields() is { } fields)
        {
            if (fields[languageColumn] == code && fields[shortColumn].Length > 0)
                goals[int.Parse(fields[goalColumn], CultureInfo.InvariantCulture)] = fields[shortColumn];
        }

        return language.WithSdgGoalNames(goals);
    }

    /// <summary>A copy of this language with the SDG goal short names (goal number → name) attached.</summary>
    /// <exception cref="ArgumentException">A goal 1–17 is missing or has an empty name.</exception>
    public ReportLanguage WithSdgGoalNames(IReadOnlyDictionary<int, string> names)
    {
        for (var goal = 1; goal <= 17; goal++)
            if (!names.TryGetValue(goal, out var name) || string.IsNullOrWhiteSpace(name))
                throw new ArgumentException($"The SDG goal names for language '{Code}' lack goal {goal}.", nameof(names));
        return new ReportLanguage(Code, _texts, names.ToFrozenDictionary());
    }

    /// <summary>Whether SDG goal names are attached.</summary>
    public bool HasSdgGoalNames => _sdgGoals.Count > 0;

    /// <summary>The text of a key.</summary>
    /// <exception cref="KeyNotFoundException">The key is not in this language's resources.</exception>
    public string Text(string key) =>
        _texts.TryGetValue(key, out var text)
            ? text
            : throw new KeyNotFoundException($"Report label '{key}' is missing from Reporting/Resources/{Code}.json; add it to every language file.");

    /// <summary>Whether a key exists (for optional labels such as a region name).</summary>
    public bool Has(string key) => _texts.ContainsKey(key);

    /// <summary>The text of a key with <c>{0}</c>, <c>{1}</c>… replaced by the already formatted arguments.</summary>
    public string Format(string key, params string[] args) =>
        string.Format(CultureInfo.InvariantCulture, Text(key), args);

    /// <summary>The short name of an SDG goal, prefixed with its number (e.g. "4. Quality education").</summary>
    /// <exception cref="InvalidOperationException">No SDG goal names are attached.</exception>
    public string SdgGoal(int goal)
    {
        if (_sdgGoals.TryGetValue(goal, out var name)) return goal.ToString(CultureInfo.InvariantCulture) + ". " + name;
        throw new InvalidOperationException($"SDG goal {goal} has no name in language '{Code}'; load the goal names from methodology/taxonomies/sdg-goals.csv.");
    }

    /// <summary>Formats a number for display with this language's separators (a percentage style multiplies by 100).</summary>
    public string FormatNumber(double value, NumberStyle style)
    {
        var rounded = style.Published(value); // never "-0"
        return rounded.ToString("N" + style.Decimals.ToString(CultureInfo.InvariantCulture), NumberFormat);
    }

    /// <summary>Formats a date as this language writes it (e.g. "25 November 2026", "25 ноября 2026 г.", "2026 жылғы 25 қараша").</summary>
    public string FormatDate(DateOnly date) =>
        Format("date.pattern", date.Day.ToString(CultureInfo.InvariantCulture), Text("month." + date.Month.ToString(CultureInfo.InvariantCulture)), date.Year.ToString(CultureInfo.InvariantCulture));
}
