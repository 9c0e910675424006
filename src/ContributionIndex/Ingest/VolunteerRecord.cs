using ContributionIndex.Diagnostics;

namespace ContributionIndex.Ingest;

/// <summary>
/// One canonical input row after ingestion: a person (who may not have volunteered), a person × activity, or one
/// hour-log entry. Every field is in canonical units; hours are hours in the study's reference period.
/// </summary>
/// <remarks>Records are immutable; later stages add information by wrapping them (e.g. a valued record).</remarks>
public sealed record VolunteerRecord
{
    // The fields that only survey microdata fill (design, labour status, wages, 19th ICLS flags) live in one side
    // object that stays null when they are all unset, as for every hour-log entry: that makes a record about 110 bytes
    // smaller, and hour logs of tens of millions of rows allocate one record per row and pass (methodology/scale.md
    // §8). A side object is never changed once a record holds it (setters work on a copy), so records stay immutable
    // and `with` copies may share it; records compare by value as before (SurveyFields is a record).
    private SurveyFields? survey;

    /// <summary>The survey-only fields in one piece (set by the ingest mapping in one step instead of field by field).</summary>
    internal SurveyFields? Survey
    {
        get => survey;
        init => survey = value?.OrNull();
    }

    private SurveyFields Writable() => survey is null ? new SurveyFields() : survey with { };

    /// <summary>Where the row came from (file and line), so every later message can point back to it.</summary>
    public required SourceLocation Source { get; init; }

    /// <summary>Which input of the study the row belongs to (its <c>name</c> in the study file).</summary>
    public required string InputName { get; init; }

    /// <summary>Survey microdata or hour log.</summary>
    public InputKind Kind { get; init; }

    /// <summary>Person identifier (respondent id, or platform volunteer id).</summary>
    public required string PersonId { get; init; }

    /// <summary>Activity identifier within the person (a, b, c in the ILO module), when rows are person × activity.</summary>
    public string? ActivityId { get; init; }

    /// <summary>Sampling weight; 1 for hour logs.</summary>
    public double Weight { get; init; } = 1.0;

    /// <summary>Stratum identifier, when the design is stratified.</summary>
    public string? Stratum
    {
        get => survey is null ? default : survey.Stratum;
        init { var fields = Writable(); fields.Stratum = value; survey = fields.OrNull(); }
    }

    /// <summary>Primary sampling unit identifier (nested within stratum).</summary>
    public string? Psu
    {
        get => survey is null ? default : survey.Psu;
        init { var fields = Writable(); fields.Psu = value; survey = fields.OrNull(); }
    }

    /// <summary>Finite population correction as given in the input (PSU count or sampling fraction).</summary>
    public double? Fpc
    {
        get => survey is null ? default : survey.Fpc;
        init { var fields = Writable(); fields.Fpc = value; survey = fields.OrNull(); }
    }

    /// <summary>Replicate weights, in the order of the study's replicate columns; empty when none.</summary>
    public IReadOnlyList<double> ReplicateWeights
    {
        get => survey is null ? [] : survey.ReplicateWeights;
        init { var fields = Writable(); fields.ReplicateWeights = value; survey = fields.OrNull(); }
    }

    /// <summary>Date of the activity (hour logs) or the interview (surveys), when given.</summary>
    public DateOnly? Date { get; init; }

    /// <summary>
    /// Whether the person reported doing any unpaid non-compulsory work in the reference period
    /// (ILO module WORK_01). Null when the input has no such column (then hours decide).
    /// </summary>
    public bool? Volunteered { get; init; }

    /// <summary>Hours of this activity (or of the person, if one row per person) in the reference period.</summary>
    public double? Hours { get; init; }

    /// <summary>Verbatim activity description (ILO module WORK_021).</summary>
    public string? ActivityText
    {
        get => survey is null ? default : survey.ActivityText;
        init { var fields = Writable(); fields.ActivityText = value; survey = fields.OrNull(); }
    }

    /// <summary>ISCO-08 code of the volunteer task (1 to 4 digits), not of the person's job.</summary>
    public string? IscoCode { get; init; }

    /// <summary>Organisation-based or direct volunteering.</summary>
    public VolunteeringForm Form { get; init; }

    /// <summary>Field or direction of the work (e.g. one of the nine Central Asia Volunteers Forum directions).</summary>
    public string? Direction { get; init; }

    /// <summary>SDG goals (1–17) the activity is tagged with, in the order given; the first is the primary goal.</summary>
    public IReadOnlyList<int> SdgGoals { get; init; } = [];

    /// <summary>ISO 3166-1 alpha-2 country code.</summary>
    public string? Country { get; init; }

    /// <summary>Region (first-level administrative unit) name or code.</summary>
    public string? Region { get; init; }

    /// <summary>Urban or rural residence.</summary>
    public Urbanisation Urbanisation { get; init; }

    /// <summary>Sex.</summary>
    public Sex Sex { get; init; }

    /// <summary>Age in completed years.</summary>
    public int? Age { get; init; }

    /// <summary>Whether the person has a disability (Washington Group or national definition).</summary>
    public bool? Disability
    {
        get => survey is null ? default : survey.Disability;
        init { var fields = Writable(); fields.Disability = value; survey = fields.OrNull(); }
    }

    /// <summary>Labour-force status.</summary>
    public EmploymentStatus EmploymentStatus
    {
        get => survey is null ? default : survey.EmploymentStatus;
        init { var fields = Writable(); fields.EmploymentStatus = value; survey = fields.OrNull(); }
    }

    /// <summary>The person's own gross hourly wage in paid work, in local currency (for opportunity cost).</summary>
    public double? OwnHourlyWage
    {
        get => survey is null ? default : survey.OwnHourlyWage;
        init { var fields = Writable(); fields.OwnHourlyWage = value; survey = fields.OrNull(); }
    }

    /// <summary>Stipend or cash support received for this activity in the reference period, in local currency.</summary>
    public double? Stipend
    {
        get => survey is null ? default : survey.Stipend;
        init { var fields = Writable(); fields.Stipend = value; survey = fields.OrNull(); }
    }

    /// <summary>Whether the work was for the volunteer's own household (not volunteer work under the 19th ICLS).</summary>
    public bool? ForOwnHousehold
    {
        get => survey is null ? default : survey.ForOwnHousehold;
        init { var fields = Writable(); fields.ForOwnHousehold = value; survey = fields.OrNull(); }
    }

    /// <summary>Whether the work was for related family members living in other households (19th ICLS excludes it; ILO 2011 did not).</summary>
    public bool? ForRelatives
    {
        get => survey is null ? default : survey.ForRelatives;
        init { var fields = Writable(); fields.ForRelatives = value; survey = fields.OrNull(); }
    }

    /// <summary>Number of people who benefited from the activity.</summary>
    public double? Beneficiaries
    {
        get => survey is null ? default : survey.Beneficiaries;
        init { var fields = Writable(); fields.Beneficiaries = value; survey = fields.OrNull(); }
    }

    /// <summary>Hours of training the volunteer received in the reference period.</summary>
    public double? TrainingHours
    {
        get => survey is null ? default : survey.TrainingHours;
        init { var fields = Writable(); fields.TrainingHours = value; survey = fields.OrNull(); }
    }
}

/// <summary>The fields of a <see cref="VolunteerRecord"/> that only survey microdata fill; all at their defaults means none.</summary>
internal sealed record SurveyFields
{
    public string? Stratum;
    public string? Psu;
    public double? Fpc;
    public IReadOnlyList<double> ReplicateWeights = [];
    public string? ActivityText;
    public bool? Disability;
    public EmploymentStatus EmploymentStatus;
    public double? OwnHourlyWage;
    public double? Stipend;
    public bool? ForOwnHousehold;
    public bool? ForRelatives;
    public double? Beneficiaries;
    public double? TrainingHours;

    /// <summary>This object, or null when every field has its default (an empty replicate list counts as the default).</summary>
    public SurveyFields? OrNull() =>
        ReplicateWeights is not { Count: > 0 } && Stratum is null && Psu is null && Fpc is null && ActivityText is null && Disability is null
        && EmploymentStatus == default && OwnHourlyWage is null && Stipend is null && ForOwnHousehold is null && ForRelatives is null
        && Beneficiaries is null && TrainingHours is null
            ? null
            : this;
}
