using System.CommandLine;
using System.Globalization;
using ContributionIndex.Synthesis;

namespace ContributionIndex.Cli.Commands;

/// <summary><c>contrib synth --rows N --out DIR [--seed S] [--format csv|parquet]</c>: writes a synthetic hour log and a ready study file.</summary>
internal static class SynthCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var rows = new Option<long>("--rows") { Description = "Number of log entries to generate.", Required = true };
        var output = CommandLine.OutFolder("Folder for study.yaml, the hour log and wages/ (created when missing).");
        var seed = CommandLine.WithDefault<ulong>("--seed", "Seed of the generator: the same seed gives the same bytes.", 2022);
        var format = CommandLine.Choice("--format", "csv or parquet.", "csv", "csv", "parquet");
        var command = new Command("synth", "Generate a synthetic platform hour log (KZ, KG, TJ, UZ) with wage tables and a study file that `contrib value` runs on.")
        {
            rows, output, seed, format,
        };
        command.SetRunAction(stderr, parse =>
        {
            var count = parse.GetValue(rows);
            if (count < 0)
            {
                stderr.WriteLine("error: --rows must be 0 or more.");
                return ExitCodes.UsageError;
            }

            var result = HourLogSynthesizer.Write(count, parse.GetValue(output)!.FullName, parse.GetValue(seed), parse.GetValue(format)!);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {result.Rows:N0} entries ({result.Bytes:N0} bytes) to {result.DataPath} and the study {result.StudyPath}"));
            return ExitCodes.Success;
        });
        return command;
    }
}
