namespace ContributionIndex.Classify.Coding;

/// <summary>Settings of the activity coder: training seed, feature sizes, regularisation and the review threshold.</summary>
public sealed record ActivityCoderOptions
{
    /// <summary>The default options, which build the model that ships with the tool.</summary>
    public static ActivityCoderOptions Default { get; } = new();

    /// <summary>Seed of the ML.NET context; with single-threaded trainers the same data and seed give the same model.</summary>
    public int Seed { get; init; } = 20220915;

    /// <summary>Longest word n-gram used as a feature (1 = words only).</summary>
    public int WordNgramLength { get; init; } = 2;

    /// <summary>Longest character n-gram used as a feature; all lengths from 1 up to it are used.</summary>
    /// <remarks>Character n-grams carry Russian and Kazakh morphology: сажал/сажала/сажали and отырғыздым/отырғыздық share them.</remarks>
    public int CharNgramLength { get; init; } = 4;

    /// <summary>L2 regularisation weight of the maximum-entropy and logistic-regression trainers.</summary>
    public float L2Regularization { get; init; } = 0.1f;

    /// <summary>L1 regularisation weight of the trainers (keeps the model small).</summary>
    public float L1Regularization { get; init; } = 0.1f;

    /// <summary>When above 0, each word longer than this many letters also contributes a stem token (its first letters), so that unseen inflections of a known stem share a word feature; 0 turns stems off.</summary>
    public int StemLength { get; init; } = 5;

    /// <summary>A prediction whose ISCO or SDG confidence is below this value is flagged for review.</summary>
    public double ReviewThreshold { get; init; } = 0.6;
}
