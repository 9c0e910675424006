using ContributionIndex.Indicators.Taxonomy;
using ContributionIndex.Studies;

namespace ContributionIndex.Estimation.Volunteering;

/// <summary>How replicate weights are obtained when the inputs declare none.</summary>
public enum ReplicateConversionKind
{
    /// <summary>No conversion: estimates use Taylor linearisation; indicators and the index use JKn (JK1 when unstratified).</summary>
    None,

    /// <summary>Stratified delete-one-PSU jackknife for estimates, indicators and the index.</summary>
    Jkn,

    /// <summary>Unstratified delete-one-PSU jackknife.</summary>
    Jk1,

    /// <summary>Rao–Wu bootstrap with the study's number of replicates and seed.</summary>
    Bootstrap,
}

/// <summary>The estimation choices of study mode, resolved from the study's <c>estimation:</c> section (all defaults documented in methodology/volunteer-estimates.md).</summary>
public sealed record VolunteerEstimationSettings
{
    /// <summary>Person-level domains estimated besides the whole population (names of <see cref="PersonVariables"/>).</summary>
    public IReadOnlyList<string> Domains { get; init; } = [PersonVariables.Sex, PersonVariables.AgeGroup, PersonVariables.Youth, PersonVariables.Region,
        PersonVariables.UrbanRural, PersonVariables.Disability, PersonVariables.EmploymentStatus];

    /// <summary>Confidence level, release rules and component keeping passed to <see cref="SurveyEstimator"/>.</summary>
    public EstimationOptions Options { get; init; } = EstimationOptions.Default;

    /// <summary>The lonely-PSU policy of the Taylor designs.</summary>
    public LonelyPsuPolicy LonelyPsu { get; init; } = LonelyPsuPolicy.Fail;

    /// <summary>How hours and values of multi-SDG activities are allocated to goals.</summary>
    public AllocationRule SdgAllocation { get; init; } = AllocationRule.EqualSplit;

    /// <summary>Method of declared replicate weights (null when the inputs declare none).</summary>
    public ReplicateMethod? ReplicateMethod { get; init; }

    /// <summary>Fay's rho for declared Fay replicates.</summary>
    public double? Rho { get; init; }

    /// <summary>The replicate scale, where the method allows one.</summary>
    public double? Scale { get; init; }

    /// <summary>Per-replicate constants of declared replicates (required for JKn).</summary>
    public IReadOnlyList<double>? RScales { get; init; }

    /// <summary>Centre replicate variances on the full-sample estimate.</summary>
    public bool Mse { get; init; }

    /// <summary>Replicates built from strata and PSUs when none are declared.</summary>
    public ReplicateConversionKind Convert { get; init; } = ReplicateConversionKind.None;

    /// <summary>Bootstrap replicates for <see cref="ReplicateConversionKind.Bootstrap"/>.</summary>
    public int BootstrapReplicates { get; init; } = 100;

    /// <summary>Seed of the bootstrap generator.</summary>
    public ulong Seed { get; init; } = 20221125UL;

    /// <summary>Resolves the settings from a loaded (validated) study.</summary>
    public static VolunteerEstimationSettings FromStudy(Study study)
    {
        ArgumentNullException.ThrowIfNull(study);
        var e = study.Estimation;
        var rules = e.Quality switch
        {
            "abs" => QualityRules.AustralianBureauOfStatistics,
            "custom" => new QualityRules(e.PublishCv!.Value, true, e.CautionCv!.Value, true, e.MinimumN ?? 10),
            _ => QualityRules.StatisticsCanada,
        };
        var r = e.Replicates;
        return new VolunteerEstimationSettings
        {
            Domains = [.. e.Domains],
            Options = EstimationOptions.Default with { ConfidenceLevel = e.ConfidenceLevel, Quality = rules },
            LonelyPsu = Enum.Parse<LonelyPsuPolicy>(e.LonelyPsu, ignoreCase: true),
            SdgAllocation = e.SdgAllocation switch
            {
                "primary-only" => AllocationRule.PrimaryOnly,
                "full-attribution" => AllocationRule.FullAttribution,
                _ => AllocationRule.EqualSplit,
            },
            ReplicateMethod = r.Method switch
            {
                null => null,
                "jk1" => Estimation.ReplicateMethod.Jk1,
                "jkn" => Estimation.ReplicateMethod.Jkn,
                "brr" => Estimation.ReplicateMethod.Brr,
                "fay" => Estimation.ReplicateMethod.Fay,
                "bootstrap" => Estimation.ReplicateMethod.Bootstrap,
                _ => Estimation.ReplicateMethod.Other,
            },
            Rho = r.Rho,
            Scale = r.Scale,
            RScales = r.Rscales.Count == 0 ? null : [.. r.Rscales],
            Mse = r.Mse,
            Convert = r.Convert switch
            {
                "jkn" => ReplicateConversionKind.Jkn,
                "jk1" => ReplicateConversionKind.Jk1,
                "bootstrap" => ReplicateConversionKind.Bootstrap,
                _ => ReplicateConversionKind.None,
            },
            BootstrapReplicates = r.BootstrapReplicates,
            Seed = unchecked((ulong)r.Seed),
        };
    }
}
