using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;

namespace ContributionIndex.Estimation;

/// <summary>What quick mode calibrates to: a margins file, the distance function, bounds and trimming (R <c>calibrate()</c>).</summary>
/// <param name="MarginsPath">A CSV with columns <c>variable,level,total</c>: one population total per level of each factor (e.g. every sex, every age group, every region), or an empty level for the population total of a numeric column.</param>
/// <param name="Function">The distance function.</param>
/// <param name="Bounds">Bounds (L, U) on g = w*/w, or null.</param>
/// <param name="Trim">Trimming of g to [L, U] after calibration, or null.</param>
public sealed record CalibrationRequest(string MarginsPath, CalibrationFunction Function = CalibrationFunction.Linear,
    (double Lower, double Upper)? Bounds = null, (double Lower, double Upper)? Trim = null);

/// <summary>Population margins for calibration, read from a <c>variable,level,total</c> file and turned into R's <c>calibrate(design, ~a + b + x, population)</c> totals.</summary>
/// <remarks>
/// The model is an intercept plus each variable of the file in file order: factors in treatment coding (levels sorted as
/// <see cref="CalibrationModel.AddFactor"/> does), numeric columns as they are. The intercept's total is the population
/// size, the sum of the first factor's level totals; every factor's level totals must add up to it (within 1e-9 relative),
/// and every level seen in the sample must have a total (and every total a sample level), as R requires.
/// </remarks>
public sealed class CalibrationMargins
{
    private readonly List<(string Variable, string? Level, double Total, SourceLocation Where, SourceLocation VariableAt)> rows = [];

    /// <summary>The variables named by the file, in file order.</summary>
    public IReadOnlyList<string> Variables => rows.Select(r => r.Variable).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Where the first total of <paramref name="variable"/> is written (file, line, column of the variable).</summary>
    internal SourceLocation LocationOf(string variable) => rows.First(r => r.Variable == variable).VariableAt;

    /// <summary>Whether <paramref name="variable"/> is numeric (its total has an empty level).</summary>
    public bool IsNumeric(string variable) => rows.Any(r => r.Variable == variable && r.Level is null);

    /// <summary>Reads the margins file.</summary>
    /// <exception cref="InputDataException">The file is missing, lacks a column, or a total is not a finite number (named by line and column).</exception>
    public static CalibrationMargins Read(string path, TabularOptions? options = null)
    {
        using var reader = TabularFile.Open(path, options ?? TabularOptions.Default);
        int variable = reader.FindColumn("variable"), level = reader.FindColumn("level"), total = reader.FindColumn("total");
        if (variable < 0 || level < 0 || total < 0)
            throw new InputDataException(reader.Locate(reader.HeaderLine, 0), "the margins file needs the columns variable, level and total.",
                "Write one population total per line: variable,level,total (e.g. sex,F,5120000); leave level empty for a numeric variable's total.");
        var margins = new CalibrationMargins();
        var seen = new HashSet<(string, string?)>();
        foreach (var row in reader.ReadRows())
        {
            var name = row[variable].Trim();
            var text = row[level].Trim();
            var where = reader.Locate(row.Line, total + 1);
            if (name.Length == 0) throw new InputDataException(reader.Locate(row.Line, variable + 1), "the variable is empty.", "Name the survey column the total belongs to.");
            if (row.TryGetNumber(total, out var value) != NumberParseStatus.Ok || !double.IsFinite(value))
                throw new InputDataException(where, $"the total '{MessageText.Excerpt(row[total])}' is not a number.", "Write the population total as a number.");
            string? key = text.Length == 0 ? null : text;
            if (!seen.Add((name, key)))
                throw new InputDataException(where, $"the margin {MessageText.Excerpt(name)}={MessageText.Excerpt(text)} appears twice.", "Give each level's total once.");
            margins.rows.Add((name, key, value, where, reader.Locate(row.Line, variable + 1)));
        }
        if (margins.rows.Count == 0) throw new InputDataException(SourceLocation.OfFile(path), "the margins file has no totals.", "Add one line per population total.");
        return margins;
    }

    /// <summary>The calibration model and its population totals for the sample's columns.</summary>
    /// <param name="rowCount">The sample rows.</param>
    /// <param name="text">Each margin variable's cells as text (factors).</param>
    /// <param name="numbers">Each margin variable's cells as numbers (numeric variables).</param>
    /// <exception cref="EstimationException">A cell of the sample is missing.</exception>
    /// <exception cref="InputDataException">A level lacks its total, a total lacks sample rows, or the margins disagree on the population size (named by the margins file's line and column).</exception>
    public (CalibrationModel Model, double[] Totals) Build(int rowCount, IReadOnlyDictionary<string, string?[]> text, IReadOnlyDictionary<string, double[]> numbers)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(numbers);
        var model = CalibrationModel.WithIntercept(rowCount);
        var totals = new List<double> { double.NaN };
        double? population = null;
        foreach (var name in Variables)
        {
            var lines = rows.Where(r => r.Variable == name).ToArray();
            if (IsNumeric(name))
            {
                if (lines.Length != 1) throw new InputDataException(LocationOf(name), $"The margin '{MessageText.Excerpt(name)}' mixes a numeric total (empty level) with level totals; give either one or the other.");
                model.AddNumeric(name, numbers[name]);
                totals.Add(lines[0].Total);
                continue;
            }
            var cells = text[name];
            for (int i = 0; i < cells.Length; i++)
                if (cells[i] is null)
                    throw new EstimationException(FailureKind.Data, FormattableString.Invariant($"Row {i + 1} has no value of the calibration variable '{MessageText.Excerpt(name)}'; calibration needs it in every row."));
            var levels = cells.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
            foreach (var l in levels)
                if (!lines.Any(r => r.Level == l))
                    throw new InputDataException(LocationOf(name), $"The sample has {MessageText.Excerpt(name)}={MessageText.Excerpt(l)} but the margins file gives no population total for it.", "Add a line with its total.");
            foreach (var r in lines)
                if (!levels.Contains(r.Level, StringComparer.Ordinal))
                    throw new InputDataException(r.Where, $"the margin {MessageText.Excerpt(name)}={MessageText.Excerpt(r.Level)} has no sample rows; merge it with a neighbouring level (R: population and sample totals are not the same length).");
            double size = lines.Sum(r => r.Total);
            if (population is { } n && Math.Abs(size - n) > 1e-9 * Math.Abs(n))
                throw new InputDataException(LocationOf(name), string.Create(CultureInfo.InvariantCulture,
                    $"The totals of '{MessageText.Excerpt(name)}' add up to {size:R} but the first margin's to {n:R}; every margin must describe the same population."));
            population ??= size;
            model.AddFactor(name, cells!);
            totals.AddRange(levels.Skip(1).Select(l => lines.Single(r => r.Level == l).Total));
        }
        if (population is null) throw new InputDataException(rows[0].VariableAt, "The margins file has no factor (variable with levels), so the population size is unknown; add the totals of one factor such as sex.");
        totals[0] = population.Value;
        return (model, [.. totals]);
    }
}
