namespace ContributionIndex.Cli;

/// <summary>The documented exit codes of <c>contrib</c> (README, "Exit codes").</summary>
public static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>Data were rejected beyond the tolerance, or an input cannot be read.</summary>
    public const int DataRejected = 1;

    /// <summary>The command line or the study file is wrong.</summary>
    public const int UsageError = 2;

    /// <summary>A bug: an unexpected internal error.</summary>
    public const int InternalError = 3;
}
