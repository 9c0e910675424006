using System.CommandLine;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Cli;

/// <summary>Runs a command body and turns every failure into one clear line on stderr and a named exit code.</summary>
internal static class CommandRunner
{
    /// <summary>Sets the action of <paramref name="command"/> to run <paramref name="body"/> under <see cref="Run"/>, with <c>--verbose</c> from the parse.</summary>
    public static void SetRunAction(this Command command, TextWriter stderr, Func<ParseResult, int> body) =>
        command.SetAction(parse => Run(stderr, parse.GetValue(CommandLine.Verbose), () => body(parse)));

    /// <summary>The longest error line printed: messages quote bounded excerpts, and this bounds whatever else (hardening.md §1).</summary>
    internal const int MaxMessageChars = 4000;

    private static string Bounded(string message) => MessageText.Excerpt(message, MaxMessageChars);

    public static int Run(TextWriter stderr, bool verbose, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (UsageException ex)
        {
            stderr.WriteLine($"error: {Bounded(ex.Message)}");
            return ExitCodes.UsageError;
        }
        catch (ContributionIndexException ex)
        {
            stderr.WriteLine($"error: {Bounded(ex.Message)}");
            if (verbose) stderr.WriteLine(ex.ToString());
            return ex.Kind == FailureKind.Usage ? ExitCodes.UsageError : ExitCodes.DataRejected;
        }
        catch (IOException ex)
        {
            stderr.WriteLine($"error: {Bounded(ex.Message)}");
            if (verbose) stderr.WriteLine(ex.ToString());
            return ExitCodes.DataRejected;
        }
        catch (UnauthorizedAccessException ex)
        {
            stderr.WriteLine($"error: {Bounded(ex.Message)}");
            if (verbose) stderr.WriteLine(ex.ToString());
            return ExitCodes.DataRejected;
        }
#pragma warning disable CA1031 // The last line of defence: a user sees one sentence, not a stack trace.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            stderr.WriteLine($"internal error: {ex.GetType().Name}: {Bounded(ex.Message)} (this is a bug; rerun with --verbose for details and report it)");
            if (verbose) stderr.WriteLine(ex.ToString());
            return ExitCodes.InternalError;
        }
    }
}
