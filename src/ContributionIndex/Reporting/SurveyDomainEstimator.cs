using ContributionIndex.Estimation;
using ContributionIndex.Ingest;
using ContributionIndex.Valuation;

namespace ContributionIndex.Reporting;

/// <summary>
/// One country's survey respondents as person-level variables over a Taylor-linearised design (strata, PSUs nested in
/// strata, weights), ready for <see cref="SurveyEstimator"/>: the report's bridge from valued rows to estimates.
/// </summary>
internal sealed class CountrySurvey
{
    private CountrySurvey(string country, IReadOnlyList<Person> persons, TaylorDesign design, EstimationOptions options)
    {
        Country = country;
        Persons = persons;
        Design = design;
        Options = options;
        Whole = DomainPartition.Whole(persons.Count);
    }

    public string Country { get; }

    public IReadOnlyList<Person> Persons { get; }

    public TaylorDesign Design { get; }

    public EstimationOptions Options { get; }

    public DomainPartition Whole { get; }

    public int Count => Persons.Count;

    /// <summary>A respondent: design variables, breakdowns and his or her valued rows.</summary>
    internal sealed record Person(double Weight, string? Stratum, string? Psu, VolunteerRecord First, IReadOnlyList<ValuedRow> Rows)
    {
        public IEnumerable<ValuedRow> VolunteerRows => Rows.Where(r => r.IsVolunteerWork);

        public bool IsVolunteer => Rows.Any(r => r.IsVolunteerWork);
    }

    /// <summary>Groups survey rows of one country by person and builds the design.</summary>
    public static CountrySurvey Create(string country, IEnumerable<(string Input, ValuedRow Row)> rows, EstimationOptions options, LonelyPsuPolicy lonelyPsu)
    {
        var persons = rows
            .GroupBy(r => (r.Input, r.Row.Record.PersonId))
            .Select(g =>
            {
                var first = g.First().Row.Record;
                // PSU labels are nested in strata and inputs: prefix them so two inputs never share a PSU.
                return new Person(first.Weight, first.Stratum is null ? null : g.Key.Input + "/" + first.Stratum,
                    first.Psu is null ? null : g.Key.Input + "/" + first.Stratum + "/" + first.Psu, first, g.Select(x => x.Row).ToArray());
            })
            .ToArray();
        var weights = persons.Select(p => p.Weight).ToArray();
        var strata = persons.All(p => p.Stratum is null) ? null : persons.Select(p => p.Stratum ?? "").ToArray();
        var psu = persons.All(p => p.Psu is null) ? null : persons.Select((p, i) => p.Psu ?? ("row" + i.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray();
        var design = TaylorDesign.Create(weights, strata, psu, default, lonelyPsu);
        return new CountrySurvey(country, persons, design, options);
    }

    public double[] Variable(Func<Person, double> f) => Persons.Select(f).ToArray();

    public DomainPartition By(string name, Func<Person, string?> f) =>
        DomainPartition.Create(Count, [name], [Persons.Select(f).ToArray()]);

    public IReadOnlyList<SurveyEstimate> Total(string name, double[] y, DomainPartition? domains = null) =>
        SurveyEstimator.Total(Design, name, y, domains ?? Whole, Options);

    public IReadOnlyList<SurveyEstimate> Mean(string name, double[] y, DomainPartition? domains = null) =>
        SurveyEstimator.Mean(Design, name, y, domains ?? Whole, Options);

    public IReadOnlyList<SurveyEstimate> Ratio(string numeratorName, double[] numerator, string denominatorName, double[] denominator, DomainPartition? domains = null) =>
        SurveyEstimator.Ratio(Design, numeratorName, numerator, denominatorName, denominator, domains ?? Whole, Options);

    /// <summary>The age group label of the valuation stage (15–24, …, 65+).</summary>
    public static string AgeGroup(Person p) => OpportunityWageImputer.AgeGroup(p.First.Age);
}
