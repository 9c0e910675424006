using ContributionIndex.Diagnostics;

namespace ContributionIndex.Estimation.Regression;

/// <summary>A model formula <c>y ~ a + b + a:b</c> (R <c>terms.formula</c> for main effects and interactions, with an intercept).</summary>
/// <remarks>
/// <c>a*b</c> expands to <c>a + b + a:b</c>; terms are ordered by degree (main effects, then two-way interactions, ...),
/// keeping the written order within a degree, and the variables of a term are ordered by their first appearance in the
/// formula, as R does. Duplicate terms are dropped. The intercept is always in the model: <c>- 1</c> and <c>+ 0</c> are refused.
/// </remarks>
internal sealed class ModelFormula
{
    private ModelFormula(string text, string response, IReadOnlyList<IReadOnlyList<string>> terms)
    {
        Text = text;
        Response = response;
        Terms = terms;
    }

    /// <summary>The formula as written.</summary>
    public string Text { get; }

    /// <summary>The response variable (left of <c>~</c>).</summary>
    public string Response { get; }

    /// <summary>The terms after the intercept, each a list of variables (one for a main effect, more for an interaction).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Terms { get; }

    /// <summary>The predictor variables in order of first appearance.</summary>
    public IReadOnlyList<string> Predictors => Terms.SelectMany(t => t).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>R's label of a term: its variables joined by <c>:</c>.</summary>
    public static string Label(IReadOnlyList<string> term) => string.Join(':', term);

    /// <summary>Parses <paramref name="text"/>.</summary>
    /// <exception cref="EstimationException">The formula is malformed (usage error naming the problem).</exception>
    public static ModelFormula Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int tilde = text.IndexOf('~', StringComparison.Ordinal);
        if (tilde < 0 || text.IndexOf('~', tilde + 1) >= 0)
            throw Usage(text, "it needs exactly one '~' between the response and the predictors, e.g. \"volunteer ~ sex + age + sex:age\"");
        var response = text[..tilde].Trim();
        if (!IsName(response)) throw Usage(text, "the response left of '~' must be one column name");
        var right = text[(tilde + 1)..];
        if (right.Split('+').Any(p => p.Trim().StartsWith('-') || p.Contains(" -", StringComparison.Ordinal)))
            throw Usage(text, "removing terms or the intercept ('-') is not supported; the model always has an intercept");

        var order = new List<string>();
        var written = new List<List<string>>();
        foreach (var part in right.Split('+'))
        {
            var piece = part.Trim();
            if (piece.Length == 0) throw Usage(text, "a '+' has no term on one side");
            if (piece == "1") continue;
            if (piece == "0") throw Usage(text, "a model without intercept ('+ 0') is not supported");
            bool crossed = piece.Contains('*', StringComparison.Ordinal);
            var variables = piece.Split(crossed ? '*' : ':').Select(v => v.Trim()).ToArray();
            if (crossed && piece.Contains(':', StringComparison.Ordinal))
                throw Usage(text, $"the term '{Show(piece)}' mixes '*' and ':'; write the terms out, e.g. a + b + a:b");
            foreach (var v in variables)
            {
                if (!IsName(v)) throw Usage(text, $"'{Show(v)}' is not a column name");
                if (v == response) throw Usage(text, $"the response '{Show(v)}' is also a predictor");
                if (!order.Contains(v, StringComparer.Ordinal)) order.Add(v);
            }
            if (variables.Distinct(StringComparer.Ordinal).Count() != variables.Length)
                throw Usage(text, $"the term '{Show(piece)}' repeats a variable");
            if (!crossed)
            {
                written.Add([.. variables]);
                continue;
            }
            // a*b*c: every non-empty subset, in R's order (by size, then by position).
            int k = variables.Length;
            var subsets = Enumerable.Range(1, (1 << k) - 1)
                .Select(mask => Enumerable.Range(0, k).Where(i => (mask & (1 << i)) != 0).Select(i => variables[i]).ToList())
                .OrderBy(s => s.Count).ThenBy(s => string.Join('\u0001', s.Select(v => Array.IndexOf(variables, v).ToString("D3", System.Globalization.CultureInfo.InvariantCulture))), StringComparer.Ordinal);
            written.AddRange(subsets);
        }

        var terms = new List<IReadOnlyList<string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in written.OrderBy(t => t.Count)) // OrderBy is stable: written order within a degree
        {
            var sorted = term.OrderBy(v => order.IndexOf(v)).ToArray();
            if (seen.Add(Label(sorted))) terms.Add(sorted);
        }
        return new ModelFormula(text.Trim(), response, terms);
    }

    private static bool IsName(string name) =>
        name.Length > 0 && name.All(c => !char.IsWhiteSpace(c) && c is not ('~' or '+' or '*' or ':' or '(' or ')' or '^' or '|'));

    private static string Show(string text) => Diagnostics.MessageText.Excerpt(text);

    private static EstimationException Usage(string formula, string problem) =>
        new(FailureKind.Usage, $"The formula '{Diagnostics.MessageText.Excerpt(formula, Diagnostics.MessageText.MaxExcerptLength)}' cannot be read: {problem}.");
}
