namespace ContributionIndex.Classify.Coding;

/// <summary>One coded volunteer-task description: the text, its language and the codes a coder assigned.</summary>
/// <param name="Text">The description as the respondent wrote it (normalised only when features are built).</param>
/// <param name="Language">ISO 639-1 language code (en, ru, kk, uz) or empty when not known.</param>
/// <param name="IscoMajorGroup">ISCO-08 major group of the task, 1–9 (0, armed forces, is never volunteer work here).</param>
/// <param name="SdgGoals">SDG goals (1–17) the task contributes to, ascending; empty when the goals are not known under the coding rules (such examples train the ISCO model only).</param>
public sealed record LabelledActivity(string Text, string Language, int IscoMajorGroup, IReadOnlyList<int> SdgGoals)
{
    /// <summary>ISCO-08 sub-major group (two digits, 11–96) when the coder gave a code of two or more digits; null when only the major group is known.</summary>
    public int? IscoSubMajorGroup { get; init; }

    /// <summary>The primary goal: the first goal as written in the coded file (the file's own order; <see cref="SdgGoals"/> is ascending); null when not known.</summary>
    public int? PrimaryGoal { get; init; }

    /// <summary>Identifier shared by descriptions of one situation (for example its four language versions); group-aware cross-validation keeps a group in one fold. Empty: the example is its own group.</summary>
    public string Group { get; init; } = string.Empty;

    /// <summary>The Forum direction the activity was reported under (for example <c>climate_eco</c>), or empty when not known; the coder uses it as evidence for the goals and the ISCO group when it is given.</summary>
    public string Direction { get; init; } = string.Empty;

    /// <summary>The class the ISCO model learns for this example: the two-digit sub-major group when known, otherwise the one-digit major group.</summary>
    public string IscoClass => IscoSubMajorGroup is int sub
        ? sub.ToString(System.Globalization.CultureInfo.InvariantCulture)
        : IscoMajorGroup.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
