namespace ContributionIndex.Ingest;

/// <summary>How the volunteer work was done (ILO Manual 2011; 19th ICLS para. 37–38).</summary>
public enum VolunteeringForm
{
    /// <summary>Not reported.</summary>
    Unknown = 0,

    /// <summary>Through or for an organisation, including community groups.</summary>
    OrganisationBased = 1,

    /// <summary>Directly for other households.</summary>
    Direct = 2,
}

/// <summary>Sex of the person, as coded in the input.</summary>
public enum Sex
{
    /// <summary>Not reported.</summary>
    Unknown = 0,

    /// <summary>Female.</summary>
    Female = 1,

    /// <summary>Male.</summary>
    Male = 2,
}

/// <summary>Urban or rural residence.</summary>
public enum Urbanisation
{
    /// <summary>Not reported.</summary>
    Unknown = 0,

    /// <summary>Urban.</summary>
    Urban = 1,

    /// <summary>Rural.</summary>
    Rural = 2,
}

/// <summary>Labour-force status of the person (19th ICLS).</summary>
public enum EmploymentStatus
{
    /// <summary>Not reported.</summary>
    Unknown = 0,

    /// <summary>In employment.</summary>
    Employed = 1,

    /// <summary>Unemployed.</summary>
    Unemployed = 2,

    /// <summary>Outside the labour force (students, retirees, others).</summary>
    OutsideLabourForce = 3,
}

/// <summary>The shape of an input file.</summary>
public enum InputKind
{
    /// <summary>Survey microdata: one row per person or per person × activity, with design variables.</summary>
    Survey = 0,

    /// <summary>Administrative hour log from a volunteer platform: one row per activity entry, weight 1.</summary>
    HourLog = 1,
}
