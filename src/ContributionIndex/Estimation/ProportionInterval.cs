namespace ContributionIndex.Estimation;

/// <summary>How the confidence interval of a proportion is formed (R <c>svyciprop(method = ...)</c>).</summary>
/// <remarks>The standard error stays the linearised or replicate SE of the proportion in every case; only the interval changes. See methodology/estimation.md.</remarks>
public enum ProportionInterval
{
    /// <summary>Wald interval p ± t·SE, which can leave [0, 1] (R <c>method = "mean"</c>).</summary>
    Mean,

    /// <summary>Wald interval for the intercept of a quasibinomial design-based logistic regression, mapped back by the inverse logit (R <c>method = "logit"</c>).</summary>
    Logit,

    /// <summary>Wald interval on the logit scale with the delta-method SE SE/(p(1 − p)) (R <c>method = "xlogit"</c>).</summary>
    Xlogit,

    /// <summary>Wald interval on the arcsine-square-root scale with the delta-method SE (R <c>method = "asin"</c>).</summary>
    Asin,

    /// <summary>Clopper–Pearson interval with the effective sample size p(1 − p)/V adjusted for the design df (R <c>method = "beta"</c>).</summary>
    Beta,

    /// <summary>Profile-likelihood interval of the quasibinomial intercept, the deviance scaled by the Rao–Scott design effect (R <c>method = "likelihood"</c>; Taylor designs).</summary>
    Likelihood,
}
