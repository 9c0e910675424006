using System.CommandLine;
using ContributionIndex.IO;
using ContributionIndex.Studies;

namespace ContributionIndex.Cli.Commands;

/// <summary>
/// <c>contrib init DATAFILE [--kind survey|hour-log] [--country KZ] --out STUDY.yaml</c>: proposes a study file for a data
/// file (mapping, code lists, country block), marking what the user must decide (Studies/StudyScaffold.cs).
/// </summary>
internal static class InitCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var data = new Argument<FileInfo>("data") { Description = "The data file: CSV, XLSX, Parquet, SPSS .sav/.zsav or Stata .dta." };
        var kind = CommandLine.Choice("--kind", "What the file holds: survey microdata or a platform hour log.", "survey", "survey", "hour-log");
        var country = new Option<string?>("--country") { Description = "ISO 3166-1 alpha-2 code of the data's country; KZ, KG, TJ and UZ fill the country block from the reference parameters." };
        var output = new Option<FileInfo>("--out") { Description = "The study file to write (an existing file is not overwritten).", Required = true };
        var command = new Command("init", "Propose a study file from a data file: column mapping with confidences, code lists from the codes and value labels, country parameters; DECIDE lines mark what you must still decide.")
        {
            data, kind, country, output,
        };
        command.SetRunAction(stderr, parse =>
        {
            var dataFile = parse.GetValue(data)!;
            var studyFile = parse.GetValue(output)!;
            if (studyFile.Exists)
                throw new UsageException($"--out '{studyFile}' already exists; choose a new file name (init never overwrites a study file).");
            var code = parse.GetValue(country);
            if (code is not null && (code.Trim().Length != 2 || !code.Trim().All(char.IsAsciiLetter)))
                throw new UsageException($"--country '{Diagnostics.MessageText.Excerpt(code)}' is not an ISO 3166-1 alpha-2 code (e.g. KZ).");
            var proposal = StudyScaffold.Propose(dataFile.ToString(), studyFile.FullName, parse.GetValue(kind)!, code);
            AtomicFile.WriteAllText(studyFile.FullName, proposal.Yaml);
            stdout.WriteLine($"wrote {studyFile}: {proposal.Fields.Count(f => f.Chosen is not null)} of {proposal.Fields.Count} fields mapped, {proposal.Decisions.Count} decisions left (lines marked DECIDE).");
            foreach (var decision in proposal.Decisions) stdout.WriteLine(Diagnostics.MessageText.Escape("  DECIDE: " + decision));
            return ExitCodes.Success;
        });
        return command;
    }
}
