using ContributionIndex.Diagnostics;

namespace ContributionIndex.Estimation;

/// <summary>Replaces the Wald interval of proportion estimates by R <c>svyciprop</c>'s intervals (see <see cref="ProportionInterval"/>).</summary>
/// <remarks>
/// R calls <c>svyciprop</c> on <c>subset(design, domain)</c>; the interval uses the df the estimate reports
/// (<c>df = degf(design)</c> of the whole design), except <c>beta</c>, whose effective-sample-size correction reads
/// <c>nrow</c> and <c>degf</c> of the domain's own subset design, as R does.
/// </remarks>
internal static class ProportionIntervals
{
    public static IReadOnlyList<SurveyEstimate> Apply(SurveyDesign design, IReadOnlyList<SurveyEstimate> estimates, ReadOnlySpan<double> y, DomainPartition domains, EstimationOptions options)
    {
        var method = options.ProportionInterval;
        if (method == ProportionInterval.Mean) return estimates;
        if (method == ProportionInterval.Likelihood && design is ReplicateDesign)
            throw new EstimationException(FailureKind.Usage,
                "--ci-method likelihood is for Taylor designs: R survey 4.1-1 scales the Pearson residuals of a replicate-weight glm by √n, so its profile never reaches the cutoff and svyciprop returns NA; use logit, beta or another method with replicate weights.");
        double level = options.ConfidenceLevel, alpha = 1 - level;
        var result = new SurveyEstimate[estimates.Count];
        for (int k = 0; k < estimates.Count; k++)
        {
            var e = estimates[k];
            double p = e.Value, se = e.StandardError, t = CriticalValues.StudentT(1 - alpha / 2, e.DegreesOfFreedom);
            (double Low, double High) ci = method switch
            {
                ProportionInterval.Xlogit => Back(Logit(p), se / (p * (1 - p)), t, Expit),
                ProportionInterval.Asin => Back(Math.Asin(Math.Sqrt(p)), se * 0.5 / (Math.Sqrt(p) * Math.Sqrt(1 - p)), t, v => Math.Pow(Math.Sin(v), 2)),
                ProportionInterval.Beta => BetaInterval(design, y, domains.RowDomainArray, k, p, e.Variance, alpha),
                ProportionInterval.Logit => LogitInterval(design, e, y, domains.RowDomainArray, k, t),
                ProportionInterval.Likelihood => LikelihoodInterval((TaylorDesign)design, e, y, domains.RowDomainArray, k, level),
                _ => throw new ArgumentOutOfRangeException(nameof(options), method, "Unknown proportion interval."),
            };
            result[k] = e with { ConfidenceLow = ci.Low, ConfidenceHigh = ci.High };
        }
        return result;
    }

    internal static double Logit(double p) => Math.Log(p / (1 - p));

    internal static double Expit(double eta) => Math.Exp(eta) / (1 + Math.Exp(eta));

    private static (double, double) Back(double centre, double se, double t, Func<double, double> inverse)
    {
        double a = inverse(centre - t * se), b = inverse(centre + t * se);
        return (Math.Min(a, b), Math.Max(a, b));
    }

    /// <summary>R: n_eff = p(1 − p)/V · (t_{α/2, n−1}/t_{α/2, df})², then qbeta(α/2, n_eff p, n_eff(1 − p) + 1) and qbeta(1 − α/2, n_eff p + 1, n_eff(1 − p)).</summary>
    private static (double, double) BetaInterval(SurveyDesign design, ReadOnlySpan<double> y, int[] rowDomain, int domain, double p, double variance, double alpha)
    {
        var (rows, df) = SubsetSizeAndDf(design, rowDomain, domain);
        double nEff = p * (1 - p) / variance;
        double ratio = CriticalValues.StudentT(alpha / 2, rows - 1) / CriticalValues.StudentT(alpha / 2, df);
        nEff *= ratio * ratio;
        return (CriticalValues.Beta(alpha / 2, nEff * p, nEff * (1 - p) + 1), CriticalValues.Beta(1 - alpha / 2, nEff * p + 1, nEff * (1 - p)));
    }

    private static double[] ReplicateMeans(ReplicateDesign design, int[] rows, double[] outcome)
    {
        var thetas = new double[design.ReplicateCount];
        for (int r = 0; r < thetas.Length; r++)
        {
            var column = design.ReplicateWeightColumns[r];
            double sum = 0, weighted = 0;
            for (int j = 0; j < rows.Length; j++) { sum += column[rows[j]]; weighted += column[rows[j]] * outcome[j]; }
            thetas[r] = weighted / sum;
        }
        return thetas;
    }

    /// <summary>nrow and degf of R's <c>subset(design, domain)</c>: rows of the domain; Taylor PSUs minus strata among its positive-weight rows, replicate rank − 1 of its replicate weights.</summary>
    internal static (int Rows, double Df) SubsetSizeAndDf(SurveyDesign design, int[] rowDomain, int domain)
    {
        var members = new List<int>();
        for (int i = 0; i < rowDomain.Length; i++) if (rowDomain[i] == domain) members.Add(i);
        var w = design.SamplingWeights;
        switch (design)
        {
            case TaylorDesign taylor:
                var psus = new HashSet<int>();
                var strata = new HashSet<int>();
                foreach (var i in members)
                {
                    if (w[i] == 0) continue;
                    psus.Add(taylor.RowPsu[i]);
                    strata.Add(taylor.RowStratum[i]);
                }
                return (members.Count, psus.Count - strata.Count);
            case ReplicateDesign replicate:
                var columns = replicate.ReplicateWeightColumns.Select(c => members.Select(i => c[i]).ToArray()).ToArray();
                return (members.Count, ReplicateRank.Of(columns) - 1);
            default:
                throw new ArgumentException("Unknown design type.", nameof(design));
        }
    }

    /// <summary>The quasibinomial intercept fit of R <c>svyglm(y ~ 1, subset(design, domain))</c> with its design variance (R <c>vcov</c>).</summary>
    private sealed record InterceptFit(InterceptLogit Fit, double Variance, double[] Outcome, double[] Prior, int[] Rows, List<int> InDomain);

    /// <summary>Fits β by R's own iteration (<see cref="InterceptLogit"/>) and its design variance.</summary>
    /// <remarks>
    /// β stops at glm's deviance rule, so intervals agree with R to rounding rather than to the 1e-8 convergence tolerance. Taylor:
    /// the variance is that of the influence values (y − μ)/μ'(η) · w_i (glm's working residual times working weight) times
    /// (Σ w)⁻¹; replicate: the replicate variance of β refitted with each replicate's weights from β (R <c>svyglm.svyrep.design</c>).
    /// </remarks>
    private static InterceptFit FitIntercept(SurveyDesign design, SurveyEstimate estimate, ReadOnlySpan<double> y, int[] rowDomain, int domain)
    {
        var w = design.SamplingWeights;
        // Prior weights: the domain's sampling weights over their mean across the domain's rows (svyglm rescale = TRUE; rows with a missing value still count).
        var inDomain = new List<int>();
        for (int i = 0; i < rowDomain.Length; i++) if (rowDomain[i] == domain) inDomain.Add(i);
        double mean = 0;
        foreach (var i in inDomain) mean += w[i];
        mean /= inDomain.Count;
        var kept = new List<int>();
        foreach (var i in inDomain) if (!double.IsNaN(y[i])) kept.Add(i);
        var rows = kept.ToArray();
        var outcome = new double[rows.Length];
        for (int j = 0; j < rows.Length; j++) outcome[j] = y[rows[j]];
        var prior = rows.Select(i => w[i] / mean).ToArray();
        var fit = InterceptLogit.Fit(outcome, prior, null, keepWeights: design is TaylorDesign);
        double variance;
        switch (design)
        {
            case TaylorDesign taylor:
                var unitTotals = new double[taylor.UnitCount];
                var present = new bool[taylor.UnitCount];
                for (int j = 0; j < rows.Length; j++)
                {
                    unitTotals[taylor.RowUnit[rows[j]]] += fit.Influence(j, outcome[j]);
                }
                foreach (var i in inDomain) present[taylor.RowUnit[i]] = true;
                variance = taylor.Covariance(unitTotals, unitTotals, present);
                break;
            case ReplicateDesign replicate:
                // A refit from β with prior weights w_r/Σw_r shares one η over the rows, so it depends on the replicate's
                // weighted proportion θ_r alone (Σ p = 1, Σ p y = θ_r): the replicate means the estimate kept are enough.
                var thetas = estimate.Components is ReplicateComponents keptReplicates && ReferenceEquals(keptReplicates.Design, replicate)
                    ? keptReplicates.Replicates.ToArray()
                    : ReplicateMeans(replicate, rows, outcome);
                var betas = new double[thetas.Length];
                for (int r = 0; r < betas.Length; r++) betas[r] = InterceptLogit.FitFromProportion(thetas[r], fit.Coefficient);
                variance = ReplicateVariance.Compute(fit.Coefficient, betas, replicate.Scale, replicate.RScalesArray, replicate.Mse);
                break;
            default:
                throw new ArgumentException("Unknown design type.", nameof(design));
        }
        return new InterceptFit(fit, variance, outcome, prior, rows, inDomain);
    }

    /// <summary>R <c>svyciprop(method = "logit")</c>: the intercept β of <c>svyglm(y ~ 1, subset, family = quasibinomial)</c> and its design SE, expit(β ± t·SE).</summary>
    private static (double, double) LogitInterval(SurveyDesign design, SurveyEstimate estimate, ReadOnlySpan<double> y, int[] rowDomain, int domain, double t)
    {
        var intercept = FitIntercept(design, estimate, y, rowDomain, domain);
        double beta = intercept.Fit.Coefficient, se = Math.Sqrt(intercept.Variance);
        // R centres on expit(β), which differs from the weighted proportion by glm's convergence error (≈ 1e-8 relative at most):
        // where the SE is that small (a domain with no sampling variance) the interval is widened to contain the estimate.
        // (A proportion of exactly 0 or 1 keeps R's interval: glm stops at a finite β, so the bounds are within 1e-11 of it.)
        double low = Expit(beta - t * se), high = Expit(beta + t * se);
        if (estimate.Value > 0 && estimate.Value < 1) (low, high) = (Math.Min(low, estimate.Value), Math.Max(high, estimate.Value));
        return (low, high);
    }

    /// <summary>
    /// R <c>svyciprop(method = "likelihood")</c> = expit of <c>confint(svyglm(y ~ 1, family = quasibinomial), method = "likelihood", ddf = df)</c>
    /// (survey's <c>confint.svyglm</c>, <c>MASSprofile_glm</c>, <c>confint_profile</c>): the profile of the scaled deviance, read at the
    /// cutoff the Rao–Scott design effect λ implies.
    /// </summary>
    /// <remarks>
    /// λ = V(β̂)/naive variance (1/Σ working weights); α' = Φ(t_{α/2, df} √λ)/2; z_max = √F_{1, n−1}(1 − α') = t_{n−1}(1 − α'/2), step
    /// δ = z_max/5 in units of SE(β̂); at β_s = β̂ ± s·δ·SE (s = 1 … 9 while |z| &lt; z_max) the intercept-free deviance D(β_s) gives
    /// z = ±√((D(β_s) − D(β̂))/φ), φ = svyvar of the Pearson residuals (R <c>summary.svyglm</c>'s dispersion); the points (β, z) are
    /// interpolated by R's <c>spline</c> (FMM, 3 points per knot) and the interval ends are <c>approx</c> of the inverse at
    /// ±Φ⁻¹(2α'), NaN outside the profile (R's NA). Taylor designs only (replicate designs are refused in <see cref="Apply"/>).
    /// </remarks>
    private static (double, double) LikelihoodInterval(TaylorDesign design, SurveyEstimate estimate, ReadOnlySpan<double> y, int[] rowDomain, int domain, double level)
    {
        var intercept = FitIntercept(design, estimate, y, rowDomain, domain);
        var (fit, variance, outcome, prior, rows) = (intercept.Fit, intercept.Variance, intercept.Outcome, intercept.Prior, intercept.Rows);
        int n = rows.Length;
        double df = estimate.DegreesOfFreedom;
        if (n < 2 || !(df > 0)) return (double.NaN, double.NaN);
        double beta = fit.Coefficient, se = Math.Sqrt(variance);
        double lambda = variance * fit.WorkingWeightSum;
        double quantile = double.IsPositiveInfinity(df) ? MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, (1 - level) / 2) : CriticalValues.StudentT((1 - level) / 2, df);
        double alpha = MathNet.Numerics.Distributions.Normal.CDF(0, 1, quantile * Math.Sqrt(lambda)) / 2;
        double zMax = CriticalValues.StudentT(1 - alpha / 2, n - 1);
        double step = zMax / 5;

        double mu0 = InterceptLogit.LinkInverse(beta);
        double Deviance(double mu)
        {
            double total = 0;
            for (int j = 0; j < n; j++) total += InterceptLogit.RowDeviance(outcome[j], prior[j], mu);
            return total;
        }
        double deviance0 = Deviance(mu0);
        double dispersion = PearsonDispersion(design.SamplingWeights, rows, outcome, prior, mu0);

        var profile = new List<(double Z, double Beta)> { (0, beta) };
        foreach (int sign in new[] { -1, 1 })
        {
            double z = 0;
            for (int s = 1; s < 10 && Math.Abs(z) < zMax; s++)
            {
                double b = beta + sign * s * step * se;
                double zz = (Deviance(InterceptLogit.LinkInverse(b)) - deviance0) / dispersion;
                if (!(zz > -0.001)) return (double.NaN, double.NaN); // R: "profiling has found a better solution"
                z = sign * Math.Sqrt(Math.Max(zz, 0));
                profile.Add((z, b));
            }
        }
        var ordered = profile.Select((point, index) => (point, index)).OrderBy(p => p.point.Z).ThenBy(p => p.index).Select(p => p.point).ToArray();
        var (splineX, splineY) = RInterpolation.Spline(ordered.Select(p => p.Beta).ToArray(), ordered.Select(p => p.Z).ToArray());
        double cutoff = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 2 * alpha);
        double low = RInterpolation.Approx(splineY, splineX, cutoff), high = RInterpolation.Approx(splineY, splineX, -cutoff);
        return (Expit(low), Expit(high));
    }

    /// <summary>R <c>summary.svyglm</c>'s dispersion: <c>svyvar</c> of the Pearson residuals (y − μ)·√(prior/w̃)/√(μ(1 − μ)), w̃ = w/mean(w) over the fitted rows.</summary>
    private static double PearsonDispersion(ReadOnlySpan<double> weights, int[] rows, double[] outcome, double[] prior, double mu)
    {
        int n = rows.Length;
        double weightSum = 0;
        int nonZero = 0;
        foreach (var i in rows) { weightSum += weights[i]; if (weights[i] != 0) nonZero++; }
        double meanWeight = weightSum / n, sd = Math.Sqrt(mu * (1 - mu));
        var residuals = new double[n];
        double centre = 0;
        for (int j = 0; j < n; j++)
        {
            residuals[j] = (outcome[j] - mu) * Math.Sqrt(prior[j] / (weights[rows[j]] / meanWeight)) / sd;
            centre += weights[rows[j]] * residuals[j] / weightSum;
        }
        double dispersion = 0;
        for (int j = 0; j < n; j++)
        {
            double deviation = residuals[j] - centre;
            dispersion += weights[rows[j]] * (deviation * deviation * nonZero / (nonZero - 1)) / weightSum;
        }
        return dispersion;
    }
}

/// <summary>R <c>glm.fit</c> for <c>y ~ 1</c> with the quasibinomial family (logit link), iteration for iteration.</summary>
/// <remarks>
/// Start: μ_i = (w_i y_i + 0.5)/(w_i + 1) per row (binomial initialize) or the given β; then IRLS steps β = Σ v_i z_i / Σ v_i with
/// z_i = η_i + (y_i − μ_i)/μ'(η_i) and working weights v_i = prior_i μ'(η_i)²/(μ_i(1 − μ_i)), until |D − D_old|/(|D| + 0.1) &lt; 1e-8
/// (glm.control epsilon) with D the binomial deviance, at most 25 steps. R's C link functions clamp η at ±30 as here.
/// </remarks>
internal sealed class InterceptLogit
{
    private const double Epsilon = 1e-8;
    private const int MaxIterations = 25;
    private const double Threshold = 30;
    private const double MachineEpsilon = 2.220446049250313e-16; // R's DBL_EPSILON

    private readonly double finalEta, workingWeightSum;
    private readonly double[]? lastWorkingWeights;

    private InterceptLogit(double coefficient, double[]? lastWorkingWeights, double workingWeightSum)
    {
        Coefficient = coefficient;
        finalEta = coefficient;
        this.lastWorkingWeights = lastWorkingWeights;
        this.workingWeightSum = workingWeightSum;
    }

    /// <summary>Σ of the last iteration's working weights, 1/(naive variance of β) (R <c>summary.glm</c>'s <c>cov.unscaled</c>⁻¹).</summary>
    public double WorkingWeightSum => workingWeightSum;

    /// <summary>The fitted intercept β.</summary>
    public double Coefficient { get; }

    /// <summary>Row j's influence on β, as R's <c>svy.varcoef</c>: working residual at the final fit times the last step's working weight, times (X'VX)⁻¹.</summary>
    public double Influence(int j, double y)
    {
        if (lastWorkingWeights is null) throw new InvalidOperationException("The fit kept no working weights.");
        double residual = (y - LinkInverse(finalEta)) / MuEta(finalEta);
        return residual * lastWorkingWeights[j] / workingWeightSum;
    }

    /// <summary>Refits β from <paramref name="start"/> when every row shares η and the prior weights sum to 1: Σ p y = <paramref name="proportion"/>.</summary>
    /// <remarks>Then z̄ = η + (θ − μ)/μ'(η) is the IRLS step and D = −2(θ log μ + (1 − θ) log(1 − μ)) the deviance of R's glm.fit.</remarks>
    public static double FitFromProportion(double proportion, double start)
    {
        if (double.IsNaN(proportion)) return double.NaN;
        double eta = start;
        double devOld = SharedDeviance(proportion, LinkInverse(eta));
        for (int iteration = 0; ; iteration++)
        {
            double next = eta + (proportion - LinkInverse(eta)) / MuEta(eta);
            double deviance = SharedDeviance(proportion, LinkInverse(next));
            if (Math.Abs(deviance - devOld) / (Math.Abs(deviance) + 0.1) < Epsilon || iteration == MaxIterations - 1) return next;
            devOld = deviance;
            eta = next;
        }
    }

    // Σ_i p_i · 2(y log(y/μ) + (1 − y) log((1 − y)/(1 − μ))) with y ∈ {0, 1}: the rows' terms are −log μ or −log(1 − μ).
    private static double SharedDeviance(double proportion, double mu) =>
        -2 * ((proportion != 0 ? proportion * Math.Log(mu) : 0) + (proportion != 1 ? (1 - proportion) * Math.Log(1 - mu) : 0));

    /// <summary>Fits β from R's start values (<paramref name="start"/> null) or from <paramref name="start"/> (R <c>glm.fit(start = )</c>).</summary>
    public static InterceptLogit Fit(ReadOnlySpan<double> y, ReadOnlySpan<double> prior, double? start, bool keepWeights)
    {
        int n = y.Length;
        var eta = new double[n];
        for (int i = 0; i < n; i++)
        {
            if (start is { } s) { eta[i] = s; continue; }
            double mu0 = (prior[i] * y[i] + 0.5) / (prior[i] + 1);
            eta[i] = Math.Log(mu0 / (1 - mu0));
        }
        double devOld = 0;
        for (int i = 0; i < n; i++) devOld += RowDeviance(y[i], prior[i], LinkInverse(eta[i]));
        var weights = keepWeights ? new double[n] : null;
        for (int iteration = 0; ; iteration++)
        {
            double num = 0, den = 0;
            for (int i = 0; i < n; i++)
            {
                double me = MuEta(eta[i]);
                double ww = 0;
                if (prior[i] > 0 && me != 0)
                {
                    double mu = LinkInverse(eta[i]);
                    double z = eta[i] + (y[i] - mu) / me;
                    ww = prior[i] * me * me / (mu * (1 - mu));
                    num += ww * z;
                    den += ww;
                }
                if (weights is not null) weights[i] = ww;
            }
            double next = num / den;
            double muNext = LinkInverse(next);
            double deviance = 0;
            for (int i = 0; i < n; i++) deviance += RowDeviance(y[i], prior[i], muNext);
            if (Math.Abs(deviance - devOld) / (Math.Abs(deviance) + 0.1) < Epsilon || iteration == MaxIterations - 1)
                return new InterceptLogit(next, weights, den);
            devOld = deviance;
            Array.Fill(eta, next);
        }
    }

    internal static double RowDeviance(double y, double weight, double mu) =>
        2 * weight * (YLogY(y, mu) + YLogY(1 - y, 1 - mu));

    private static double YLogY(double y, double mu) => y != 0 ? y * Math.Log(y / mu) : 0;

    internal static double LinkInverse(double eta)
    {
        double tmp = eta < -Threshold ? MachineEpsilon : eta > Threshold ? 1 / MachineEpsilon : Math.Exp(eta);
        return tmp / (1 + tmp);
    }

    private static double MuEta(double eta)
    {
        double opexp = 1 + Math.Exp(eta);
        return eta > Threshold || eta < -Threshold ? MachineEpsilon : Math.Exp(eta) / (opexp * opexp);
    }
}
