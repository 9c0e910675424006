using System.Globalization;
using ContributionIndex.Studies;

namespace ContributionIndex.Ingest;

/// <summary>The kind of value a canonical field holds, which decides how its text is parsed and checked.</summary>
internal enum FieldType
{
    Text,
    RequiredText,
    Weight,
    PositiveNumber,
    NonNegativeNumber,
    Hours,
    Age,
    Date,
    Isco,
    Sdg,
    Country,
    Category,
}

/// <summary>Parses and checks the text of one canonical field; a failure is a rule identifier and a one-sentence reason with a fix.</summary>
internal static class FieldValueParser
{
    public static readonly IReadOnlyDictionary<string, FieldType> Types = new Dictionary<string, FieldType>(StringComparer.Ordinal)
    {
        [CanonicalFields.PersonId] = FieldType.RequiredText,
        [CanonicalFields.ActivityId] = FieldType.Text,
        [CanonicalFields.Weight] = FieldType.Weight,
        [CanonicalFields.Strata] = FieldType.Text,
        [CanonicalFields.Psu] = FieldType.Text,
        [CanonicalFields.Fpc] = FieldType.PositiveNumber,
        [CanonicalFields.Date] = FieldType.Date,
        [CanonicalFields.Volunteered] = FieldType.Category,
        [CanonicalFields.Hours] = FieldType.Hours,
        [CanonicalFields.ActivityText] = FieldType.Text,
        [CanonicalFields.Isco] = FieldType.Isco,
        [CanonicalFields.Form] = FieldType.Category,
        [CanonicalFields.Direction] = FieldType.Text,
        [CanonicalFields.Sdg] = FieldType.Sdg,
        [CanonicalFields.Country] = FieldType.Country,
        [CanonicalFields.Region] = FieldType.Text,
        [CanonicalFields.Urbanisation] = FieldType.Category,
        [CanonicalFields.Sex] = FieldType.Category,
        [CanonicalFields.Age] = FieldType.Age,
        [CanonicalFields.Disability] = FieldType.Category,
        [CanonicalFields.EmploymentStatus] = FieldType.Category,
        [CanonicalFields.OwnHourlyWage] = FieldType.NonNegativeNumber,
        [CanonicalFields.Stipend] = FieldType.NonNegativeNumber,
        [CanonicalFields.ForOwnHousehold] = FieldType.Category,
        [CanonicalFields.ForRelatives] = FieldType.Category,
        [CanonicalFields.Beneficiaries] = FieldType.NonNegativeNumber,
        [CanonicalFields.TrainingHours] = FieldType.NonNegativeNumber,
    };

    /// <summary>Whether the field is read as a number (for decimal-separator detection).</summary>
    public static bool IsNumeric(string field) =>
        Types.TryGetValue(field, out var type) && type is FieldType.Weight or FieldType.PositiveNumber or FieldType.NonNegativeNumber or FieldType.Hours or FieldType.Age;

    /// <summary>A yes/no field's parsed value (the category <c>true</c> or <c>false</c>) as a flag; null for anything else.</summary>
    public static bool? FlagOf(object? value) => value is string s ? s == "true" ? true : s == "false" ? false : null : null;

    /// <summary>A failed check: rule and reason (the reason ends with how to fix it).</summary>
    public readonly record struct Failure(string Rule, string Reason);

    /// <summary>Checks a study constant with invariant number format; returns the reason it is invalid, or null.</summary>
    public static string? CheckConstant(string field, string value, InputSpec input)
    {
        var lookup = CategoryCodes.UsesLookup(field, Types[field], input.Codes) ? CategoryCodes.LookupFor(field, input.Codes) : null;
        var failure = Parse(field, value, '.', null, lookup, isNumericCell: false, out _);
        return failure?.Reason;
    }

    /// <summary>
    /// Parses one field's text into its canonical value (string, double, int, DateOnly, string ISCO code, int[] SDG goals,
    /// or category name); an empty text gives null without failure unless the field is required.
    /// </summary>
    public static Failure? Parse(string field, string text, char decimalSeparator, char? thousandsSeparator,
        IReadOnlyDictionary<string, string>? categoryLookup, bool isNumericCell, out object? value)
    {
        value = null;
        var type = Types[field];
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return type is FieldType.RequiredText or FieldType.Weight
                ? new Failure("field.required", $"{field} is empty; every row needs one.")
                : null;
        }

        switch (type)
        {
            case FieldType.Text when categoryLookup is not null:
                // A crosswalk field with codes (e.g. direction): local codes map to the standard categories, others are refused.
                if (categoryLookup.TryGetValue(CategoryCodes.NormaliseCode(trimmed), out var mapped))
                {
                    value = mapped;
                    return null;
                }

                return new Failure("code.unmapped", $"{field} code '{trimmed}' is not in the input's crosswalk; map it in the study's codes ({field}: {string.Join(" | ", CategoryCodes.CategoriesOf(field))}: ['{trimmed}']) or correct the value.");

            case FieldType.Text:
            case FieldType.RequiredText:
                value = trimmed;
                return null;

            case FieldType.Weight:
            case FieldType.PositiveNumber:
            case FieldType.NonNegativeNumber:
            case FieldType.Hours:
            case FieldType.Age:
            {
                var status = isNumericCell
                    ? TabularNumber.Parse(trimmed, '.', null, out var number)
                    : TabularNumber.Parse(trimmed, decimalSeparator, thousandsSeparator, out number);
                if (status == NumberParseStatus.NotFinite)
                    return new Failure("number.not-finite", $"{field} '{trimmed}' is not a finite number; give a real value or leave it empty if unknown.");
                if (status != NumberParseStatus.Ok)
                    return new Failure("number.invalid", $"{field} '{trimmed}' is not a number with decimal separator '{decimalSeparator}'{(thousandsSeparator is { } t ? $" and thousands separator '{(t == ' ' ? "space" : t)}'" : " and no thousands separator")}; fix the value or declare the input's decimal/thousands separators.");
                switch (type)
                {
                    case FieldType.Weight when !(number > 0):
                        return new Failure("weight.not-positive", $"weight {trimmed} is not positive; a sampled person's weight must be greater than 0 (drop the row from the export or fix the weight).");
                    case FieldType.PositiveNumber when !(number > 0):
                        return new Failure("number.not-positive", $"{field} {trimmed} must be greater than 0.");
                    case FieldType.Hours when number < 0:
                        return new Failure("hours.negative", $"hours {trimmed} is negative; hours must be 0 or more (a missing value should be left empty).");
                    case FieldType.NonNegativeNumber when number < 0:
                        return new Failure("number.negative", $"{field} {trimmed} is negative; it must be 0 or more.");
                    case FieldType.Age:
                        if (number != Math.Floor(number) || number is < 0 or > 130)
                            return new Failure("age.invalid", $"age '{trimmed}' is not a whole number of years between 0 and 130.");
                        value = (int)number;
                        return null;
                }

                value = number;
                return null;
            }

            case FieldType.Date:
                if (TryParseDate(trimmed, out var date))
                {
                    value = date;
                    return null;
                }

                return new Failure("date.invalid", $"date '{trimmed}' is not a date; write it as YYYY-MM-DD (or DD.MM.YYYY).");

            case FieldType.Isco:
                if (trimmed.Length is >= 1 and <= 4 && !trimmed.AsSpan().ContainsAnyExceptInRange('0', '9'))
                {
                    value = trimmed;
                    return null;
                }

                return new Failure("isco.invalid", $"ISCO code '{trimmed}' is not 1 to 4 digits; write ISCO-08 codes as text, keeping leading zeros (0110 is armed forces).");

            case FieldType.Sdg:
                return ParseSdg(trimmed, out value);

            case FieldType.Country:
                if (trimmed.Length == 2 && trimmed.All(char.IsAsciiLetter))
                {
                    value = trimmed.ToUpperInvariant();
                    return null;
                }

                return new Failure("country.invalid", $"country '{trimmed}' is not an ISO 3166-1 alpha-2 code such as KZ, KG, TJ or UZ.");

            case FieldType.Category:
                if (categoryLookup is not null && categoryLookup.TryGetValue(CategoryCodes.NormaliseCode(trimmed), out var category))
                {
                    value = category;
                    return null;
                }

                return new Failure("code.unknown", $"{field} code '{trimmed}' is not known; add it to the input's codes ({field}: {string.Join(" | ", CategoryCodes.CategoriesOf(field))}: ['{trimmed}']).");

            default:
                throw new InvalidOperationException($"Unhandled field type {type}.");
        }
    }

    private static readonly string[] DateFormats = ["yyyy-MM-dd", "dd.MM.yyyy", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss", "d.M.yyyy"];

    private static bool TryParseDate(string text, out DateOnly date)
    {
        if (DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var dateTime))
        {
            date = DateOnly.FromDateTime(dateTime);
            return true;
        }

        date = default;
        return false;
    }

    /// <summary>SDG goals separated by ';', ',', '/', '|' or spaces, each a number 1–17 optionally written SDG3, SDG 3 or ЦУР 3.</summary>
    private static Failure? ParseSdg(string text, out object? value)
    {
        value = null;
        var goals = new List<int>();
        var tokens = text.Split([';', ',', ' ', '/', '|', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var raw in tokens)
        {
            var token = raw;
            foreach (var prefix in (string[])["SDG", "ЦУР", "goal", "цель", "ТДМ"])
            {
                if (token.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    token = token[prefix.Length..].TrimStart('-', '_', ' ');
                    break;
                }
            }

            if (token.Length == 0) continue; // "SDG 3": the prefix and the number were split by the space
            if (!int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var goal) || goal is < 1 or > 17)
                return new Failure("sdg.invalid", $"SDG tag '{raw}' in '{text}' is not a goal number 1–17; write goals like '3;4' or 'SDG3'.");
            if (!goals.Contains(goal)) goals.Add(goal);
        }

        // Read-only, because parsed values are cached and shared between records.
        value = Array.AsReadOnly(goals.ToArray());
        return null;
    }
}
