namespace ContributionIndex.Studies;

/// <summary>The canonical field names an input's <c>columns</c> map may use.</summary>
public static class CanonicalFields
{
#pragma warning disable CS1591 // The names are the documentation; see methodology/ingest.md for each field's meaning.
    public const string PersonId = "person_id";
    public const string ActivityId = "activity_id";
    public const string Weight = "weight";
    public const string Strata = "strata";
    public const string Psu = "psu";
    public const string Fpc = "fpc";
    public const string Date = "date";
    public const string Volunteered = "volunteered";
    public const string Hours = "hours";
    public const string ActivityText = "activity_text";
    public const string Isco = "isco";
    public const string Form = "form";
    public const string Direction = "direction";
    public const string Sdg = "sdg";
    public const string Country = "country";
    public const string Region = "region";
    public const string Urbanisation = "urban_rural";
    public const string Sex = "sex";
    public const string Age = "age";
    public const string Disability = "disability";
    public const string EmploymentStatus = "employment_status";
    public const string OwnHourlyWage = "own_hourly_wage";
    public const string Stipend = "stipend";
    public const string ForOwnHousehold = "for_own_household";
    public const string ForRelatives = "for_relatives";
    public const string Beneficiaries = "beneficiaries";
    public const string TrainingHours = "training_hours";
#pragma warning restore CS1591

    /// <summary>Every canonical field, in the order used for outputs.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        PersonId, ActivityId, Weight, Strata, Psu, Fpc, Date, Volunteered, Hours, ActivityText, Isco, Form, Direction,
        Sdg, Country, Region, Urbanisation, Sex, Age, Disability, EmploymentStatus, OwnHourlyWage, Stipend,
        ForOwnHousehold, ForRelatives, Beneficiaries, TrainingHours,
    ];
}
