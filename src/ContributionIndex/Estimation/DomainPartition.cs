using System.Globalization;

namespace ContributionIndex.Estimation;

/// <summary>Assigns each sample row to one domain (or to none), keeping the design whole (R <c>svyby</c> / <c>subset</c> semantics).</summary>
/// <remarks>
/// Rows outside every domain (code −1) stay in the design and contribute zeros to the domain's influence values, so all
/// PSUs and strata of the design take part in the variance. Domains are ordered by their labels, column by column,
/// numerically when every label of a column is a number and ordinally otherwise (R sorts factor levels likewise).
/// </remarks>
public sealed class DomainPartition
{
    private DomainPartition(int[] rowDomain, IReadOnlyList<string> byNames, IReadOnlyList<IReadOnlyList<string>> labels)
    {
        RowDomainArray = rowDomain;
        ByNames = byNames;
        Labels = labels;
    }

    internal int[] RowDomainArray { get; }

    /// <summary>The names of the by-variables (empty for the whole sample).</summary>
    public IReadOnlyList<string> ByNames { get; }

    /// <summary>The labels of each domain, one per by-variable.</summary>
    public IReadOnlyList<IReadOnlyList<string>> Labels { get; }

    /// <summary>The number of domains.</summary>
    public int Count => Labels.Count;

    /// <summary>The number of sample rows.</summary>
    public int RowCount => RowDomainArray.Length;

    /// <summary>The domain index of each row, −1 when the row belongs to none.</summary>
    public ReadOnlySpan<int> RowDomain => RowDomainArray;

    /// <summary>One domain holding every row for which <paramref name="include"/> is true (all rows when null).</summary>
    public static DomainPartition Whole(int rowCount, IReadOnlyList<bool>? include = null) =>
        Create(rowCount, [], [], include);

    /// <summary>Cross-classifies rows by the by-variables, optionally restricted to rows where <paramref name="include"/> is true.</summary>
    /// <param name="rowCount">The number of sample rows.</param>
    /// <param name="byNames">The by-variable names.</param>
    /// <param name="byColumns">One value per row for each by-variable; a null value puts the row in no domain (R <c>na.rm.by</c>).</param>
    /// <param name="include">Row filter (R <c>subset</c>), or null for all rows.</param>
    public static DomainPartition Create(int rowCount, IReadOnlyList<string> byNames, IReadOnlyList<IReadOnlyList<string?>> byColumns, IReadOnlyList<bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(byNames);
        ArgumentNullException.ThrowIfNull(byColumns);
        if (byNames.Count != byColumns.Count) throw new ArgumentException("There must be one name per by-column.", nameof(byNames));
        foreach (var column in byColumns)
            if (column.Count != rowCount)
                throw new EstimationException(FormattableString.Invariant($"A by-column has {column.Count} values but the sample has {rowCount} rows."));
        if (include is not null && include.Count != rowCount)
            throw new EstimationException(FormattableString.Invariant($"The row filter has {include.Count} values but the sample has {rowCount} rows."));

        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        var keyLabels = new List<string[]>();
        var provisional = new int[rowCount];
        for (int i = 0; i < rowCount; i++)
        {
            if (include is not null && !include[i]) { provisional[i] = -1; continue; }
            var labels = new string[byColumns.Count];
            bool missing = false;
            for (int c = 0; c < labels.Length; c++)
            {
                var v = byColumns[c][i];
                if (v is null) { missing = true; break; }
                labels[c] = v;
            }
            if (missing) { provisional[i] = -1; continue; }
            var key = string.Join('\u001f', labels);
            if (!keys.TryGetValue(key, out var k))
            {
                k = keyLabels.Count;
                keys.Add(key, k);
                keyLabels.Add(labels);
            }
            provisional[i] = k;
        }

        var numeric = new bool[byColumns.Count];
        for (int c = 0; c < numeric.Length; c++)
            numeric[c] = keyLabels.All(l => double.TryParse(l[c], NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        var order = Enumerable.Range(0, keyLabels.Count).ToArray();
        Array.Sort(order, (a, b) =>
        {
            for (int c = 0; c < numeric.Length; c++)
            {
                int cmp = numeric[c]
                    ? double.Parse(keyLabels[a][c], CultureInfo.InvariantCulture).CompareTo(double.Parse(keyLabels[b][c], CultureInfo.InvariantCulture))
                    : string.CompareOrdinal(keyLabels[a][c], keyLabels[b][c]);
                if (cmp != 0) return cmp;
            }
            return a.CompareTo(b);
        });
        var rank = new int[order.Length];
        for (int r = 0; r < order.Length; r++) rank[order[r]] = r;
        for (int i = 0; i < rowCount; i++)
            if (provisional[i] >= 0) provisional[i] = rank[provisional[i]];
        var sortedLabels = order.Select(k => (IReadOnlyList<string>)keyLabels[k]).ToArray();
        if (byColumns.Count == 0 && sortedLabels.Length == 0)
            sortedLabels = [Array.Empty<string>()];
        return new DomainPartition(provisional, byNames.ToArray(), sortedLabels);
    }
}
