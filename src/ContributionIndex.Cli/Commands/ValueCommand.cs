using System.CommandLine;
using System.Globalization;
using ContributionIndex.Pipeline;
using ContributionIndex.Pipeline.Partial;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Cli.Commands;

/// <summary><c>contrib value STUDY --out DIR</c>: runs ingest → 19th ICLS checks → valuation and writes the output files.</summary>
internal static class ValueCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var study = CommandLine.StudyArgument();
        var output = CommandLine.OutFolder("Folder for valued_records.csv, summary.csv, method_range.csv, quarantine.csv and manifest.json (created when missing).");
        var partial = new Option<bool>("--partial") { Description = "Also write partial.json: this partition's exact sums, for contrib merge (partitions must not share persons)." };
        var records = CommandLine.Choice("--records",
            "csv (default): write valued_records.csv, one row per input row; none: write only the aggregates, quarantine and manifest (faster on large logs).",
            "csv", "csv", "none");
        var command = new Command("value", "Value a study's volunteer hours by every method and write the output files.") { study, output, partial, records };
        command.SetRunAction(stderr, parse =>
        {
            using var output_ = OutputFolder.Plan(parse.GetValue(output));
            var folder = output_.Target;
            var recordOutput = parse.GetValue(records) == "none" ? RecordOutput.None : RecordOutput.Csv;
            var run = StudyRun.Load(CliChecks.StudyFile(parse.GetValue(study), "value"), new StudyRunOptions { ValuationOutputDirectory = output_.Staging, Records = recordOutput, ValuationOnly = true });
            output_.RefuseInputs(OutputFolder.StudyFiles(run.Study));
            output_.Create();
            return output_.Run(() =>
            {
                var loaded = run.Study;
                var result = run.Valuation;
                ValidateCommand.PrintCounts(stdout, result);
                PrintSummary(stdout, result);
                var outputs = ValuationRun.OutputFilesFor(recordOutput);
                var written = loaded.Coding.Enabled ? outputs.Append(CodedRecordSource.ReviewFileName) : outputs;
                var files = string.Join(", ", written);
                if (parse.GetValue(partial)) files += ", " + Path.GetFileName(PartialAggregate.Write(output_.Staging, loaded, result));
                stdout.WriteLine($"wrote {files} to {folder}");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    /// <summary>One line per source kind and country with the headline value, and the method range.</summary>
    internal static void PrintSummary(TextWriter stdout, ValuationResult result)
    {
        var headline = result.Parameters.HeadlineMethod;
        stdout.WriteLine($"headline method: {headline.Code()} (base-year prices {result.Parameters.BaseYear})");
        foreach (var summary in result.Summaries)
        {
            var value = summary[headline];
            var range = result.Ranges.FirstOrDefault(r => r.SourceKind == summary.SourceKind && r.Country == summary.Country && r.Unit == "PPP");
            var local = value.ValueLcuBase is { } lcu ? Inv($"{lcu:N0} {summary.Currency}, ") : "";
            var usd = value.ValueUsd is { } u ? Inv($"{u:N0} USD, ") : "";
            var ppp = value.ValuePpp is { } p ? Inv($"{p:N0} PPP$") : "no PPP rate";
            var gdp = value.ShareOfGdpPercent is { } g ? Inv($", {g:G3} % of GDP") : "";
            var spread = range is null ? "" : Inv($"; methods range {range.Minimum:N0}–{range.Maximum:N0} PPP$");
            stdout.WriteLine(Inv($"{InputKinds.Code(summary.SourceKind)} {summary.Country}: {summary.Volunteers:N0} volunteers, {summary.HoursAnnual:N0} h/year, {summary.Fte:N0} FTE; {local}{usd}{ppp}{gdp}{spread}"));
        }
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
