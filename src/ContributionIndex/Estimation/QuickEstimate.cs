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
}

/// <summary>Reads a survey file, builds the design and computes the requested estimates (the library side of <c>contrib estimate</c>).</summary>
public static class QuickEstimate
{
    /// <summary>Runs the request and returns the estimates in request order (totals, means, proportions, ratios, quantiles), each by domain.</summary>
    /// <exception cref="InputDataException">The file cannot be read, a column is missing, or a cell is not a valid number (message names line and column).</exception>
    /// <exception cref="EstimationException">The design or the request is inconsistent.</exception>
    public static IReadOnlyList<SurveyEstimate> Run(QuickEstimateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Totals.Count + request.Means.Count + request.Proportions.Count + request.Ratios.Count + request.Quantiles.Count == 0)
            throw new EstimationException(FailureKind.Usage, "No estimate was requested; add --total, --mean, --proportion, --ratio or --quantile.");
        var margins = request.Calibration is { } calibration ? CalibrationMargins.Read(calibration.MarginsPath) : null;
        var sample = SurveySample.Read(request, margins?.Variables);
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
        return result;
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
            return ReplicateDesign.Create(sample.Numbers[request.Weights], sample.ReplicateColumns, request.ReplicateType.Value,
                request.Rho, request.Scale, request.RScales, request.Mse);
        }
        var taylor = TaylorDesign.Create(sample.Numbers[request.Weights],
            request.Strata is null ? null : sample.Labels[request.Strata].Select(v => v!).ToArray(),
            request.Psu is null ? null : sample.Labels[request.Psu].Select(v => v!).ToArray(),
            request.Fpc is null ? default : sample.Numbers[request.Fpc], request.LonelyPsu);
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

    /// <summary>The columns of the sample that the request needs, read once with line-aware validation.</summary>
    internal sealed class SurveySample
    {
        public int RowCount { get; private init; }

        public Dictionary<string, double[]> Numbers { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string?[]> Labels { get; } = new(StringComparer.Ordinal);

        public double[][] ReplicateColumns { get; private set; } = [];

        public bool[]? Include { get; private set; }

        /// <summary>Columns read for a model: each cell as text and, when it parses, as a number (NaN otherwise).</summary>
        public Dictionary<string, (double[] Numbers, string?[] Text, bool AllNumbers)> ModelColumns { get; } = new(StringComparer.Ordinal);

        public static SurveySample Read(QuickEstimateRequest request, IReadOnlyList<string>? modelColumns = null)
        {
            using var reader = TabularFile.Open(request.DataPath, request.Tabular);
            // Two columns with one header would make the choice of column arbitrary: refuse, as study inputs do.
            var duplicates = reader.DuplicateHeaders();
            int Column(string name, string role)
            {
                foreach (var (header, columns) in duplicates)
                {
                    if (string.Equals(header.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase))
                        throw new InputDataException(reader.Locate(reader.HeaderLine, columns[1] + 1),
                            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"the {role} column '{name}' appears {columns.Count} times in the header (columns {string.Join(", ", columns.Select(c => c + 1))})."),
                            "Rename or remove the duplicate column.");
                }

                int index = reader.FindColumn(name);
                if (index < 0)
                    throw new InputDataException(reader.Locate(reader.HeaderLine, 0),
                        $"the {role} column '{name}' is not in the header.",
                        $"Columns found: {Diagnostics.MessageText.Excerpt(string.Join(", ", reader.Headers.Select(h => h.Trim())), 3 * Diagnostics.MessageText.MaxExcerptLength)}.");
                return index;
            }

            // Columns read as numbers: the weights, fpc and replicate weights must be present; analysis variables may be missing.
            var required = new Dictionary<string, int>(StringComparer.Ordinal) { [request.Weights] = Column(request.Weights, "weights") };
            if (request.Fpc is not null) required[request.Fpc] = Column(request.Fpc, "fpc");
            var analysis = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var v in request.Totals.Concat(request.Means).Concat(request.Quantiles.Select(q => q.Column))
                         .Concat(request.Ratios.SelectMany(r => new[] { r.Numerator, r.Denominator })))
                analysis[v] = Column(v, "analysis");
            var labels = new Dictionary<string, int>(StringComparer.Ordinal);
            if (request.Strata is not null) labels[request.Strata] = Column(request.Strata, "strata");
            if (request.Psu is not null) labels[request.Psu] = Column(request.Psu, "PSU");
            foreach (var b in request.By) labels[b] = Column(b, "by");
            foreach (var p in request.Proportions) labels[p.Column] = Column(p.Column, "proportion");
            int whereColumn = request.Where is null ? -1 : Column(request.Where.Column, "where");
            var model = (modelColumns ?? []).Distinct(StringComparer.Ordinal).ToDictionary(c => c, c => Column(c, "model"), StringComparer.Ordinal);
            var modelNumbers = model.Keys.ToDictionary(k => k, _ => new List<double>());
            var modelText = model.Keys.ToDictionary(k => k, _ => new List<string?>());
            var modelAllNumbers = model.Keys.ToDictionary(k => k, _ => true);
            IReadOnlyList<int> replicate = [];
            if (request.ReplicateWeights is not null)
            {
                replicate = reader.FindColumns(request.ReplicateWeights).Where(c => c != required[request.Weights]).ToArray();
                if (replicate.Count < 2)
                    throw new InputDataException(reader.Locate(reader.HeaderLine, 0),
                        $"the replicate weight pattern '{request.ReplicateWeights}' matches {replicate.Count} column(s); at least two are needed.",
                        "Use * and ? wildcards, e.g. --repweights 'repw*'.");
            }
            reader.SampleNumbersOnlyIn(required.Values.Concat(analysis.Values).Concat(replicate));

            var numberLists = required.Keys.Concat(analysis.Keys).Distinct().ToDictionary(k => k, _ => new List<double>());
            var labelLists = labels.Keys.ToDictionary(k => k, _ => new List<string?>());
            var replicateLists = replicate.Select(_ => new List<double>()).ToArray();
            var include = new List<bool>();
            foreach (var row in reader.ReadRows())
            {
                if (row.Problems.Count > 0)
                {
                    var problem = row.Problems[0];
                    throw new InputDataException(reader.Locate(row.Line, problem.Column), problem.Reason);
                }
                foreach (var (name, index) in required)
                    numberLists[name].Add(ReadRequired(reader, row, index, name == request.Weights ? "weight" : "fpc"));
                foreach (var (name, index) in analysis)
                    if (!required.ContainsKey(name)) numberLists[name].Add(ReadOptional(reader, row, index));
                foreach (var (name, index) in labels)
                {
                    var text = row[index].Trim();
                    bool isDesign = name == request.Strata || name == request.Psu;
                    if (text.Length == 0 && isDesign)
                        throw new InputDataException(reader.Locate(row.Line, index + 1),
                            $"the {(name == request.Strata ? "stratum" : "PSU")} is empty.", "Every row needs its stratum and PSU; fill the cell or drop the row.");
                    labelLists[name].Add(text.Length == 0 ? null : text);
                }
                for (int r = 0; r < replicate.Count; r++) replicateLists[r].Add(ReadRequired(reader, row, replicate[r], "replicate weight"));
                if (request.Where is not null) include.Add(Matches(row[whereColumn].Trim(), request.Where.Value.Trim()));
                foreach (var (name, index) in model)
                {
                    var text = row[index].Trim();
                    var status = row.TryGetNumber(index, out var number);
                    if (status != NumberParseStatus.Ok && status != NumberParseStatus.Empty) modelAllNumbers[name] = false;
                    modelNumbers[name].Add(status == NumberParseStatus.Ok ? number : double.NaN);
                    modelText[name].Add(text.Length == 0 ? null : text);
                }
            }

            var sample = new SurveySample { RowCount = numberLists[request.Weights].Count };
            foreach (var (name, list) in numberLists) sample.Numbers[name] = [.. list];
            foreach (var (name, list) in labelLists) sample.Labels[name] = [.. list];
            sample.ReplicateColumns = replicateLists.Select(l => l.ToArray()).ToArray();
            sample.Include = request.Where is null ? null : [.. include];
            foreach (var name in model.Keys) sample.ModelColumns[name] = ([.. modelNumbers[name]], [.. modelText[name]], modelAllNumbers[name]);
            return sample;
        }

        private static double ReadRequired(TabularReader reader, TabularRow row, int index, string role)
        {
            var status = row.TryGetNumber(index, out var value);
            if (status == NumberParseStatus.Ok && value >= 0) return value;
            var location = reader.Locate(row.Line, index + 1);
            if (status == NumberParseStatus.Empty)
                throw new InputDataException(location, $"the {role} is missing.", $"Every row needs a {role}; R survey refuses missing {role}s too.");
            if (status == NumberParseStatus.Ok)
                throw new InputDataException(location, string.Create(CultureInfo.InvariantCulture, $"the {role} {value} is negative."), $"A {role} must be zero or positive.");
            throw new InputDataException(location, $"the {role} '{row[index]}' is not a number.",
                $"Write numbers with the file's decimal separator ('{reader.NumberFormat.DecimalSeparator}').");
        }

        private static double ReadOptional(TabularReader reader, TabularRow row, int index)
        {
            var status = row.TryGetNumber(index, out var value);
            return status switch
            {
                NumberParseStatus.Ok => value,
                NumberParseStatus.Empty => double.NaN,
                _ => throw new InputDataException(reader.Locate(row.Line, index + 1), $"the value '{row[index]}' is not a number.",
                    $"Leave the cell empty for a missing value, or write the number with the file's decimal separator ('{reader.NumberFormat.DecimalSeparator}')."),
            };
        }

        private static bool Matches(string cell, string wanted)
        {
            if (string.Equals(cell, wanted, StringComparison.Ordinal)) return true;
            return double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var a)
                && double.TryParse(wanted, NumberStyles.Float, CultureInfo.InvariantCulture, out var b) && a == b;
        }
    }
}
