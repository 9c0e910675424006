using ContributionIndex.Studies;

namespace ContributionIndex.Ingest;

/// <summary>
/// The categorical canonical fields, their categories, and the built-in codes (English, Russian, Kazakh) that map an
/// input's values onto them. A study's <c>codes</c> add codes and take precedence over the built-in ones.
/// </summary>
public static class CategoryCodes
{
    /// <summary>Category name for "not stated": a code mapped to it gives an unknown value instead of a rejection.</summary>
    public const string Unknown = "unknown";

    private static readonly string[] TrueCodes = ["true", "t", "yes", "y", "1", "да", "д", "иә", "ия", "ә"];
    private static readonly string[] FalseCodes = ["false", "f", "no", "n", "0", "нет", "н", "жоқ"];

    /// <summary>Built-in codes: field → category → codes (matched case-insensitively after trimming).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>> Defaults { get; } =
        new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>(StringComparer.Ordinal)
        {
            [CanonicalFields.Sex] = Categories(
                ("female", ["f", "female", "woman", "ж", "жен", "женский", "женщина", "әйел", "әйелдер"]),
                ("male", ["m", "male", "man", "м", "муж", "мужской", "мужчина", "ер", "еркек", "ерлер"])),
            [CanonicalFields.Urbanisation] = Categories(
                ("urban", ["u", "urban", "town", "city", "г", "город", "городской", "городская", "городская местность", "қала", "қалалық"]),
                ("rural", ["r", "rural", "village", "с", "село", "сельский", "сельская", "сельская местность", "деревня", "ауыл", "ауылдық"])),
            [CanonicalFields.Form] = Categories(
                ("organisation", ["organisation", "organization", "org", "organisation-based", "organization-based", "formal", "через организацию", "организация", "в организации", "ұйым", "ұйым арқылы"]),
                ("direct", ["direct", "informal", "direct volunteering", "непосредственно", "напрямую", "прямое", "прямая помощь", "тікелей"])),
            [CanonicalFields.EmploymentStatus] = Categories(
                ("employed", ["employed", "in employment", "занят", "занятый", "занятые", "работает", "жұмыспен қамтылған", "жұмыс істейді"]),
                ("unemployed", ["unemployed", "безработный", "безработные", "безработная", "жұмыссыз"]),
                ("outside_labour_force", ["outside_labour_force", "outside labour force", "outside the labour force", "inactive", "not in labour force",
                    "вне рабочей силы", "экономически неактивный", "неактивный", "жұмыс күшінен тыс"])),
            [CanonicalFields.Disability] = BooleanCategories(),
            [CanonicalFields.Volunteered] = BooleanCategories(),
            [CanonicalFields.ForOwnHousehold] = BooleanCategories(),
            [CanonicalFields.ForRelatives] = BooleanCategories(),
            // Directions of the 2022 Central Asia Volunteers Forum (methodology/taxonomies/cavf-directions.csv). Free text
            // unless an input declares codes for them: then its codes are a crosswalk from local codes to these nine, each
            // Forum code stands for itself, and any other value is rejected (see CrosswalkFields).
            [CanonicalFields.Direction] = Categories(
                ("climate_eco", ["climate_eco"]), ("health", ["health"]), ("inclusion", ["inclusion"]), ("education", ["education"]),
                ("international", ["international"]), ("social", ["social"]), ("emergencies", ["emergencies"]), ("ethno", ["ethno"]),
                ("it_media", ["it_media"])),
        };

    /// <summary>
    /// Text fields that become categorical only when an input gives <c>codes</c> for them (a documented crosswalk of
    /// local codes to the standard categories); without codes their text is kept as it is.
    /// </summary>
    public static IReadOnlyList<string> CrosswalkFields { get; } = [CanonicalFields.Direction];

    /// <summary>Whether <paramref name="field"/> is read through a code lookup for this input (categorical, or a crosswalk field with codes).</summary>
    internal static bool UsesLookup(string field, FieldType type, IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>? studyCodes) =>
        type == FieldType.Category || (CrosswalkFields.Contains(field) && studyCodes is not null && studyCodes.ContainsKey(field));

    /// <summary>The categorical fields that <c>codes</c> may name.</summary>
    public static IReadOnlyList<string> Fields { get; } = [.. Defaults.Keys];

    /// <summary>The category names a field's <c>codes</c> may use (always including <see cref="Unknown"/>).</summary>
    public static IReadOnlyList<string> CategoriesOf(string field) =>
        Defaults.TryGetValue(field, out var categories) ? [.. categories.Keys, Unknown] : [];

    /// <summary>Normalises a category name as written in a study file (<c>yes</c>/<c>no</c> for booleans, <c>organization</c> spelling).</summary>
    public static string NormaliseCategory(string field, string category)
    {
        var c = category.Trim().ToLowerInvariant().Replace('-', '_').Replace(' ', '_');
        if (Defaults.TryGetValue(field, out var categories) && categories.ContainsKey("true"))
        {
            if (c is "yes" or "y" or "1") return "true";
            if (c is "no" or "n" or "0") return "false";
        }

        return c switch
        {
            "organization" or "organisation_based" or "organization_based" => "organisation",
            "outside_labor_force" or "inactive" => "outside_labour_force",
            _ => c,
        };
    }

    /// <summary>
    /// The lookup for one field of one input: the built-in codes, overridden by the study's codes for that field.
    /// Keys are normalised codes (trimmed, lower case); values are category names.
    /// </summary>
    public static IReadOnlyDictionary<string, string> LookupFor(string field, IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>? studyCodes)
    {
        var lookup = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Defaults.TryGetValue(field, out var categories))
        {
            foreach (var (category, codes) in categories)
            {
                foreach (var code in codes) lookup[NormaliseCode(code)] = category;
            }
        }

        if (studyCodes is not null && studyCodes.TryGetValue(field, out var overrides))
        {
            foreach (var (category, codes) in overrides)
            {
                var name = NormaliseCategory(field, category);
                foreach (var code in codes) lookup[NormaliseCode(code)] = name;
            }
        }

        return lookup;
    }

    /// <summary>
    /// A field's lookup extended by the value labels of its column (SPSS, Stata): a code whose label is in
    /// <paramref name="lookup"/> (through the study's codes or the built-in ones) takes the label's category, unless the
    /// study's codes name the code itself, which always decides. So <c>sex: {male: ["Мужской"]}</c> maps the code 1
    /// labelled <c>Мужской</c>, and a file whose 1 is labelled <c>Нет</c> is not read as the built-in 1 = true.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> WithValueLabels(string field,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>? studyCodes,
        IReadOnlyDictionary<string, string> lookup, IReadOnlyDictionary<string, string> labels)
    {
        var studyKeys = studyCodes is not null && studyCodes.TryGetValue(field, out var own)
            ? own.Values.SelectMany(codes => codes).Select(NormaliseCode).ToHashSet(StringComparer.Ordinal)
            : [];
        var result = new Dictionary<string, string>(lookup, StringComparer.Ordinal);
        foreach (var (code, label) in labels)
        {
            var key = NormaliseCode(code);
            if (studyKeys.Contains(key)) continue;
            if (lookup.TryGetValue(NormaliseCode(label), out var category)) result[key] = category;
        }

        return result;
    }

    /// <summary>How codes are compared: trimmed, inner white space collapsed, lower-cased invariantly.</summary>
    public static string NormaliseCode(string code) =>
        string.Join(' ', code.Trim().ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> Categories(params (string Category, string[] Codes)[] entries) =>
        entries.ToDictionary(e => e.Category, e => (IReadOnlyList<string>)e.Codes, StringComparer.Ordinal);

    private static IReadOnlyDictionary<string, IReadOnlyList<string>> BooleanCategories() =>
        Categories(("true", TrueCodes), ("false", FalseCodes));
}
