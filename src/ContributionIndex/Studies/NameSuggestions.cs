namespace ContributionIndex.Studies;

/// <summary>Suggests the nearest valid name for a misspelt one (optimal-string-alignment Damerau–Levenshtein distance).</summary>
public static class NameSuggestions
{
    /// <summary>The nearest candidate within a distance of max(2, a third of its length), or null when none is that close.</summary>
    public static string? Nearest(string name, IEnumerable<string> candidates)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(candidates);
        string? best = null;
        var bestDistance = int.MaxValue;
        var lowered = name.Trim().ToLowerInvariant();
        foreach (var candidate in candidates)
        {
            var distance = Distance(lowered, candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                bestDistance = distance;
                best = candidate;
            }
        }

        if (best is null) return null;
        var allowed = Math.Max(2, best.Length / 3);
        return bestDistance <= allowed ? best : null;
    }

    /// <summary>A hint sentence: "Did you mean 'x'?" when a candidate is close, else the list of valid names.</summary>
    public static string Hint(string name, IReadOnlyCollection<string> candidates)
    {
        var nearest = Nearest(name, candidates);
        return nearest is not null
            ? $"did you mean '{nearest}'?"
            : $"valid names are: {string.Join(", ", candidates)}.";
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions cost 1.</summary>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) value = Math.Min(value, d[i - 2, j - 2] + 1);
                d[i, j] = value;
            }
        }

        return d[a.Length, b.Length];
    }
}
