using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Indicators.Composite;
using ContributionIndex.Indicators.Composite.Io;
using ContributionIndex.Indicators.Sensitivity;
using ContributionIndex.Pipeline;
using ContributionIndex.Studies;

namespace ContributionIndex.Cli.Commands;

/// <summary>
/// <c>contrib index</c>: study mode (<c>contrib index STUDY --out DIR</c>: indicators estimated from the study's surveys with
/// replicate SEs, and the study's composite index over its countries with index SEs; methodology/volunteer-estimates.md)
/// or file mode (a framework and long-format data, methodology/index.md).
/// </summary>
internal static class IndexCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var studyPath = new Argument<string?>("study") { Description = "Study mode: the study file (YAML) with an 'index:' section.", Arity = ArgumentArity.ZeroOrOne };
        var framework = new Option<FileInfo?>("--framework") { Description = "File mode: FRAMEWORK.csv: indicator,pillar,direction,lower,upper,weight (optional target, pillar_weight)." };
        var data = new Option<FileInfo?>("--data") { Description = "File mode: DATA.csv in long format: unit,indicator,value (empty value = missing)." };
        var output = CommandLine.OutFolder("Output directory for scores.csv (and sensitivity.csv, sobol.csv).");
        var normalise = CommandLine.WithDefault("--normalise", "bounded (default, SDR goalposts clipped to 0-100) | minmax | zscore | rank | percentile | target | none.", "bounded");
        var aggregate = CommandLine.WithDefault("--aggregate", "arithmetic (default) | geometric | harmonic | power (generalised mean, exponent --power), within and across pillars.", "arithmetic");
        var power = CommandLine.WithDefault<double>("--power", "Exponent p of --aggregate power (p = 0 is geometric, 1 arithmetic).", 1);
        var weighting = CommandLine.WithDefault("--weighting", "equal (default) | explicit (framework weights) | pca.", "equal");
        var minCoverage = CommandLine.WithDefault<double>("--min-coverage", "Minimum share of indicators a unit needs for an index score and rank (SDR uses 0.8).", 0);
        var minPillarCoverage = CommandLine.WithDefault<double>("--min-pillar-coverage", "Minimum share of a pillar's indicators for the pillar to count (0.2 reproduces SDR 2025).", 0);
        var scoreMin = CommandLine.WithDefault<double>("--score-min", "Bottom of the score scale (use 1 with geometric or harmonic aggregation).", 0);
        var groups = new Option<FileInfo?>("--groups") { Description = "UNITS.csv: unit,group (needed by --impute group-mean)." };
        var impute = CommandLine.WithDefault("--impute", "none (default) | group-mean.", "none");
        var mcRuns = new Option<int?>("--mc-runs") { Description = "Monte-Carlo base sample N (2 to 1,000,000); writes sensitivity.csv and sobol.csv (N·(k+2) more runs). Leave it out to skip the analysis." };
        var seed = CommandLine.WithDefault("--seed", "Seed of the Monte-Carlo generator.", 1);
        var mcNormalise = new Option<string?>("--mc-normalise") { Description = "Comma-separated normalisation alternatives (default: the nominal one, minmax, percentile)." };
        var mcAggregate = new Option<string?>("--mc-aggregate") { Description = "Comma-separated aggregation alternatives (default: arithmetic,geometric)." };
        var thresholds = new Option<FileInfo?>("--thresholds") { Description = "THRESHOLDS.csv: indicator,green,red (raw units); writes dashboard.csv with SDR traffic-light colours per pillar." };
        var mcWeightNoise = CommandLine.WithDefault("--mc-weight-noise", "Weights are multiplied by U(1-x, 1+x) (default 0.25).", 0.25);

        var command = new Command("index", "Build a composite index (normalise, weight, aggregate, impute, rank) and optionally its uncertainty analysis.")
        {
            studyPath, framework, data, output, normalise, aggregate, power, weighting, minCoverage, minPillarCoverage, scoreMin, groups, impute, mcRuns, seed, mcNormalise, mcAggregate, mcWeightNoise, thresholds,
        };
        command.SetRunAction(stderr, parse =>
        {
            if (parse.GetValue(studyPath) is { } studyFile)
            {
                if (parse.GetValue(framework) is not null || parse.GetValue(data) is not null)
                    throw new StudyFileException(SourceLocation.OfFile("command line"), "give either a study file (study mode) or --framework and --data (file mode), not both.", "The study's 'index:' section names its framework.");
                using var folder = OutputFolder.Plan(parse.GetValue(output));
                return RunStudy(CliChecks.StudyFile(new FileInfo(studyFile), "index"), folder, stdout);
            }

            if (parse.GetValue(framework) is null || parse.GetValue(data) is null)
                throw new StudyFileException(SourceLocation.OfFile("command line"), "give a study file (contrib index STUDY --out DIR) or both --framework and --data.", "See contrib index --help.");
            // Options first, so a mistyped option is reported before any file is read.
            var normalisation = StudyChoices.Parse<NormalisationMethod>(parse.GetValue(normalise), "--normalise", CommandLinePlace);
            var aggregation = StudyChoices.Parse<AggregationMethod>(parse.GetValue(aggregate), "--aggregate", CommandLinePlace);
            var weights = StudyChoices.Parse<WeightingMethod>(parse.GetValue(weighting), "--weighting", CommandLinePlace);
            var imputation = StudyChoices.Parse<ImputationMethod>(parse.GetValue(impute), "--impute", CommandLinePlace);
            var normalisationAlternatives = parse.GetValue(mcNormalise) is { } n ? Split(n).Select(x => StudyChoices.Parse<NormalisationMethod>(x, "--mc-normalise", CommandLinePlace)).ToArray() : null;
            var aggregationAlternatives = parse.GetValue(mcAggregate) is { } a ? Split(a).Select(x => StudyChoices.Parse<AggregationMethod>(x, "--mc-aggregate", CommandLinePlace)).ToArray() : null;
            var groupFile = parse.GetValue(groups);
            if (imputation == ImputationMethod.GroupMean && groupFile is null)
                throw new StudyFileException(SourceLocation.OfFile("command line"), "--impute group-mean needs --groups UNITS.csv.", "Pass a file with columns unit,group.");
            var options = new IndexOptions
            {
                Normalisation = normalisation,
                PillarAggregation = aggregation,
                IndexAggregation = aggregation,
                PowerMeanExponent = OptionRange.Check(parse.GetValue(power), "--power", double.NegativeInfinity, double.PositiveInfinity),
                Weighting = weights,
                MinUnitCoverage = OptionRange.Check(parse.GetValue(minCoverage), "--min-coverage", 0, 1, hint: "a share such as 0.8"),
                MinPillarCoverage = OptionRange.Check(parse.GetValue(minPillarCoverage), "--min-pillar-coverage", 0, 1, hint: "a share such as 0.2"),
                ScoreMin = OptionRange.Check(parse.GetValue(scoreMin), "--score-min", double.NegativeInfinity, IndexScoreMax, highOpen: true, hint: "scores run from --score-min to 100"),
                Imputation = imputation,
            };
            var settings = parse.GetValue(mcRuns) is { } runs
                ? UncertaintySettings.ForFramework(options,
                    OptionRange.Check(runs, "--mc-runs", 2, MaxMonteCarloRuns, "leave --mc-runs out to skip the Monte-Carlo analysis"),
                    parse.GetValue(seed),
                    OptionRange.Check(parse.GetValue(mcWeightNoise), "--mc-weight-noise", 0, 1, highOpen: true, hint: "e.g. 0.25 for ±25 %"),
                    normalisationAlternatives, aggregationAlternatives)
                : null;
            if (settings is not null && settings.Normalisations.Contains(NormalisationMethod.ZScore) && settings.Aggregations.Any(m => m is not AggregationMethod.Arithmetic))
                throw new UsageException("--mc-normalise includes zscore, whose scores can be negative, so the aggregation alternatives (--mc-aggregate) must be arithmetic only.");
            using var staged = OutputFolder.Plan(parse.GetValue(output));
            staged.RefuseInputs(new[] { (parse.GetValue(framework), "framework file"), (parse.GetValue(data), "data file"), (groupFile, "groups file"), (parse.GetValue(thresholds), "thresholds file") }
                .Where(f => f.Item1 is not null).Select(f => (f.Item1!.FullName, f.Item2)));
            staged.Create();
            var model = IndexFiles.ReadFramework(Relative(parse.GetValue(framework)!));
            var values = IndexFiles.ReadData(Relative(parse.GetValue(data)!), model);
            if (groupFile is not null) options = options with { Groups = IndexFiles.ReadGroups(Relative(groupFile)) };

            var result = CompositeIndex.Compute(values, options);
            var outDir = staged.Staging; // published whole below (hardening.md §8); messages name the --out folder
            IndexFiles.WriteScores(Path.Combine(outDir, "scores.csv"), result);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"index: {result.Units.Length} units, {result.Units.Count(u => result.IndexRank(result.Units.IndexOf(u)) is not null)} ranked, {model.Pillars.Length} pillars, {model.Indicators.Length} indicators -> {Path.Combine(staged.Target, "scores.csv")}"));

            if (parse.GetValue(thresholds) is { } thresholdFile)
            {
                IndexFiles.WriteDashboard(Path.Combine(outDir, "dashboard.csv"), result, IndexFiles.ReadThresholds(Relative(thresholdFile), model));
                stdout.WriteLine($"dashboard: -> {Path.Combine(staged.Target, "dashboard.csv")}");
            }

            if (settings is not null)
            {
                var uncertainty = UncertaintyAnalysis.Run(values, options, settings);
                IndexFiles.WriteSensitivity(Path.Combine(outDir, "sensitivity.csv"), uncertainty);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sensitivity: {uncertainty.Runs} runs (seed {settings.Seed}) -> {Path.Combine(staged.Target, "sensitivity.csv")}"));
            }

            staged.Publish();
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Study mode: indicators.csv, the index's data.csv, scores.csv, index_se.csv and sensitivity.csv (rank intervals) into <paramref name="directory"/>.</summary>
    private static int RunStudy(string studyFile, OutputFolder output, TextWriter stdout)
    {
        var run = StudyRun.Load(studyFile);
        output.RefuseInputs(OutputFolder.StudyFiles(run.Study));
        output.Create(); // the study is valid: the (staging) folder now, before any data step
        return output.Run(() => WriteStudy(run, output, stdout));
    }

    private static int WriteStudy(StudyRun run, OutputFolder output, TextWriter stdout)
    {
        var directory = output.Staging;
        var study = run.Study;
        if (study.Index is null)
            throw new StudyFileException(study.LocationOf(""), "the study has no 'index:' section.", "Add 'index: framework: parameters/vci-framework.csv' (columns indicator,pillar,direction,lower,upper,weight).");
        var indicators = run.Indicators;
        var studyIndex = run.Index
            ?? throw new StudyFileException(study.LocationOf("index"), "the index needs at least two countries with survey data.", "Add the other countries' inputs, or remove the 'index:' section.");
        Directory.CreateDirectory(directory);
        VolunteerIndicatorEstimates.WriteCsv(Path.Combine(directory, "indicators.csv"), indicators, run.Design.ConfidenceLevel);
        var index = studyIndex.Index;
        VolunteerIndex.WriteData(Path.Combine(directory, "data.csv"), index.Data);
        IndexFiles.WriteScores(Path.Combine(directory, "scores.csv"), index.Result);
        VolunteerIndex.WriteStandardErrors(Path.Combine(directory, "index_se.csv"), index);
        var files = "indicators.csv, data.csv, scores.csv, index_se.csv";
        if (studyIndex.Ranks is { } ranks)
        {
            IndexFiles.WriteSensitivity(Path.Combine(directory, "sensitivity.csv"), ranks);
            files += ", sensitivity.csv";
        }

        var result = index.Result;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{study.Id}: {indicators.Indicators.Count} indicators for {indicators.Units.Count} units; index over {result.Units.Length} countries -> {files} in {output.Target}"));
        for (int u = 0; u < result.Units.Length; u++)
        {
            var interval = studyIndex.Ranks?.Units.FirstOrDefault(x => x.Unit == result.Units[u]) is { } r ? string.Create(CultureInfo.InvariantCulture, $", rank interval {r.Rank05:0.#}–{r.Rank95:0.#}") : "";
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {result.Units[u],-3} index {result.IndexScore(u):0.0} (SE {index.StandardErrors[u]:0.00}), rank {result.IndexRank(u)?.ToString(CultureInfo.InvariantCulture) ?? "-"}{interval}"));
        }

        return ExitCodes.Success;
    }

    /// <summary>The top of the score scale (<see cref="IndexOptions.ScoreMax"/>, not an option of the command).</summary>
    private static readonly double IndexScoreMax = new IndexOptions().ScoreMax;

    /// <summary>The largest Monte-Carlo base sample: N·(k+2) index computations, so 10⁶ is already hours of work.</summary>
    private const int MaxMonteCarloRuns = 1_000_000;

    private static readonly SourceLocation CommandLinePlace = SourceLocation.OfFile("command line");

    private static string Relative(FileInfo file) => file.ToString();

    private static IEnumerable<string> Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
