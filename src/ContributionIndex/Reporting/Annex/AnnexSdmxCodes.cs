using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Valuation;

namespace ContributionIndex.Reporting;

/// <summary>
/// The SDMX code lists of the annex (methodology/reporting.md): the series and units of its measures, and the codes of
/// its dimensions (age, sex, urbanisation, occupation, the custom breakdowns of form, SDG, direction and method).
/// </summary>
internal static class AnnexSdmxCodes
{
    /// <summary>The <c>AGE</c> of rows about the whole population of the survey.</summary>
    public const string AllAges = "Y_GE15";

    public static readonly SdmxMeasure Volunteers = new("VOL_NUM", "NUMBER");
    public static readonly SdmxMeasure VolunteerRate = new("VOL_RATE", "PT");
    public static readonly SdmxMeasure Hours = new("VOL_HRS", "HOURS");
    public static readonly SdmxMeasure HoursPerVolunteer = new("VOL_HRS_PV", "HOURS");
    public static readonly SdmxMeasure Fte = new("VOL_FTE", "FTE");
    public static readonly SdmxMeasure ValueLcu = new("VOL_VAL_LCU", "CUR_LCU");
    public static readonly SdmxMeasure ValueUsd = new("VOL_VAL_USD", "CU_USD");
    public static readonly SdmxMeasure ValuePpp = new("VOL_VAL_PPP", "CU_PPP");
    public static readonly SdmxMeasure ValueGdp = new("VOL_VAL_GDP", "PT");
    public static readonly SdmxMeasure Indicator = new("VOL_IND", "VARIOUS");
    public static readonly SdmxMeasure IndexScore = new("VOL_IDX", "INDEX", Nature: "M");
    public static readonly SdmxMeasure IndexRank = new("VOL_IDX_RANK", "RANK", Nature: "M");

    /// <summary>The <c>AGE</c> code of an age group: <c>15-24</c> is <c>Y15T24</c>, <c>65+</c> is <c>Y_GE65</c>.</summary>
    public static string AgeCode(string group) => group.EndsWith('+') ? "Y_GE" + group[..^1] : "Y" + group.Replace("-", "T", StringComparison.Ordinal);

    /// <summary>A free text as an SDMX code: upper case, every character but ASCII letters and digits as <c>_</c>.</summary>
    public static string SdmxCode(string text) => new(text.ToUpperInvariant().Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '_').ToArray());

    /// <summary>The SDMX dimension and code of a domain's category.</summary>
    public static (string Dim, string Code) SdmxOf(string domain, string value) => domain switch
    {
        PersonVariables.Sex => ("SEX", value == "female" ? "F" : "M"),
        PersonVariables.AgeGroup or PersonVariables.Youth => ("AGE", AgeCode(value)),
        PersonVariables.UrbanRural => ("URBANISATION", value == "urban" ? "U" : "R"),
        "isco_major_group" => ("OCCUPATION", value == "unknown" ? "_U" : "ISCO08_" + value),
        "form" => ("CUST_BREAKDOWN", value == "organisation" ? "VOL_ORG" : value == "direct" ? "VOL_DIR" : "VOL_U"),
        "sdg" => ("CUST_BREAKDOWN", value == "unknown" ? "SDG_U" : "SDG_" + value.PadLeft(2, '0')),
        "direction" => ("CUST_BREAKDOWN", "DIR_" + SdmxCode(value)),
        PersonVariables.Region => ("CUST_BREAKDOWN", RegionCode(value)),
        _ => ("CUST_BREAKDOWN", SdmxCode(domain) + "_" + SdmxCode(value)),
    };

    /// <summary>
    /// The <c>CUST_BREAKDOWN</c> of a first-level region, stable whatever the labels file or the annex language:
    /// <c>REGION_</c> and the data's value as a code when it is plain ASCII (letters, digits, space, <c>-</c>, <c>_</c>,
    /// <c>.</c>; <c>Naryn</c> is <c>REGION_NARYN</c>), else <c>REGION_H</c> and the first 10 hex digits of the SHA-256
    /// of its NFC UTF-8 bytes (<c>Нарын</c> and <c>Талас</c> get different codes; methodology/sdmx-series.md).
    /// </summary>
    public static string RegionCode(string value)
    {
        var name = UnicodeNormalization.Normalize(value.Trim(), System.Text.NormalizationForm.FormC);
        if (name.Length > 0 && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is ' ' or '-' or '_' or '.') && name.Any(char.IsAsciiLetterOrDigit))
            return "REGION_" + SdmxCode(name);
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name));
        return "REGION_H" + Convert.ToHexString(hash, 0, 5);
    }

    /// <summary>The <c>CUST_BREAKDOWN</c> of a valuation method.</summary>
    public static string MethodCode(ValuationMethod method) => method switch
    {
        ValuationMethod.Specialist => "RC_SPEC",
        ValuationMethod.Generalist => "RC_GEN",
        ValuationMethod.Hybrid => "RC_HYB",
        _ => "OC",
    };

    /// <summary>The <c>SERIES</c> of an indicator.</summary>
    public static string IndicatorSeries(string code) => "VOL_" + code.ToUpperInvariant();

    /// <summary>The <c>UNIT_MEASURE</c> of an indicator from the unit the annex prints (<see cref="IndicatorTable.Unit"/>).</summary>
    public static string IndicatorUnit(string printedUnit) => printedUnit switch
    {
        "%" => "PT",
        "h" => "HOURS",
        "FTE / 1000" => "PER_1000_FTE",
        "1 / 1000" => "PER_1000_POP",
        "0–100" => "INDEX",
        _ => "RATIO",
    };
}
