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
        var output = new Option<DirectoryInfo>("--out") { Description = "Output directory for scores.csv (and sensitivity.csv, sobol.csv).", Required = true };
        var normalise = new Option<string>("--normalise") { Description = "bounded (default, SDR goalposts clipped to 0-100) | minmax | zscore | rank | percentile | target | none.", DefaultValueFactory = _ => "bounded" };
        var aggregate = new Option<string>("--aggregate") { Description = "arithmetic (default) | geometric | harmonic | power (generalised mean, exponent --power), within and across pillars.", DefaultValueFactory = _ => "arithmetic" };
        var power = new Option<double>("--power") { Description = "Exponent p of --aggregate power (p = 0 is geometric, 1 arithmetic).", DefaultValueFactory = _ => 1 };
        var weighting = new Option<string>("--weighting") { Description = "equal (default) | explicit (framework weights) | pca.", DefaultValueFactory = _ => "equal" };
        var minCoverage = new Option<double>("--min-coverage") { Description = "Minimum share of indicators a unit needs for an index score and rank (SDR uses 0.8).", DefaultValueFactory = _ => 0 };
        var minPillarCoverage = new Option<double>("--min-pillar-coverage") { Description = "Minimum share of a pillar's indicators for the pillar to count (0.2 reproduces SDR 2025).", DefaultValueFactory = _ => 0 };
        var scoreMin = new Option<double>("--score-min") { Description = "Bottom of the score scale (use 1 with geometric or harmonic aggregation).", DefaultValueFactory = _ => 0 };
        var groups = new Option<FileInfo?>("--groups") { Description = "UNITS.csv: unit,group (needed by --impute group-mean)." };
        var impute = new Option<string>("--impute") { Description = "none (default) | group-mean.", DefaultValueFactory = _ => "none" };
        var mcRuns = new Option<int>("--mc-runs") { Description = "Monte-Carlo base sample N; writes sensitivity.csv and sobol.csv (N·(k+2) more runs).", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Seed of the Monte-Carlo generator.", DefaultValueFactory = _ => 1 };
        var mcNormalise = new Option<string?>("--mc-normalise") { Description = "Comma-separated normalisation alternatives (default: the nominal one, minmax, percentile)." };
        var mcAggregate = new Option<string?>("--mc-aggregate") { Description = "Comma-separated aggregation alternatives (default: arithmetic,geometric)." };
        var thresholds = new Option<FileInfo?>("--thresholds") { Description = "THRESHOLDS.csv: indicator,green,red (raw units); writes dashboard.csv with SDR traffic-light colours per pillar." };
        var mcWeightNoise = new Option<double>("--mc-weight-noise") { Description = "Weights are multiplied by U(1-x, 1+x) (default 0.25).", DefaultValueFactory = _ => 0.25 };

        var command = new Command("index", "Build a composite index (normalise, weight, aggregate, impute, rank) and optionally its uncertainty analysis.")
        {
            studyPath, framework, data, output, normalise, aggregate, power, weighting, minCoverage, minPillarCoverage, scoreMin, groups, impute, mcRuns, seed, mcNormalise, mcAggregate, mcWeightNoise, thresholds,
        };
        command.SetAction(parse => CommandRunner.Run(stderr, parse.GetValue(CommandLine.Verbose), () =>
        {
            if (parse.GetValue(studyPath) is { } studyFile)
            {
                if (parse.GetValue(framework) is not null || parse.GetValue(data) is not null)
                    throw new StudyFileException(SourceLocation.OfFile("command line"), "give either a study file (study mode) or --framework and --data (file mode), not both.", "The study's 'index:' section names its framework.");
                return RunStudy(studyFile, parse.GetValue(output)!.FullName, stdout);
            }

            if (parse.GetValue(framework) is null || parse.GetValue(data) is null)
                throw new StudyFileException(SourceLocation.OfFile("command line"), "give a study file (contrib index STUDY --out DIR) or both --framework and --data.", "See contrib index --help.");
            // Options first, so a mistyped option is reported before any file is read.
            var normalisation = ParseNormalisation(parse.GetValue(normalise)!, "--normalise");
            var aggregation = ParseAggregation(parse.GetValue(aggregate)!, "--aggregate");
            var weights = ParseWeighting(parse.GetValue(weighting)!);
            var imputation = ParseImputation(parse.GetValue(impute)!);
            var groupFile = parse.GetValue(groups);
            if (imputation == ImputationMethod.GroupMean && groupFile is null)
                throw new StudyFileException(SourceLocation.OfFile("command line"), "--impute group-mean needs --groups UNITS.csv.", "Pass a file with columns unit,group.");
            var model = IndexFiles.ReadFramework(Relative(parse.GetValue(framework)!));
            var values = IndexFiles.ReadData(Relative(parse.GetValue(data)!), model);
            var options = new IndexOptions
            {
                Normalisation = normalisation,
                PillarAggregation = aggregation,
                IndexAggregation = aggregation,
                PowerMeanExponent = parse.GetValue(power),
                Weighting = weights,
                MinUnitCoverage = parse.GetValue(minCoverage),
                MinPillarCoverage = parse.GetValue(minPillarCoverage),
                ScoreMin = parse.GetValue(scoreMin),
                Imputation = imputation,
                Groups = groupFile is null ? null : IndexFiles.ReadGroups(Relative(groupFile)),
            };

            var result = CompositeIndex.Compute(values, options);
            var outDir = parse.GetValue(output)!.FullName;
            IndexFiles.WriteScores(Path.Combine(outDir, "scores.csv"), result);
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"index: {result.Units.Length} units, {result.Units.Count(u => result.IndexRank(result.Units.IndexOf(u)) is not null)} ranked, {model.Pillars.Length} pillars, {model.Indicators.Length} indicators -> {Path.Combine(outDir, "scores.csv")}"));

            if (parse.GetValue(thresholds) is { } thresholdFile)
            {
                IndexFiles.WriteDashboard(Path.Combine(outDir, "dashboard.csv"), result, IndexFiles.ReadThresholds(Relative(thresholdFile), model));
                stdout.WriteLine($"dashboard: -> {Path.Combine(outDir, "dashboard.csv")}");
            }

            var runs = parse.GetValue(mcRuns);
            if (runs > 0)
            {
                var settings = new UncertaintySettings
                {
                    Runs = runs,
                    Seed = parse.GetValue(seed),
                    Normalisations = parse.GetValue(mcNormalise) is { } n
                        ? [.. Split(n).Select(x => ParseNormalisation(x, "--mc-normalise"))]
                        : DefaultNormalisations(options.Normalisation),
                    Aggregations = parse.GetValue(mcAggregate) is { } a
                        ? [.. Split(a).Select(x => ParseAggregation(x, "--mc-aggregate"))]
                        : [AggregationMethod.Arithmetic, AggregationMethod.Geometric],
                    Imputations = imputation == ImputationMethod.GroupMean ? [ImputationMethod.GroupMean, ImputationMethod.None] : [],
                    WeightNoise = parse.GetValue(mcWeightNoise),
                };
                var uncertainty = UncertaintyAnalysis.Run(values, options, settings);
                IndexFiles.WriteSensitivity(Path.Combine(outDir, "sensitivity.csv"), uncertainty);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sensitivity: {uncertainty.Runs} runs (seed {settings.Seed}) -> {Path.Combine(outDir, "sensitivity.csv")}"));
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Study mode: estimates.csv, indicators.csv, the index's data.csv, scores.csv and index_se.csv into <paramref name="directory"/>.</summary>
    private static int RunStudy(string studyFile, string directory, TextWriter stdout)
    {
        var study = StudyLoader.Load(studyFile);
        if (study.Index is null)
            throw new StudyFileException(study.LocationOf(""), "the study has no 'index:' section.", "Add 'index: framework: parameters/vci-framework.csv' (columns indicator,pillar,direction,lower,upper,weight).");
        Directory.CreateDirectory(directory);
        var estimates = VolunteerEstimates.Run(study, new StudyRecordSource(study), null);
        var indicators = VolunteerIndicatorEstimates.Compute(estimates, study);
        VolunteerIndicatorEstimates.WriteCsv(Path.Combine(directory, "indicators.csv"), indicators, study.Estimation.ConfidenceLevel);
        var index = VolunteerIndex.Compute(study, indicators);
        VolunteerIndex.WriteData(Path.Combine(directory, "data.csv"), index.Data);
        IndexFiles.WriteScores(Path.Combine(directory, "scores.csv"), index.Result);
        VolunteerIndex.WriteStandardErrors(Path.Combine(directory, "index_se.csv"), index);
        var result = index.Result;
        stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{study.Id}: {indicators.Indicators.Count} indicators for {indicators.Units.Count} units -> {Path.Combine(directory, "indicators.csv")}; index over {result.Units.Length} countries -> {Path.Combine(directory, "scores.csv")}, {Path.Combine(directory, "index_se.csv")}"));
        for (int u = 0; u < result.Units.Length; u++)
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {result.Units[u],-3} index {result.IndexScore(u):0.0} (SE {index.StandardErrors[u]:0.00}), rank {result.IndexRank(u)?.ToString(CultureInfo.InvariantCulture) ?? "-"}"));
        }

        return ExitCodes.Success;
    }

    private static ImmutableArray<NormalisationMethod> DefaultNormalisations(NormalisationMethod nominal) =>
        [.. new[] { nominal, NormalisationMethod.MinMax, NormalisationMethod.Percentile }.Distinct()];

    private static string Relative(FileInfo file) => file.ToString();

    private static IEnumerable<string> Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static NormalisationMethod ParseNormalisation(string text, string option) => text.ToLowerInvariant() switch
    {
        "bounded" => NormalisationMethod.Bounded,
        "minmax" => NormalisationMethod.MinMax,
        "zscore" => NormalisationMethod.ZScore,
        "rank" => NormalisationMethod.Rank,
        "percentile" => NormalisationMethod.Percentile,
        "target" => NormalisationMethod.DistanceToTarget,
        "none" => NormalisationMethod.None,
        _ => throw Usage(option, text, "bounded, minmax, zscore, rank, percentile, target or none"),
    };

    private static AggregationMethod ParseAggregation(string text, string option) => text.ToLowerInvariant() switch
    {
        "arithmetic" => AggregationMethod.Arithmetic,
        "geometric" => AggregationMethod.Geometric,
        "harmonic" => AggregationMethod.Harmonic,
        "power" => AggregationMethod.Generalised,
        _ => throw Usage(option, text, "arithmetic, geometric, harmonic or power"),
    };

    private static WeightingMethod ParseWeighting(string text) => text.ToLowerInvariant() switch
    {
        "equal" => WeightingMethod.Equal,
        "explicit" => WeightingMethod.Explicit,
        "pca" => WeightingMethod.Pca,
        _ => throw Usage("--weighting", text, "equal, explicit or pca"),
    };

    private static ImputationMethod ParseImputation(string text) => text.ToLowerInvariant() switch
    {
        "none" => ImputationMethod.None,
        "group-mean" => ImputationMethod.GroupMean,
        _ => throw Usage("--impute", text, "none or group-mean"),
    };

    private static StudyFileException Usage(string option, string value, string allowed) =>
        new(SourceLocation.OfFile("command line"), $"{option} '{value}' is not known.", $"Use {allowed}.");
}
