namespace ContributionIndex.Indicators;

/// <summary>The Volunteer Contribution Index indicators as pure functions of already-estimated totals and ratios
/// (methodology/indicators.md gives unit, direction and source of each).</summary>
/// <remarks>Inputs are survey estimates (weighted totals) from the estimation stage; these functions only combine them.
/// A zero or negative denominator is an <see cref="ArgumentOutOfRangeException"/>: an indicator is undefined then, and
/// must be reported missing rather than 0.</remarks>
public static class VolunteerIndicators
{
    /// <summary>E2. Value of volunteer work as a percentage of GDP: <c>100·V/GDP</c> (both in current national currency).</summary>
    public static double ValueShareOfGdp(double value, double gdp) => 100 * value / Positive(gdp, nameof(gdp));

    /// <summary>E3. Full-time equivalent volunteers: <c>H/h_FTE</c>, annual volunteer hours over annual hours of one full-time job.</summary>
    public static double FullTimeEquivalents(double annualHours, double hoursPerFullTimeJob) => annualHours / Positive(hoursPerFullTimeJob, nameof(hoursPerFullTimeJob));

    /// <summary>S1. Volunteer rate, percent: <c>100·N_vol/P</c>, volunteers over the reference population (e.g. aged 15+).</summary>
    public static double ParticipationRate(double volunteers, double population) => 100 * volunteers / Positive(population, nameof(population));

    /// <summary>S2. Annual hours per volunteer: <c>H/N_vol</c>.</summary>
    public static double HoursPerVolunteer(double annualHours, double volunteers) => annualHours / Positive(volunteers, nameof(volunteers));

    /// <summary>S3/S4–S7. A share in percent: <c>100·part/total</c> (formal share of hours, women's share of volunteers, ...).</summary>
    public static double SharePercent(double part, double total) => 100 * part / Positive(total, nameof(total));

    /// <summary>Representation ratio of a group among volunteers: its share among volunteers over its share in the population (1 = parity).</summary>
    public static double RepresentationRatio(double shareAmongVolunteers, double shareInPopulation) => shareAmongVolunteers / Positive(shareInPopulation, nameof(shareInPopulation));

    /// <summary>S8. Beneficiaries reached per 1,000 population: <c>1000·B/P</c>.</summary>
    public static double BeneficiariesPerThousand(double beneficiaries, double population) => 1000 * beneficiaries / Positive(population, nameof(population));

    /// <summary>S9. Regional equity of participation, 0–100: <c>100·max(0, 1 − CV_w)</c>, where CV_w is the population-weighted
    /// coefficient of variation of regional volunteer rates (100 = every region participates at the same rate).</summary>
    /// <param name="regionalRates">Volunteer rate of each region.</param>
    /// <param name="regionalPopulations">Reference population of each region (the weights).</param>
    public static double RegionalEquity(IReadOnlyList<double> regionalRates, IReadOnlyList<double> regionalPopulations)
    {
        ArgumentNullException.ThrowIfNull(regionalRates);
        ArgumentNullException.ThrowIfNull(regionalPopulations);
        if (regionalRates.Count != regionalPopulations.Count || regionalRates.Count < 2)
            throw new ArgumentException("Give a rate and a population for each of at least two regions.", nameof(regionalRates));
        var total = Positive(regionalPopulations.Sum(), nameof(regionalPopulations));
        if (regionalPopulations.Any(p => p < 0)) throw new ArgumentOutOfRangeException(nameof(regionalPopulations), "Populations cannot be negative.");
        var mean = regionalRates.Select((r, i) => r * regionalPopulations[i]).Sum() / total;
        var variance = regionalRates.Select((r, i) => regionalPopulations[i] * (r - mean) * (r - mean)).Sum() / total;
        var cv = Math.Sqrt(variance) / Positive(mean, "mean rate");
        return 100 * Math.Max(0, 1 - cv);
    }

    /// <summary>H1. Training hours per volunteer: <c>T/N_vol</c>.</summary>
    public static double TrainingHoursPerVolunteer(double trainingHours, double volunteers) => trainingHours / Positive(volunteers, nameof(volunteers));

    /// <summary>H3. Retention rate, percent: <c>100·N_both/N_prev</c>, volunteers active in both periods over those active in the previous one.</summary>
    public static double RetentionRate(double activeInBothPeriods, double activeInPreviousPeriod)
    {
        if (activeInBothPeriods > activeInPreviousPeriod) throw new ArgumentOutOfRangeException(nameof(activeInBothPeriods), "More volunteers retained than were active before.");
        return 100 * activeInBothPeriods / Positive(activeInPreviousPeriod, nameof(activeInPreviousPeriod));
    }

    private static double Positive(double value, string name) =>
        value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, "The denominator must be a positive finite number; the indicator is undefined otherwise.");
}
