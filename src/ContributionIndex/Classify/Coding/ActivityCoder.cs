using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ContributionIndex.Diagnostics;
using ContributionIndex.IO;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms;
using Microsoft.ML.Transforms.Text;

namespace ContributionIndex.Classify.Coding;

/// <summary>Codes free-text volunteer-task descriptions to an ISCO-08 major group and SDG goals, with confidences and a review flag.</summary>
/// <remarks>
/// Pipeline (methodology/coding/README.md): <see cref="ActivityText.Normalize"/> plus stem and concept tokens
/// (<see cref="ActivityFeatures"/>), then ML.NET text features (word 1–2-grams and character 1–5-grams, TF-IDF,
/// L2-normalised; the models learn only slots found in at least <see cref="ActivityCoderOptions.MinimumDocumentFrequency"/>
/// training descriptions), one L-BFGS maximum-entropy model for the ISCO sub-major classes (softmax probabilities, summed
/// to major groups) and one L-BFGS logistic regression per SDG goal (one-vs-rest; the logistic link gives a probability
/// per goal). The goal trainers run on one thread, the ISCO trainer on a fixed number of gradient chunks
/// (<see cref="ActivityCoderOptions.IscoTrainingThreads"/>), and the context has a fixed seed, so the same examples
/// and options give the same model. Instances are safe to use from several threads.
/// </remarks>
public sealed class ActivityCoder
{
    private const string ManifestEntry = "manifest.json";
    private const string ModelEntry = "model.mlnet.zip";
    private const string IdfEntry = "idf.bin";
    private const string LexiconEntry = "lexicon.tsv";
    private const string TextColumn = "Text";
    private const string IscoScoreColumn = "IscoScore";
    private const string GoalProbabilitiesColumn = "GoalProbabilities";
    private const string HasGoalsColumn = "HasGoals";
    private static readonly DateTimeOffset FixedZipTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private static readonly Lazy<ActivityCoder> DefaultCoder = new(BuildDefault, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly MLContext _ml;
    private readonly ITransformer _model;
    private readonly Lazy<LinearActivityScorer> _scorer;
    private readonly ThreadLocal<LinearActivityScorer.Scratch> _scratch;

    private readonly double[]? _idf;
    private readonly ActivityFeatures _features;

    private ActivityCoder(MLContext ml, ITransformer model, CodingModelManifest manifest, double reviewThreshold, double sdgReviewThreshold, double[]? idf, ConceptLexicon? lexicon, Lazy<LinearActivityScorer>? scorer = null)
    {
        _ml = ml;
        _model = model;
        _idf = idf;
        Lexicon = manifest.Options.ConceptTokens ? lexicon : null;
        _features = new ActivityFeatures(manifest.Options, Lexicon);
        Manifest = manifest;
        ReviewThreshold = reviewThreshold;
        SdgReviewThreshold = sdgReviewThreshold;
        _scorer = scorer ?? new Lazy<LinearActivityScorer>(() => LinearActivityScorer.FromModel(ml, model, TextColumn, idf), LazyThreadSafetyMode.ExecutionAndPublication);
        _scratch = new ThreadLocal<LinearActivityScorer.Scratch>(() => _scorer.Value.CreateScratch());
    }

    /// <summary>What the model was built from.</summary>
    public CodingModelManifest Manifest { get; }

    /// <summary>The concept lexicon the model was trained with and featurises with (stored in its zip), or null when it uses no concepts.</summary>
    public ConceptLexicon? Lexicon { get; }

    /// <summary>Predictions with an ISCO major-group confidence below this value are flagged for review.</summary>
    public double ReviewThreshold { get; }

    /// <summary>Predictions whose most probable goal has a probability below this value are flagged for review.</summary>
    public double SdgReviewThreshold { get; }

    /// <summary>The model that ships with the library: trained from <see cref="DefaultTrainingData"/> with default options and embedded as default-model.zip.</summary>
    /// <remarks>Loading checks that the embedded model was built from the embedded training data (same examples SHA-256); a test retrains it and compares predictions.</remarks>
    public static ActivityCoder Default => DefaultCoder.Value;

    /// <summary>The committed training data that ship inside the library: the situations written under the coding rules (methodology/coding/training.tsv), then, for the ISCO model only, the first hand-written set (methodology/coding/v1/training.tsv).</summary>
    /// <remarks>The first set's goals follow the old Forum-direction convention, not the 17-goal rules, so they are dropped (<see cref="IscoOnly"/>); its ISCO codes follow the same task rules. Adding it raised ISCO major top-1 on the evaluation set (methodology/coding/README.md).</remarks>
    public static IReadOnlyList<LabelledActivity> DefaultTrainingData() => [.. Embedded("training.tsv"), .. IscoOnly(Embedded("v1-training.tsv"))];

    /// <summary>The same examples with their goals removed, so they train the ISCO model only (for data coded before the 17-goal rules).</summary>
    public static IReadOnlyList<LabelledActivity> IscoOnly(IEnumerable<LabelledActivity> examples) => [.. examples.Select(e => e with { SdgGoals = [], PrimaryGoal = null })];

    private static IReadOnlyList<LabelledActivity> Embedded(string name)
    {
        using var stream = typeof(ActivityCoder).Assembly.GetManifestResourceStream("ContributionIndex.Classify.Coding." + name)
            ?? throw new InvalidOperationException($"The embedded training data {name} are missing from the assembly; the build is broken.");
        return LabelledDataFile.Read(stream, name);
    }

    /// <summary>Returns the same coder with another review threshold.</summary>
    public ActivityCoder WithReviewThreshold(double threshold)
    {
        if (threshold is < 0 or > 1 || double.IsNaN(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The review threshold is a probability between 0 and 1.");
        return new ActivityCoder(_ml, _model, Manifest, threshold, SdgReviewThreshold, _idf, Lexicon, _scorer);
    }

    /// <summary>The coder's version: coding rules, data, features and calibration (methodology/coding/README.md, issue #17); 2.1 adds the out-of-fold calibration, the fitted review thresholds and the Forum direction; 2.2 is retrained on 1,179 situations (410 added, written as survey answers are) with its calibration refitted and its review thresholds chosen on the evaluation set; 2.3 adds language stems and task concepts and 1,123 situations, thresholds chosen on set A; 2.4 adds 862 situations for Russian and Kazakh and learns only n-grams of two or more descriptions; 2.5 adds 449 situations (Latin-script, report-register and terse Russian; the boundaries between major groups) and trains the ISCO model on two fixed gradient chunks.</summary>
    public const string Version = "2.5";

    /// <summary>Returns the same model with evaluation figures recorded in its manifest (they are saved with it).</summary>
    public ActivityCoder WithEvaluation(IReadOnlyDictionary<string, double> figures) =>
        new(_ml, _model, Manifest with { Evaluation = new SortedDictionary<string, double>(figures.ToDictionary(), StringComparer.Ordinal) }, ReviewThreshold, SdgReviewThreshold, _idf, Lexicon, _scorer);

    /// <summary>Returns the same model with other review thresholds recorded in its options (and used): what training with those thresholds gives, since the thresholds do not enter the weights.</summary>
    public ActivityCoder WithRecordedThresholds(double iscoThreshold, double sdgThreshold)
    {
        if (iscoThreshold is < 0 or > 1 || double.IsNaN(iscoThreshold)) throw new ArgumentOutOfRangeException(nameof(iscoThreshold), iscoThreshold, "The review threshold is a probability between 0 and 1.");
        if (sdgThreshold is < 0 or > 1 || double.IsNaN(sdgThreshold)) throw new ArgumentOutOfRangeException(nameof(sdgThreshold), sdgThreshold, "The review threshold is a probability between 0 and 1.");
        var manifest = Manifest with { Options = Manifest.Options with { ReviewThreshold = iscoThreshold, SdgReviewThreshold = sdgThreshold } };
        return new ActivityCoder(_ml, _model, manifest, iscoThreshold, sdgThreshold, _idf, Lexicon, _scorer);
    }

    /// <summary>Returns the same model with a fitted calibration recorded in its options (and used): ISCO temperature, direction weights, SDG slope and offset and both review thresholds, and the direction tables counted on its training data.</summary>
    /// <remarks>None of these enters the weights, so the result is what training with those options gives (the tables are what training computes from the same data).</remarks>
    internal ActivityCoder WithCalibration(ActivityCoderOptions fitted, IReadOnlyList<LabelledActivity> trainingData)
    {
        var options = Manifest.Options with
        {
            IscoTemperature = fitted.IscoTemperature,
            DirectionGoalWeight = fitted.DirectionGoalWeight,
            DirectionIscoWeight = fitted.DirectionIscoWeight,
            SdgConfidenceSlope = fitted.SdgConfidenceSlope,
            SdgConfidenceOffset = fitted.SdgConfidenceOffset,
            ReviewThreshold = fitted.ReviewThreshold,
            SdgReviewThreshold = fitted.SdgReviewThreshold,
        };
        var manifest = Manifest with
        {
            CoderVersion = Version,
            Options = options,
            DirectionGoalLogOdds = DirectionEvidence.GoalLogOdds(trainingData, Manifest.SdgGoals),
            DirectionClassLogRatio = DirectionEvidence.ClassLogRatio(trainingData, Manifest.IscoClasses),
        };
        return new ActivityCoder(_ml, _model, manifest, options.ReviewThreshold, options.SdgReviewThreshold, _idf, Lexicon, _scorer);
    }

    /// <summary>Returns the same coder with another SDG review threshold.</summary>
    public ActivityCoder WithSdgReviewThreshold(double threshold)
    {
        if (threshold is < 0 or > 1 || double.IsNaN(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The review threshold is a probability between 0 and 1.");
        return new ActivityCoder(_ml, _model, Manifest, ReviewThreshold, threshold, _idf, Lexicon, _scorer);
    }

    /// <summary>Trains a coder from coded descriptions.</summary>
    /// <remarks>The ISCO model and the goal models are trained on all cores; each goal trainer is single-threaded and the ISCO trainer's gradient chunks are fixed, so the model (and its saved bytes) is the one serial training gives.</remarks>
    public static ActivityCoder Train(IReadOnlyList<LabelledActivity> examples, ActivityCoderOptions? options = null) => Train(examples, options, null);

    /// <summary>Trains a coder from coded descriptions with a given concept lexicon (used when <see cref="ActivityCoderOptions.ConceptTokens"/> is on; null: the embedded <see cref="ConceptLexicon.Embedded"/>).</summary>
    public static ActivityCoder Train(IReadOnlyList<LabelledActivity> examples, ActivityCoderOptions? options, ConceptLexicon? lexicon) => Train(examples, options, lexicon, degreeOfParallelism: 0, stages: null);

    /// <summary>
    /// Trains a coder, running the 1 + goals single-threaded L-BFGS trainers on up to <paramref name="degreeOfParallelism"/>
    /// threads (0: all cores; 1: one after the other), and records the wall time of each stage in <paramref name="stages"/>.
    /// </summary>
    /// <remarks>
    /// Every goal trainer has <c>NumberOfThreads = 1</c>; the ISCO trainer cuts the rows into <see cref="ActivityCoderOptions.IscoTrainingThreads"/>
    /// fixed chunks and adds their gradients in chunk order. All read the same cached feature view, and L-BFGS starts from zero
    /// weights (no random draw), so a model's weights do not depend on which thread trains it, on what runs beside it or on the
    /// machine's cores; the trainers are created in a fixed order (ML.NET registers each with the context in that order) and their models
    /// are chained in that order, so the saved model is byte-identical for any degree of parallelism (tested).
    /// </remarks>
    public static ActivityCoder Train(IReadOnlyList<LabelledActivity> examples, ActivityCoderOptions? options, ConceptLexicon? lexicon, int degreeOfParallelism, TrainingStages? stages)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentOutOfRangeException.ThrowIfNegative(degreeOfParallelism);
        options ??= ActivityCoderOptions.Default;
        if (examples.Count == 0) throw new ArgumentException("There are no training examples.", nameof(examples));
        lexicon = options.ConceptTokens ? lexicon ?? ConceptLexicon.Embedded : null;
        if (options.CharNgramLength is < 1 or > LinearActivityScorer.MaxCharNgramLength)
            throw new ArgumentOutOfRangeException(nameof(options), options.CharNgramLength, "The longest character n-gram must be 1–8.");
        if (options.MinimumDocumentFrequency < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.MinimumDocumentFrequency, "The minimum document frequency must be at least 1.");
        if (options.IscoTrainingThreads is < 1 or > 64)
            throw new ArgumentOutOfRangeException(nameof(options), options.IscoTrainingThreads, "The ISCO trainer's thread count must be 1–64.");
        if (options.IscoHistorySize is < 1 or > 100)
            throw new ArgumentOutOfRangeException(nameof(options), options.IscoHistorySize, "The ISCO trainer's L-BFGS history must be 1–100.");
        var stage = Stopwatch.StartNew();
        var features = new ActivityFeatures(options, lexicon);
        var ml = new MLContext(seed: options.Seed);
        var goals = examples.SelectMany(e => e.SdgGoals).Distinct().Order().ToArray();
        var canonical = CanonicalExamples(examples, goals);
        var data = LoadCanonical(ml, CanonicalExamples(examples, goals, options, features), goals);
        stages?.Add("prepare examples", stage);

        var weighting = options.InverseDocumentFrequency ? NgramExtractingEstimator.WeightingCriteria.TfIdf : NgramExtractingEstimator.WeightingCriteria.Tf;
        var featurizer = ml.Transforms.Text.FeaturizeText("Features", new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.None,
            KeepDiacritics = true,
            KeepPunctuations = true,
            KeepNumbers = true,
            StopWordsRemoverOptions = null,
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = options.WordNgramLength, UseAllLengths = true, Weighting = weighting },
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = options.CharNgramLength, UseAllLengths = true, Weighting = weighting },
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        }, TextColumn).Fit(data);
        stages?.Add("featurize: fit n-gram dictionaries and document frequencies", stage);
        // The featurised rows are cached, so the featuriser runs once: the slot count below fills this cache.
        var all = ml.Data.Cache(featurizer.Transform(data));
        // Slots seen in fewer than MinimumDocumentFrequency descriptions are dropped after the L2 norm, so a description's
        // remaining values are what they were; the fast scorer gives the dropped slots weight 0.
        ITransformer? selector = options.MinimumDocumentFrequency > 1
            ? ml.Transforms.FeatureSelection.SelectFeaturesBasedOnCount("Features", count: options.MinimumDocumentFrequency).Fit(all)
            : null;
        var featurized = selector is null ? all : ml.Data.Cache(selector.Transform(all));
        // Fill the trainers' cache here, so that the concurrent trainers only read it.
        FillCache(featurized);
        stages?.Add("featurize: transform and cache the training rows", stage);
        // Examples whose goals are unknown (empty SdgGoals: data labelled before the 17-goal rules) train the ISCO model only.
        var withGoals = examples.All(e => e.SdgGoals.Count > 0) ? featurized : ml.Data.FilterRowsByColumn(featurized, HasGoalsColumn, lowerBound: 0.5);

        var keyed = ml.Transforms.Conversion.MapValueToKey("IscoKey", "Isco", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(featurized).Transform(featurized);
        var keyValues = default(VBuffer<ReadOnlyMemory<char>>);
        keyed.Schema["IscoKey"].GetKeyValues(ref keyValues);
        var classes = keyValues.DenseValues().Select(v => v.ToString()).ToArray();
        var iscoTrainer = ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
        {
            LabelColumnName = "IscoKey",
            FeatureColumnName = "Features",
            NumberOfThreads = options.IscoTrainingThreads,
            HistorySize = options.IscoHistorySize,
            L1Regularization = options.L1Regularization,
            L2Regularization = options.L2Regularization,
            OptimizationTolerance = options.IscoOptimizationTolerance,
        });
        var goalTrainers = goals.Select(goal => ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
        {
            LabelColumnName = GoalColumn(goal),
            FeatureColumnName = "Features",
            NumberOfThreads = 1,
            L1Regularization = options.L1Regularization,
            L2Regularization = options.L2Regularization,
            OptimizationTolerance = options.OptimizationTolerance,
        })).ToArray();
        stages?.Add("map ISCO classes to keys, create trainers", stage);

        // Job 0 is the ISCO model, the longest (39 classes), so it starts first; jobs 1.. are the goal models in goal order.
        // The goal models run beside the ISCO model even when its gradient has threads of its own: they fill the core that
        // its single-threaded L-BFGS steps between gradients leave idle.
        ITransformer? iscoModel = null;
        var goalModels = new ITransformer[goals.Length];
        RunJobs(1 + goals.Length, degreeOfParallelism, job =>
        {
            var watch = Stopwatch.StartNew();
            if (job == 0) iscoModel = iscoTrainer.Fit(keyed);
            else goalModels[job - 1] = goalTrainers[job - 1].Fit(withGoals);
            stages?.Add(job == 0 ? string.Create(CultureInfo.InvariantCulture, $"train ISCO maximum entropy ({classes.Length} classes, {options.IscoTrainingThreads} gradient threads)") : string.Create(CultureInfo.InvariantCulture, $"train goal {goals[job - 1]} logistic regression"), watch, concurrent: true);
        });
        stages?.Add(string.Create(CultureInfo.InvariantCulture, $"train all {1 + goals.Length} models"), stage);

        var transformers = new List<ITransformer> { featurizer };
        if (selector is not null) transformers.Add(selector);
        transformers.Add(iscoModel!);
        var current = iscoModel!.Transform(featurized);
        transformers.Add(Then(ml.Transforms.CopyColumns(IscoScoreColumn, "Score"), ref current));
        for (var g = 0; g < goals.Length; g++)
        {
            transformers.Add(goalModels[g]);
            current = goalModels[g].Transform(current);
            transformers.Add(Then(ml.Transforms.CopyColumns(ProbabilityColumn(goals[g]), "Probability"), ref current));
        }

        transformers.Add(Then(ml.Transforms.Concatenate(GoalProbabilitiesColumn, goals.Select(ProbabilityColumn).ToArray()), ref current));
        var model = new TransformerChain<ITransformer>([.. transformers]);
        var manifest = new CodingModelManifest
        {
            TrainingExamplesSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))),
            TrainingExamples = examples.Count,
            MlNetVersion = MlNetPackageVersion(),
            Options = options,
            IscoClasses = classes,
            SdgGoals = goals,
            DirectionGoalLogOdds = DirectionEvidence.GoalLogOdds(examples, goals),
            DirectionClassLogRatio = DirectionEvidence.ClassLogRatio(examples, classes),
            LexiconSha256 = lexicon?.Sha256,
            LexiconForms = lexicon?.Forms,
        };
        stages?.Add("chain models, manifest", stage);
        double[]? idf = null;
        if (options.InverseDocumentFrequency)
        {
            // ML.NET keeps its inverse document frequencies private; the fast scorer recounts them from the training texts
            // with its own n-gram counting (the equivalence test checks that the result is ML.NET's ln(N / df)).
            var frequencies = LinearActivityScorer.FromModel(ml, model, TextColumn).DocumentFrequencies(examples.Select(e => features.Text(e.Text)));
            idf = [.. frequencies.Select(df => df == 0 ? 0.0 : Math.Log((double)examples.Count / df))];
            stages?.Add("recount document frequencies for the fast scorer", stage);
        }

        return new ActivityCoder(ml, model, manifest, options.ReviewThreshold, options.SdgReviewThreshold, idf, lexicon);
    }

    /// <summary>Reads every row of a cached view once, so that the cache is complete before trainers read it.</summary>
    private static void FillCache(IDataView cached)
    {
        using var cursor = cached.GetRowCursor(cached.Schema);
        while (cursor.MoveNext())
        {
        }
    }

    /// <summary>
    /// Runs jobs 0..count−1 on up to <paramref name="degreeOfParallelism"/> threads (0: all cores), each thread taking the
    /// next job in index order (so long jobs placed first start first); the first failure is rethrown as itself.
    /// </summary>
    private static void RunJobs(int count, int degreeOfParallelism, Action<int> job)
    {
        var workers = Math.Min(count, degreeOfParallelism > 0 ? degreeOfParallelism : Environment.ProcessorCount);
        if (workers <= 1)
        {
            for (var i = 0; i < count; i++) job(i);
            return;
        }

        var next = -1;
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < count; i = Interlocked.Increment(ref next)) job(i);
            });
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
            throw;
        }
    }

    /// <summary>Writes the model (manifest.json and the ML.NET model) to a zip file, atomically; the same model gives the same bytes.</summary>
    public void Save(string path) => AtomicFile.Write(path, Save);

    /// <summary>Writes the model to a stream as a zip with fixed entry times, so the same model gives the same bytes.</summary>
    public void Save(Stream stream)
    {
        using var mlnet = new MemoryStream();
        _ml.Model.Save(_model, InputSchema(_ml), mlnet);
        mlnet.Position = 0;
        using var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        WriteEntry(archive, ManifestEntry, JsonSerializer.SerializeToUtf8Bytes(Manifest, JsonOptions));
        WriteEntry(archive, ModelEntry, Repack(mlnet));
        if (_idf is not null)
        {
            var bytes = new byte[_idf.Length * sizeof(double)];
            for (var i = 0; i < _idf.Length; i++) System.Buffers.Binary.BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)), _idf[i]);
            WriteEntry(archive, IdfEntry, bytes);
        }

        if (Lexicon is not null) WriteEntry(archive, LexiconEntry, Encoding.UTF8.GetBytes(Lexicon.Text));
    }

    /// <summary>Loads a model written by <see cref="Save(string)"/>; a file that is not such a model is reported with its path.</summary>
    public static ActivityCoder Load(string path, double? reviewThreshold = null)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Load(stream, reviewThreshold);
        }
        catch (Exception ex) when (ex is InvalidDataException or JsonException or FormatException or InvalidOperationException)
        {
            throw new InputDataException(SourceLocation.OfFile(path), $"this is not a coding model saved by contrib ({ex.Message}).", "Rebuild it with 'contrib classify train --out MODEL.zip'.", ex);
        }
    }

    /// <summary>Loads a model from a stream written by <see cref="Save(Stream)"/>.</summary>
    public static ActivityCoder Load(Stream stream, double? reviewThreshold = null)
    {
        using var archive = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        var manifestEntry = archive.GetEntry(ManifestEntry) ?? throw new InvalidDataException($"the entry {ManifestEntry} is missing");
        var modelEntry = archive.GetEntry(ModelEntry) ?? throw new InvalidDataException($"the entry {ModelEntry} is missing");
        CodingModelManifest manifest;
        using (var manifestStream = manifestEntry.Open())
            manifest = JsonSerializer.Deserialize<CodingModelManifest>(manifestStream, JsonOptions) ?? throw new InvalidDataException("the manifest is empty");
        // Format 2 (coder ≤ 2.2) had neither language stems nor concepts: its options do not name them, and the record's
        // defaults must not switch them on, or an old model would featurise otherwise than it was trained.
        if (manifest.Format < 3) manifest = manifest with { Options = manifest.Options with { LanguageStems = false, ConceptTokens = false } };
        // Format 3 (coder 2.3) learnt every slot and trained the ISCO model with the goal models' tolerance.
        if (manifest.Format < 4) manifest = manifest with { Options = manifest.Options with { MinimumDocumentFrequency = 1, IscoOptimizationTolerance = manifest.Options.OptimizationTolerance } };
        // Format 4 (coder 2.4) trained the ISCO model on one thread with ML.NET's default L-BFGS history.
        if (manifest.Format < 5) manifest = manifest with { Options = manifest.Options with { IscoTrainingThreads = 1, IscoHistorySize = 20 } };
        ConceptLexicon? lexicon = null;
        if (manifest.Options.ConceptTokens)
        {
            var lexiconEntry = archive.GetEntry(LexiconEntry) ?? throw new InvalidDataException($"the entry {LexiconEntry} is missing");
            using var reader = new StreamReader(lexiconEntry.Open(), Encoding.UTF8);
            lexicon = ConceptLexicon.Parse(reader.ReadToEnd(), LexiconEntry);
            if (lexicon.Sha256 != manifest.LexiconSha256) throw new InvalidDataException($"the entry {LexiconEntry} does not match the manifest's lexicon_sha256");
        }

        using var model = new MemoryStream();
        using (var modelStream = modelEntry.Open()) modelStream.CopyTo(model);
        model.Position = 0;
        var ml = new MLContext(seed: manifest.Options.Seed);
        var transformer = ml.Model.Load(model, out _);
        double[]? idf = null;
        if (manifest.Options.InverseDocumentFrequency)
        {
            var idfEntry = archive.GetEntry(IdfEntry) ?? throw new InvalidDataException($"the entry {IdfEntry} is missing");
            using var idfBytes = new MemoryStream();
            using (var idfStream = idfEntry.Open()) idfStream.CopyTo(idfBytes);
            var bytes = idfBytes.ToArray();
            if (bytes.Length % sizeof(double) != 0) throw new InvalidDataException($"the entry {IdfEntry} is damaged");
            idf = new double[bytes.Length / sizeof(double)];
            for (var i = 0; i < idf.Length; i++) idf[i] = System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(i * sizeof(double)));
        }

        return new ActivityCoder(ml, transformer, manifest, reviewThreshold ?? manifest.Options.ReviewThreshold, manifest.Options.SdgReviewThreshold, idf, lexicon);
    }

    /// <summary>Codes one description.</summary>
    public ActivityCoding Predict(string? text) => Predict(text, null);

    /// <summary>Codes one description reported under a Forum direction (for example <c>health</c>; null or empty: not known), which the coder uses as evidence for the goals and the ISCO group.</summary>
    public ActivityCoding Predict(string? text, string? direction)
    {
        var scorer = _scorer.Value;
        var isco = new float[scorer.Classes];
        var goals = new float[scorer.Goals];
        scorer.Score(_features.Text(text), _scratch.Value!, isco, goals);
        return Decide(isco, goals, direction);
    }

    /// <summary>Codes many descriptions, in order, on up to <paramref name="degreeOfParallelism"/> threads (default: all cores).</summary>
    /// <remarks>Uses the fast path (<see cref="LinearActivityScorer"/>), which gives ML.NET's scores to 1e-6.</remarks>
    public IReadOnlyList<ActivityCoding> PredictMany(IReadOnlyList<string?> texts, int degreeOfParallelism = 0) =>
        ScoreFastEach(texts, degreeOfParallelism, (_, isco, goals) => Decide(isco, goals, null));

    /// <summary>Codes many descriptions with their Forum directions (<paramref name="directions"/>[i] for <paramref name="texts"/>[i]; null or empty: not known), in order.</summary>
    public IReadOnlyList<ActivityCoding> PredictMany(IReadOnlyList<string?> texts, IReadOnlyList<string?> directions, int degreeOfParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(directions);
        if (directions.Count != texts.Count) throw new ArgumentException("There must be one direction (or null) per description.", nameof(directions));
        return ScoreFastEach(texts, degreeOfParallelism, (i, isco, goals) => Decide(isco, goals, directions[i]));
    }

    /// <summary>Raw scores from the fast path: ISCO class probabilities and goal probabilities, per description (for the equivalence test and the benchmark).</summary>
    internal IReadOnlyList<(float[] Isco, float[] Goals)> ScoreFast(IReadOnlyList<string?> texts, int degreeOfParallelism = 0) =>
        ScoreFastEach(texts, degreeOfParallelism, (_, isco, goals) => (isco, goals));

    /// <summary>
    /// Scores each description on the fast path, in chunks on up to <paramref name="degreeOfParallelism"/> threads, and
    /// keeps <paramref name="result"/> of its fresh ISCO and goal score arrays (which <paramref name="result"/> may change).
    /// </summary>
    private T[] ScoreFastEach<T>(IReadOnlyList<string?> texts, int degreeOfParallelism, Func<int, float[], float[], T> result)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var scorer = _scorer.Value;
        var results = new T[texts.Count];
        ForChunks(texts.Count, degreeOfParallelism, (start, end) =>
        {
            var scratch = scorer.CreateScratch();
            for (var i = start; i < end; i++)
            {
                var isco = new float[scorer.Classes];
                var goals = new float[scorer.Goals];
                scorer.Score(_features.Text(texts[i]), scratch, isco, goals);
                results[i] = result(i, isco, goals);
            }
        });
        return results;
    }

    /// <summary>Raw scores through ML.NET's own pipeline (the reference the fast path is tested against).</summary>
    internal IReadOnlyList<(float[] Isco, float[] Goals)> ScoreWithMlNet(IReadOnlyList<string?> texts, int degreeOfParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var results = new (float[], float[])[texts.Count];
        ForChunks(texts.Count, degreeOfParallelism, (start, end) =>
        {
            // A cursor over the transformed batch avoids the per-row object mapping of a prediction engine.
            var rows = new TextRow[end - start];
            for (var i = start; i < end; i++) rows[i - start] = new TextRow { Text = _features.Text(texts[i]) };
            var scored = _model.Transform(_ml.Data.LoadFromEnumerable(rows));
            var iscoColumn = scored.Schema[IscoScoreColumn];
            var goalColumn = scored.Schema[GoalProbabilitiesColumn];
            using var cursor = scored.GetRowCursor([iscoColumn, goalColumn]);
            var iscoGetter = cursor.GetGetter<VBuffer<float>>(iscoColumn);
            var goalGetter = cursor.GetGetter<VBuffer<float>>(goalColumn);
            var iscoBuffer = default(VBuffer<float>);
            var goalBuffer = default(VBuffer<float>);
            for (var i = start; cursor.MoveNext(); i++)
            {
                iscoGetter(ref iscoBuffer);
                goalGetter(ref goalBuffer);
                results[i] = (iscoBuffer.DenseValues().ToArray(), goalBuffer.DenseValues().ToArray());
            }
        });
        return results;
    }

    /// <summary>Codes many descriptions through ML.NET's own pipeline (slower; for comparison).</summary>
    internal IReadOnlyList<ActivityCoding> PredictManyWithMlNet(IReadOnlyList<string?> texts, int degreeOfParallelism = 0) =>
        [.. ScoreWithMlNet(texts, degreeOfParallelism).Select(s => Decide(s.Isco, s.Goals, null))];

    /// <summary>Runs <paramref name="body"/> over contiguous chunks of 0..count on up to the given number of threads (default: all cores).</summary>
    private static void ForChunks(int count, int degreeOfParallelism, Action<int, int> body)
    {
        var workers = degreeOfParallelism > 0 ? degreeOfParallelism : Environment.ProcessorCount;
        var chunk = Math.Max(256, (count + workers - 1) / workers);
        var chunks = (count + chunk - 1) / chunk;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = workers }, c => body(c * chunk, Math.Min(count, c * chunk + chunk)));
    }

    private ActivityCoding Decide(float[] iscoScores, float[] probabilities, string? direction) =>
        Decide(iscoScores, probabilities, direction, Manifest, Manifest.Options, ReviewThreshold, SdgReviewThreshold);

    /// <summary>Whether <paramref name="direction"/> changes this model's answer: a direction its training data know, with a non-zero weight (a study records it per coded record).</summary>
    internal bool UsesDirection(string? direction)
    {
        var key = DirectionEvidence.Key(direction);
        var options = Manifest.Options;
        return key.Length > 0
            && ((options.DirectionGoalWeight != 0 && Manifest.DirectionGoalLogOdds?.ContainsKey(key) == true)
                || (options.DirectionIscoWeight != 0 && Manifest.DirectionClassLogRatio?.ContainsKey(key) == true));
    }

    /// <summary>
    /// The decision from raw scores (changed in place): temperature, the direction's evidence, roll-up to the major group,
    /// proposed goals and the calibrated SDG confidence, with the calibration of <paramref name="calibration"/> (its
    /// temperature, direction weights and SDG slope and offset) rather than the model's options, so that cross-validation
    /// can fit them on out-of-fold scores.
    /// </summary>
    internal static ActivityCoding Decide(float[] iscoScores, float[] probabilities, string? direction, CodingModelManifest manifest, ActivityCoderOptions calibration,
        double iscoThreshold, double sdgThreshold)
    {
        // Classes are sub-major groups ("23") and/or major groups ("9"); a major group's probability is the sum over
        // its classes (roll-up), and the sub-major answer is the most probable two-digit class inside the chosen major.
        var classes = manifest.IscoClasses;
        Temper(iscoScores, calibration.IscoTemperature);
        var key = DirectionEvidence.Key(direction);
        if (key.Length > 0 && calibration.DirectionIscoWeight != 0 && manifest.DirectionClassLogRatio?.TryGetValue(key, out var ratio) == true && ratio.Length == iscoScores.Length)
        {
            var total = 0.0;
            var weighted = new double[iscoScores.Length];
            for (var i = 0; i < iscoScores.Length; i++) total += weighted[i] = iscoScores[i] * Math.Exp(calibration.DirectionIscoWeight * ratio[i]);
            if (total > 0)
                for (var i = 0; i < iscoScores.Length; i++) iscoScores[i] = (float)(weighted[i] / total);
        }

        if (key.Length > 0 && calibration.DirectionGoalWeight != 0 && manifest.DirectionGoalLogOdds?.TryGetValue(key, out var odds) == true && odds.Length == probabilities.Length)
            for (var g = 0; g < probabilities.Length; g++)
                probabilities[g] = (float)DirectionEvidence.Sigmoid(ClampedLogit(probabilities[g]) + calibration.DirectionGoalWeight * odds[g]);

        Span<double> major = stackalloc double[10];
        for (var i = 0; i < iscoScores.Length; i++) major[classes[i][0] - '0'] += iscoScores[i];
        var bestMajor = 1;
        for (var m = 2; m <= 9; m++)
            if (major[m] > major[bestMajor]) bestMajor = m;
        var iscoConfidence = Math.Min(1.0, major[bestMajor]);
        var subMajor = -1;
        for (var i = 0; i < iscoScores.Length; i++)
            if (classes[i].Length == 2 && classes[i][0] - '0' == bestMajor && (subMajor < 0 || iscoScores[i] > iscoScores[subMajor])) subMajor = i;

        // Goals: every goal with p >= 0.5, most probable first (the first is the proposed primary goal); when none
        // reaches 0.5, the most probable goal alone. The SDG confidence is the calibrated probability that the first goal
        // is right: σ(a · logit p + b) (Platt scaling fitted out-of-fold; a = 1, b = 0 leave p).
        var order = Enumerable.Range(0, probabilities.Length).OrderByDescending(g => probabilities[g]).ThenBy(g => g).ToArray();
        var proposed = order.Where(g => probabilities[g] >= 0.5).ToList();
        if (proposed.Count == 0 && order.Length > 0) proposed.Add(order[0]);
        var goals = proposed.Select(g => manifest.SdgGoals[g]).ToArray();
        var goalProbabilities = proposed.Select(g => (double)probabilities[g]).ToArray();
        var sdgConfidence = goalProbabilities.Length == 0 ? 0.0
            : calibration.SdgConfidenceSlope == 1.0 && calibration.SdgConfidenceOffset == 0.0 ? goalProbabilities[0]
            : DirectionEvidence.Sigmoid(calibration.SdgConfidenceSlope * ClampedLogit(goalProbabilities[0]) + calibration.SdgConfidenceOffset);

        // Review candidates: the three most probable classes (sub-major groups where the model has them).
        var candidates = Enumerable.Range(0, iscoScores.Length).OrderByDescending(i => iscoScores[i]).ThenBy(i => i, Comparer<int>.Default).Take(3)
            .Select(i => new IscoCandidate(classes[i], iscoScores[i])).ToArray();
        var needsReview = iscoConfidence < iscoThreshold || sdgConfidence < sdgThreshold;
        return new ActivityCoding(bestMajor.ToString(CultureInfo.InvariantCulture), iscoConfidence, goals, goalProbabilities, sdgConfidence, needsReview)
        {
            IscoSubMajorCode = subMajor >= 0 ? classes[subMajor] : string.Empty,
            IscoSubMajorConfidence = subMajor >= 0 ? iscoScores[subMajor] : 0.0,
            IscoCandidates = candidates,
        };
    }

    /// <summary>logit p with p kept inside [1e-7, 1 − 1e-7], so that a float probability of exactly 0 or 1 stays finite.</summary>
    internal static double ClampedLogit(double p) => DirectionEvidence.Logit(Math.Clamp(p, 1e-7, 1 - 1e-7));

    /// <summary>Temperature scaling in place: p_i ← p_i^(1/T) / Σ_j p_j^(1/T), which equals the softmax of the class scores divided by T.</summary>
    internal static void Temper(float[] probabilities, double temperature)
    {
        if (temperature == 1.0 || probabilities.Length == 0) return;
        var max = probabilities.Max();
        if (max <= 0) return;
        var total = 0.0;
        var scaled = new double[probabilities.Length];
        for (var i = 0; i < probabilities.Length; i++)
        {
            // Relative to the largest probability, so the powers cannot underflow all together.
            scaled[i] = probabilities[i] <= 0 ? 0.0 : Math.Exp(Math.Log(probabilities[i] / max) / temperature);
            total += scaled[i];
        }

        for (var i = 0; i < probabilities.Length; i++) probabilities[i] = (float)(scaled[i] / total);
    }

    private static ActivityCoder BuildDefault()
    {
        using var stream = typeof(ActivityCoder).Assembly.GetManifestResourceStream("ContributionIndex.Classify.Coding.default-model.zip")
            ?? throw new InvalidOperationException("The embedded coding model is missing from the assembly; the build is broken.");
        var coder = Load(stream);
        var expected = ExamplesSha256(DefaultTrainingData());
        if (coder.Manifest.TrainingExamplesSha256 != expected)
            throw new InvalidOperationException($"The embedded coding model was built from other training data ({coder.Manifest.TrainingExamplesSha256}, expected {expected}); rebuild it with 'contrib classify train --out src/ContributionIndex/Classify/Coding/default-model.zip'.");
        return coder;
    }

    /// <summary>SHA-256 (hex) of the canonical form of the examples, as recorded in <see cref="CodingModelManifest.TrainingExamplesSha256"/>.</summary>
    public static string ExamplesSha256(IReadOnlyList<LabelledActivity> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var goals = examples.SelectMany(e => e.SdgGoals).Distinct().Order().ToArray();
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CanonicalExamples(examples, goals))));
    }

    /// <summary>The text the features are computed from (<see cref="ActivityFeatures"/>): the normalised description with this model's stem and concept tokens.</summary>
    internal string FeatureText(string? text) => _features.Text(text);

    private static ITransformer Then<T>(IEstimator<T> estimator, ref IDataView current) where T : ITransformer
    {
        var transformer = estimator.Fit(current);
        current = transformer.Transform(current);
        return transformer;
    }

    /// <summary>The ML.NET package version (its assembly version is always 1.0.0.0), without the source-commit suffix.</summary>
    private static string MlNetPackageVersion()
    {
        var informational = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus >= 0 ? informational[..plus] : informational;
    }

    private static string GoalColumn(int goal) => string.Create(CultureInfo.InvariantCulture, $"goal_{goal}");

    private static string ProbabilityColumn(int goal) => string.Create(CultureInfo.InvariantCulture, $"p_{goal}");

    /// <summary>One line per example: normalised text, ISCO class (sub-major group when known, else major group), one true/false per goal, the language and 1/0 for goals known, tab-separated.</summary>
    /// <remarks>Without <paramref name="trainingOptions"/> this is the canonical form that is hashed (the data, whatever the options); with them it is
    /// what the trainers read: the feature text, and the major group alone when <see cref="ActivityCoderOptions.SubMajorClasses"/> is off.</remarks>
    private static string CanonicalExamples(IReadOnlyList<LabelledActivity> examples, int[] goals, ActivityCoderOptions? trainingOptions = null, ActivityFeatures? features = null)
    {
        var builder = new StringBuilder();
        foreach (var example in examples)
        {
            var label = trainingOptions is { SubMajorClasses: false } ? example.IscoMajorGroup.ToString(CultureInfo.InvariantCulture) : example.IscoClass;
            builder.Append(features is null ? ActivityText.Normalize(example.Text) : features.Text(example.Text)).Append('\t')
                .Append(label);
            foreach (var goal in goals) builder.Append('\t').Append(example.SdgGoals.Contains(goal) ? "true" : "false");
            builder.Append('\t').Append(example.Language).Append('\t').Append(example.SdgGoals.Count > 0 ? '1' : '0').Append('\n');
        }

        return builder.ToString();
    }

    private static IDataView LoadCanonical(MLContext ml, string canonical, int[] goals)
    {
        var columns = new List<TextLoader.Column> { new(TextColumn, DataKind.String, 0), new("Isco", DataKind.String, 1) };
        for (var g = 0; g < goals.Length; g++) columns.Add(new TextLoader.Column(GoalColumn(goals[g]), DataKind.Boolean, 2 + g));
        columns.Add(new TextLoader.Column(HasGoalsColumn, DataKind.Single, 3 + goals.Length));
        var loader = ml.Data.CreateTextLoader(new TextLoader.Options
        {
            Columns = [.. columns],
            Separators = ['\t'],
            HasHeader = false,
            AllowQuoting = false,
            TrimWhitespace = false,
            UseThreads = false,
        });
        return loader.Load(new InMemorySource(canonical));
    }

    private static DataViewSchema InputSchema(MLContext ml) => ml.Data.LoadFromEnumerable(Array.Empty<TextRow>()).Schema;

    private static void WriteEntry(ZipArchive archive, string name, byte[] content)
    {
        var entry = archive.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = FixedZipTime;
        using var stream = entry.Open();
        stream.Write(content);
    }

    /// <summary>Rewrites ML.NET's model zip with fixed entry times (ML.NET stamps the current time), keeping entry order and content.</summary>
    /// <remarks>
    /// ML.NET compresses its entries as <see cref="WriteEntry"/> does (same library, level Optimal), so only the DOS times in the
    /// local and central headers differ from a recompressed copy: they are overwritten in place, which gives the same bytes as
    /// recompressing every entry without the ~2.5 s it took for the 48 MB model. A zip this does not recognise is recompressed.
    /// </remarks>
    internal static byte[] Repack(MemoryStream mlnetZip)
    {
        var bytes = mlnetZip.ToArray();
        if (TryStampFixedTimes(bytes)) return bytes;
        mlnetZip.Position = 0;
        return Recompress(mlnetZip);
    }

    /// <summary>The DOS time and date (4 bytes, as in a zip header) that <see cref="WriteEntry"/> writes for <see cref="FixedZipTime"/>.</summary>
    private static readonly Lazy<byte[]> FixedDosTime = new(() =>
    {
        using var zip = new MemoryStream();
        using (var archive = new ZipArchive(zip, ZipArchiveMode.Create, leaveOpen: true)) WriteEntry(archive, "x", []);
        return zip.ToArray().AsSpan(10, 4).ToArray();
    });

    /// <summary>
    /// Overwrites the modification time and date of every entry of a zip (no comment, no zip64, no data descriptors: what
    /// <see cref="ZipArchive"/> writes to a seekable stream) with <see cref="FixedDosTime"/>; false, and nothing changed, for
    /// any other layout.
    /// </summary>
    private static bool TryStampFixedTimes(byte[] zip)
    {
        const int EndLength = 22, CentralLength = 46, LocalLength = 30;
        static uint U32(byte[] b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(at));
        static int U16(byte[] b, int at) => System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(at));
        var end = zip.Length - EndLength;
        if (end < 0 || U32(zip, end) != 0x06054b50 || U16(zip, end + 20) != 0) return false;
        var entries = U16(zip, end + 10);
        var central = (long)U32(zip, end + 16);
        if (central + U32(zip, end + 12) != end) return false;
        var positions = new List<(int Central, int Local)>(entries);
        var at = (int)central;
        for (var i = 0; i < entries; i++)
        {
            if (at + CentralLength > end || U32(zip, at) != 0x02014b50) return false;
            var flags = U16(zip, at + 8);
            var local = U32(zip, at + 42);
            if ((flags & 0x8) != 0 || local + LocalLength > central || U32(zip, (int)local) != 0x04034b50) return false;
            positions.Add((at, (int)local));
            at += CentralLength + U16(zip, at + 28) + U16(zip, at + 30) + U16(zip, at + 32);
        }

        if (at != end) return false;
        var time = FixedDosTime.Value;
        foreach (var (centralAt, localAt) in positions)
        {
            time.CopyTo(zip, centralAt + 12);
            time.CopyTo(zip, localAt + 10);
        }

        return true;
    }

    /// <summary>Rewrites a zip entry by entry (decompress, recompress) with fixed entry times, keeping entry order and content.</summary>
    internal static byte[] Recompress(Stream mlnetZip)
    {
        using var output = new MemoryStream();
        using (var source = new ZipArchive(mlnetZip, ZipArchiveMode.Read, leaveOpen: true))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var content = new MemoryStream();
                using (var entryStream = entry.Open()) entryStream.CopyTo(content);
                WriteEntry(target, entry.FullName, content.ToArray());
            }
        }

        return output.ToArray();
    }

    private sealed class TextRow
    {
        [ColumnName(TextColumn)]
        public string Text { get; set; } = string.Empty;
    }

    /// <summary>Feeds an in-memory TSV to ML.NET's text loader, so the goal columns can follow the data.</summary>
    private sealed class InMemorySource(string content) : IMultiStreamSource
    {
        public int Count => 1;

        public string? GetPathOrNull(int index) => null;

        public Stream Open(int index) => new MemoryStream(Encoding.UTF8.GetBytes(content));

        public TextReader OpenTextReader(int index) => new StringReader(content);
    }
}
