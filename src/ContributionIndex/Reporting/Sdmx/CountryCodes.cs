using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Studies;

namespace ContributionIndex.Reporting.Sdmx;

/// <summary>One country or territory of ISO 3166-1 with its UN M49 numeric code.</summary>
/// <param name="Alpha2">ISO 3166-1 alpha-2 code (e.g. <c>KZ</c>).</param>
/// <param name="Alpha3">ISO 3166-1 alpha-3 code (e.g. <c>KAZ</c>).</param>
/// <param name="Numeric">ISO 3166-1 numeric code, which is the UN M49 code: three digits with leading zeros (e.g. <c>398</c>, <c>004</c>).</param>
/// <param name="Name">English short name.</param>
public sealed record IsoCountry(string Alpha2, string Alpha3, string Numeric, string Name);

/// <summary>
/// The 249 countries and territories of ISO 3166-1 with their UN M49 numeric codes (the embedded table
/// <c>Reporting/Sdmx/iso3166-m49.csv</c>), and the SDMX <c>REF_AREA</c> of a study's countries and of their pooled
/// aggregate (methodology/sdmx-series.md).
/// </summary>
public static class CountryCodes
{
    private const string ResourceName = "ContributionIndex.Reporting.Sdmx.iso3166-m49.csv";
    private static readonly Lazy<(IReadOnlyList<IsoCountry> All, FrozenDictionary<string, IsoCountry> ByAlpha2)> Table = new(Load);

    /// <summary>Every country of the table, in alpha-2 order.</summary>
    public static IReadOnlyList<IsoCountry> All => Table.Value.All;

    /// <summary>Finds a country by its alpha-2 code (case-insensitive).</summary>
    public static bool TryFind(string alpha2, [NotNullWhen(true)] out IsoCountry? country)
    {
        ArgumentNullException.ThrowIfNull(alpha2);
        return Table.Value.ByAlpha2.TryGetValue(alpha2.Trim(), out country);
    }

    /// <summary>
    /// The default SDMX <c>REF_AREA</c> of a pool of countries: <c>X</c> followed by their alpha-2 codes in ordinal
    /// order (<c>XKGKZTJUZ</c> for KZ, KG, TJ and UZ). ISO 3166-1 reserves codes starting with X for user assignment, so
    /// the code never clashes with a country.
    /// </summary>
    public static string DefaultPooledCode(IEnumerable<string> alpha2Codes)
    {
        ArgumentNullException.ThrowIfNull(alpha2Codes);
        return "X" + string.Concat(alpha2Codes.Select(c => c.Trim().ToUpperInvariant()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
    }

    /// <summary>
    /// The SDMX <c>REF_AREA</c> of a study's country (its M49 code) or of its pooled aggregate
    /// (<paramref name="pooled"/>: <c>report.pooled_area_code</c>, else <see cref="DefaultPooledCode"/> of the study's
    /// countries). A country the table does not know, or a pooled code that is no SDMX code, is an error naming the
    /// study file and the key.
    /// </summary>
    /// <param name="study">The study whose countries and settings apply.</param>
    /// <param name="country">An alpha-2 code of one of the study's countries.</param>
    /// <param name="pooled">Whether the pooled aggregate is meant (then <paramref name="country"/> is not read).</param>
    public static string RefArea(Study study, string country, bool pooled)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(country);
        if (pooled)
        {
            if (study.Report.PooledAreaCode is not { } set) return DefaultPooledCode(study.Countries.Select(c => c.Code));
            if (set.Length == 0 || !set.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '@' or '$'))
                throw new StudyFileException(study.LocationOf("report.pooled_area_code"),
                    $"report.pooled_area_code '{set}' is not an SDMX code.", "Use letters, digits and _ only, e.g. XCA4.");
            return set;
        }

        if (TryFind(country, out var known)) return known.Numeric;
        var index = study.Countries.ToList().FindIndex(c => string.Equals(c.Code, country, StringComparison.OrdinalIgnoreCase));
        var key = index >= 0 ? string.Create(CultureInfo.InvariantCulture, $"countries[{index}].code") : "countries";
        throw new StudyFileException(study.LocationOf(key),
            $"{key}: '{country}' is not an ISO 3166-1 alpha-2 country code, so it has no UN M49 code for the SDMX REF_AREA.",
            "Use the country's ISO 3166-1 alpha-2 code (methodology/sdmx-series.md).");
    }

    /// <summary>Checks that every country of the study, and its pooled aggregate when it has several, has a <c>REF_AREA</c> (<see cref="RefArea"/>).</summary>
    public static void Check(Study study)
    {
        ArgumentNullException.ThrowIfNull(study);
        foreach (var country in study.Countries) RefArea(study, country.Code, pooled: false);
        if (study.Countries.Count > 1) RefArea(study, "", pooled: true);
    }

    private static (IReadOnlyList<IsoCountry>, FrozenDictionary<string, IsoCountry>) Load()
    {
        using var stream = typeof(CountryCodes).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from the ContributionIndex assembly.");
        using var reader = new StreamReader(stream);
        if (reader.ReadLine() != "alpha2,alpha3,numeric,name") throw new InvalidOperationException($"The embedded resource {ResourceName} has an unexpected header.");
        var all = new List<IsoCountry>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            // alpha2,alpha3,numeric,name — only the name may hold a comma, and is then quoted (RFC 4180).
            var parts = line.Split(',', 4);
            var name = parts[3];
            if (name.StartsWith('"')) name = name[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
            all.Add(new IsoCountry(parts[0], parts[1], parts[2], name));
        }

        return (all, all.ToFrozenDictionary(c => c.Alpha2, StringComparer.OrdinalIgnoreCase));
    }
}
