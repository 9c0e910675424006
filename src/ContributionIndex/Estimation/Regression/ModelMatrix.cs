using ContributionIndex.Diagnostics;

namespace ContributionIndex.Estimation.Regression;

/// <summary>One variable of a model as read from the survey file: numbers when every non-empty cell is a number, else text (a factor).</summary>
internal sealed class ModelVariable(string name, double[] numbers, IReadOnlyList<string?> text, bool isNumeric)
{
    public string Name { get; } = name;

    /// <summary>The numbers (NaN = missing); meaningful when <see cref="IsNumeric"/>.</summary>
    public double[] Numbers { get; } = numbers;

    /// <summary>The text (null = missing); the factor's labels when not <see cref="IsNumeric"/>.</summary>
    public IReadOnlyList<string?> Text { get; } = text;

    public bool IsNumeric { get; } = isNumeric;

    public bool IsMissing(int row) => IsNumeric ? double.IsNaN(Numbers[row]) : Text[row] is null;
}

/// <summary>The model matrix of a formula over the rows that enter the fit (R <c>model.matrix</c> with treatment contrasts).</summary>
/// <remarks>
/// Text variables are factors whose levels are the distinct labels of the fitted rows sorted ordinally (R's <c>factor()</c>
/// order in the C collation; for the digits, ASCII letters and labels such as "15-29" of survey files it is R's order in any
/// locale). A factor in a term is coded by treatment contrasts (indicators of every level but the first) when the term
/// without it is the intercept or an earlier term of the model, and by indicators of all its levels otherwise (R's rule,
/// e.g. <c>y ~ x + sex:x</c> gives <c>sexF:x</c> and <c>sexM:x</c>). Interaction columns are products, the first variable
/// varying fastest, named as R names them (<c>sexM:age30-54</c>).
/// </remarks>
internal sealed class ModelMatrix
{
    private ModelMatrix(double[][] columns, string[] names, double[] response)
    {
        Columns = columns;
        Names = names;
        Response = response;
    }

    /// <summary>One array per column, one value per fitted row.</summary>
    public double[][] Columns { get; }

    /// <summary>Column names: <c>(Intercept)</c>, then R's names.</summary>
    public string[] Names { get; }

    /// <summary>The response of each fitted row.</summary>
    public double[] Response { get; }

    /// <summary>Builds the matrix for <paramref name="rows"/> (row indices of the sample).</summary>
    public static ModelMatrix Build(ModelFormula formula, IReadOnlyDictionary<string, ModelVariable> variables, int[] rows, ModelFamily family)
    {
        var response = variables[formula.Response];
        if (!response.IsNumeric)
            throw new EstimationException(FailureKind.Data, $"The response '{Show(formula.Response)}' is not numeric; code it as numbers (0/1 for a logistic model).");
        var y = rows.Select(r => response.Numbers[r]).ToArray();
        foreach (var v in y)
        {
            if (family == ModelFamily.Binomial && !(v >= 0 && v <= 1))
                throw new EstimationException(FailureKind.Data, FormattableString.Invariant($"The response '{Show(formula.Response)}' has the value {v}; a logistic model needs values between 0 and 1 (R: y values must be 0 <= y <= 1)."));
            if (family == ModelFamily.Poisson && v < 0)
                throw new EstimationException(FailureKind.Data, FormattableString.Invariant($"The response '{Show(formula.Response)}' has the negative value {v}; a Poisson model needs values ≥ 0."));
        }

        var levels = new Dictionary<string, string[]>(StringComparer.Ordinal);
        foreach (var name in formula.Predictors)
        {
            var variable = variables[name];
            if (variable.IsNumeric) continue;
            levels[name] = rows.Select(r => variable.Text[r]!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        }

        var columns = new List<double[]> { Enumerable.Repeat(1.0, rows.Length).ToArray() };
        var names = new List<string> { "(Intercept)" };
        var earlier = new HashSet<string>(StringComparer.Ordinal) { "" };
        foreach (var term in formula.Terms)
        {
            // Each variable contributes (name, values) parts; the term's columns are their products, first variable fastest.
            var parts = new List<(string Name, double[] Values)[]>();
            foreach (var name in term)
            {
                var variable = variables[name];
                if (variable.IsNumeric)
                {
                    parts.Add([(name, rows.Select(r => variable.Numbers[r]).ToArray())]);
                    continue;
                }
                var rest = ModelFormula.Label(term.Where(v => v != name).ToArray());
                bool contrasts = earlier.Contains(rest);
                var factorLevels = levels[name];
                if (contrasts && factorLevels.Length < 2)
                    throw new EstimationException(FailureKind.Data, $"The factor '{Show(name)}' has only one level ('{Show(factorLevels.FirstOrDefault() ?? "")}') among the rows fitted, so it cannot be in the model (R: contrasts can be applied only to factors with 2 or more levels).");
                // Each row's level once (not a lookup and a comparison per row and level).
                var text = variables[name].Text;
                var levelIndex = factorLevels.Select((level, k) => (level, k)).ToDictionary(e => e.level, e => e.k, StringComparer.Ordinal);
                var rowLevel = new int[rows.Length];
                for (int j = 0; j < rows.Length; j++) rowLevel[j] = levelIndex[text[rows[j]]!];
                parts.Add(factorLevels.Select((level, k) => (Name: name + level, Index: k)).Skip(contrasts ? 1 : 0)
                    .Select(level => (level.Name, Indicator(rowLevel, level.Index)))
                    .ToArray());
            }
            var combined = new List<(string Name, double[] Values)> { ("", Enumerable.Repeat(1.0, rows.Length).ToArray()) };
            foreach (var part in parts)
            {
                // The new variable varies slowest: for each of its parts, every combination so far.
                var next = new List<(string, double[])>();
                foreach (var (partName, partValues) in part)
                    foreach (var (soFar, values) in combined)
                        next.Add((soFar.Length == 0 ? partName : soFar + ":" + partName, Product(values, partValues)));
                combined = next;
            }
            foreach (var (name, values) in combined)
            {
                names.Add(name);
                columns.Add(values);
            }
            earlier.Add(ModelFormula.Label(term));
        }
        return new ModelMatrix([.. columns], [.. names], y);
    }

    private static double[] Indicator(int[] rowLevel, int level)
    {
        var column = new double[rowLevel.Length];
        for (int j = 0; j < column.Length; j++) column[j] = rowLevel[j] == level ? 1.0 : 0.0;
        return column;
    }

    private static double[] Product(double[] a, double[] b)
    {
        var product = new double[a.Length];
        for (int j = 0; j < product.Length; j++) product[j] = a[j] * b[j];
        return product;
    }

    private static string Show(string text) => Diagnostics.MessageText.Excerpt(text);
}
