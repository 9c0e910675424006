using System.CommandLine;
using ContributionIndex.Pipeline.Partial;

namespace ContributionIndex.Cli.Commands;

/// <summary><c>contrib merge PART... --out DIR</c>: merges partial aggregates into the summary of the whole input.</summary>
internal static class MergeCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var parts = new Argument<FileInfo[]>("partials") { Description = "partial.json files (or folders holding one) written by contrib value --partial.", Arity = ArgumentArity.OneOrMore };
        var output = CommandLine.OutFolder("Folder for summary.csv and method_range.csv (created when missing).");
        var study = new Option<FileInfo?>("--study") { Description = "The study file whose parameters to use (default: the one named in the first partial)." };
        var command = new Command("merge", "Merge the partial aggregates of person-disjoint partitions into summary.csv and method_range.csv, as one run over all the input.")
        {
            parts, output, study,
        };
        command.SetRunAction(stderr, parse =>
        {
            var paths = parse.GetValue(parts)!.Select(f => Directory.Exists(f.FullName) ? Path.Combine(f.FullName, PartialAggregate.FileName) : f.FullName).ToList();
            using var output_ = OutputFolder.Plan(parse.GetValue(output));
            var folder = output_.Target;
            output_.RefuseInputs(paths.Select(p => (p, "partial file")).Concat(parse.GetValue(study) is { } s ? [(s.FullName, "study file")] : []));
            output_.Create();
            return output_.Run(() =>
            {
                var result = PartialAggregate.Merge(paths, output_.Staging, parse.GetValue(study)?.FullName);
                stdout.WriteLine($"merged {paths.Count} partial files: read {result.Read}, rejected {result.Rejected}");
                ValueCommand.PrintSummary(stdout, result);
                stdout.WriteLine($"wrote summary.csv, method_range.csv to {folder}");
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
