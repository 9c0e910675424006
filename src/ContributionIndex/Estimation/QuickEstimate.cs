using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;

namespace ContributionIndex.Estimation;

/// <summary>A ratio to estimate: the total of <paramref name="Numerator"/> over the total of <paramref name="Denominator"/>.</summary>
/// <param name="Numerator">The numerator column.</param>
/// <param name="Denominator">The denominator column.</param>
public sealed record RatioRequest(string Numerator, string Denominator);

/// <summary>A quantile to estimate.</summary>
/// <param name="Column">The variable.</param>
/// <param name="Probability">The probability in [0, 1].</param>
public sealed record QuantileRequest(string Column, double Probability);

/// <summary>A proportion to estimate: the share of rows whose <paramref name="Column"/> equals <paramref name="Value"/>.</summary>
/// <param name="Column">The categorical column.</param>
/// <param name="Value">The category.</param>
public sealed record ProportionRequest(string Column, string Value);

/// <summary>A row filter: keep rows whose <paramref name="Column"/> equals <paramref name="Value"/> (R <c>subset</c>, design kept whole).</summary>
/// <param name="Column">The column.</param>
/// <param name="Value">The value, compared as text after trimming, or as numbers when both sides are numbers.</param>
public sealed record RowFilter(string Column, string Value);

/// <summary>Everything the quick-mode estimation (<c>contrib estimate</c>) needs: data, design and requested estimates.</summary>
public sealed record QuickEstimateRequest
{
    /// <summary>The CSV or XLSX file.</summary>
    public required string DataPath { get; init; }

    /// <summary>How to read the file (sheet, encoding, separators); auto-detection by default.</summary>
    public TabularOptions Tabular { get; init; } = TabularOptions.Default;

    /// <summary>The full-sample weight column.</summary>
    public required string Weights { get; init; }

    /// <summary>The stratum column, if any.</summary>
    public string? Strata { get; init; }

    /// <summary>The PSU column; null when each row is its own PSU.</summary>
    public string? Psu { get; init; }

    /// <summary>The fpc column (population PSU count of the stratum, or sampling fraction), if any.</summary>
    public string? Fpc { get; init; }

    /// <summary>The second-stage unit column (SSUs nested in PSUs), if any; needs <see cref="Fpc"/> and <see cref="Fpc2"/> (R <c>ids = ~psu + ssu</c>).</summary>
    public string? Ssu { get; init; }

    /// <summary>The second-stage fpc column (population SSUs in the row's PSU, or sampling fraction), if any.</summary>
    public string? Fpc2 { get; init; }

    /// <summary>R <c>options(survey.adjust.domain.lonely = TRUE)</c> for Taylor designs.</summary>
    public bool AdjustDomainLonely { get; init; }

    /// <summary>A header pattern (<c>*</c>, <c>?</c> wildcards) selecting given replicate weight columns, if any.</summary>
    public string? ReplicateWeights { get; init; }

    /// <summary>The replicate method: for given replicate weights, or JK1/JKn/bootstrap to build them from strata and PSUs.</summary>
    public ReplicateMethod? ReplicateType { get; init; }

    /// <summary>Fay's rho.</summary>
    public double? Rho { get; init; }

    /// <summary>The replicate scale, when given.</summary>
    public double? Scale { get; init; }

    /// <summary>The replicate rscales, when given.</summary>
    public IReadOnlyList<double>? RScales { get; init; }

    /// <summary>Centre replicate variances on the full-sample estimate.</summary>
    public bool Mse { get; init; }

    /// <summary>Number of bootstrap replicates to build (R's default 50).</summary>
    public int BootstrapReplicates { get; init; } = 50;

    /// <summary>Seed of the bootstrap generator.</summary>
    public ulong Seed { get; init; } = 20221125;

    /// <summary>Variables whose totals are wanted.</summary>
    public IReadOnlyList<string> Totals { get; init; } = [];

    /// <summary>Variables whose means are wanted.</summary>
    public IReadOnlyList<string> Means { get; init; } = [];

    /// <summary>Proportions wanted.</summary>
    public IReadOnlyList<ProportionRequest> Proportions { get; init; } = [];

    /// <summary>Ratios wanted.</summary>
    public IReadOnlyList<RatioRequest> Ratios { get; init; } = [];

    /// <summary>Quantiles wanted.</summary>
    public IReadOnlyList<QuantileRequest> Quantiles { get; init; } = [];

    /// <summary>The by-variables defining domains.</summary>
    public IReadOnlyList<string> By { get; init; } = [];

    /// <summary>The row filter, if any.</summary>
    public RowFilter? Where { get; init; }

    /// <summary>The lonely-PSU policy.</summary>
    public LonelyPsuPolicy LonelyPsu { get; init; } = LonelyPsuPolicy.Fail;

    /// <summary>Calibration of the design to population margins before estimation (R <c>calibrate</c>), or null.</summary>
    public CalibrationRequest? Calibration { get; init; }

    /// <summary>Interval level, df and release rules.</summary>
    public EstimationOptions Options { get; init; } = EstimationOptions.Default;

    /// <summary>A by-variable whose levels are compared pairwise within the other by-variables (R <c>svyby(covmat = TRUE)</c> + <c>svycontrast</c>), or null.</summary>
    public string? Compare { get; init; }

    /// <summary>Run R <c>svyttest(y ~ compare)</c> for every requested mean (needs <see cref="Compare"/> with two levels and no other by-variable).</summary>
    public bool TTest { get; init; }

    /// <summary>Pairs of categorical columns tested for independence with the Rao–Scott F (R <c>svychisq(statistic = "F")</c>).</summary>
    public IReadOnlyList<(string Row, string Column)> ChiSquare { get; init; } = [];
}

/// <summary>What quick mode computes: the estimates, the domain differences and t-tests, and the Rao–Scott tests.</summary>
/// <param name="Estimates">The estimates in request order.</param>
/// <param name="Differences">Pairwise differences (when <see cref="QuickEstimateRequest.Compare"/> is set) then t-tests.</param>
/// <param name="ChiSquare">Rao–Scott tests in request order.</param>
public sealed record QuickEstimateResult(IReadOnlyList<SurveyEstimate> Estimates, IReadOnlyList<DomainDifference> Differences, IReadOnlyList<RaoScottTest> ChiSquare);

/// <summary>Reads a survey file, builds the design and computes the requested estimates (the library side of <c>contrib estimate</c>).</summary>
public static class QuickEstimate
{
    /// <summary>Runs the request and returns the estimates in request order (totals, means, proportions, ratios, quantiles), each by domain.</summary>
    /// <exception cref="InputDataException">The file cannot be read, a column is missing, or a cell is not a valid number (message names line and column).</exception>
    /// <exception cref="EstimationException">The design or the request is inconsistent.</exception>
    public static IReadOnlyList<SurveyEstimate> Run(QuickEstimateRequest request) => Execute(request).Estimates;

    /// <summary>Runs the request: estimates, then differences, t-tests and Rao–Scott tests when asked for.</summary>
    /// <exception cref="InputDataException">The file cannot be read, a column is missing, or a cell is not a valid number (message names line and column).</exception>
    /// <exception cref="EstimationException">The design or the request is inconsistent.</exception>
    public static QuickEstimateResult Execute(QuickEstimateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Compare is not null && !request.By.Contains(request.Compare, StringComparer.Ordinal))
            throw new EstimationException(FailureKind.Usage, $"--compare {request.Compare} must also be one of the --by variables.");
        if (request.TTest && (request.Compare is null || request.By.Count != 1 || request.Where is not null || request.Means.Count == 0))
            throw new EstimationException(FailureKind.Usage, "--test ttest compares the --mean variables between the two levels of --compare VAR, with --by VAR alone and no --where.");
        if (request.Totals.Count + request.Means.Count + request.Proportions.Count + request.Ratios.Count + request.Quantiles.Count + request.ChiSquare.Count == 0)
            throw new EstimationException(FailureKind.Usage, "No estimate was requested; add --total, --mean, --proportion, --ratio or --quantile.");
        var margins = request.Calibration is { } calibration ? CalibrationMargins.Read(calibration.MarginsPath) : null;
        var sample = SurveySample.Read(request, margins?.Variables);
        try
        {
            return Estimate(request, sample, margins);
        }
        catch (EstimationException ex) when (ex.Kind == FailureKind.Data)
        {
            // A design the data cannot support (a lonely PSU, a census stratum) is a fault of this file: name it.
            var design = request.Strata is null ? "" : $" (strata column '{MessageText.Excerpt(request.Strata)}')";
            throw new InputDataException(SourceLocation.OfFile(request.DataPath), ex.Message.TrimEnd('.') + design + ".", null, ex);
        }
    }

    private static QuickEstimateResult Estimate(QuickEstimateRequest request, SurveySample sample, CalibrationMargins? margins)
    {
        var design = BuildDesign(request, sample, margins);
        var domains = DomainPartition.Create(sample.RowCount, request.By, request.By.Select(b => (IReadOnlyList<string?>)sample.Labels[b]).ToArray(), sample.Include);
        var options = request.Options;
        var result = new List<SurveyEstimate>();
        foreach (var v in request.Totals) result.AddRange(SurveyEstimator.Total(design, v, sample.Numbers[v], domains, options));
        foreach (var v in request.Means) result.AddRange(SurveyEstimator.Mean(design, v, sample.Numbers[v], domains, options));
        foreach (var p in request.Proportions) result.AddRange(SurveyEstimator.Proportion(design, p.Column, sample.Labels[p.Column], p.Value, domains, options));
        foreach (var r in request.Ratios)
            result.AddRange(SurveyEstimator.Ratio(design, r.Numerator, sample.Numbers[r.Numerator], r.Denominator, sample.Numbers[r.Denominator], domains, options));
        foreach (var q in request.Quantiles)
            result.AddRange(SurveyEstimator.Quantile(design, q.Column, sample.Numbers[q.Column], q.Probability, domains, options)
                .Select(e => e with { Variable = q.Column + ":" + q.Probability.ToString("R", CultureInfo.InvariantCulture) }));

        var differences = new List<DomainDifference>();
        if (request.Compare is not null)
            foreach (var group in result.Where(e => e.Statistic != StatisticKind.Quantile).GroupBy(e => (e.Statistic, e.Variable)))
                differences.AddRange(DomainComparisons.Pairwise(group.ToArray(), request.By, request.Compare));
        if (request.TTest)
            foreach (var v in request.Means)
                differences.Add(DomainComparisons.TTest(design, v, sample.Numbers[v], request.Compare!, sample.Labels[request.Compare!], options));
        var chiSquare = request.ChiSquare.SelectMany(c => ChiSquare(design, sample, request.By, c.Row, c.Column)).ToArray();
        return new QuickEstimateResult(result, differences, chiSquare);
    }

    /// <summary>
    /// The Rao–Scott test of <paramref name="row"/> × <paramref name="column"/> within each domain of the by-variables other than these
    /// two (as <c>--compare</c> works within the other by-variables) and within <c>--where</c>: R's svychisq on subset(design, domain).
    /// Without such a by-variable or filter, one test on the whole design.
    /// </summary>
    private static IReadOnlyList<RaoScottTest> ChiSquare(SurveyDesign design, SurveySample sample, IReadOnlyList<string> by, string row, string column)
    {
        var others = by.Where(b => b != row && b != column).ToArray();
        if (others.Length == 0 && sample.Include is null)
            return [DomainComparisons.ChiSquare(design, row, sample.Labels[row], column, sample.Labels[column])];
        var domains = DomainPartition.Create(sample.RowCount, others, others.Select(b => (IReadOnlyList<string?>)sample.Labels[b]).ToArray(), sample.Include);
        return DomainComparisons.ChiSquareByDomain(design, row, sample.Labels[row], column, sample.Labels[column], domains);
    }

    /// <summary>The request's design, calibrated to <paramref name="margins"/> when the request asks for it (the sample then holds the margin columns).</summary>
    internal static SurveyDesign BuildDesign(QuickEstimateRequest request, SurveySample sample, CalibrationMargins? margins = null)
    {
        var design = BuildUncalibratedDesign(request, sample);
        if (request.Calibration is not { } calibration || margins is null) return design;
        var (model, totals) = margins.Build(sample.RowCount,
            margins.Variables.ToDictionary(v => v, v => sample.ModelColumns[v].Text),
            margins.Variables.ToDictionary(v => v, v => sample.ModelColumns[v].Numbers));
        return Calibration.Calibrate(design, model, totals, calibration.Function, bounds: calibration.Bounds, trim: calibration.Trim);
    }

    private static SurveyDesign BuildUncalibratedDesign(QuickEstimateRequest request, SurveySample sample)
    {
        if (request.ReplicateWeights is not null)
        {
            if (request.ReplicateType is null)
                throw new EstimationException(FailureKind.Usage, "Replicate weights were given without their method; add --rep-type jk1|jkn|brr|fay|bootstrap|other.");
            // The design takes the sample's arrays as they are: the replicate weights are not held twice.
            return ReplicateDesign.CreateOwning(sample.Numbers[request.Weights], sample.ReplicateColumns, request.ReplicateType.Value,
                request.Rho, request.Scale, request.RScales, request.Mse);
        }
        var taylor = TaylorDesign.FromCodes(sample.Numbers[request.Weights],
            request.Strata is null ? null : sample.Labels[request.Strata],
            request.Psu is null ? null : sample.Labels[request.Psu],
            request.Fpc is null ? default : sample.Numbers[request.Fpc], request.LonelyPsu,
            request.Ssu is null ? null : sample.Labels[request.Ssu].Select(v => v!).ToArray(),
            request.Fpc2 is null ? default : sample.Numbers[request.Fpc2], request.AdjustDomainLonely);
        return request.ReplicateType switch
        {
            null => taylor,
            ReplicateMethod.Jk1 => ReplicateConversion.Jk1(taylor, request.Mse),
            ReplicateMethod.Jkn => ReplicateConversion.Jkn(taylor, request.Mse),
            ReplicateMethod.Bootstrap => ReplicateConversion.Bootstrap(taylor, request.BootstrapReplicates, request.Seed, request.Mse),
            var other => throw new EstimationException(FailureKind.Usage,
                $"Replicate type '{other.Value.ToString().ToLowerInvariant()}' cannot be built from strata and PSUs; give the replicate weight columns with --repweights, or use jk1, jkn or bootstrap."),
        };
    }
}
