namespace ContributionIndex.Synthesis;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): a tiny seeded generator whose output is fixed by its definition, so that a
/// seed gives the same bytes on every .NET version and machine (System.Random promises no such thing across versions).
/// </summary>
internal struct SplitMix64
{
    private ulong _state;

    public SplitMix64(ulong seed) => _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        return Mix(z);
    }

    /// <summary>A uniform integer in [0, bound) (Lemire's multiply-shift; the bias is below 2^-32 for our bounds).</summary>
    public int NextInt(int bound) => (int)((Next() >> 32) * (ulong)bound >> 32);

    /// <summary>A uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>The SplitMix64 finaliser: a stateless hash of one 64-bit value (used to give each person fixed traits).</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
