using System.CommandLine;
using System.Globalization;
using ContributionIndex.Estimation.Regression;

namespace ContributionIndex.Cli.Commands;

/// <summary>
/// <c>contrib model --data FILE --weights COL [design flags] --formula "y ~ a + b + a:b" --family gaussian|binomial|poisson --out coef.csv</c>:
/// a design-based GLM (R <c>svyglm</c>) with the design flags of <c>contrib estimate</c>'s quick mode (methodology/estimation.md §Models).
/// </summary>
internal static class ModelCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var survey = new SurveyDesignOptions();
        var formula = new Option<string>("--formula") { Description = "The model, e.g. \"volunteer ~ sex + age + sex:age\" (terms a + b, interactions a:b, a*b = a + b + a:b; text columns are factors with treatment contrasts).", Required = true };
        var family = CommandLine.Choice("--family", "gaussian (linear), binomial (logistic, R quasibinomial) or poisson (log-linear, R quasipoisson).", "gaussian", "gaussian", "binomial", "poisson");
        var output = new Option<string?>("--out") { Description = "Write the coefficients (term, estimate, se, t, df, p) to this CSV file (default: standard output)." };
        var command = new Command("model", "Design-based regression with R svyglm parity: coefficients, design-based SEs, t, residual df and p-values, on Taylor or replicate designs.");
        foreach (var option in survey.All) command.Options.Add(option);
        command.Options.Add(formula);
        command.Options.Add(family);
        command.Options.Add(output);
        command.SetRunAction(stderr, parse =>
        {
            if (parse.GetValue(survey.Data) is null || parse.GetValue(survey.Weights) is null)
                throw SurveyDesignOptions.Usage("contrib model needs --data FILE and --weights COL (and the design flags of contrib estimate).");
            survey.Check(parse);
            var request = new ModelRequest
            {
                Survey = survey.Request(parse),
                Formula = parse.GetValue(formula)!,
                Family = parse.GetValue(family) switch
                {
                    "binomial" => ModelFamily.Binomial,
                    "poisson" => ModelFamily.Poisson,
                    _ => ModelFamily.Gaussian,
                },
            };
            var fit = QuickModel.Run(request);
            if (parse.GetValue(output) is { } path)
            {
                ModelCsv.WriteFile(path, fit);
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {fit.Coefficients.Count} coefficients ({fit.FittedRows} rows, {fit.Iterations} iterations) to {path}"));
            }
            else
            {
                ModelCsv.Write(stdout, fit);
            }
            return ExitCodes.Success;
        });
        return command;
    }
}
