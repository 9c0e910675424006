namespace ContributionIndex.Estimation.Regression;

/// <summary>The error family and link of a design-based GLM (R <c>svyglm(family = ...)</c>).</summary>
/// <remarks>
/// The binomial and Poisson models are fitted as R's quasi-families (<c>quasibinomial()</c>, <c>quasipoisson()</c>), which
/// give the same coefficients and design-based SEs without warnings for non-integer weighted counts; the link is the
/// canonical one (identity, logit, log).
/// </remarks>
public enum ModelFamily
{
    /// <summary>Linear regression: identity link, constant variance (R <c>gaussian()</c>).</summary>
    Gaussian,

    /// <summary>Logistic regression: logit link, variance μ(1 − μ) (R <c>quasibinomial()</c>); the response is in [0, 1].</summary>
    Binomial,

    /// <summary>Log-linear regression: log link, variance μ (R <c>quasipoisson()</c>); the response is ≥ 0.</summary>
    Poisson,
}

/// <summary>The link, variance and deviance functions of R's families, written as R's C code computes them.</summary>
internal static class FamilyFunctions
{
    private const double Threshold = 30, MinusThreshold = -30;
    private const double Epsilon = 2.220446049250313e-16; // R DBL_EPSILON
    private const double InverseEpsilon = 1 / Epsilon;

    /// <summary>R <c>family$initialize</c>: the starting mean μ₀ from y and the prior weights.</summary>
    public static double StartMean(ModelFamily family, double y, double weight) => family switch
    {
        ModelFamily.Binomial => (weight * (weight == 0 ? 0 : y) + 0.5) / (weight + 1),
        ModelFamily.Poisson => y + 0.1,
        _ => y,
    };

    /// <summary>R <c>linkfun</c>.</summary>
    public static double Link(ModelFamily family, double mu) => family switch
    {
        ModelFamily.Binomial => Math.Log(mu / (1 - mu)),
        ModelFamily.Poisson => Math.Log(mu),
        _ => mu,
    };

    /// <summary>R <c>linkinv</c> and <c>mu.eta</c> together (one exp per row).</summary>
    public static (double Mu, double MuEta) Inverse(ModelFamily family, double eta)
    {
        switch (family)
        {
            case ModelFamily.Binomial:
            {
                double e = Math.Exp(eta);
                double tmp = eta < MinusThreshold ? Epsilon : eta > Threshold ? InverseEpsilon : e;
                double opexp = 1 + e;
                double muEta = eta > Threshold || eta < MinusThreshold ? Epsilon : e / (opexp * opexp);
                return (tmp / (1 + tmp), muEta);
            }
            case ModelFamily.Poisson:
            {
                double e = Math.Max(Math.Exp(eta), Epsilon);
                return (e, e);
            }
            default:
                return (eta, 1);
        }
    }

    /// <summary>R <c>variance(mu)</c>.</summary>
    public static double Variance(ModelFamily family, double mu) => family switch
    {
        ModelFamily.Binomial => mu * (1 - mu),
        ModelFamily.Poisson => mu,
        _ => 1,
    };

    /// <summary>R <c>dev.resids(y, mu, wt)</c> for one row.</summary>
    public static double Deviance(ModelFamily family, double y, double mu, double weight)
    {
        switch (family)
        {
            case ModelFamily.Binomial:
                return 2 * weight * (YLogY(y, mu) + YLogY(1 - y, 1 - mu));
            case ModelFamily.Poisson:
                return 2 * (y > 0 ? weight * (y * Math.Log(y / mu) - (y - mu)) : mu * weight);
            default:
            {
                double r = y - mu;
                return weight * (r * r);
            }
        }
    }

    /// <summary>R <c>validmu</c> (<c>valideta</c> is always true for these links).</summary>
    public static bool ValidMean(ModelFamily family, double mu) => family switch
    {
        ModelFamily.Binomial => double.IsFinite(mu) && mu > 0 && mu < 1,
        ModelFamily.Poisson => double.IsFinite(mu) && mu > 0,
        _ => true,
    };

    /// <summary>
    /// h(y), the part of dev(y, μ, 1)/2 that does not depend on μ: y log y + (1 − y) log(1 − y) (binomial), y log y − y
    /// (Poisson), y²/2 (Gaussian), with 0 log 0 = 0 (see <see cref="CovariatePatterns"/>).
    /// </summary>
    public static double SaturatedTerm(ModelFamily family, double y) => family switch
    {
        ModelFamily.Binomial => YLogY(y, 1) + YLogY(1 - y, 1),
        ModelFamily.Poisson => y > 0 ? y * Math.Log(y) - y : 0,
        _ => y * y / 2,
    };

    private static double YLogY(double y, double mu) => y != 0 ? y * Math.Log(y / mu) : 0;
}
