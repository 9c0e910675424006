using System.Globalization;
using ContributionIndex.Classify;
using ContributionIndex.Diagnostics;
using ContributionIndex.Indicators.Taxonomy;
using ContributionIndex.Ingest;
using ContributionIndex.Valuation;

namespace ContributionIndex.Estimation.Volunteering;

/// <summary>Names of the person-level variables and domains of a <see cref="PersonTable"/> (methodology/volunteer-estimates.md).</summary>
public static class PersonVariables
{
    /// <summary>1 when the person is in the reference population (aged at least the study's minimum age, or age unknown), else 0.</summary>
    public const string Population = "population";

    /// <summary>1 when the person did volunteer work after the 19th ICLS rules (at least one valued record), else 0.</summary>
    public const string Volunteer = "volunteer";

    /// <summary>1 when the person did organisation-based volunteer work, else 0.</summary>
    public const string VolunteerOrganisation = "volunteer_organisation";

    /// <summary>1 when the person did direct volunteer work (for other households), else 0.</summary>
    public const string VolunteerDirect = "volunteer_direct";

    /// <summary>Annual volunteer hours Σ h·k over the person's valued records.</summary>
    public const string AnnualHours = "annual_hours";

    /// <summary>Annual hours of organisation-based volunteer work.</summary>
    public const string HoursOrganisation = "hours_organisation";

    /// <summary>Annual hours of direct volunteer work.</summary>
    public const string HoursDirect = "hours_direct";

    /// <summary>Full-time equivalents: annual hours over the country's full-time annual hours.</summary>
    public const string Fte = "fte";

    /// <summary>Annual training hours received (reference-period training hours × k).</summary>
    public const string TrainingHours = "training_hours";

    /// <summary>Beneficiaries reached in the reference period (not annualised: the same people may be reached repeatedly).</summary>
    public const string Beneficiaries = "beneficiaries";

    /// <summary>The value variable of a method and money unit: <c>value_specialist_lcu</c>, <c>value_specialist_lcu_base</c>, <c>value_specialist_usd</c>, <c>value_specialist_ppp</c>.</summary>
    public static string Value(ValuationMethod method, MoneyUnit unit) => "value_" + method.Code() + unit switch
    {
        MoneyUnit.LocalCurrency => "_lcu",
        MoneyUnit.LocalCurrencyBaseYear => "_lcu_base",
        MoneyUnit.UsDollar => "_usd",
        MoneyUnit.PppDollar => "_ppp",
        _ => throw new ArgumentOutOfRangeException(nameof(unit), unit, "Unknown money unit."),
    };

    /// <summary>Domain: sex (<c>female</c>, <c>male</c>; unknown is no domain).</summary>
    public const string Sex = "sex";

    /// <summary>Domain: standard age groups <c>15-29</c>, <c>30-54</c>, <c>55-64</c>, <c>65+</c>.</summary>
    public const string AgeGroup = "age_group";

    /// <summary>Domain: youth <c>15-29</c> versus <c>30+</c> (UN/CAVF youth definitions vary; 15–29 follows the study's brief).</summary>
    public const string Youth = "youth";

    /// <summary>Domain: region (first-level administrative unit, as coded in the input).</summary>
    public const string Region = "region";

    /// <summary>Domain: <c>urban</c> or <c>rural</c>.</summary>
    public const string UrbanRural = "urban_rural";

    /// <summary>Domain: disability <c>yes</c> or <c>no</c>.</summary>
    public const string Disability = "disability";

    /// <summary>Domain: <c>employed</c>, <c>unemployed</c>, <c>outside_labour_force</c>.</summary>
    public const string EmploymentStatus = "employment_status";

    /// <summary>Domain: ISO country code.</summary>
    public const string Country = "country";

    /// <summary>The domain variables every table carries, in this order.</summary>
    public static IReadOnlyList<string> Domains { get; } = [Sex, AgeGroup, Youth, Region, UrbanRural, Disability, EmploymentStatus, Country];

    /// <summary>The age group of a person aged <paramref name="age"/>: 15-29, 30-54, 55-64, 65+ (null below 15 or unknown).</summary>
    public static string? AgeGroupOf(int? age) => age switch
    {
        null or < 15 => null,
        <= 29 => "15-29",
        <= 54 => "30-54",
        <= 64 => "55-64",
        _ => "65+",
    };

    /// <summary>The youth domain of a person aged <paramref name="age"/>: 15-29 or 30+ (null below 15 or unknown).</summary>
    public static string? YouthOf(int? age) => age switch
    {
        null or < 15 => null,
        <= 29 => "15-29",
        _ => "30+",
    };
}

/// <summary>The money unit of a value estimate.</summary>
public enum MoneyUnit
{
    /// <summary>Local currency at the prices of each wage's year (current prices).</summary>
    LocalCurrency,

    /// <summary>Local currency at base-year prices (CPI-rebased).</summary>
    LocalCurrencyBaseYear,

    /// <summary>US dollars at the study year's market exchange rate (current LCU ÷ LCU per USD).</summary>
    UsDollar,

    /// <summary>International (PPP) dollars (current LCU ÷ LCU per PPP dollar).</summary>
    PppDollar,
}

/// <summary>An activity classification under which hours, values and volunteers are broken down (not a person-level domain: a person's activities may fall in several categories).</summary>
public enum ActivityClassification
{
    /// <summary>Organisation-based, direct or unknown form.</summary>
    Form,

    /// <summary>ISCO-08 major group of the volunteer task (first digit; <c>unknown</c> when not coded).</summary>
    IscoMajorGroup,

    /// <summary>Direction of the 2022 Central Asia Volunteers Forum (as coded in the input; <c>unknown</c> when not coded).</summary>
    Direction,

    /// <summary>SDG goal (1–17, under the study's allocation rule; <c>unknown</c> when untagged).</summary>
    Sdg,
}

/// <summary>Text codes of activity classifications as written in estimates (<c>form</c>, <c>isco_major_group</c>, <c>direction</c>, <c>sdg</c>).</summary>
public static class ActivityClassifications
{
    /// <summary>Every classification, in output order.</summary>
    public static IReadOnlyList<ActivityClassification> All { get; } =
        [ActivityClassification.Form, ActivityClassification.IscoMajorGroup, ActivityClassification.Direction, ActivityClassification.Sdg];

    /// <summary>The code of a classification.</summary>
    public static string Code(this ActivityClassification classification) => classification switch
    {
        ActivityClassification.Form => "form",
        ActivityClassification.IscoMajorGroup => "isco_major_group",
        ActivityClassification.Direction => "direction",
        ActivityClassification.Sdg => "sdg",
        _ => throw new ArgumentOutOfRangeException(nameof(classification), classification, "Unknown classification."),
    };
}

/// <summary>One category of an activity classification with its per-person amounts (one value per table row).</summary>
/// <param name="Classification">The classification.</param>
/// <param name="Category">The category (e.g. <c>organisation</c>, ISCO major group <c>2</c>, direction <c>health</c>, SDG <c>3</c>, or <c>unknown</c>).</param>
/// <param name="Volunteers">1 when the person has valued activity in the category, else 0.</param>
/// <param name="Hours">The person's annual hours in the category (allocated share for SDGs).</param>
/// <param name="Values">The person's annual value in the category by method, current LCU.</param>
public sealed record ActivityBreakdown(ActivityClassification Classification, string Category, double[] Volunteers, double[] Hours, IReadOnlyDictionary<ValuationMethod, double[]> Values);

/// <summary>
/// The person-level analysis table: one row per person of one input kind (survey respondents or hour-log volunteers),
/// with the design variables, 0/1 volunteer flags, annual hours and values (all inputs of the valuation stage), domain
/// labels and activity breakdowns. Columns are arrays aligned on rows; do not mutate them.
/// </summary>
/// <remarks>
/// Built from the valued records of <c>ValuationRun</c> (every accepted record, valued or excluded). Rows are in order of
/// first appearance of the person. Strata are prefixed by country (<c>KZ:KZ-01U</c>), so a regional study pools its
/// countries as separate sets of strata; a survey input without strata has its country as its one stratum.
/// </remarks>
public sealed class PersonTable
{
    private readonly Dictionary<string, double[]> _numbers;
    private readonly Dictionary<string, string?[]> _domains;

    private PersonTable(InputKind kind, string[] inputs, string[] personIds, string[] countries, double[] weights, string?[] strata, string?[] psus,
        double[]? fpc, double[][] replicates, Dictionary<string, double[]> numbers, Dictionary<string, string?[]> domains, IReadOnlyList<ActivityBreakdown> breakdowns)
    {
        Kind = kind;
        Inputs = inputs;
        PersonIds = personIds;
        Countries = countries;
        Weights = weights;
        Strata = strata;
        Psus = psus;
        Fpc = fpc;
        ReplicateWeights = replicates;
        _numbers = numbers;
        _domains = domains;
        Breakdowns = breakdowns;
    }

    /// <summary>The input kind of every row.</summary>
    public InputKind Kind { get; }

    /// <summary>The number of persons.</summary>
    public int Count => PersonIds.Count;

    /// <summary>The input each person comes from.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>The person identifiers (unique within an input).</summary>
    public IReadOnlyList<string> PersonIds { get; }

    /// <summary>The country of each person (ISO alpha-2).</summary>
    public IReadOnlyList<string> Countries { get; }

    /// <summary>The full-sample weight of each person (1 for hour logs).</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>The country-prefixed stratum of each person (<c>KZ:KZ-01U</c>; the country alone when the input has no strata); null for hour logs.</summary>
    public IReadOnlyList<string?> Strata { get; }

    /// <summary>The PSU of each person (nested in strata); null when the input has none (each person is its own PSU).</summary>
    public IReadOnlyList<string?> Psus { get; }

    /// <summary>The fpc of each person (+∞ where the input gives none), or null when no input gives one.</summary>
    public IReadOnlyList<double>? Fpc { get; }

    /// <summary>Replicate analysis weights: one array per replicate column, each with one value per person; empty when none are declared.</summary>
    public IReadOnlyList<double[]> ReplicateWeights { get; }

    /// <summary>The names of the numeric person variables (see <see cref="PersonVariables"/>).</summary>
    public IEnumerable<string> VariableNames => _numbers.Keys.Order(StringComparer.Ordinal);

    /// <summary>The activity breakdowns (form, ISCO major group, direction, SDG), categories ordered within each classification.</summary>
    public IReadOnlyList<ActivityBreakdown> Breakdowns { get; }

    /// <summary>A numeric person variable, e.g. <see cref="PersonVariables.AnnualHours"/> or <see cref="PersonVariables.Value"/>.</summary>
    /// <exception cref="KeyNotFoundException">The table has no such variable.</exception>
    public ReadOnlySpan<double> Variable(string name) => _numbers.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"The person table has no variable '{name}'.");

    /// <summary>A domain variable (see <see cref="PersonVariables.Domains"/>); null entries put the person in no domain.</summary>
    /// <exception cref="KeyNotFoundException">The table has no such domain.</exception>
    public IReadOnlyList<string?> Domain(string name) => _domains.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"The person table has no domain '{name}'.");

    internal double[] VariableArray(string name) => _numbers[name];

    /// <summary>Builds the tables (survey and hour log) from the valued records of one study run.</summary>
    /// <param name="records">Every accepted record of the run (valued or excluded), in input order.</param>
    /// <param name="parameters">The run's resolved parameters (full-time hours, exchange rates).</param>
    /// <param name="minimumAge">The reference population's minimum age (the study's <c>checks.minimum_age</c>).</param>
    /// <param name="sdgRule">How hours and values tagged with several SDGs are allocated.</param>
    /// <returns>The survey table and the hour-log table (either may have no rows).</returns>
    /// <exception cref="InputDataException">A person's design variables differ between their rows.</exception>
    public static (PersonTable Survey, PersonTable HourLog) Build(IEnumerable<ValuedRecord> records, ValuationParameters parameters, int minimumAge, AllocationRule sdgRule)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(parameters);
        if (sdgRule == AllocationRule.UserWeights)
            throw new ArgumentException("Records carry no per-tag weights, so user-weight SDG allocation cannot be used.", nameof(sdgRule));
        var survey = new Builder(InputKind.Survey, parameters, minimumAge, sdgRule);
        var log = new Builder(InputKind.HourLog, parameters, minimumAge, sdgRule);
        foreach (var record in records)
            (record.Record.Kind == InputKind.Survey ? survey : log).Add(record);
        return (survey.Build(), log.Build());
    }

    /// <summary>Returns the rows of this table for which <paramref name="keep"/> is true (e.g. one country), with the same columns.</summary>
    public PersonTable Rows(Func<int, bool> keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        var rows = Enumerable.Range(0, Count).Where(keep).ToArray();
        T[] Take<T>(IReadOnlyList<T> column) => rows.Select(r => column[r]).ToArray();
        double[] TakeArray(double[] column) => rows.Select(r => column[r]).ToArray();
        return new PersonTable(Kind, Take(Inputs), Take(PersonIds), Take(Countries), Take(Weights), Take(Strata), Take(Psus),
            Fpc is null ? null : Take(Fpc), ReplicateWeights.Select(TakeArray).ToArray(),
            _numbers.ToDictionary(p => p.Key, p => TakeArray(p.Value), StringComparer.Ordinal),
            _domains.ToDictionary(p => p.Key, p => Take(p.Value), StringComparer.Ordinal),
            Breakdowns.Select(b => b with
            {
                Volunteers = TakeArray(b.Volunteers),
                Hours = TakeArray(b.Hours),
                Values = b.Values.ToDictionary(v => v.Key, v => TakeArray(v.Value)),
            }).ToArray());
    }

    private sealed class Person
    {
        public required ValuedRecord First;
        public bool Volunteer, Organisation, Direct;
        public double Hours, HoursOrganisation, HoursDirect, Training, Beneficiaries;
        public readonly double[] Values = new double[4];
        public readonly double[] ValuesBase = new double[4];
        public readonly Dictionary<(ActivityClassification, string), (double Hours, double[] Values)> Activities = [];
    }

    private sealed class Builder(InputKind kind, ValuationParameters parameters, int minimumAge, AllocationRule sdgRule)
    {
        private readonly Dictionary<string, Person> _persons = new(StringComparer.Ordinal);
        private readonly List<Person> _order = [];

        public void Add(ValuedRecord valued)
        {
            var record = valued.Record;
            var key = record.InputName + "\u001F" + record.PersonId;
            if (!_persons.TryGetValue(key, out var person))
            {
                person = new Person { First = valued };
                _persons.Add(key, person);
                _order.Add(person);
            }
            else if (kind == InputKind.Survey)
            {
                CheckSameDesign(person.First, valued);
            }

            if (!valued.IsValued) return;
            var values = valued.Values!.Value;
            var atBase = valued.ValuesAtBasePrices!.Value;
            double hours = valued.AnnualHours ?? 0;
            person.Volunteer = true;
            person.Hours += hours;
            if (record.Form == VolunteeringForm.OrganisationBased) { person.Organisation = true; person.HoursOrganisation += hours; }
            else if (record.Form == VolunteeringForm.Direct) { person.Direct = true; person.HoursDirect += hours; }
            person.Training += (record.TrainingHours ?? 0) * valued.AnnualisationFactor;
            person.Beneficiaries += record.Beneficiaries ?? 0;
            foreach (var method in ValuationMethods.All)
            {
                person.Values[(int)method] += values[method];
                person.ValuesBase[(int)method] += atBase[method];
            }

            var methodValues = ValuationMethods.All.Select(m => values[m]).ToArray();
            AddActivity(person, ActivityClassification.Form, record.Form switch
            {
                VolunteeringForm.OrganisationBased => "organisation",
                VolunteeringForm.Direct => "direct",
                _ => "unknown",
            }, hours, methodValues);
            var isco = record.IscoCode is { Length: > 0 } code && char.IsAsciiDigit(code[0]) ? code[..1] : "unknown";
            AddActivity(person, ActivityClassification.IscoMajorGroup, isco, hours, methodValues);
            var direction = string.IsNullOrWhiteSpace(record.Direction) ? "unknown" : record.Direction.Trim();
            AddActivity(person, ActivityClassification.Direction, direction, hours, methodValues);
            if (record.SdgGoals.Count == 0)
            {
                AddActivity(person, ActivityClassification.Sdg, "unknown", hours, methodValues);
            }
            else
            {
                // The first goal is the primary one (VolunteerRecord.SdgGoals); shares come from SdgAllocator so the rule is the taxonomy's.
                var tags = record.SdgGoals.Select((g, i) => new SdgTag(g, 1, i == 0)).ToArray();
                var shares = SdgAllocator.Allocate(1, tags, sdgRule).ByGoal;
                foreach (var (goal, share) in shares)
                    AddActivity(person, ActivityClassification.Sdg, goal.ToString(CultureInfo.InvariantCulture), hours * share, methodValues.Select(v => v * share).ToArray());
            }
        }

        private static void AddActivity(Person person, ActivityClassification classification, string category, double hours, double[] values)
        {
            // One hash lookup per activity (this runs for every valued row and classification).
            ref var amounts = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(person.Activities, (classification, category), out var exists);
            if (!exists) amounts = (0, new double[4]);
            for (int m = 0; m < 4; m++) amounts.Values[m] += values[m];
            amounts.Hours += hours;
        }

        private static void CheckSameDesign(ValuedRecord first, ValuedRecord other)
        {
            var a = first.Record;
            var b = other.Record;
            string? field = a.Weight != b.Weight ? "weight"
                : !string.Equals(a.Stratum, b.Stratum, StringComparison.Ordinal) ? "strata"
                : !string.Equals(a.Psu, b.Psu, StringComparison.Ordinal) ? "psu"
                : a.Fpc != b.Fpc ? "fpc"
                : !a.ReplicateWeights.SequenceEqual(b.ReplicateWeights) ? "replicate weights"
                : null;
            if (field is null) return;
            throw new InputDataException(b.Source with { ColumnName = b.Source.ColumnName ?? field },
                $"person '{b.PersonId}' has a different {field} here than on line {a.Source.Line}; design variables belong to the person and must be the same on all of the person's activity rows.",
                "Copy the person's weight, stratum, PSU, fpc and replicate weights to every activity row.");
        }

        public PersonTable Build()
        {
            int n = _order.Count;
            var inputs = new string[n];
            var ids = new string[n];
            var countries = new string[n];
            var weights = new double[n];
            var strata = new string?[n];
            var psus = new string?[n];
            bool anyFpc = kind == InputKind.Survey && _order.Any(p => p.First.Record.Fpc is not null);
            var fpc = anyFpc ? new double[n] : null;
            int replicateCount = kind == InputKind.Survey && n > 0 ? _order[0].First.Record.ReplicateWeights.Count : 0;
            var replicates = Enumerable.Range(0, replicateCount).Select(_ => new double[n]).ToArray();
            var numbers = new Dictionary<string, double[]>(StringComparer.Ordinal);
            double[] Column(string name) => numbers.TryGetValue(name, out var c) ? c : numbers[name] = new double[n];
            var domains = PersonVariables.Domains.ToDictionary(d => d, _ => new string?[n], StringComparer.Ordinal);
            // Hashed while filling (one lookup per person and category); put in CategoryOrder once at the end.
            var categories = new Dictionary<(ActivityClassification, string), ActivityBreakdown>();

            for (int i = 0; i < n; i++)
            {
                var person = _order[i];
                var record = person.First.Record;
                var country = person.First.Country;
                var cp = parameters.Countries[country];
                inputs[i] = record.InputName;
                ids[i] = record.PersonId;
                countries[i] = country;
                weights[i] = record.Weight;
                if (kind == InputKind.Survey)
                {
                    strata[i] = record.Stratum is { Length: > 0 } s ? country + ":" + s : country;
                    psus[i] = record.Psu;
                    if (fpc is not null) fpc[i] = record.Fpc ?? double.PositiveInfinity;
                    if (record.ReplicateWeights.Count != replicateCount)
                        throw new InputDataException(record.Source, string.Create(CultureInfo.InvariantCulture,
                            $"person '{record.PersonId}' has {record.ReplicateWeights.Count} replicate weights but earlier persons have {replicateCount}."),
                            "Every survey input must declare the same number of replicate weight columns.");
                    for (int r = 0; r < replicateCount; r++) replicates[r][i] = record.ReplicateWeights[r];
                }

                bool inPopulation = record.Age is not { } age || age >= minimumAge;
                Column(PersonVariables.Population)[i] = inPopulation ? 1 : 0;
                Column(PersonVariables.Volunteer)[i] = person.Volunteer ? 1 : 0;
                Column(PersonVariables.VolunteerOrganisation)[i] = person.Organisation ? 1 : 0;
                Column(PersonVariables.VolunteerDirect)[i] = person.Direct ? 1 : 0;
                Column(PersonVariables.AnnualHours)[i] = person.Hours;
                Column(PersonVariables.HoursOrganisation)[i] = person.HoursOrganisation;
                Column(PersonVariables.HoursDirect)[i] = person.HoursDirect;
                Column(PersonVariables.Fte)[i] = person.Hours / cp.FullTimeAnnualHours;
                Column(PersonVariables.TrainingHours)[i] = person.Training;
                Column(PersonVariables.Beneficiaries)[i] = person.Beneficiaries;
                foreach (var method in ValuationMethods.All)
                {
                    double lcu = person.Values[(int)method];
                    Column(PersonVariables.Value(method, MoneyUnit.LocalCurrency))[i] = lcu;
                    Column(PersonVariables.Value(method, MoneyUnit.LocalCurrencyBaseYear))[i] = person.ValuesBase[(int)method];
                    Column(PersonVariables.Value(method, MoneyUnit.UsDollar))[i] = cp.LcuPerUsd is { } usd ? lcu / usd : double.NaN;
                    Column(PersonVariables.Value(method, MoneyUnit.PppDollar))[i] = cp.LcuPerPppDollar is { } ppp ? lcu / ppp : double.NaN;
                }

                domains[PersonVariables.Sex][i] = record.Sex switch { Sex.Female => "female", Sex.Male => "male", _ => null };
                domains[PersonVariables.AgeGroup][i] = PersonVariables.AgeGroupOf(record.Age);
                domains[PersonVariables.Youth][i] = PersonVariables.YouthOf(record.Age);
                domains[PersonVariables.Region][i] = string.IsNullOrWhiteSpace(record.Region) ? null : record.Region.Trim();
                domains[PersonVariables.UrbanRural][i] = record.Urbanisation switch { Urbanisation.Urban => "urban", Urbanisation.Rural => "rural", _ => null };
                domains[PersonVariables.Disability][i] = record.Disability switch { true => "yes", false => "no", null => null };
                domains[PersonVariables.EmploymentStatus][i] = record.EmploymentStatus switch
                {
                    Ingest.EmploymentStatus.Employed => "employed",
                    Ingest.EmploymentStatus.Unemployed => "unemployed",
                    Ingest.EmploymentStatus.OutsideLabourForce => "outside_labour_force",
                    _ => null,
                };
                domains[PersonVariables.Country][i] = country;

                foreach (var ((classification, category), amounts) in person.Activities)
                {
                    if (!categories.TryGetValue((classification, category), out var breakdown))
                    {
                        breakdown = new ActivityBreakdown(classification, category, new double[n], new double[n],
                            ValuationMethods.All.ToDictionary(m => m, _ => new double[n]));
                        categories.Add((classification, category), breakdown);
                    }

                    breakdown.Volunteers[i] = 1;
                    breakdown.Hours[i] = amounts.Hours;
                    foreach (var method in ValuationMethods.All) breakdown.Values[method][i] = amounts.Values[(int)method];
                }
            }

            if (n == 0)
            {
                foreach (var name in new[] { PersonVariables.Population, PersonVariables.Volunteer, PersonVariables.AnnualHours }) Column(name);
            }

            return new PersonTable(kind, inputs, ids, countries, weights, strata, psus, fpc, replicates, numbers, domains,
                [.. categories.OrderBy(c => c.Key, CategoryOrder.Instance).Select(c => c.Value)]);
        }
    }

    /// <summary>Orders categories by classification, then numerically when both are numbers (ISCO, SDG), then ordinally; <c>unknown</c> last.</summary>
    private sealed class CategoryOrder : IComparer<(ActivityClassification, string)>
    {
        public static readonly CategoryOrder Instance = new();

        public int Compare((ActivityClassification, string) x, (ActivityClassification, string) y)
        {
            int c = x.Item1.CompareTo(y.Item1);
            if (c != 0) return c;
            bool xu = x.Item2 == "unknown", yu = y.Item2 == "unknown";
            if (xu || yu) return xu.CompareTo(yu);
            if (int.TryParse(x.Item2, NumberStyles.None, CultureInfo.InvariantCulture, out var a) && int.TryParse(y.Item2, NumberStyles.None, CultureInfo.InvariantCulture, out var b))
                return a.CompareTo(b);
            return string.CompareOrdinal(x.Item2, y.Item2);
        }
    }
}
