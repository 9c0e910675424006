using ContributionIndex.Diagnostics;
using ContributionIndex.IO;
using MathNet.Numerics.LinearAlgebra;

namespace ContributionIndex.Estimation;

/// <summary>The difference of one estimate between two levels of a compared variable (level_b − level_a), with its design SE, t, df and two-sided p-value.</summary>
/// <param name="Test">"pairwise" (R <c>svyby(covmat = TRUE)</c> + <c>svycontrast</c>) or "ttest" (R <c>svyttest</c>).</param>
/// <param name="Statistic">The kind of the compared estimates.</param>
/// <param name="Variable">The estimated variable.</param>
/// <param name="Other">The labels of the other by-variables the pair shares (empty when the compared variable is the only one).</param>
/// <param name="Compare">The compared variable.</param>
/// <param name="LevelA">The first level (in domain order).</param>
/// <param name="LevelB">The second level.</param>
/// <param name="Difference">estimate(level_b) − estimate(level_a).</param>
/// <param name="StandardError">√(V_a + V_b − 2 C_ab) from the domain covariance.</param>
/// <param name="DegreesOfFreedom">The design df (pairwise) or design df − 1 (t-test, R's svyglm residual df).</param>
public sealed record DomainDifference(string Test, StatisticKind Statistic, string Variable, IReadOnlyList<string> Other, string Compare,
    string LevelA, string LevelB, double Difference, double StandardError, double DegreesOfFreedom)
{
    /// <summary>t = difference / SE.</summary>
    public double T => Difference / StandardError;

    /// <summary>Two-sided p-value 2·P(T_df &gt; |t|).</summary>
    public double P => CriticalValues.TwoSidedT(T, DegreesOfFreedom);
}

/// <summary>A Rao–Scott second-order corrected Pearson test of independence in a two-way table (R <c>svychisq(statistic = "F")</c>).</summary>
/// <param name="RowVariable">The first variable.</param>
/// <param name="ColumnVariable">The second variable.</param>
/// <param name="F">Pearson's X² (weighted table scaled to n rows) over tr(Δ).</param>
/// <param name="NumeratorDf">d₀ = tr(Δ)²/tr(Δ²).</param>
/// <param name="DenominatorDf">d₀ · ν with ν the design df (Taylor: PSUs − strata; replicate: degf).</param>
/// <param name="P">P(F(d₀, d₀ν) &gt; F).</param>
public sealed record RaoScottTest(string RowVariable, string ColumnVariable, double F, double NumeratorDf, double DenominatorDf, double P)
{
    /// <summary>The by-variables whose domain the test is within (R <c>svychisq</c> on <c>subset(design, domain)</c>); empty for the whole design.</summary>
    public IReadOnlyList<string> ByNames { get; init; } = [];

    /// <summary>The domain labels, one per <see cref="ByNames"/> entry; empty for the whole design.</summary>
    public IReadOnlyList<string> Domain { get; init; } = [];
}

/// <summary>Differences between domains, the design-based t-test and the Rao–Scott test (methodology/estimation.md, "Comparisons").</summary>
public static class DomainComparisons
{
    /// <summary>Every pairwise difference between the levels of <paramref name="compare"/> within each combination of the other by-variables.</summary>
    /// <param name="estimates">Estimates of one variable by the domains of <paramref name="byNames"/>, with their variance components kept.</param>
    /// <param name="byNames">The by-variables of the estimates.</param>
    /// <param name="compare">The compared by-variable.</param>
    /// <exception cref="EstimationException"><paramref name="compare"/> is not a by-variable, or an estimate kept no components (quantiles).</exception>
    public static IReadOnlyList<DomainDifference> Pairwise(IReadOnlyList<SurveyEstimate> estimates, IReadOnlyList<string> byNames, string compare)
    {
        ArgumentNullException.ThrowIfNull(estimates);
        ArgumentNullException.ThrowIfNull(byNames);
        int c = byNames.ToList().IndexOf(compare);
        if (c < 0) throw new EstimationException(FailureKind.Usage, $"--compare {compare} must be one of the --by variables.");
        var groups = new List<(string Key, List<SurveyEstimate> Members)>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in estimates)
        {
            if (e.Components is null)
                throw new EstimationException(FailureKind.Usage, $"Differences of {e.Statistic.ToString().ToLowerInvariant()} estimates ('{e.Variable}') are not available; compare totals, means, proportions or ratios.");
            var key = string.Join('\u001f', e.Domain.Where((_, i) => i != c));
            if (!index.TryGetValue(key, out var g)) { g = groups.Count; index.Add(key, g); groups.Add((key, [])); }
            groups[g].Members.Add(e);
        }
        var result = new List<DomainDifference>();
        foreach (var (_, members) in groups)
            for (int a = 0; a < members.Count; a++)
                for (int b = a + 1; b < members.Count; b++)
                    result.Add(Difference("pairwise", members[a], members[b], c, compare, members[a].DegreesOfFreedom));
        return result;
    }

    /// <summary>R <c>svyttest(y ~ g, design)</c>: the difference of the means of <paramref name="y"/> between the two levels of <paramref name="group"/>, df = design df − 1.</summary>
    /// <remarks>R fits <c>svyglm(y ~ g)</c>; its slope is the difference of the two domain means and its sandwich (or replicate) variance is the variance of that difference, computed here from the domain covariance.</remarks>
    /// <exception cref="EstimationException"><paramref name="group"/> does not have exactly two levels.</exception>
    public static DomainDifference TTest(SurveyDesign design, string variable, ReadOnlySpan<double> y, string groupName, IReadOnlyList<string?> group, EstimationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        var domains = DomainPartition.Create(design.RowCount, [groupName], [group]);
        if (domains.Count != 2)
            throw new EstimationException(FailureKind.Usage, FormattableString.Invariant($"--test ttest needs a --compare variable with exactly two levels; '{groupName}' has {domains.Count}."));
        var means = SurveyEstimator.Mean(design, variable, y, domains, (options ?? EstimationOptions.Default) with { KeepComponents = true });
        return Difference("ttest", means[0], means[1], 0, groupName, design.DegreesOfFreedom - 1);
    }

    internal static DomainDifference Difference(string test, SurveyEstimate a, SurveyEstimate b, int compareIndex, string compare, double df)
    {
        double variance = SurveyEstimate.Covariance(a, a) + SurveyEstimate.Covariance(b, b) - 2 * SurveyEstimate.Covariance(a, b);
        var other = a.Domain.Where((_, i) => i != compareIndex).ToArray();
        return new DomainDifference(test, a.Statistic, a.Variable, other, compare, a.Domain[compareIndex], b.Domain[compareIndex],
            b.Value - a.Value, Math.Sqrt(variance), df);
    }

    /// <summary>R <c>svychisq(~a + b, design, statistic = "F")</c> on the whole design.</summary>
    /// <remarks>
    /// p̂ = cell proportions (R's <c>interaction(a, b)</c> order, a fastest) with design covariance V; C = the interaction columns of the
    /// saturated model's design matrix made orthogonal to the main effects; Δ = (C' D⁻¹ C / n)⁻¹ (C' D⁻¹ V D⁻¹ C) with D = diag(p̂);
    /// F = X²/tr Δ, d₀ = (tr Δ)²/tr Δ², p = P(F(d₀, d₀ν) &gt; F).
    /// </remarks>
    public static RaoScottTest ChiSquare(SurveyDesign design, string rowName, IReadOnlyList<string?> rowValues, string columnName, IReadOnlyList<string?> columnValues)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(rowValues);
        ArgumentNullException.ThrowIfNull(columnValues);
        var test = ChiSquareOn(design, rowName, rowValues, columnName, columnValues, null)
            ?? throw new EstimationException(FailureKind.Usage, $"--chisq needs two variables with at least two levels each; '{rowName}' or '{columnName}' has fewer.");
        return test;
    }

    /// <summary>R <c>svychisq(~a + b, subset(design, domain), statistic = "F")</c> for every domain of <paramref name="domains"/>.</summary>
    /// <remarks>
    /// As R's subset design: n is the domain's rows, the levels are those present in the domain, ν is the domain's PSUs minus its
    /// strata (Taylor) or the rank of its replicate weights minus 1, and the cell proportions and their covariance are domain
    /// estimates (all PSUs of the strata the domain touches). A domain where either variable has fewer than two levels (R stops:
    /// "contrasts can be applied only to factors with 2 or more levels") gets NaN statistics.
    /// </remarks>
    public static IReadOnlyList<RaoScottTest> ChiSquareByDomain(SurveyDesign design, string rowName, IReadOnlyList<string?> rowValues, string columnName,
        IReadOnlyList<string?> columnValues, DomainPartition domains)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(rowValues);
        ArgumentNullException.ThrowIfNull(columnValues);
        ArgumentNullException.ThrowIfNull(domains);
        var result = new RaoScottTest[domains.Count];
        for (int k = 0; k < domains.Count; k++)
        {
            var include = new bool[design.RowCount];
            for (int i = 0; i < include.Length; i++) include[i] = domains.RowDomainArray[i] == k;
            result[k] = (ChiSquareOn(design, rowName, rowValues, columnName, columnValues, include)
                ?? new RaoScottTest(rowName, columnName, double.NaN, double.NaN, double.NaN, double.NaN)) with { ByNames = domains.ByNames, Domain = domains.Labels[k] };
        }
        return result;
    }

    /// <summary>The test on the rows where <paramref name="include"/> is true (all rows when null), or null when a variable has fewer than two levels there.</summary>
    private static RaoScottTest? ChiSquareOn(SurveyDesign design, string rowName, IReadOnlyList<string?> rowValues, string columnName, IReadOnlyList<string?> columnValues,
        bool[]? include)
    {
        int rows = design.RowCount;
        var rowLevels = DomainPartition.Create(rows, [rowName], [rowValues], include);
        var columnLevels = DomainPartition.Create(rows, [columnName], [columnValues], include);
        int nr = rowLevels.Count, nc = columnLevels.Count, cells = nr * nc;
        if (nr < 2 || nc < 2) return null;
        int n = include is null ? rows : include.Count(x => x);
        var whole = DomainPartition.Whole(rows, include);
        var estimates = new SurveyEstimate[cells];
        var indicator = new double[rows];
        var options = EstimationOptions.Default with { KeepComponents = true };
        for (int j = 0; j < nc; j++)
            for (int i = 0; i < nr; i++)
            {
                for (int r = 0; r < rows; r++)
                {
                    int ri = rowLevels.RowDomainArray[r], ci = columnLevels.RowDomainArray[r];
                    indicator[r] = ri < 0 || ci < 0 ? double.NaN : ri == i && ci == j ? 1 : 0;
                }
                estimates[i + nr * j] = SurveyEstimator.Mean(design, rowName + ":" + columnName, indicator, whole, options)[0];
            }
        var p = Vector<double>.Build.Dense(cells, k => estimates[k].Value);
        var v = Matrix<double>.Build.Dense(cells, cells, (a, b) => SurveyEstimate.Covariance(estimates[a], estimates[b]));

        // X1 = [1, rows 2..nr, cols 2..nc]; the interaction columns of X12 (rows fastest) minus their projection on X1 (R qr.resid).
        var x1 = Matrix<double>.Build.Dense(cells, nr + nc - 1, (k, col) =>
            col == 0 ? 1 : col < nr ? (k % nr == col ? 1 : 0) : (k / nr == col - nr + 1 ? 1 : 0));
        var x12 = Matrix<double>.Build.Dense(cells, (nr - 1) * (nc - 1), (k, col) =>
            k % nr == col % (nr - 1) + 1 && k / nr == col / (nr - 1) + 1 ? 1 : 0);
        var cmat = x12 - x1 * x1.QR().Solve(x12);
        var inverseD = Matrix<double>.Build.DenseOfDiagonalVector(p.Map(x => x == 0 ? 0 : 1 / x));
        var denominator = cmat.TransposeThisAndMultiply(inverseD / n) * cmat;
        var numerator = cmat.TransposeThisAndMultiply(inverseD) * v * inverseD * cmat;
        var delta = denominator.Solve(numerator);
        double trace = delta.Trace(), trace2 = (delta * delta).Trace();
        double d0 = trace * trace / trace2;

        // Pearson X² of the weighted table scaled to n (R chisq.test(svytable(..., Ntotal = n), correct = FALSE)).
        double pearson = 0;
        var rowShare = new double[nr];
        var columnShare = new double[nc];
        for (int k = 0; k < cells; k++) { rowShare[k % nr] += p[k]; columnShare[k / nr] += p[k]; }
        for (int k = 0; k < cells; k++)
        {
            double observed = n * p[k], expected = n * rowShare[k % nr] * columnShare[k / nr];
            pearson += (observed - expected) * (observed - expected) / expected;
        }
        double nu = include is null
            ? design is TaylorDesign taylor ? taylor.PsuCount - taylor.StratumCount : design.DegreesOfFreedom
            : SubsetDegreesOfFreedom(design, include);
        double f = pearson / trace;
        return new RaoScottTest(rowName, columnName, f, d0, d0 * nu, CriticalValues.UpperF(f, d0, d0 * nu));
    }

    /// <summary>R <c>svychisq</c>'s ν on a subset design: PSUs minus strata among the subset's rows (Taylor, every row), or the rank of its replicate weights minus 1.</summary>
    private static double SubsetDegreesOfFreedom(SurveyDesign design, bool[] include)
    {
        switch (design)
        {
            case TaylorDesign taylor:
                var psus = new HashSet<int>();
                var strata = new HashSet<int>();
                for (int i = 0; i < include.Length; i++)
                {
                    if (!include[i]) continue;
                    psus.Add(taylor.RowPsu[i]);
                    strata.Add(taylor.RowStratum[i]);
                }
                return psus.Count - strata.Count;
            case ReplicateDesign replicate:
                var members = Enumerable.Range(0, include.Length).Where(i => include[i]).ToArray();
                return ReplicateRank.Of(replicate.ReplicateWeightColumns.Select(c => members.Select(i => c[i]).ToArray()).ToArray()) - 1;
            default:
                throw new ArgumentException("Unknown design type.", nameof(design));
        }
    }
}

/// <summary>Writes domain differences as CSV: <c>test,statistic,variable,&lt;other by columns&gt;,compare,level_a,level_b,difference,se,t,df,p</c>.</summary>
public static class DifferencesCsv
{
    /// <summary>Writes the header and one line per difference.</summary>
    public static void Write(TextWriter writer, IReadOnlyList<string> otherByNames, IEnumerable<DomainDifference> differences)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(otherByNames);
        ArgumentNullException.ThrowIfNull(differences);
        var header = new List<string> { "test", "statistic", "variable" };
        header.AddRange(otherByNames.Select(CsvText.Text));
        header.AddRange(["compare", "level_a", "level_b", "difference", "se", "t", "df", "p"]);
        CsvText.WriteRecord(writer, header);
        foreach (var d in differences)
        {
            var fields = new List<string> { d.Test, d.Statistic.ToString().ToLowerInvariant(), CsvText.Text(d.Variable) };
            for (int i = 0; i < otherByNames.Count; i++) fields.Add(i < d.Other.Count ? CsvText.Text(d.Other[i]) : "");
            fields.AddRange([CsvText.Text(d.Compare), CsvText.Text(d.LevelA), CsvText.Text(d.LevelB), CsvText.Number(d.Difference),
                CsvText.Number(d.StandardError), CsvText.Number(d.T), CsvText.Number(d.DegreesOfFreedom), CsvText.Number(d.P)]);
            CsvText.WriteRecord(writer, fields);
        }
    }

    /// <summary>Writes Rao–Scott tests as CSV: <c>row_variable,column_variable,f,ndf,ddf,p</c>.</summary>
    public static void WriteChiSquare(TextWriter writer, IEnumerable<RaoScottTest> tests) => WriteChiSquare(writer, [], tests);

    /// <summary>Writes Rao–Scott tests as CSV: <c>row_variable,column_variable,&lt;by columns&gt;,f,ndf,ddf,p</c>, one line per test and domain (a by column the test was not split by is empty).</summary>
    public static void WriteChiSquare(TextWriter writer, IReadOnlyList<string> byNames, IEnumerable<RaoScottTest> tests)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(byNames);
        ArgumentNullException.ThrowIfNull(tests);
        CsvText.WriteRecord(writer, ["row_variable", "column_variable", .. byNames.Select(CsvText.Text), "f", "ndf", "ddf", "p"]);
        foreach (var t in tests)
        {
            var fields = new List<string> { CsvText.Text(t.RowVariable), CsvText.Text(t.ColumnVariable) };
            foreach (var name in byNames)
            {
                int at = t.ByNames.ToList().IndexOf(name);
                fields.Add(at >= 0 && at < t.Domain.Count ? CsvText.Text(t.Domain[at]) : "");
            }
            fields.AddRange([CsvText.Number(t.F), CsvText.Number(t.NumeratorDf), CsvText.Number(t.DenominatorDf), CsvText.Number(t.P)]);
            CsvText.WriteRecord(writer, fields);
        }
    }
}
