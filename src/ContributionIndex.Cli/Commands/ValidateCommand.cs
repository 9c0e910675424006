using System.CommandLine;
using System.Globalization;
using ContributionIndex.Classify;
using ContributionIndex.Diagnostics;
using ContributionIndex.Pipeline;
using ContributionIndex.Reporting;
using ContributionIndex.Studies;

namespace ContributionIndex.Cli.Commands;

/// <summary><c>contrib validate STUDY</c>: checks the study's parameters and inputs, writes nothing, prints rejections and counts.</summary>
internal static class ValidateCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var study = CommandLine.StudyArgument();
        var command = new Command("validate", "Check a study's inputs and parameters without writing anything: rejected rows with file:line:column and reason, and the row counts.") { study };
        command.SetRunAction(stderr, parse =>
        {
            var studyPath = CliChecks.StudyFile(parse.GetValue(study), "validate");
            var run = StudyRun.Load(studyPath);
            var loaded = run.Study;
            var result = run.Validate();
            PrintRejections(stdout, result);
            PrintCounts(stdout, result);
            if (result.RejectedShare > loaded.Checks.RejectionTolerance)
            {
                stderr.WriteLine(Inv($"error: {MessageText.Escape(parse.GetValue(study)!.ToString())}: {result.Rejected} of {result.Read} rows were rejected ({100.0 * result.RejectedShare:0.##} %), above the tolerance of {100.0 * loaded.Checks.RejectionTolerance:0.##} %; fix the rows listed above or raise checks.rejection_tolerance in the study file."));
                return ExitCodes.DataRejected;
            }

            stdout.WriteLine("ok: the study is valid and within its rejection tolerance.");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Prints the first rejected rows (file:line:column, rule, reason), then how many more there are.</summary>
    internal static void PrintRejections(TextWriter stdout, ValuationResult result)
    {
        foreach (var row in result.FirstRejections)
            stdout.WriteLine(ContributionIndex.Diagnostics.MessageText.Escape($"{row.Location}: {row.Rule}: {row.Reason}"));
        var more = result.Rejected - result.FirstRejections.Count;
        if (more > 0) stdout.WriteLine(Inv($"… and {more} more rejected rows (all of them are written to quarantine.csv by 'contrib value')."));
    }

    /// <summary>Prints the reconciliation of each input: read = accepted + rejected, accepted = valued + excluded.</summary>
    internal static void PrintCounts(TextWriter stdout, ValuationResult result)
    {
        foreach (var input in result.Inputs)
        {
            var excluded = input.Excluded.Values.Sum();
            var reasons = input.Excluded.Count == 0 ? "" : " (" + string.Join(", ", input.Excluded.Select(e => Inv($"{e.Key.Code()} {e.Value}"))) + ")";
            stdout.WriteLine(ContributionIndex.Diagnostics.MessageText.Escape(Inv($"{input.Input}: read {input.Read} = accepted {input.Accepted} + rejected {input.Rejected} (at ingest {input.RejectedAtIngest}, by checks {input.RejectedByChecks}); accepted = valued {input.Valued} + excluded {excluded}{reasons}")));
        }

        stdout.WriteLine(Inv($"total: read {result.Read}, rejected {result.Rejected} ({100.0 * result.RejectedShare:0.##} %)"));
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
