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

    /// <summary>The compensated total.</summary>
    public readonly double Value => _sum + _compensation;
}
