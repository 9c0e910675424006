namespace ContributionIndex.Indicators.Composite;

/// <summary>League-table ranks: 1 = highest score; tied scores share the best rank ("1224" competition ranking); NaN gets no rank.</summary>
public static class Ranking
{
    /// <summary>Ranks scores in descending order. Ties are exact equality of the doubles; missing scores get null.</summary>
    public static int?[] Descending(IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var order = Enumerable.Range(0, scores.Count).Where(i => !double.IsNaN(scores[i])).OrderByDescending(i => scores[i]).ToArray();
        var ranks = new int?[scores.Count];
        for (var k = 0; k < order.Length; k++)
        {
            ranks[order[k]] = k > 0 && scores[order[k]] == scores[order[k - 1]] ? ranks[order[k - 1]] : k + 1;
        }

        return ranks;
    }
}
