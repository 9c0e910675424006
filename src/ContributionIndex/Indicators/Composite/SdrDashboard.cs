using System.Collections.Immutable;
using ContributionIndex.Diagnostics;

namespace ContributionIndex.Indicators.Composite;

/// <summary>SDR dashboard colours, worst to best; grey = not enough data.</summary>
public enum DashboardColour
{
    /// <summary>No rating (missing or imputed pillar).</summary>
    Grey,

    /// <summary>Major challenges remain.</summary>
    Red,

    /// <summary>Significant challenges remain.</summary>
    Orange,

    /// <summary>Challenges remain.</summary>
    Yellow,

    /// <summary>Achievement (or on track).</summary>
    Green,
}

/// <summary>Green and red thresholds of one indicator in raw units (SDR codebook fields).</summary>
/// <param name="Green">Raw value from which the indicator is green.</param>
/// <param name="Red">Raw value up to which the indicator is red.</param>
public readonly record struct DashboardThresholds(double Green, double Red);

/// <summary>The SDR traffic-light rule, reconstructed and checked on SDR 2025 (methodology-sources §7.2 and Appendix A, [V-calc]).</summary>
/// <remarks>
/// 1. Each indicator score s (0–100) is mapped piecewise-linearly to 0–4 with breakpoints lower bound → 0, red
///    threshold → 1, midpoint(red, green) → 2, green threshold → 3, optimum → 4; thresholds are normalised with the
///    same goalpost formula as the data (not clipped).
/// 2. The two worst rescaled indicators of a pillar are averaged: ≥ 3 green, ≥ 2 yellow, ≥ 1 orange, else red.
/// 3. Green only if both are green (else yellow); red only if both are red (else orange).
/// </remarks>
public static class SdrDashboard
{
    /// <summary>Normalises a raw threshold with the goalpost formula <c>100·(t − worst)/(best − worst)</c>, unclipped.</summary>
    public static double NormaliseThreshold(double threshold, double worst, double best) => 100 * (threshold - worst) / (best - worst);

    /// <summary>Maps a score (clipped to 0–100) to the 0–4 dashboard scale given the normalised red and green thresholds.</summary>
    public static double Rescale(double score, double red, double green)
    {
        var mid = (red + green) / 2;
        var s = Math.Clamp(score, 0, 100);
        if (s < red) return s / red;
        if (s < mid) return 1 + ((s - red) / (mid - red));
        if (s < green) return 2 + ((s - mid) / (green - mid));
        return green < 100 ? 3 + ((s - green) / (100 - green)) : 4;
    }

    /// <summary>The colour band of one rescaled value: ≥ 3 green, ≥ 2 yellow, ≥ 1 orange, else red.</summary>
    public static DashboardColour Band(double rescaled) =>
        rescaled >= 3 ? DashboardColour.Green : rescaled >= 2 ? DashboardColour.Yellow : rescaled >= 1 ? DashboardColour.Orange : DashboardColour.Red;

    /// <summary>Rates a pillar from its indicators' rescaled values (two worst decide; green/red need both); grey when empty.</summary>
    public static DashboardColour Rate(IEnumerable<double> rescaled)
    {
        ArgumentNullException.ThrowIfNull(rescaled);
        var worst = rescaled.Where(v => !double.IsNaN(v)).Order().Take(2).ToArray();
        if (worst.Length == 0) return DashboardColour.Grey;
        var colour = Band(worst.Average());
        if (colour == DashboardColour.Green && !worst.All(v => Band(v) == DashboardColour.Green)) colour = DashboardColour.Yellow;
        if (colour == DashboardColour.Red && !worst.All(v => Band(v) == DashboardColour.Red)) colour = DashboardColour.Orange;
        return colour;
    }

    /// <summary>Rates every unit's pillars. Pillars missing or imputed are grey; indicators without thresholds are ignored.</summary>
    /// <param name="result">An index computed on the 0–100 scale (bounded, or already-normalised scores).</param>
    /// <param name="thresholds">Raw-unit thresholds by indicator code.</param>
    /// <returns>Colours indexed [unit][pillar].</returns>
    public static ImmutableArray<ImmutableArray<DashboardColour>> RatePillars(IndexResult result, IReadOnlyDictionary<string, DashboardThresholds> thresholds)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(thresholds);
        var framework = result.Framework;
        if (result.Options.Normalisation is not (NormalisationMethod.Bounded or NormalisationMethod.None) || result.Options.ScoreMin != 0 || result.Options.ScoreMax != 100)
            throw new InputDataException(SourceLocation.OfFile(framework.Source), "dashboard colours need scores on the SDR 0–100 goalpost scale.", "Use bounded normalisation (or pre-normalised scores) on [0, 100].");
        var bands = new (double Red, double Green)?[framework.Indicators.Length];
        for (var i = 0; i < bands.Length; i++)
        {
            var definition = framework.Indicators[i];
            if (!thresholds.TryGetValue(definition.Code, out var t)) continue;
            if (definition.Lower is not { } lower || definition.Upper is not { } upper)
                throw new InputDataException(SourceLocation.OfFile(framework.Source), $"indicator '{definition.Code}' has dashboard thresholds but no bounds to normalise them with.", "Fill its lower and upper bounds.");
            var (worst, best) = definition.Direction == Direction.Positive ? (lower, upper) : (upper, lower);
            bands[i] = (NormaliseThreshold(t.Red, worst, best), NormaliseThreshold(t.Green, worst, best));
        }

        var rows = ImmutableArray.CreateBuilder<ImmutableArray<DashboardColour>>(result.Units.Length);
        for (var u = 0; u < result.Units.Length; u++)
        {
            var colours = ImmutableArray.CreateBuilder<DashboardColour>(framework.Pillars.Length);
            for (var p = 0; p < framework.Pillars.Length; p++)
            {
                if (double.IsNaN(result.PillarScore(u, p)) || result.IsPillarImputed(u, p))
                {
                    colours.Add(DashboardColour.Grey);
                    continue;
                }

                var values = new List<double>();
                foreach (var i in framework.Pillars[p].Indicators)
                {
                    var s = result.IndicatorScore(u, i);
                    if (bands[i] is { } band && !double.IsNaN(s)) values.Add(Rescale(s, band.Red, band.Green));
                }

                colours.Add(Rate(values));
            }

            rows.Add(colours.MoveToImmutable());
        }

        return rows.MoveToImmutable();
    }
}
