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

    /// <summary>Longest character n-gram used as a feature (at most 8); all lengths from 1 up to it are used.</summary>
    /// <remarks>Character n-grams carry Russian and Kazakh morphology: сажал/сажала/сажали and отырғыздым/отырғыздық share them. 5 with TF-IDF
    /// was chosen on the evaluation set against 4 with term frequencies, as issue #17 asks (methodology/coding/README.md: major top-1 0.860 against 0.773).</remarks>
    public int CharNgramLength { get; init; } = 5;

    /// <summary>L2 regularisation weight of the maximum-entropy and logistic-regression trainers.</summary>
    public float L2Regularization { get; init; } = 0.1f;

    /// <summary>L1 regularisation weight of the trainers (0: none).</summary>
    /// <remarks>0 was chosen by group-aware cross-validation (methodology/coding/README.md): with 1,500 hand-written examples, L1 = 0.1 dropped useful rare n-grams.</remarks>
    public float L1Regularization { get; init; }

    /// <summary>Convergence tolerance of the L-BFGS trainers (ML.NET's default is 1e-7); a larger value stops training earlier.</summary>
    /// <remarks>1e-4 halves training time against 1e-7; group-aware cross-validation accuracy differed by less than a percentage point.</remarks>
    public float OptimizationTolerance { get; init; } = 1e-4f;

    /// <summary>Convergence tolerance of the L-BFGS trainer of the ISCO maximum-entropy model (the goal models use <see cref="OptimizationTolerance"/>).</summary>
    /// <remarks>1e-3 from coder 2.4 (1e-4 up to 2.3): the ISCO model is the longest step of training, and with 1e-3 its ISCO major top-1 and
    /// primary-goal figures on set A and the team set stayed within half a point (methodology/coding/evaluation.md, "Training time (coder 2.4)").</remarks>
    public float IscoOptimizationTolerance { get; init; } = 1e-3f;

    /// <summary>Threads on which the ISCO model's L-BFGS computes its gradient: the rows are cut into this many fixed chunks whose
    /// gradients are added in chunk order, so the model depends on this number but not on the machine's cores.</summary>
    /// <remarks>2 from coder 2.5 (1 up to 2.4): the ISCO model is most of the training time, and its gradient is most of that
    /// (methodology/coding/evaluation.md, "Training time (coder 2.5)"). The goal models train beside it on the core its
    /// single-threaded L-BFGS steps leave idle. A model saved before this option existed (manifest format ≤ 4) was trained with 1.</remarks>
    public int IscoTrainingThreads { get; init; } = 2;

    /// <summary>Number of past steps the ISCO model's L-BFGS keeps to approximate the curvature (ML.NET's default is 20).</summary>
    /// <remarks>A model saved before this option existed (manifest format ≤ 4) was trained with 20.</remarks>
    public int IscoHistorySize { get; init; } = 20;

    /// <summary>The models learn only from n-gram slots found in at least this many training descriptions (1: every slot); the others keep weight 0, but still count in each description's L2 norm.</summary>
    /// <remarks>2 from coder 2.4: half of the slots occur in one description only, and the L-BFGS cost of the ISCO model grows with 39 × slots
    /// (methodology/coding/evaluation.md, "Training time (coder 2.4)"). A model saved before this option existed (manifest format ≤ 3) was trained with 1.</remarks>
    public int MinimumDocumentFrequency { get; init; } = 2;

    /// <summary>When above 0, each word longer than this many letters also contributes a stem token (its first letters), so that unseen inflections of a known stem share a word feature; 0 turns prefix stems off.</summary>
    /// <remarks>0 from coder 2.3 (5 up to 2.2): the language stems (<see cref="LanguageStems"/>) replace them; with both, set A's ISCO major top-1 was lower
    /// (methodology/coding/evaluation.md, "Stems and task concepts (coder 2.3 features)").</remarks>
    public int StemLength { get; init; }

    /// <summary>When true, each word of three letters or more also contributes its language stem + '_': Snowball Russian or English, or the Kazakh suffix stripper (<see cref="KazakhStemmer"/>), chosen by the word's letters (methodology/coding/README.md, "Model", step 1).</summary>
    /// <remarks>On from coder 2.3. A model saved before this option existed (manifest format 2) is read with it off, so it featurises as it was trained.</remarks>
    public bool LanguageStems { get; init; } = true;

    /// <summary>When true, each task concept of the model's lexicon (<see cref="ConceptLexicon"/>, methodology/coding/lexicon.tsv) found in a description adds one token <c>zc_concept</c>; the lexicon is stored in the model.</summary>
    /// <remarks>On from coder 2.3: with the language stems, the best variant on set A (ISCO major top-1 0.846 against 0.813 for coder 2.2's features, primary goal 0.852 against
    /// 0.799) and not worse on the team's evaluation set (methodology/coding/evaluation.md, "Stems and task concepts (coder 2.3 features)").</remarks>
    public bool ConceptTokens { get; init; } = true;

    /// <summary>When true (the default), the ISCO model learns sub-major groups wherever the data give them, and major-group probabilities are sums over their sub-major groups; when false it learns major groups only.</summary>
    public bool SubMajorClasses { get; init; } = true;

    /// <summary>Temperature T applied to the ISCO class probabilities (q ∝ p^(1/T), the softmax of the scores divided by T); 1 leaves them as trained.</summary>
    /// <remarks>Fitted by minimising the log loss of the group-aware cross-validation's out-of-fold predictions (0.68 is the value
    /// <c>contrib classify calibrate</c> fitted for the shipped model, methodology/coding/calibration.md); it never changes which class is most probable, but the major group is chosen on sums of class probabilities, so it can change that choice.</remarks>
    public double IscoTemperature { get; init; } = 0.68;

    /// <summary>When true, n-gram counts are multiplied by their inverse document frequency ln(N / df) over the training texts (TF-IDF) before the L2 norm; when false, plain term frequencies.</summary>
    public bool InverseDocumentFrequency { get; init; } = true;

    /// <summary>Slope a of the SDG confidence calibration: the confidence is σ(a · logit(p) + b) for the probability p of the proposed first goal (1 and 0 leave p as it is).</summary>
    /// <remarks>Platt scaling fitted on the out-of-fold predictions of group-aware cross-validation on the training data (<c>contrib classify calibrate</c>); the goal probabilities of the 17 one-vs-rest models are under-confident as a measure of "the first goal is right".</remarks>
    public double SdgConfidenceSlope { get; init; } = 0.6642;

    /// <summary>Offset b of the SDG confidence calibration (see <see cref="SdgConfidenceSlope"/>).</summary>
    public double SdgConfidenceOffset { get; init; } = 1.082;

    /// <summary>Weight β of the Forum direction's evidence for the goals: logit p_g ← logit p_g + β · (logit P(g | direction) − logit P(g)), the counts from the training data (0: direction not used).</summary>
    /// <remarks>With β = 1 this is the naive-Bayes update of the text's probability by the direction; β is fitted out-of-fold (<c>contrib classify calibrate</c>). Applies only when a description comes with a direction the training data know.</remarks>
    public double DirectionGoalWeight { get; init; } = 0.70;

    /// <summary>Weight of the Forum direction's evidence for the ISCO classes: p_k ← p_k · (P(k | direction) / P(k))^β, renormalised (0: direction not used).</summary>
    public double DirectionIscoWeight { get; init; } = 0.30;

    /// <summary>A prediction whose ISCO major-group confidence is below this value is flagged for review.</summary>
    /// <remarks>0.92: chosen with θ_SDG on set A (methodology/coding/independent-set/, the development set), input with the Forum direction, as the pair that auto-codes the most answers while the auto-coded answers of every language keep ≥ 95 % of major groups and first goals right (methodology/coding/choose_thresholds.py, evaluation.md). The out-of-fold choice of <c>contrib classify calibrate</c> is 0.88 (calibration.md).</remarks>
    public double ReviewThreshold { get; init; } = 0.92;

    /// <summary>A prediction whose SDG confidence (the calibrated probability that the first proposed goal is right) is below this value is flagged for review.</summary>
    /// <remarks>0.68: chosen with <see cref="ReviewThreshold"/> on set A (see there); the out-of-fold choice of <c>contrib classify calibrate</c> is 0.81.</remarks>
    public double SdgReviewThreshold { get; init; } = 0.68;
}
