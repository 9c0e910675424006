using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Ingest;

namespace ContributionIndex.Pipeline;

/// <summary>
/// Survey and platform data side by side for one country (methodology/reporting.md, "Data sources side by side"): the
/// survey's population estimate of organisation-based volunteer hours and the platform's registered hours, which are an
/// administrative lower bound of organisation-based volunteering. The two are compared, never added.
/// </summary>
/// <param name="Country">ISO 3166-1 alpha-2 code.</param>
/// <param name="SurveyOrganisationHours">Survey estimate of annual organisation-based volunteer hours (<c>hours_organisation</c>).</param>
/// <param name="SurveyOrganisationHoursLow">Lower end of its confidence interval.</param>
/// <param name="SurveyOrganisationHoursHigh">Upper end of its confidence interval.</param>
/// <param name="PlatformHours">Annual hours registered on the country's platforms (hour logs).</param>
/// <param name="Ratio">Coverage ratio <c>PlatformHours / SurveyOrganisationHours</c>; null without a positive survey estimate.</param>
public sealed record SourceCoverage(string Country, double SurveyOrganisationHours, double SurveyOrganisationHoursLow, double SurveyOrganisationHoursHigh,
    double PlatformHours, double? Ratio)
{
    /// <summary>
    /// The coverage ratio at the ends of the survey estimate's interval (platform hours are counts without sampling
    /// error): <c>PlatformHours / high</c> to <c>PlatformHours / low</c>; null when the interval reaches zero.
    /// </summary>
    public (double Low, double High)? RatioInterval =>
        SurveyOrganisationHoursLow > 0 && SurveyOrganisationHoursHigh > 0 ? (PlatformHours / SurveyOrganisationHoursHigh, PlatformHours / SurveyOrganisationHoursLow) : null;

    /// <summary>
    /// One row per country with both a survey and an hour log, in the study's country order. A ratio above 1 means the
    /// platform registered more hours than the survey estimates for all organisation-based volunteering: the sources
    /// disagree (coverage, reference period or definitions) and neither should be published without a note.
    /// </summary>
    public static IReadOnlyList<SourceCoverage> Of(VolunteerEstimateSet estimates)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        var rows = new List<SourceCoverage>();
        foreach (var country in estimates.Countries)
        {
            var survey = estimates.Find(country, VolunteerMeasures.HoursOrganisation, source: InputKind.Survey);
            var platform = estimates.Find(country, VolunteerMeasures.AnnualHours, source: InputKind.HourLog);
            if (survey is null || platform is null) continue;
            var s = survey.Estimate;
            rows.Add(new SourceCoverage(country, s.Value, s.ConfidenceLow, s.ConfidenceHigh, platform.Estimate.Value,
                s.Value > 0 ? platform.Estimate.Value / s.Value : null));
        }

        return rows;
    }
}
