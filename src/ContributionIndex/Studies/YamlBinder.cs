using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using ContributionIndex.Diagnostics;
using YamlDotNet.RepresentationModel;

namespace ContributionIndex.Studies;

/// <summary>
/// Binds a YAML node tree (YamlDotNet's representation model, which keeps every node's line and column) onto the
/// study model classes with snake_case keys, so that every unknown key and wrongly typed value can be reported at its
/// exact place with a suggestion. Records where each value was written, by path (<c>inputs[0].path</c>).
/// </summary>
internal sealed class YamlBinder(string displayPath)
{
    private static readonly NullabilityInfoContext Nullability = new();

    public Dictionary<string, SourceLocation> Locations { get; } = new(StringComparer.Ordinal);

    public SourceLocation At(YamlNode node) => new(displayPath, node.Start.Line, (int)node.Start.Column);

    public object? Bind(YamlNode node, Type type, string path, bool nullable)
    {
        Locations[path] = At(node);
        if (node is YamlScalarNode scalar && IsNull(scalar) && type != typeof(string))
        {
            if (nullable || Nullable.GetUnderlyingType(type) is not null) return null;
            throw new StudyFileException(At(node), $"'{Describe(path)}' needs a value.", ExpectedHint(type));
        }

        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string)) return BindString(node, path, nullable);
        if (underlying.IsEnum && StudyChoices.Has(underlying))
        {
            // Option words are parsed here, once: the model holds enums, never words.
            if (node is not YamlScalarNode word)
                throw new StudyFileException(At(node), $"'{Describe(path)}' must be one word, not a {Kind(node)}.", $"Write one of: {string.Join(", ", StudyChoices.Words(underlying))}.");
            return StudyChoices.Parse(underlying, word.Value, LastKey(path), At(node));
        }

        if (underlying == typeof(DateOnly)) return BindDate(node, path);
        if (underlying == typeof(int) || underlying == typeof(double) || underlying == typeof(bool) || underlying == typeof(long))
            return BindScalar(node, underlying, path);
        // The model's read-only collections are bound as lists and dictionaries.
        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() is var generic && (generic == typeof(List<>) || generic == typeof(IReadOnlyList<>)))
            return BindList(node, typeof(List<>).MakeGenericType(underlying.GetGenericArguments()), path);
        if (underlying.IsGenericType && underlying.GetGenericTypeDefinition() is var map && (map == typeof(Dictionary<,>) || map == typeof(IReadOnlyDictionary<,>)))
            return BindDictionary(node, typeof(Dictionary<,>).MakeGenericType(underlying.GetGenericArguments()), path);
        if (underlying.IsClass) return BindObject(node, underlying, path);
        throw new InvalidOperationException($"The study model uses a type the binder does not support: {underlying}.");
    }

    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style == YamlDotNet.Core.ScalarStyle.Plain && (scalar.Value is null or "" or "~" || string.Equals(scalar.Value, "null", StringComparison.OrdinalIgnoreCase));

    private string? BindString(YamlNode node, string path, bool nullable)
    {
        if (node is not YamlScalarNode scalar)
            throw new StudyFileException(At(node), $"'{Describe(path)}' must be a single text value, not a {Kind(node)}.", "Write it on one line after the colon.");
        if (IsNull(scalar)) return nullable ? null : "";
        return scalar.Value ?? "";
    }

    private object BindDate(YamlNode node, string path)
    {
        var text = node is YamlScalarNode scalar ? (scalar.Value ?? "").Trim() : "";
        if (node is YamlScalarNode && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return date;
        throw new StudyFileException(At(node), node is YamlScalarNode ? $"'{Describe(path)}' must be a date, but is '{text}'." : $"'{Describe(path)}' must be a date, not a {Kind(node)}.",
            "Write it as YYYY-MM-DD, e.g. 2025-06-30.");
    }

    private object BindScalar(YamlNode node, Type type, string path)
    {
        if (node is not YamlScalarNode scalar)
            throw new StudyFileException(At(node), $"'{Describe(path)}' must be {Article(type)}, not a {Kind(node)}.", ExpectedHint(type));
        var text = (scalar.Value ?? "").Trim();
        if (type == typeof(double))
        {
            // Underscores as digit separators are allowed (YAML 1.2 core schema does not, but people write 1_984).
            if (double.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
                return d;
            throw new StudyFileException(At(node), $"'{Describe(path)}' must be a number, but is '{text}'.",
                text.Contains(',', StringComparison.Ordinal) ? "Write decimals with a point (13.0, not 13,0)." : ExpectedHint(type));
        }

        if (type == typeof(int) || type == typeof(long))
        {
            if (long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                && (type == typeof(long) || l is >= int.MinValue and <= int.MaxValue))
                return type == typeof(int) ? (object)(int)l : l;
            throw new StudyFileException(At(node), $"'{Describe(path)}' must be a whole number, but is '{text}'.", ExpectedHint(type));
        }

        switch (text.ToLowerInvariant())
        {
            case "true" or "yes" or "on": return true;
            case "false" or "no" or "off": return false;
            default:
                throw new StudyFileException(At(node), $"'{Describe(path)}' must be true or false, but is '{text}'.", ExpectedHint(type));
        }
    }

    private object BindList(YamlNode node, Type listType, string path)
    {
        var elementType = listType.GetGenericArguments()[0];
        var list = (IList)Activator.CreateInstance(listType)!;
        if (node is YamlScalarNode && elementType == typeof(string))
        {
            // A single value where a list is expected: `replicate_weights: repw*` means a one-element list.
            list.Add(Bind(node, elementType, path + "[0]", nullable: false));
            return list;
        }

        if (node is not YamlSequenceNode sequence)
            throw new StudyFileException(At(node), $"'{Describe(path)}' must be a list, not a {Kind(node)}.", "Write one '- item' per line, or [a, b].");
        var index = 0;
        foreach (var child in sequence.Children)
        {
            list.Add(Bind(child, elementType, string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]"), nullable: false));
            index++;
        }

        return list;
    }

    private object BindDictionary(YamlNode node, Type dictionaryType, string path)
    {
        var valueType = dictionaryType.GetGenericArguments()[1];
        var dictionary = (IDictionary)Activator.CreateInstance(dictionaryType)!;
        if (node is not YamlMappingNode mapping)
            throw new StudyFileException(At(node), $"'{Describe(path)}' must be a mapping of 'key: value' lines, not a {Kind(node)}.", null);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = KeyText(keyNode, path);
            if (dictionary.Contains(key))
                throw new StudyFileException(At(keyNode), $"key '{key}' appears twice in '{Describe(path)}'.", "Keep one of them.");
            var childPath = Join(path, key);
            Locations[childPath + "#key"] = At(keyNode);
            dictionary[key] = Bind(valueNode, valueType, childPath, nullable: false);
        }

        return dictionary;
    }

    private object BindObject(YamlNode node, Type type, string path)
    {
        if (node is not YamlMappingNode mapping)
            throw new StudyFileException(At(node), $"'{Describe(path)}' must be a mapping of 'key: value' lines, not a {Kind(node)}.",
                type == typeof(LocalizedText) ? "Write it once per language, e.g. {en: \"…\", ru: \"…\", kk: \"…\"}." : null);
        var instance = Activator.CreateInstance(type)!;
        var properties = BindableProperties(type);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var key = KeyText(keyNode, path);
            if (!properties.TryGetValue(key, out var property))
            {
                var nearest = NameSuggestions.Nearest(key, properties.Keys);
                var where = path.Length == 0 ? "" : $" in '{Describe(path)}'";
                throw new StudyFileException(At(keyNode), $"unknown key '{key}'{where};",
                    nearest is not null ? $"did you mean '{nearest}'?" : $"valid keys here are: {string.Join(", ", properties.Keys)}.");
            }

            if (!seen.Add(key))
                throw new StudyFileException(At(keyNode), $"key '{key}' appears twice{(path.Length == 0 ? "" : $" in '{Describe(path)}'")}.", "Keep one of them.");
            var childPath = Join(path, key);
            Locations[childPath + "#key"] = At(keyNode);
            var nullable = Nullability.Create(property).WriteState == NullabilityState.Nullable;
            property.SetValue(instance, Bind(valueNode, property.PropertyType, childPath, nullable));
        }

        return instance;
    }

    private string KeyText(YamlNode keyNode, string path) =>
        keyNode is YamlScalarNode { Value: { } key }
            ? key
            : throw new StudyFileException(At(keyNode), $"a key in '{Describe(path)}' is not a plain name.", "Write keys as plain words, such as 'name:'.");

    /// <summary>The settable, non-ignored properties of a model class by snake_case key.</summary>
    public static Dictionary<string, PropertyInfo> BindableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetCustomAttribute<YamlDotNet.Serialization.YamlIgnoreAttribute>() is null)
            .ToDictionary(p => SnakeCase(p.Name), StringComparer.Ordinal);

    /// <summary><c>AnnualisationFactor</c> → <c>annualisation_factor</c>, <c>Population15Plus</c> → <c>population_15_plus</c>.</summary>
    public static string SnakeCase(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (i > 0)
            {
                var previous = name[i - 1];
                var boundary = (char.IsUpper(c) && (char.IsLower(previous) || char.IsDigit(previous)))
                    || (char.IsDigit(c) && char.IsLetter(previous))
                    || (char.IsUpper(c) && char.IsUpper(previous) && i + 1 < name.Length && char.IsLower(name[i + 1]));
                if (boundary) builder.Append('_');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    private static string Describe(string path) => path.Length == 0 ? "the study" : path;

    /// <summary>The last key of a path, for messages about one value: <c>inputs[0].kind</c> → <c>kind</c>, <c>index.uncertainty.normalisations[1]</c> → <c>normalisations</c>.</summary>
    private static string LastKey(string path)
    {
        var key = path[(path.LastIndexOf('.') + 1)..];
        var bracket = key.IndexOf('[', StringComparison.Ordinal);
        return bracket >= 0 ? key[..bracket] : key;
    }

    private static string Kind(YamlNode node) => node switch
    {
        YamlMappingNode => "mapping",
        YamlSequenceNode => "list",
        _ => "single value",
    };

    private static string Article(Type type) =>
        type == typeof(double) ? "a number" : type == typeof(bool) ? "true or false" : "a whole number";

    private static string ExpectedHint(Type type) =>
        (Nullable.GetUnderlyingType(type) ?? type) switch
        {
            var t when t == typeof(double) => "Write a number such as 13 or 0.157.",
            var t when t == typeof(int) || t == typeof(long) => "Write a whole number such as 2023.",
            var t when t == typeof(bool) => "Write true or false.",
            _ => "Write a value after the colon.",
        };
}
