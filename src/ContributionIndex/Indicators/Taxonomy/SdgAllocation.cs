using System.Collections.Immutable;

namespace ContributionIndex.Indicators.Taxonomy;

/// <summary>How an amount (hours, value, volunteers) tagged with several SDGs is allocated to goals.</summary>
public enum AllocationRule
{
    /// <summary>Everything to the primary goal.</summary>
    PrimaryOnly,

    /// <summary>Equal shares to every tagged goal.</summary>
    EqualSplit,

    /// <summary>Shares proportional to the tags' user weights.</summary>
    UserWeights,

    /// <summary>The whole amount to every tagged goal. Goal amounts then overlap: they are never summed into a total.</summary>
    FullAttribution,
}

/// <summary>An SDG tag of an activity.</summary>
/// <param name="Goal">SDG goal 1–17.</param>
/// <param name="Weight">Weight for <see cref="AllocationRule.UserWeights"/>.</param>
/// <param name="Primary">Whether this is the activity's primary goal.</param>
public readonly record struct SdgTag(int Goal, double Weight = 1, bool Primary = false);

/// <summary>The result of allocating amounts to goals; carries its rule so a reader always knows whether goals add up.</summary>
/// <param name="Rule">The allocation rule used.</param>
/// <param name="ByGoal">Amount per goal (goals with nothing allocated are absent), ordered by goal.</param>
public sealed record SdgAllocationResult(AllocationRule Rule, ImmutableSortedDictionary<int, double> ByGoal)
{
    /// <summary>Whether goal amounts may be added up (false for full attribution).</summary>
    public bool IsAdditive => Rule != AllocationRule.FullAttribution;

    /// <summary>Sum over goals; null under full attribution, where goal amounts overlap and a sum would double count.</summary>
    public double? Total => IsAdditive ? ByGoal.Values.Sum() : null;
}

/// <summary>Allocates tagged amounts to SDGs under one of the <see cref="AllocationRule"/>s.</summary>
public static class SdgAllocator
{
    /// <summary>Allocates one amount.</summary>
    /// <exception cref="ArgumentException">No tags, a goal outside 1–17, a goal tagged twice, not exactly one primary tag
    /// (primary-only), or weights that do not sum to a positive number (user weights).</exception>
    public static SdgAllocationResult Allocate(double amount, IReadOnlyList<SdgTag> tags, AllocationRule rule) =>
        AllocateAll([(amount, tags)], rule);

    /// <summary>Allocates many amounts under one rule and adds them up per goal.</summary>
    public static SdgAllocationResult AllocateAll(IEnumerable<(double Amount, IReadOnlyList<SdgTag> Tags)> items, AllocationRule rule)
    {
        ArgumentNullException.ThrowIfNull(items);
        var byGoal = new SortedDictionary<int, double>();
        foreach (var (amount, tags) in items)
        {
            Validate(tags, rule);
            switch (rule)
            {
                case AllocationRule.PrimaryOnly:
                    Add(byGoal, tags.Single(t => t.Primary).Goal, amount);
                    break;
                case AllocationRule.EqualSplit:
                    foreach (var t in tags) Add(byGoal, t.Goal, amount / tags.Count);
                    break;
                case AllocationRule.UserWeights:
                    var sum = tags.Sum(t => t.Weight);
                    foreach (var t in tags) Add(byGoal, t.Goal, amount * t.Weight / sum);
                    break;
                case AllocationRule.FullAttribution:
                    foreach (var t in tags) Add(byGoal, t.Goal, amount);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(rule), rule, "Unknown allocation rule.");
            }
        }

        return new SdgAllocationResult(rule, byGoal.ToImmutableSortedDictionary());
    }

    private static void Add(SortedDictionary<int, double> byGoal, int goal, double amount) =>
        byGoal[goal] = byGoal.GetValueOrDefault(goal) + amount;

    private static void Validate(IReadOnlyList<SdgTag> tags, AllocationRule rule)
    {
        ArgumentNullException.ThrowIfNull(tags);
        if (tags.Count == 0) throw new ArgumentException("An amount needs at least one SDG tag.", nameof(tags));
        if (tags.Any(t => t.Goal is < 1 or > 17)) throw new ArgumentException("SDG goals are numbered 1 to 17.", nameof(tags));
        if (tags.Select(t => t.Goal).Distinct().Count() != tags.Count) throw new ArgumentException("A goal is tagged twice.", nameof(tags));
        if (rule == AllocationRule.PrimaryOnly && tags.Count(t => t.Primary) != 1)
            throw new ArgumentException("Primary-only allocation needs exactly one primary tag.", nameof(tags));
        if (rule == AllocationRule.UserWeights && (tags.Any(t => !(t.Weight >= 0) || double.IsInfinity(t.Weight)) || !(tags.Sum(t => t.Weight) > 0)))
            throw new ArgumentException("User weights must be non-negative and sum to more than 0.", nameof(tags));
    }
}
