using ContributionIndex.Studies;

namespace ContributionIndex.Ingest;

/// <summary>
/// The fields of a <see cref="VolunteerRecord"/>, one member per public property, named as the property and in its
/// order (a test holds the two together): the vocabulary of <see cref="Valuation.RecordFieldUse"/>.
/// </summary>
internal enum RecordField
{
    Source,
    InputName,
    Kind,
    PersonId,
    ActivityId,
    Weight,
    Stratum,
    Psu,
    Fpc,
    ReplicateWeights,
    Date,
    Volunteered,
    Hours,
    ActivityText,
    IscoCode,
    Form,
    Direction,
    SdgGoals,
    Country,
    Region,
    Urbanisation,
    Sex,
    Age,
    Disability,
    EmploymentStatus,
    OwnHourlyWage,
    Stipend,
    ForOwnHousehold,
    ForRelatives,
    Beneficiaries,
    TrainingHours,
}

/// <summary>Which record field each canonical field of a study's <c>columns</c> or <c>constants</c> fills.</summary>
internal static class RecordFields
{
    /// <summary>
    /// The record field <paramref name="canonicalField"/> fills (as <see cref="StudyInputReader"/> builds records), or
    /// null for a name that is not a canonical field. Source, input name, kind and replicate weights come from the
    /// input itself, not from a canonical field.
    /// </summary>
    public static RecordField? OfCanonical(string canonicalField) => canonicalField switch
    {
        CanonicalFields.PersonId => RecordField.PersonId,
        CanonicalFields.ActivityId => RecordField.ActivityId,
        CanonicalFields.Weight => RecordField.Weight,
        CanonicalFields.Strata => RecordField.Stratum,
        CanonicalFields.Psu => RecordField.Psu,
        CanonicalFields.Fpc => RecordField.Fpc,
        CanonicalFields.Date => RecordField.Date,
        CanonicalFields.Volunteered => RecordField.Volunteered,
        CanonicalFields.Hours => RecordField.Hours,
        CanonicalFields.ActivityText => RecordField.ActivityText,
        CanonicalFields.Isco => RecordField.IscoCode,
        CanonicalFields.Form => RecordField.Form,
        CanonicalFields.Direction => RecordField.Direction,
        CanonicalFields.Sdg => RecordField.SdgGoals,
        CanonicalFields.Country => RecordField.Country,
        CanonicalFields.Region => RecordField.Region,
        CanonicalFields.Urbanisation => RecordField.Urbanisation,
        CanonicalFields.Sex => RecordField.Sex,
        CanonicalFields.Age => RecordField.Age,
        CanonicalFields.Disability => RecordField.Disability,
        CanonicalFields.EmploymentStatus => RecordField.EmploymentStatus,
        CanonicalFields.OwnHourlyWage => RecordField.OwnHourlyWage,
        CanonicalFields.Stipend => RecordField.Stipend,
        CanonicalFields.ForOwnHousehold => RecordField.ForOwnHousehold,
        CanonicalFields.ForRelatives => RecordField.ForRelatives,
        CanonicalFields.Beneficiaries => RecordField.Beneficiaries,
        CanonicalFields.TrainingHours => RecordField.TrainingHours,
        _ => null,
    };
}
