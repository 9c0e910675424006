using ContributionIndex.Indicators.Taxonomy;
using ContributionIndex.Studies;

namespace ContributionIndex.Estimation.Volunteering;

/// <summary>How replicate weights are obtained when the inputs declare none.</summary>
public enum ReplicateConversionKind
{
    /// <summary>JKn replicates when the design is stratified, JK1 when it is not (R <c>as.svrepdesign</c>'s default): the study default.</summary>
    Auto,

    /// <summary>No conversion: Taylor linearisation for estimates; indicators and the index get no standard errors.</summary>
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

    /// <summary>Confidence level, release rules, component keeping and the interval of volunteer rates passed to <see cref="SurveyEstimator"/>.</summary>
    /// <remarks>Volunteer rates get R <c>svyciprop</c>'s logit interval by default (<see cref="ProportionInterval.Logit"/>), which stays inside [0, 1] for small domains.</remarks>
    public EstimationOptions Options { get; init; } = EstimationOptions.Default with { ProportionInterval = ProportionInterval.Logit };

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
    public ReplicateConversionKind Convert { get; init; } = ReplicateConversionKind.Auto;

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
            QualityRuleSet.Abs => QualityRules.AustralianBureauOfStatistics,
            QualityRuleSet.Custom => new QualityRules(e.PublishCv!.Value, true, e.CautionCv!.Value, true, e.MinimumN ?? 10),
            _ => QualityRules.StatisticsCanada,
        };
        var r = e.Replicates;
        return new VolunteerEstimationSettings
        {
            Domains = [.. e.Domains],
            Options = EstimationOptions.Default with { ConfidenceLevel = e.ConfidenceLevel, Quality = rules, ProportionInterval = ProportionInterval.Logit },
            LonelyPsu = e.LonelyPsu,
            SdgAllocation = e.SdgAllocation,
            ReplicateMethod = r.Method,
            Rho = r.Rho,
            Scale = r.Scale,
            RScales = r.Rscales.Count == 0 ? null : [.. r.Rscales],
            Mse = r.Mse,
            Convert = r.Convert,
            BootstrapReplicates = r.BootstrapReplicates,
            Seed = unchecked((ulong)r.Seed),
        };
    }
}
