using ContributionIndex.IO;

namespace ContributionIndex.Estimation.Regression;

/// <summary>A design-based model to fit on one survey file (the library side of <c>contrib model</c>).</summary>
public sealed record ModelRequest
{
    /// <summary>The survey file and its design (weights, strata, PSUs, fpc, replicate weights, <c>--where</c>); its estimate lists are not used.</summary>
    public required QuickEstimateRequest Survey { get; init; }

    /// <summary>The formula, e.g. <c>volunteer ~ sex + age + sex:age</c>.</summary>
    public required string Formula { get; init; }

    /// <summary>The family.</summary>
    public ModelFamily Family { get; init; } = ModelFamily.Gaussian;
}

/// <summary>Reads a survey file, builds its design and fits a design-based GLM (R <c>svyglm</c>).</summary>
public static class QuickModel
{
    /// <summary>Fits <paramref name="request"/>.</summary>
    /// <exception cref="Diagnostics.InputDataException">The file cannot be read, a column is missing, or a design cell is invalid.</exception>
    /// <exception cref="EstimationException">The formula, design or data do not allow the fit.</exception>
    public static ModelFit Run(ModelRequest request) => Run(request, fast: true);

    /// <summary>Fits <paramref name="request"/>; <paramref name="fast"/> false reads the file row by row and fits every replicate to the rows (tests compare the two).</summary>
    internal static ModelFit Run(ModelRequest request, bool fast)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Survey.Calibration is not null)
            throw new EstimationException(Diagnostics.FailureKind.Usage, "contrib model does not calibrate; fit the model on the design weights.");
        var formula = ModelFormula.Parse(request.Formula);
        var names = formula.Predictors.Prepend(formula.Response).ToArray();
        var sample = SurveySample.Read(request.Survey, names, fast);
        var design = QuickEstimate.BuildDesign(request.Survey, sample);
        var variables = names.ToDictionary(
            n => n,
            n =>
            {
                var (numbers, text, allNumbers) = sample.ModelColumns[n];
                return new ModelVariable(n, numbers, text, allNumbers);
            },
            StringComparer.Ordinal);
        return SurveyGlm.Fit(design, formula, variables, request.Family, sample.Include, fast);
    }
}

/// <summary>Writes a coefficient table as CSV: <c>term,estimate,se,t,df,p</c>, round-trip numbers, LF line ends.</summary>
public static class ModelCsv
{
    /// <summary>Writes the header and one line per coefficient.</summary>
    public static void Write(TextWriter writer, ModelFit fit)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(fit);
        CsvText.WriteRecord(writer, ["term", "estimate", "se", "t", "df", "p"]);
        foreach (var c in fit.Coefficients)
            CsvText.WriteRecord(writer, [CsvText.Text(c.Term), CsvText.Number(c.Estimate), CsvText.Number(c.StandardError), CsvText.Number(c.TValue),
                CsvText.Number(c.DegreesOfFreedom), CsvText.Number(c.PValue)]);
    }

    /// <summary>Writes the CSV to <paramref name="path"/> atomically.</summary>
    public static void WriteFile(string path, ModelFit fit)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteText(path, writer => Write(writer, fit));
    }
}
