namespace ContributionIndex.Valuation;

/// <summary>
/// A compensated (Kahan–Babuška–Neumaier) running sum, so that totals over millions of weighted records keep their
/// last digits regardless of magnitude differences between terms.
/// </summary>
internal struct NeumaierSum
{
    private double _sum;
    private double _compensation;

    /// <summary>Adds a term.</summary>
    public void Add(double value)
    {
        var t = _sum + value;
        if (Math.Abs(_sum) >= Math.Abs(value)) _compensation += (_sum - t) + value;
        else _compensation += (value - t) + _sum;
        _sum = t;
    }

    /// <summary>The running sum (first part of the exact state, for partial aggregates).</summary>
    public readonly double RunningSum => _sum;

    /// <summary>The accumulated rounding error (second part of the state).</summary>
    public readonly double Compensation => _compensation;

    /// <summary>Rebuilds a state from its two parts.</summary>
    public static NeumaierSum FromParts(double runningSum, double compensation) => new() { _sum = runningSum, _compensation = compensation };

    /// <summary>Adds another state: its running sum as a term (with its rounding error), then its compensation.</summary>
    public void Merge(NeumaierSum other)
    {
        Add(other._sum);
        _compensation += other._compensation;
    }

    /// <summary>The compensated total.</summary>
    public readonly double Value => _sum + _compensation;
}
