namespace ContributionIndex.Classify.Coding;

/// <summary>
/// The Forum direction as evidence for the goals and the ISCO classes: how much more (or less) often each goal and class
/// occurs under a direction than overall, counted on the training data (methodology/coding/README.md, "Forum direction").
/// </summary>
/// <remarks>
/// Goals: L(d, g) = logit P(g | d) − logit P(g) with P(g | d) = (k_dg + 1) / (n_d + 2); with the text's probability p_g the
/// naive-Bayes posterior is logit p_g + L(d, g) (direction and text independent given the goal), and the coder uses
/// β_G · L(d, g) with β_G fitted out-of-fold. Classes: R(d, k) = ln(P(k | d) / P(k)) with P(k | d) = (k_dk + 1) / (n_d + K).
/// Only examples with a direction count; goal counts only use examples whose goals are known.
/// </remarks>
internal static class DirectionEvidence
{
    /// <summary>The direction as the tables key it: trimmed, lower case; empty when absent.</summary>
    internal static string Key(string? direction) => (direction ?? string.Empty).Trim().ToLowerInvariant();

    /// <summary>L(d, g) per direction, goals in the order of <paramref name="goals"/>; null when no example has a direction and goals.</summary>
    internal static IReadOnlyDictionary<string, double[]>? GoalLogOdds(IReadOnlyList<LabelledActivity> examples, IReadOnlyList<int> goals)
    {
        var rows = examples.Where(e => Key(e.Direction).Length > 0 && e.SdgGoals.Count > 0).ToArray();
        if (rows.Length == 0) return null;
        double[] Rates(IReadOnlyList<LabelledActivity> subset) =>
            [.. goals.Select(g => (subset.Count(e => e.SdgGoals.Contains(g)) + 1.0) / (subset.Count + 2.0))];
        var overall = Rates(rows);
        var table = new SortedDictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var group in rows.GroupBy(e => Key(e.Direction)))
        {
            var rates = Rates([.. group]);
            table[group.Key] = [.. rates.Select((r, g) => Logit(r) - Logit(overall[g]))];
        }

        return table;
    }

    /// <summary>R(d, k) per direction, classes in the order of <paramref name="classes"/>; null when no example has a direction.</summary>
    internal static IReadOnlyDictionary<string, double[]>? ClassLogRatio(IReadOnlyList<LabelledActivity> examples, IReadOnlyList<string> classes)
    {
        var rows = examples.Where(e => Key(e.Direction).Length > 0).ToArray();
        if (rows.Length == 0) return null;
        double[] Rates(IReadOnlyList<LabelledActivity> subset) =>
            [.. classes.Select(c => (subset.Count(e => e.IscoClass == c) + 1.0) / (subset.Count + (double)classes.Count))];
        var overall = Rates(rows);
        var table = new SortedDictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var group in rows.GroupBy(e => Key(e.Direction)))
        {
            var rates = Rates([.. group]);
            table[group.Key] = [.. rates.Select((r, k) => Math.Log(r / overall[k]))];
        }

        return table;
    }

    internal static double Logit(double p) => Math.Log(p / (1 - p));

    internal static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));
}
