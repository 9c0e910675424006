using System.Text.Json.Serialization;

namespace ContributionIndex.Classify.Coding;

/// <summary>What a saved coding model was built from: data hash, seed, options, classes and goals.</summary>
public sealed record CodingModelManifest
{
    /// <summary>Format version of the model file.</summary>
    /// <remarks>3 adds <see cref="ActivityCoderOptions.LanguageStems"/>, <see cref="ActivityCoderOptions.ConceptTokens"/> and the lexicon entry; a format-2 model is read with both off (it featurises as before).
    /// 4 adds <see cref="ActivityCoderOptions.MinimumDocumentFrequency"/> and <see cref="ActivityCoderOptions.IscoOptimizationTolerance"/>; 5 adds
    /// <see cref="ActivityCoderOptions.IscoTrainingThreads"/> and <see cref="ActivityCoderOptions.IscoHistorySize"/> (older models are read with the values they were trained with).</remarks>
    [JsonPropertyName("format")] public int Format { get; init; } = CurrentFormat;

    /// <summary>The format written by this version.</summary>
    internal const int CurrentFormat = 5;

    /// <summary>Version of the coder: the coding rules, training data and features it was built with (methodology/coding/README.md); it goes into the run manifest.</summary>
    [JsonPropertyName("coder_version")] public string CoderVersion { get; init; } = ActivityCoder.Version;

    /// <summary>SHA-256 (hex) of the canonical training examples (normalised text, language, ISCO, goals, one per line), independent of file format.</summary>
    [JsonPropertyName("training_examples_sha256")] public required string TrainingExamplesSha256 { get; init; }

    /// <summary>Number of training examples.</summary>
    [JsonPropertyName("training_examples")] public required int TrainingExamples { get; init; }

    /// <summary>The ML.NET version used to train.</summary>
    [JsonPropertyName("mlnet_version")] public required string MlNetVersion { get; init; }

    /// <summary>The options the model was trained with (the review threshold can be changed when predicting).</summary>
    [JsonPropertyName("options")] public required ActivityCoderOptions Options { get; init; }

    /// <summary>ISCO classes in the order of the model's score vector: sub-major groups ("23"), or major groups ("9") for examples coded only to the major group.</summary>
    [JsonPropertyName("isco_classes")] public required IReadOnlyList<string> IscoClasses { get; init; }

    /// <summary>SDG goals with a binary model, in the order of the goal-probability vector.</summary>
    [JsonPropertyName("sdg_goals")] public required IReadOnlyList<int> SdgGoals { get; init; }

    /// <summary>Per Forum direction, the evidence the direction gives for each goal (logit P(g | direction) − logit P(g), in the order of <see cref="SdgGoals"/>), counted on the training data with add-one smoothing; null when the training data have no directions.</summary>
    [JsonPropertyName("direction_goal_log_odds")] public IReadOnlyDictionary<string, double[]>? DirectionGoalLogOdds { get; init; }

    /// <summary>Per Forum direction, ln(P(k | direction) / P(k)) for each ISCO class (in the order of <see cref="IscoClasses"/>), counted on the training data with add-one smoothing; null when the training data have no directions.</summary>
    [JsonPropertyName("direction_class_log_ratio")] public IReadOnlyDictionary<string, double[]>? DirectionClassLogRatio { get; init; }

    /// <summary>SHA-256 (hex) of the concept lexicon stored in the model zip (lexicon.tsv), or null when the model uses no concepts.</summary>
    [JsonPropertyName("lexicon_sha256")] public string? LexiconSha256 { get; init; }

    /// <summary>Number of forms in the stored concept lexicon, or null when the model uses no concepts.</summary>
    [JsonPropertyName("lexicon_forms")] public int? LexiconForms { get; init; }

    /// <summary>Figures of this model on the evaluation set (written by <c>contrib classify train --evaluation-set</c>; keys such as <c>kk.isco_major_top1</c>), or null when it was not scored.</summary>
    [JsonPropertyName("evaluation")] public IReadOnlyDictionary<string, double>? Evaluation { get; init; }
}
