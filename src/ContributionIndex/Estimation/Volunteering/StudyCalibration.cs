using ContributionIndex.Diagnostics;
using ContributionIndex.Studies;

namespace ContributionIndex.Estimation.Volunteering;

/// <summary>
/// Study-mode calibration (<c>estimation.calibration</c>, methodology/estimation.md §3): a country's design is calibrated
/// to the country's margins (R <c>calibrate(design, ~a + b + …, population, calfun, bounds, trim)</c>); the regional
/// pool to every country's margins at once, with a block-diagonal model (each country's intercept and non-first levels,
/// zero on the other countries' rows), which gives each country's own calibrated weights because the countries' columns
/// do not share rows.
/// </summary>
internal static class StudyCalibration
{
    /// <summary>Reads every country's margins file once (null when the study does not calibrate).</summary>
    public static IReadOnlyDictionary<string, CalibrationMargins>? ReadMargins(Study study) =>
        study.Estimation.Calibration is { } spec
            ? spec.MarginsFullPaths.ToDictionary(m => m.Key, m => CalibrationMargins.Read(m.Value), StringComparer.Ordinal)
            : null;

    /// <summary>The scope's design calibrated to its countries' margins.</summary>
    /// <exception cref="InputDataException">A margin names no person variable, a level has no total or no sample, margins disagree, or a person lacks a calibration value.</exception>
    /// <exception cref="EstimationException">The calibration cannot be solved (it does not converge, or the model is singular).</exception>
    public static SurveyDesign Apply(SurveyDesign design, PersonTable table, Study study, IReadOnlyDictionary<string, CalibrationMargins> margins)
    {
        var spec = study.Estimation.Calibration!;
        var countries = table.Countries.Distinct(StringComparer.Ordinal).ToList();
        var model = CalibrationModel.WithoutIntercept(table.Count);
        var totals = new List<double>();
        foreach (var country in countries)
        {
            var rows = Enumerable.Range(0, table.Count).Where(i => table.Countries[i] == country).ToArray();
            if (!margins.TryGetValue(country, out var countryMargins))
                throw new StudyFileException(study.LocationOf("estimation.calibration.margins"), $"the survey data have persons of {MessageText.Excerpt(country)} but the calibration gives no margins file for it.",
                    $"Add '{MessageText.Excerpt(country)}: <path>' to estimation.calibration.margins.");
            var (countryModel, countryTotals) = CountryModel(table, rows, countryMargins);
            for (int j = 0; j < countryTotals.Length; j++)
            {
                var column = new double[table.Count];
                var values = countryModel.Columns[j];
                for (int k = 0; k < rows.Length; k++) column[rows[k]] = values[k];
                model.AddNumeric(countries.Count == 1 ? countryModel.ColumnNames[j] : country + ":" + countryModel.ColumnNames[j], column);
                totals.Add(countryTotals[j]);
            }
        }

        return Calibration.Calibrate(design, model, totals, spec.Calfun, bounds: Pair(spec.Bounds), trim: Pair(spec.Trim));
    }

    /// <summary>Bounds or trimming [L, U] of the study file (validated to two numbers), or null when not given.</summary>
    private static (double, double)? Pair(IReadOnlyList<double> values) => values.Count == 2 ? (values[0], values[1]) : null;

    /// <summary>One country's model (intercept, then each margin variable in treatment coding) and totals over its rows.</summary>
    private static (CalibrationModel Model, double[] Totals) CountryModel(PersonTable table, int[] rows, CalibrationMargins margins)
    {
        var text = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        foreach (var variable in margins.Variables)
        {
            if (margins.IsNumeric(variable))
                throw new InputDataException(margins.LocationOf(variable), $"'{MessageText.Excerpt(variable)}' has a total without a level; study mode calibrates to person variables with levels.",
                    "Give one total per level, e.g. sex,female,5120000.");
            var parts = variable.Split(':');
            foreach (var part in parts)
                if (!StudyLoader.EstimationDomains.Contains(part, StringComparer.Ordinal))
                    throw new InputDataException(margins.LocationOf(variable), $"'{MessageText.Excerpt(part)}' is not a person variable the study can calibrate to.",
                        $"Use one of {string.Join(", ", StudyLoader.EstimationDomains)}, or a cross-classification such as sex:age_group.");
            var cells = new string?[rows.Length];
            for (int k = 0; k < rows.Length; k++)
            {
                var values = parts.Select(p => table.Domain(p)[rows[k]]).ToArray();
                if (values.Any(v => v is null))
                    throw new InputDataException(margins.LocationOf(variable), $"person '{MessageText.Excerpt(table.PersonIds[rows[k]])}' of input '{MessageText.Excerpt(table.Inputs[rows[k]])}' has no {MessageText.Excerpt(variable)}; calibration needs it for every respondent.",
                        "Complete the survey's column, or calibrate to margins every respondent has.");
                cells[k] = string.Join(':', values);
            }

            text[variable] = cells;
        }

        return margins.Build(rows.Length, text, new Dictionary<string, double[]>(StringComparer.Ordinal));
    }
}
