namespace ContributionIndex.Diagnostics;

/// <summary>What kind of failure an exception reports; the CLI maps each kind to a documented exit code.</summary>
public enum FailureKind
{
    /// <summary>The study file or command line is wrong (exit code 2).</summary>
    Usage,

    /// <summary>Input data were rejected beyond the tolerance, or cannot be read at all (exit code 1).</summary>
    Data,
}

/// <summary>Base class of every expected failure. Its message is one sentence with location and a hint, fit to show a user as is.</summary>
public abstract class ContributionIndexException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected ContributionIndexException(string message, Exception? inner = null) : base(message, inner) { }

    /// <summary>The kind of failure, which decides the exit code.</summary>
    public abstract FailureKind Kind { get; }
}

/// <summary>A study file (YAML) or a parameter file it names is invalid.</summary>
public sealed class StudyFileException : ContributionIndexException
{
    /// <summary>Creates the exception for a location in a study or parameter file.</summary>
    public StudyFileException(SourceLocation location, string message, string? hint = null, Exception? inner = null)
        : base(Compose(location, message, hint), inner)
    {
        Location = location;
        Hint = hint;
    }

    /// <summary>Where the problem is.</summary>
    public SourceLocation Location { get; }

    /// <summary>How to fix it, when known.</summary>
    public string? Hint { get; }

    /// <inheritdoc />
    public override FailureKind Kind => FailureKind.Usage;

    internal static string Compose(SourceLocation location, string message, string? hint) =>
        MessageText.Escape(hint is null ? $"{location}: {message}" : $"{location}: {message} {hint}");
}

/// <summary>An input data file cannot be read at all (not a row problem: those go to quarantine).</summary>
public sealed class InputDataException : ContributionIndexException
{
    /// <summary>Creates the exception.</summary>
    public InputDataException(SourceLocation location, string message, string? hint = null, Exception? inner = null)
        : base(StudyFileException.Compose(location, message, hint), inner)
    {
        Location = location;
        Hint = hint;
    }

    /// <summary>Where the problem is.</summary>
    public SourceLocation Location { get; }

    /// <summary>How to fix it, when known.</summary>
    public string? Hint { get; }

    /// <inheritdoc />
    public override FailureKind Kind => FailureKind.Data;
}

/// <summary>More rows were rejected than the study's tolerance allows.</summary>
public sealed class RejectionToleranceExceededException : ContributionIndexException
{
    /// <summary>Creates the exception.</summary>
    public RejectionToleranceExceededException(long read, long rejected, double tolerance, string quarantinePath)
        : base(FormattableString.Invariant(
            $"{rejected} of {read} rows were rejected ({(read == 0 ? 0 : 100.0 * rejected / read):0.##} %), above the tolerance of {tolerance * 100:0.##} %; see {quarantinePath} for each row's file, line, column and reason, or raise checks.rejection_tolerance in the study file."))
    {
        Read = read;
        Rejected = rejected;
        Tolerance = tolerance;
    }

    /// <summary>Rows read.</summary>
    public long Read { get; }

    /// <summary>Rows rejected.</summary>
    public long Rejected { get; }

    /// <summary>The tolerated share of rejected rows (0–1).</summary>
    public double Tolerance { get; }

    /// <inheritdoc />
    public override FailureKind Kind => FailureKind.Data;
}
