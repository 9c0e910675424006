using System.Collections.Frozen;
using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation;
using ContributionIndex.Estimation.Volunteering;
using ContributionIndex.Indicators.Composite;
using ContributionIndex.Indicators.Taxonomy;
using ContributionIndex.Ingest;
using ContributionIndex.Valuation;

namespace ContributionIndex.Studies;

/// <summary>The release-rule set of <c>estimation.quality</c>.</summary>
public enum QualityRuleSet
{
    /// <summary>Statistics Canada: CV ≤ 16.5 % published, ≤ 33.3 % with caution, else suppressed; n ≥ 10.</summary>
    StatisticsCanada,

    /// <summary>Australian Bureau of Statistics: relative standard error ≤ 25 % published, ≤ 50 % with caution.</summary>
    Abs,

    /// <summary>The study's own limits (<see cref="EstimationSpec.PublishCv"/>, <see cref="EstimationSpec.CautionCv"/>, <see cref="EstimationSpec.MinimumN"/>).</summary>
    Custom,
}

/// <summary>
/// The one mapping between the option words of study files and command lines (<c>hour-log</c>, <c>minimum-wage</c>,
/// <c>jkn</c>, ...) and the library's enums. The YAML loader, the command line and every writer use it, so a word means
/// the same everywhere and is parsed once.
/// </summary>
public static class StudyChoices
{
    private static readonly FrozenDictionary<Type, (string Word, Enum Value)[]> Table = new Dictionary<Type, (string, Enum)[]>
    {
        [typeof(InputKind)] = [("survey", InputKind.Survey), ("hour-log", InputKind.HourLog)],
        [typeof(OpportunityCostPolicy)] =
        [
            ("zero", OpportunityCostPolicy.Zero), ("minimum-wage", OpportunityCostPolicy.MinimumWage),
            ("share-of-average", OpportunityCostPolicy.ShareOfAverage), ("imputed", OpportunityCostPolicy.Imputed),
        ],
        [typeof(GeneralistWageBasis)] = [("average", GeneralistWageBasis.Average), ("community-social-services", GeneralistWageBasis.CommunitySocialServices)],
        [typeof(ValuationMethod)] =
        [
            ("specialist", ValuationMethod.Specialist), ("generalist", ValuationMethod.Generalist),
            ("hybrid", ValuationMethod.Hybrid), ("opportunity", ValuationMethod.Opportunity),
        ],
        [typeof(QualityRuleSet)] = [("statistics-canada", QualityRuleSet.StatisticsCanada), ("abs", QualityRuleSet.Abs), ("custom", QualityRuleSet.Custom)],
        [typeof(LonelyPsuPolicy)] =
        [
            ("fail", LonelyPsuPolicy.Fail), ("remove", LonelyPsuPolicy.Remove), ("certainty", LonelyPsuPolicy.Certainty),
            ("adjust", LonelyPsuPolicy.Adjust), ("average", LonelyPsuPolicy.Average),
        ],
        // User weights need per-tag weights, which records do not carry: not a study choice.
        [typeof(ProportionInterval)] =
        [
            ("mean", ProportionInterval.Mean), ("logit", ProportionInterval.Logit), ("xlogit", ProportionInterval.Xlogit),
            ("asin", ProportionInterval.Asin), ("beta", ProportionInterval.Beta), ("likelihood", ProportionInterval.Likelihood),
        ],
        [typeof(CalibrationFunction)] = [("linear", CalibrationFunction.Linear), ("raking", CalibrationFunction.Raking), ("logit", CalibrationFunction.Logit)],
        [typeof(AllocationRule)] = [("equal-split", AllocationRule.EqualSplit), ("primary-only", AllocationRule.PrimaryOnly), ("full-attribution", AllocationRule.FullAttribution)],
        [typeof(ReplicateMethod)] =
        [
            ("jk1", ReplicateMethod.Jk1), ("jkn", ReplicateMethod.Jkn), ("brr", ReplicateMethod.Brr), ("fay", ReplicateMethod.Fay),
            ("bootstrap", ReplicateMethod.Bootstrap), ("other", ReplicateMethod.Other),
        ],
        [typeof(ReplicateConversionKind)] =
        [
            ("auto", ReplicateConversionKind.Auto), ("none", ReplicateConversionKind.None), ("jkn", ReplicateConversionKind.Jkn),
            ("jk1", ReplicateConversionKind.Jk1), ("bootstrap", ReplicateConversionKind.Bootstrap),
        ],
        [typeof(NormalisationMethod)] =
        [
            ("bounded", NormalisationMethod.Bounded), ("minmax", NormalisationMethod.MinMax), ("zscore", NormalisationMethod.ZScore),
            ("rank", NormalisationMethod.Rank), ("percentile", NormalisationMethod.Percentile), ("target", NormalisationMethod.DistanceToTarget),
            ("none", NormalisationMethod.None),
        ],
        [typeof(AggregationMethod)] =
        [
            ("arithmetic", AggregationMethod.Arithmetic), ("geometric", AggregationMethod.Geometric),
            ("harmonic", AggregationMethod.Harmonic), ("power", AggregationMethod.Generalised),
        ],
        [typeof(WeightingMethod)] = [("equal", WeightingMethod.Equal), ("explicit", WeightingMethod.Explicit), ("pca", WeightingMethod.Pca)],
        [typeof(ImputationMethod)] = [("none", ImputationMethod.None), ("group-mean", ImputationMethod.GroupMean)],
    }.ToFrozenDictionary();

    /// <summary>Whether <paramref name="type"/> is an enum whose values are written as study-file words.</summary>
    public static bool Has(Type type) => Table.ContainsKey(type);

    /// <summary>The words of an option, in documentation order.</summary>
    public static IReadOnlyList<string> Words<TEnum>() where TEnum : struct, Enum => Words(typeof(TEnum));

    /// <summary>The words of an option type, in documentation order.</summary>
    public static IReadOnlyList<string> Words(Type type) => [.. Entries(type).Select(e => e.Word)];

    /// <summary>The study-file word of a value (e.g. <see cref="InputKind.HourLog"/> → <c>hour-log</c>).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value has no word (it cannot be chosen in a study file).</exception>
    public static string Word<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        foreach (var (word, candidate) in Entries(typeof(TEnum)))
            if (candidate.Equals(value)) return word;
        throw new ArgumentOutOfRangeException(nameof(value), value, $"{typeof(TEnum).Name}.{value} cannot be written in a study file.");
    }

    /// <summary>Parses a word, ignoring case and surrounding spaces; false when it is not one of the option's words.</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum
    {
        if (TryParse(typeof(TEnum), text, out var boxed))
        {
            value = (TEnum)boxed;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>Parses a word of an option type; false when it is not one of its words.</summary>
    public static bool TryParse(Type type, string? text, out Enum value)
    {
        var word = text?.Trim();
        foreach (var (candidate, option) in Entries(type))
        {
            if (string.Equals(candidate, word, StringComparison.OrdinalIgnoreCase))
            {
                value = option;
                return true;
            }
        }

        value = default!;
        return false;
    }

    /// <summary>Parses a word or throws a <see cref="StudyFileException"/> at <paramref name="location"/> that suggests the nearest word.</summary>
    /// <param name="text">The word as written.</param>
    /// <param name="name">The option's name for the message, e.g. <c>--normalisation</c> or <c>index.normalisation</c>.</param>
    /// <param name="location">Where the word was written.</param>
    public static TEnum Parse<TEnum>(string? text, string name, SourceLocation location) where TEnum : struct, Enum =>
        (TEnum)Parse(typeof(TEnum), text, name, location);

    /// <summary>Parses a word of an option type or throws a <see cref="StudyFileException"/> that suggests the nearest word.</summary>
    public static Enum Parse(Type type, string? text, string name, SourceLocation location)
    {
        if (TryParse(type, text, out var value)) return value;
        var words = Words(type);
        var nearest = NameSuggestions.Nearest(text ?? "", words);
        throw new StudyFileException(location, $"'{text}' is not a valid {name};",
            nearest is not null ? $"did you mean '{nearest}'? Valid: {string.Join(", ", words)}." : $"valid: {string.Join(", ", words)}.");
    }

    private static (string Word, Enum Value)[] Entries(Type type) =>
        Table.TryGetValue(type, out var entries) ? entries : throw new ArgumentException($"{type.Name} is not a study option.", nameof(type));
}
