using System.Runtime.CompilerServices;
using ContributionIndex.Ingest;

namespace ContributionIndex.Valuation;

/// <summary>The value of one country's (or the region's) volunteer work by one method.</summary>
/// <param name="Method">The valuation method.</param>
/// <param name="ValueLcuCurrent">Value in LCU at the prices of each wage's year (null for the region: LCUs are never added).</param>
/// <param name="ValueLcuBase">Value in LCU at base-year prices (null for the region).</param>
/// <param name="ValueUsd">Value in US dollars (base-year LCU ÷ LCU per USD); null when the rate is missing.</param>
/// <param name="ValuePpp">Value in international (PPP) dollars (base-year LCU ÷ LCU per PPP$); null when the rate is missing.</param>
/// <param name="ShareOfGdpPercent">Current-price value as a percentage of GDP; null when GDP is missing (and for the region).</param>
public sealed record MethodValue(ValuationMethod Method, double? ValueLcuCurrent, double? ValueLcuBase, double? ValueUsd, double? ValuePpp, double? ShareOfGdpPercent);

/// <summary>
/// The valuation of one country — or of the region (<see cref="Country"/> = <see cref="RegionCode"/>) — from one kind of
/// input (survey estimates and platform logs are never added together).
/// </summary>
public sealed record ValuationSummary
{
    /// <summary>The country code used for the regional total.</summary>
    public const string RegionCode = "REGION";

    /// <summary>Survey (weighted estimates) or hour log (platform totals).</summary>
    public required InputKind SourceKind { get; init; }

    /// <summary>ISO alpha-2 country code, or <see cref="RegionCode"/>.</summary>
    public required string Country { get; init; }

    /// <summary>Currency of the LCU values; empty for the region.</summary>
    public required string Currency { get; init; }

    /// <summary>Year whose prices the base-year values are in.</summary>
    public required int BaseYear { get; init; }

    /// <summary>Number of records valued (volunteer work), unweighted.</summary>
    public required long ValuedRecords { get; init; }

    /// <summary>Volunteers: sum of the weights of distinct persons with valued records.</summary>
    public required double Volunteers { get; init; }

    /// <summary>Weighted volunteer hours in the reference period, <c>H_ref = Σ w·h</c>.</summary>
    public required double HoursReference { get; init; }

    /// <summary>Weighted annual volunteer hours, <c>H_year = Σ w·h·k</c>.</summary>
    public required double HoursAnnual { get; init; }

    /// <summary>Full-time equivalents, <c>FTE = H_year / H_FT</c> (for the region: the sum of the countries' FTEs).</summary>
    public required double Fte { get; init; }

    /// <summary>Annual hours of a full-time worker used for FTE (null for the region, where each country uses its own).</summary>
    public double? FullTimeAnnualHours { get; init; }

    /// <summary>Weighted annual hours by ISCO level of the specialist wage: index 4, 3, 2, 1 digits, 0 generalist fallback.</summary>
    public required IReadOnlyList<double> HoursAnnualByWageLevel { get; init; }

    /// <summary>The values, one per method in <see cref="ValuationMethods.All"/> order.</summary>
    public required IReadOnlyList<MethodValue> Values { get; init; }

    /// <summary>The value of one method.</summary>
    public MethodValue this[ValuationMethod method] => Values.Single(v => v.Method == method);
}

/// <summary>The same hours valued by every method side by side, with the lowest and highest (the method-choice range).</summary>
/// <param name="SourceKind">Survey or hour log.</param>
/// <param name="Country">Country code or <see cref="ValuationSummary.RegionCode"/>.</param>
/// <param name="Unit">The currency code (LCU at base-year prices), <c>USD</c> or <c>PPP</c>.</param>
/// <param name="Values">Value per method, in <see cref="ValuationMethods.All"/> order.</param>
/// <param name="Minimum">The lowest value.</param>
/// <param name="Maximum">The highest value.</param>
/// <param name="MinimumMethod">The method giving the lowest value (the first in method order on ties).</param>
/// <param name="MaximumMethod">The method giving the highest value (the first in method order on ties).</param>
public sealed record MethodRange(
    InputKind SourceKind, string Country, string Unit, IReadOnlyList<double> Values,
    double Minimum, double Maximum, ValuationMethod MinimumMethod, ValuationMethod MaximumMethod)
{
    /// <summary>Builds the ranges (LCU, USD, PPP) of a summary; a unit is left out when any method lacks a value in it.</summary>
    public static IEnumerable<MethodRange> Of(ValuationSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.Country != ValuationSummary.RegionCode)
        {
            var lcu = Build(summary, summary.Currency, v => v.ValueLcuBase);
            if (lcu is not null) yield return lcu;
        }

        var usd = Build(summary, "USD", v => v.ValueUsd);
        if (usd is not null) yield return usd;
        var ppp = Build(summary, "PPP", v => v.ValuePpp);
        if (ppp is not null) yield return ppp;
    }

    private static MethodRange? Build(ValuationSummary summary, string unit, Func<MethodValue, double?> select)
    {
        var values = summary.Values.Select(select).ToList();
        if (values.Any(v => v is null)) return null;
        var numbers = values.Select(v => v!.Value).ToList();
        int minIndex = 0, maxIndex = 0;
        for (var i = 1; i < numbers.Count; i++)
        {
            if (numbers[i] < numbers[minIndex]) minIndex = i;
            if (numbers[i] > numbers[maxIndex]) maxIndex = i;
        }

        return new MethodRange(summary.SourceKind, summary.Country, unit, numbers, numbers[minIndex], numbers[maxIndex],
            summary.Values[minIndex].Method, summary.Values[maxIndex].Method);
    }
}

/// <summary>
/// Accumulates valued records into per-country summaries (streaming: only sums and the set of persons seen are kept),
/// then adds the regional totals in USD and PPP$.
/// </summary>
public sealed class ValuationAccumulator
{
    private readonly ValuationParameters _parameters;
    private readonly Dictionary<(InputKind Kind, string Country), Cell> _cells = [];
    private Cell? _lastCell;
    private int _cellsCreatedByAdd;

    // The cells of the last few (kind, country) pairs by reference to the country text, for logs whose rows alternate
    // between countries (a dictionary lookup per row otherwise).
    private readonly (InputKind Kind, string? Country, Cell? Cell)[] _recent = new (InputKind, string?, Cell?)[8];
    private int _recentNext;

    private Cell? RecentCell(InputKind kind, string country)
    {
        foreach (var (recentKind, recentCountry, cell) in _recent)
        {
            if (recentKind == kind && ReferenceEquals(recentCountry, country)) return cell;
        }

        return null;
    }
    private InputKind _lastKind;
    private string? _lastCountry;

    /// <summary>Creates an empty accumulator.</summary>
    public ValuationAccumulator(ValuationParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        _parameters = parameters;
    }

    /// <summary>Adds one record (records not valued are ignored).</summary>
    public void Add(ValuedRecord valued) => Add(valued, ref Unsafe.NullRef<ulong>());

    /// <summary>
    /// Adds one record whose person carries the caller's mask of the cells they were counted in: cell i below 64 is
    /// bit i, so the distinct-volunteer test needs no set lookup. A caller passes the mask for every record of a
    /// person or for none of them (a person is then counted through the cell's set of person ids, as is every person in
    /// cells from the 65th on).
    /// </summary>
    internal void Add(ValuedRecord valued, ref ulong personCells)
    {
        ArgumentNullException.ThrowIfNull(valued);
        if (!valued.IsValued) return;
        Add(Contribution.Of(valued), ref personCells, valued.Record);
    }

    /// <summary>
    /// What a valued record adds to its cell: the weighted terms of every sum, computed once (the hour-log fast path
    /// prepares them once per distinct row shape and adds them for every row of that shape).
    /// </summary>
    internal readonly record struct Contribution(
        InputKind Kind, string Country, double Weight, double HoursTerm, double AnnualTerm, int Level, MethodValues Current, MethodValues Base)
    {
        /// <summary>The terms of a valued record: each value times the record's weight.</summary>
        public static Contribution Of(ValuedRecord valued)
        {
            var record = valued.Record;
            var w = record.Weight;
            var current = valued.Values!.Value;
            var atBase = valued.ValuesAtBasePrices!.Value;
            return new Contribution(record.Kind, valued.Country, w, w * record.Hours!.Value, w * valued.AnnualHours!.Value, valued.WageLevel!.Value,
                new MethodValues(w * current.Specialist, w * current.Generalist, w * current.Hybrid, w * current.Opportunity),
                new MethodValues(w * atBase.Specialist, w * atBase.Generalist, w * atBase.Hybrid, w * atBase.Opportunity));
        }
    }

    /// <summary>
    /// Adds one record's terms. <paramref name="person"/> is the record, for counting the person through the cell's set
    /// of person ids when there is no mask (or the cell is beyond the 64th); it may be null only when a mask is given
    /// and the study has at most 64 cells.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Add(in Contribution contribution, ref ulong personCells, VolunteerRecord? person)
    {
        // Consecutive records mostly fall in the same cell: the last one is kept at hand (same kind, same country text).
        var cell = _lastCell;
        if (cell is null || contribution.Kind != _lastKind || !ReferenceEquals(contribution.Country, _lastCountry))
        {
            cell = RecentCell(contribution.Kind, contribution.Country);
            if (cell is null)
            {
                var key = (contribution.Kind, contribution.Country);
                if (!_cells.TryGetValue(key, out cell))
                {
                    cell = new Cell { Index = _cellsCreatedByAdd++ };
                    _cells[key] = cell;
                }

                _recent[_recentNext] = (contribution.Kind, contribution.Country, cell);
                _recentNext = (_recentNext + 1) % _recent.Length;
            }

            (_lastCell, _lastKind, _lastCountry) = (cell, contribution.Kind, contribution.Country);
        }

        cell.Records++;
        bool newPerson;
        if (!Unsafe.IsNullRef(ref personCells) && cell.Index is >= 0 and < 64)
        {
            var bit = 1UL << cell.Index;
            newPerson = (personCells & bit) == 0;
            personCells |= bit;
        }
        else
        {
            if (person is null) throw new InvalidOperationException("A record counted without a person mask needs its person id.");
            newPerson = cell.AddPerson(person.InputName, person.PersonId);
        }

        if (newPerson) cell.Volunteers.Add(contribution.Weight);
        cell.HoursReference.Add(contribution.HoursTerm);
        cell.HoursAnnual.Add(contribution.AnnualTerm);
        cell.HoursByLevel[contribution.Level].Add(contribution.AnnualTerm);
        // The four methods in ValuationMethod order (0–3), without an enumerator per record; each sum sees the records in
        // input order as before.
        var current = contribution.Current;
        var atBase = contribution.Base;
        cell.Current[(int)ValuationMethod.Specialist].Add(current.Specialist);
        cell.Base[(int)ValuationMethod.Specialist].Add(atBase.Specialist);
        cell.Current[(int)ValuationMethod.Generalist].Add(current.Generalist);
        cell.Base[(int)ValuationMethod.Generalist].Add(atBase.Generalist);
        cell.Current[(int)ValuationMethod.Hybrid].Add(current.Hybrid);
        cell.Base[(int)ValuationMethod.Hybrid].Add(atBase.Hybrid);
        cell.Current[(int)ValuationMethod.Opportunity].Add(current.Opportunity);
        cell.Base[(int)ValuationMethod.Opportunity].Add(atBase.Opportunity);
    }

    /// <summary>
    /// The summaries: per source kind, each country of the study in study order (countries without valued records
    /// included, with zeros), then the regional total when the study has more than one country.
    /// </summary>
    public IReadOnlyList<ValuationSummary> Summaries()
    {
        var result = new List<ValuationSummary>();
        var kinds = _cells.Keys.Select(k => k.Kind).Distinct().Order().ToList();
        if (kinds.Count == 0) kinds.Add(InputKind.Survey);
        foreach (var kind in kinds)
        {
            var countries = new List<ValuationSummary>();
            foreach (var code in _parameters.CountryOrder)
            {
                var country = _parameters.Countries[code];
                var cell = _cells.TryGetValue((kind, code), out var c) ? c : new Cell();
                var hoursAnnual = cell.HoursAnnual.Value;
                var values = ValuationMethods.All.Select(method =>
                {
                    var current = cell.Current[(int)method].Value;
                    var atBase = cell.Base[(int)method].Value;
                    return new MethodValue(method, current, atBase,
                        country.LcuPerUsd is { } usd ? atBase / usd : null,
                        country.LcuPerPppDollar is { } ppp ? atBase / ppp : null,
                        country.Gdp is { } gdp ? 100.0 * current / gdp : null);
                }).ToList();
                countries.Add(new ValuationSummary
                {
                    SourceKind = kind,
                    Country = code,
                    Currency = country.Currency,
                    BaseYear = _parameters.BaseYear,
                    ValuedRecords = cell.Records,
                    Volunteers = cell.Volunteers.Value,
                    HoursReference = cell.HoursReference.Value,
                    HoursAnnual = hoursAnnual,
                    Fte = hoursAnnual / country.FullTimeAnnualHours,
                    FullTimeAnnualHours = country.FullTimeAnnualHours,
                    HoursAnnualByWageLevel = [.. LevelOrder.Select(level => cell.HoursByLevel[level].Value)],
                    Values = values,
                });
            }

            result.AddRange(countries);
            if (countries.Count > 1) result.Add(Region(kind, countries));
        }

        return result;
    }

    /// <summary>Number of compensated sums per cell in <see cref="ExportCells"/>: volunteers, H_ref, H_year, 5 levels, 4 current, 4 base.</summary>
    internal const int SumsPerCell = 16;

    /// <summary>The exact state of every (kind, country) cell, for partial aggregates (methodology/scale.md).</summary>
    internal IReadOnlyList<(InputKind Kind, string Country, long Records, NeumaierSum[] Sums)> ExportCells() =>
        [.. _cells.OrderBy(c => c.Key.Kind).ThenBy(c => c.Key.Country, StringComparer.Ordinal).Select(c => (c.Key.Kind, c.Key.Country, c.Value.Records,
            (NeumaierSum[])[c.Value.Volunteers, c.Value.HoursReference, c.Value.HoursAnnual, .. c.Value.HoursByLevel, .. c.Value.Current, .. c.Value.Base]))];

    /// <summary>Adds a cell state exported by another accumulator (partitions must not share persons: volunteers are added).</summary>
    internal void MergeCell(InputKind kind, string country, long records, IReadOnlyList<NeumaierSum> sums)
    {
        ArgumentNullException.ThrowIfNull(sums);
        if (sums.Count != SumsPerCell) throw new ArgumentException($"A cell has {SumsPerCell} sums.", nameof(sums));
        if (!_cells.TryGetValue((kind, country), out var cell))
        {
            cell = new Cell();
            _cells[(kind, country)] = cell;
        }

        cell.Records += records;
        cell.Volunteers.Merge(sums[0]);
        cell.HoursReference.Merge(sums[1]);
        cell.HoursAnnual.Merge(sums[2]);
        for (var i = 0; i < 5; i++) cell.HoursByLevel[i].Merge(sums[3 + i]);
        for (var i = 0; i < 4; i++) cell.Current[i].Merge(sums[8 + i]);
        for (var i = 0; i < 4; i++) cell.Base[i].Merge(sums[12 + i]);
    }

    /// <summary>ISCO levels in output order: 4, 3, 2, 1 digits, then the generalist fallback.</summary>
    public static IReadOnlyList<int> LevelOrder { get; } = [4, 3, 2, 1, WageLevels.GeneralistFallback];

    private ValuationSummary Region(InputKind kind, List<ValuationSummary> countries)
    {
        var values = ValuationMethods.All.Select(method =>
        {
            var perCountry = countries.Select(c => c[method]).ToList();
            return new MethodValue(method, null, null,
                perCountry.All(v => v.ValueUsd is not null) ? Sum(perCountry.Select(v => v.ValueUsd!.Value)) : null,
                perCountry.All(v => v.ValuePpp is not null) ? Sum(perCountry.Select(v => v.ValuePpp!.Value)) : null,
                null);
        }).ToList();
        return new ValuationSummary
        {
            SourceKind = kind,
            Country = ValuationSummary.RegionCode,
            Currency = "",
            BaseYear = _parameters.BaseYear,
            ValuedRecords = countries.Sum(c => c.ValuedRecords),
            Volunteers = Sum(countries.Select(c => c.Volunteers)),
            HoursReference = Sum(countries.Select(c => c.HoursReference)),
            HoursAnnual = Sum(countries.Select(c => c.HoursAnnual)),
            Fte = Sum(countries.Select(c => c.Fte)),
            FullTimeAnnualHours = null,
            HoursAnnualByWageLevel = [.. Enumerable.Range(0, LevelOrder.Count).Select(i => Sum(countries.Select(c => c.HoursAnnualByWageLevel[i])))],
            Values = values,
        };
    }

    private static double Sum(IEnumerable<double> values)
    {
        var sum = new NeumaierSum();
        foreach (var v in values) sum.Add(v);
        return sum.Value;
    }

    private sealed class Cell
    {
        /// <summary>The cell's number in order of creation by Add (the bit of person masks), or -1 for cells made by merging.</summary>
        public int Index = -1;
        public long Records;
        // Persons seen, per input: ordinal string sets hash person ids faster than a set of (input, person) pairs,
        // and the last input's set is kept at hand because consecutive records nearly always share it.
        private readonly Dictionary<string, HashSet<string>> _persons = new(StringComparer.Ordinal);
        private string? _lastInput;
        private HashSet<string>? _lastPersons;
        public NeumaierSum Volunteers;
        public NeumaierSum HoursReference;
        public NeumaierSum HoursAnnual;
        public readonly NeumaierSum[] HoursByLevel = new NeumaierSum[5];
        public readonly NeumaierSum[] Current = new NeumaierSum[4];
        public readonly NeumaierSum[] Base = new NeumaierSum[4];

        /// <summary>Adds the person (within its input); true when they were not seen in this cell before.</summary>
        public bool AddPerson(string input, string person)
        {
            if (!ReferenceEquals(input, _lastInput) || _lastPersons is null)
            {
                if (!_persons.TryGetValue(input, out var persons))
                {
                    persons = new HashSet<string>(StringComparer.Ordinal);
                    _persons[input] = persons;
                }

                _lastInput = input;
                _lastPersons = persons;
            }

            return _lastPersons.Add(person);
        }
    }
}
