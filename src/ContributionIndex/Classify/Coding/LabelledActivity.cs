namespace ContributionIndex.Classify.Coding;

/// <summary>One coded volunteer-task description: the text, its language and the codes a coder assigned.</summary>
/// <param name="Text">The description as the respondent wrote it (normalised only when features are built).</param>
/// <param name="Language">ISO 639-1 language code (en, ru, kk, uz) or empty when not known.</param>
/// <param name="IscoMajorGroup">ISCO-08 major group of the task, 1–9 (0, armed forces, is never volunteer work here).</param>
/// <param name="SdgGoals">SDG goals (1–17) the task contributes to, ascending, at least one.</param>
public sealed record LabelledActivity(string Text, string Language, int IscoMajorGroup, IReadOnlyList<int> SdgGoals);
