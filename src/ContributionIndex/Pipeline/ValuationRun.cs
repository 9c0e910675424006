using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ContributionIndex.Classify;
using ContributionIndex.Diagnostics;
using ContributionIndex.IO;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline.FastHourLog;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;

namespace ContributionIndex.Pipeline;

/// <summary>Row counts of one input; they reconcile: read = accepted + rejected, accepted = valued + excluded.</summary>
public sealed record InputCounts
{
    /// <summary>The input's name.</summary>
    public required string Input { get; init; }

    /// <summary>Data rows read.</summary>
    public long Read { get; init; }

    /// <summary>Rows rejected at ingestion (unreadable fields).</summary>
    public long RejectedAtIngest { get; init; }

    /// <summary>Rows rejected by the 19th ICLS consistency checks.</summary>
    public long RejectedByChecks { get; init; }

    /// <summary>All rejected rows.</summary>
    public long Rejected => RejectedAtIngest + RejectedByChecks;

    /// <summary>Rows accepted (valued or excluded with a reason).</summary>
    public long Accepted => Read - Rejected;

    /// <summary>Rows that are volunteer work and were valued.</summary>
    public long Valued { get; init; }

    /// <summary>Valid rows that are not volunteer work, by reason (code → count), ordered by reason.</summary>
    public required IReadOnlyDictionary<ExclusionReason, long> Excluded { get; init; }
}

/// <summary>What a run found: counts, summaries, method ranges and the first rejected rows.</summary>
public sealed record ValuationResult
{
    /// <summary>Counts per input, in study order (inputs named by records but not in the study come last).</summary>
    public required IReadOnlyList<InputCounts> Inputs { get; init; }

    /// <summary>Per-country summaries and regional totals.</summary>
    public required IReadOnlyList<ValuationSummary> Summaries { get; init; }

    /// <summary>The method-choice ranges.</summary>
    public required IReadOnlyList<MethodRange> Ranges { get; init; }

    /// <summary>The first rejected rows (up to <see cref="ValuationRun.RejectionSampleSize"/>), in input order.</summary>
    public required IReadOnlyList<RejectedRow> FirstRejections { get; init; }

    /// <summary>The resolved parameters.</summary>
    public required ValuationParameters Parameters { get; init; }

    /// <summary>The accumulator behind <see cref="Summaries"/> (its exact cell states feed <c>--partial</c> files).</summary>
    internal ValuationAccumulator? Accumulator { get; init; }

    /// <summary>Rows read over all inputs.</summary>
    public long Read => Inputs.Sum(i => i.Read);

    /// <summary>Rows rejected over all inputs.</summary>
    public long Rejected => Inputs.Sum(i => i.Rejected);

    /// <summary>Share of rows rejected (0 when nothing was read).</summary>
    public double RejectedShare => Read == 0 ? 0 : (double)Rejected / Read;
}

/// <summary>
/// Runs a study's valuation: ingest items → 19th ICLS checks → valuation → summaries, streaming in two passes, and
/// writes <c>valued_records.csv</c>, <c>summary.csv</c>, <c>method_range.csv</c>, <c>quarantine.csv</c> and
/// <c>manifest.json</c> atomically (methodology/valuation.md, "Outputs"). Same inputs give byte-identical files.
/// </summary>
public static partial class ValuationRun
{
    /// <summary>How many rejected rows a result keeps for display.</summary>
    public const int RejectionSampleSize = 20;

    /// <summary>The output files, in the order they are written.</summary>
    public static IReadOnlyList<string> OutputFiles { get; } =
        ["quarantine.csv", "valued_records.csv", "summary.csv", "method_range.csv", "manifest.json"];

    /// <summary>Checks a study's parameters and inputs without writing anything.</summary>
    /// <exception cref="StudyFileException">A parameter is invalid.</exception>
    public static ValuationResult Validate(Study study, IRecordSource source) => Execute(study, source, outputDirectory: null);

    /// <summary>Runs the valuation and writes the outputs into <paramref name="outputDirectory"/> (created when missing).</summary>
    /// <exception cref="StudyFileException">A parameter is invalid.</exception>
    /// <exception cref="RejectionToleranceExceededException">More rows were rejected than the study tolerates (quarantine.csv is written first).</exception>
    public static ValuationResult Run(Study study, IRecordSource source, string outputDirectory) =>
        Run(study, source, outputDirectory, RecordOutput.Csv);

    /// <summary>
    /// Runs the valuation and writes the outputs into <paramref name="outputDirectory"/>; with <see cref="RecordOutput.None"/>
    /// the per-record file valued_records.csv is not written (a copy left by an earlier run is removed, as it would not
    /// match the other outputs), for runs that only want the aggregates.
    /// </summary>
    /// <exception cref="StudyFileException">A parameter is invalid.</exception>
    /// <exception cref="RejectionToleranceExceededException">More rows were rejected than the study tolerates (quarantine.csv is written first).</exception>
    public static ValuationResult Run(Study study, IRecordSource source, string outputDirectory, RecordOutput records)
    {
        ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        return Execute(study, source, outputDirectory, writeRecords: records != RecordOutput.None);
    }

    /// <summary>
    /// As <see cref="Run(Study, IRecordSource, string, RecordOutput)"/> (or <see cref="Validate"/> without a directory),
    /// with the hour-log fast path switched off when <paramref name="allowFastPath"/> is false: the tests compare both
    /// paths byte for byte.
    /// </summary>
    internal static ValuationResult Run(Study study, IRecordSource source, string? outputDirectory, RecordOutput records, bool allowFastPath) =>
        Execute(study, source, outputDirectory, writeRecords: records != RecordOutput.None, allowFastPath: allowFastPath);

    /// <summary>Whether the last runs on this thread took the hour-log fast path (for the tests that compare the two paths).</summary>
    [ThreadStatic]
    internal static bool LastRunTookFastPath;

    /// <summary>The output files a run writes, in order, given whether it writes valued_records.csv.</summary>
    public static IReadOnlyList<string> OutputFilesFor(RecordOutput records) =>
        records == RecordOutput.None ? [.. OutputFiles.Where(name => name != "valued_records.csv")] : OutputFiles;

    /// <summary>
    /// Runs the valuation and hands every accepted record — valued, or excluded with a reason — to
    /// <paramref name="onRecord"/> in input order (the survey estimates' person-level table is built from them); writes
    /// the outputs into <paramref name="outputDirectory"/> when it is given, exactly as <see cref="Run(Study, IRecordSource, string)"/>.
    /// </summary>
    /// <exception cref="StudyFileException">A parameter is invalid.</exception>
    /// <exception cref="RejectionToleranceExceededException">More rows were rejected than the study tolerates.</exception>
    public static ValuationResult Run(Study study, IRecordSource source, string? outputDirectory, Action<ValuedRecord> onRecord)
    {
        ArgumentNullException.ThrowIfNull(onRecord);
        if (outputDirectory is not null) ArgumentException.ThrowIfNullOrEmpty(outputDirectory);
        var result = Execute(study, source, outputDirectory, onRecord);
        if (outputDirectory is null && result.RejectedShare > study.Checks.RejectionTolerance)
        {
            throw new RejectionToleranceExceededException(result.Read, result.Rejected, study.Checks.RejectionTolerance, "the quarantine.csv written by contrib value STUDY --out DIR");
        }

        return result;
    }

    /// <summary>The one entry of <see cref="StudyRun"/>: every option of the public overloads at once.</summary>
    internal static ValuationResult Execute(Study study, IRecordSource source, string? outputDirectory, Action<ValuedRecord>? onRecord = null,
        bool writeRecords = true, bool allowFastPath = true)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(source);
        var parameters = ValuationParameters.FromStudy(study);
        if (!double.IsFinite(study.Checks.RejectionTolerance) || study.Checks.RejectionTolerance is < 0 or > 1)
        {
            throw new StudyFileException(study.LocationOf("checks.rejection_tolerance"),
                string.Create(CultureInfo.InvariantCulture, $"checks.rejection_tolerance is {study.Checks.RejectionTolerance:R}, outside 0 to 1."),
                "Write a share, e.g. 0.01 to tolerate 1 % rejected rows.");
        }

        // A study that enables coding adds isco_source to valued_records.csv, coding_review.csv and a manifest section
        // (taken before the prefetching wrapper hides the coding source).
        var coded = source as CodedRecordSource;

        // Hour-log CSV studies take the fast path (methodology/scale.md §9): typed cells straight from the parser on every
        // core, one parse, the second pass over a compact spill file. It gives the same bytes as the general path below,
        // which it falls back to for anything it does not handle.
        var context = new RunContext(study, parameters, source);
        using var fast = allowFastPath && onRecord is null && source is StudyRecordSource
            ? FastHourLogRun.TryFirstPass(study, parameters, context, writeRecords: outputDirectory is not null && writeRecords)
            : null;

        LastRunTookFastPath = fast is not null;
        PersonTotals? persons = null;
        OpportunityWageImputer? imputer = null;
        if (fast is null)
        {
            // Parsing and mapping run one step ahead on a second core; the items and their order are unchanged.
            source = new PrefetchingRecordSource(source);
            persons = FirstPass(context, source);

            if (parameters.Policy == OpportunityCostPolicy.Imputed)
            {
                imputer = new OpportunityWageImputer();
                foreach (var (key, donor) in persons.Donors.OrderBy(d => d.Value.Order))
                {
                    persons.TryGet(key.Input, key.Person, out var hours);
                    if (context.Rules.ExceedsPeriod(hours.Total, context.Periods(donor.Record.InputName))) continue;
                    if (!context.Rules.MeetsMinimumHours(hours.Volunteer)) continue;
                    imputer.AddDonor(donor.Country, donor.Record);
                }
            }
        }

        var valuator = new Valuator(parameters, imputer);
        var accumulator = new ValuationAccumulator(parameters);
        var counts = new Dictionary<string, CountsBuilder>(StringComparer.Ordinal);
        foreach (var input in study.Inputs) counts.TryAdd(input.Name, new CountsBuilder());
        var firstRejections = new List<RejectedRow>();

        QuarantineWriter? quarantine = null;
        AtomicFile? valuedFile = null;
        BackgroundWriteStream? valuedWrites = null;
        try
        {
            CsvRowWriter? valued = null;
            if (outputDirectory is not null)
            {
                quarantine = new QuarantineWriter(Path.Combine(outputDirectory, "quarantine.csv"));
                if (writeRecords)
                {
                    valuedFile = new AtomicFile(Path.Combine(outputDirectory, "valued_records.csv"));
                    // On the fast path one core formats the rows and the other copies them into the file.
                    valued = new CsvRowWriter(fast is not null ? valuedWrites = new BackgroundWriteStream(valuedFile.Stream) : valuedFile.Stream);
                    valued.Header(coded is null ? OutputColumns.ValuedRecords : [.. OutputColumns.ValuedRecords, OutputColumns.IscoSourceColumn]);
                }
            }

            var pass = new SecondPass(context, valuator, accumulator, counts, firstRejections, quarantine, valued, coded, onRecord);
            // The fast path's second pass keeps one core busy: the manifest's input digests are computed on the other.
            var digests = fast is not null && outputDirectory is not null ? Task.Run(() => Manifest.InputDigests(study)) : null;
            if (fast is not null)
            {
                fast.RunSecondPass(pass);
            }
            else
            {
                foreach (var item in source.Read())
                {
                    if (item.Record is not { } record)
                    {
                        pass.Item(item, false, default, ref Unsafe.NullRef<ulong>());
                        continue;
                    }

                    // One lookup of the person serves the person-level rules and, through its cell mask, the distinct
                    // volunteer count of the accumulator (a set of person ids per cell was a second hash lookup per row).
                    ref var person = ref persons!.Find(record.InputName, record.PersonId);
                    var seen = !Unsafe.IsNullRef(ref person);
                    pass.Item(item, seen, seen ? person : default, ref seen ? ref person.Cells : ref Unsafe.NullRef<ulong>());
                }
            }

            var inputCounts = counts.Select(c => c.Value.Build(c.Key)).ToList();
            var summaries = accumulator.Summaries();
            var ranges = summaries.SelectMany(MethodRange.Of).ToList();
            var outcome = new ValuationResult
            {
                Inputs = inputCounts,
                Summaries = summaries,
                Ranges = ranges,
                FirstRejections = firstRejections,
                Parameters = parameters,
                Accumulator = accumulator,
            };

            if (outputDirectory is not null)
            {
                quarantine!.Commit();
                if (outcome.RejectedShare > study.Checks.RejectionTolerance)
                {
                    // Outputs of an earlier successful run would now contradict the quarantine: remove them.
                    foreach (var name in OutputFiles.Where(n => n != "quarantine.csv").Append(CodedRecordSource.ReviewFileName))
                    {
                        var stale = Path.Combine(outputDirectory, name);
                        if (File.Exists(stale)) File.Delete(stale);
                    }

                    throw new RejectionToleranceExceededException(outcome.Read, outcome.Rejected, study.Checks.RejectionTolerance,
                        Path.Combine(outputDirectory, "quarantine.csv"));
                }

                var valuedPath = Path.Combine(outputDirectory, "valued_records.csv");
                if (valuedFile is not null)
                {
                    valued!.Flush();
                    valuedWrites?.Flush();
                    valuedFile.Commit();
                }
                else if (File.Exists(valuedPath)) File.Delete(valuedPath); // left by an earlier run: it would not match these outputs
                WriteSummary(Path.Combine(outputDirectory, "summary.csv"), summaries, parameters);
                WriteRanges(Path.Combine(outputDirectory, "method_range.csv"), ranges);
                var reviewPath = Path.Combine(outputDirectory, CodedRecordSource.ReviewFileName);
                if (coded is not null) coded.WriteReview(reviewPath, context.OutputFile);
                else if (File.Exists(reviewPath)) File.Delete(reviewPath); // left by an earlier run with coding: it would not match these outputs
                Manifest.Write(Path.Combine(outputDirectory, "manifest.json"), study, parameters, inputCounts, summaries, coded?.Summary(),
                    writeRecords ? RecordOutput.Csv : RecordOutput.None, digests?.GetAwaiter().GetResult());
            }

            return outcome;
        }
        finally
        {
            quarantine?.Dispose();
            valuedWrites?.Dispose();
            valuedFile?.Dispose();
        }
    }

    /// <summary>
    /// The second pass, row by row: counts, checks, values, accumulates and writes, for the items of the general path and
    /// for the rows of the hour-log fast path alike (one implementation of the per-row rules).
    /// </summary>
    internal sealed class SecondPass(
        RunContext context, Valuator valuator, ValuationAccumulator accumulator, Dictionary<string, CountsBuilder> counts,
        List<RejectedRow> firstRejections, QuarantineWriter? quarantine, CsvRowWriter? valued, CodedRecordSource? coded, Action<ValuedRecord>? onRecord)
    {
        private string? _lastInput;
        private CountsBuilder? _lastCount;

        public Valuator Valuator => valuator;

        public ValuationAccumulator Accumulator => accumulator;

        /// <summary>The valued_records.csv writer, or null when the run writes no per-record file.</summary>
        public CsvRowWriter? RecordWriter => valued;

        /// <summary>The counts of an input (the last one is kept at hand: rows of one input come together).</summary>
        public CountsBuilder CountOf(string input)
        {
            if (ReferenceEquals(input, _lastInput) && _lastCount is not null) return _lastCount;
            if (!counts.TryGetValue(input, out var count))
            {
                count = new CountsBuilder();
                counts[input] = count;
            }

            (_lastInput, _lastCount) = (input, count);
            return count;
        }

        /// <summary>
        /// One item: <paramref name="seen"/> says whether the first pass summed the person's hours (<paramref name="hours"/>),
        /// and <paramref name="cells"/> is the person's accumulator cell mask (a null reference when not seen).
        /// </summary>
        public void Item(IngestItem item, bool seen, in PersonHours hours, ref ulong cells)
        {
            var count = CountOf(item.InputName);
            count.Read++;
            if (item.Record is not { } record)
            {
                count.RejectedAtIngest++;
                Reject(item.InputName, item.Rejection!);
                return;
            }

            var rejection = context.Check(record, seen, hours, out var exclusion, out var country);
            if (rejection is not null)
            {
                count.RejectedByChecks++;
                Reject(item.InputName, rejection);
                return;
            }

            var result = valuator.Value(record, country!, context.AnnualisationFactor(record.InputName), exclusion);
            count.Accepted(result.IsValued, result.Exclusion);
            accumulator.Add(result, ref cells);
            onRecord?.Invoke(result);
            if (valued is not null) OutputColumns.WriteValued(valued, result, context.OutputFile(record.InputName, record.Source.File), coded?.SourceOf(record));
        }

        /// <summary>A row of the fast path rejected by the person-level check.</summary>
        public void RejectedByChecks(CountsBuilder count, string input, RejectedRow rejection)
        {
            count.Read++;
            count.RejectedByChecks++;
            Reject(input, rejection);
        }

        private void Reject(string input, RejectedRow row)
        {
            if (firstRejections.Count < RejectionSampleSize) firstRejections.Add(row);
            quarantine?.Add(input, row with { Location = row.Location with { File = context.OutputFile(input, row.Location.File) } });
        }
    }

    private static PersonTotals FirstPass(RunContext context, IRecordSource source)
    {
        var totals = new PersonTotals();
        var order = 0L;
        foreach (var item in source.Read())
        {
            if (item.Record is not { } record || record.Hours is not { } hours || hours < 0) continue;
            if (context.Country(record) is not { } country) continue;
            ref var person = ref totals.GetOrAdd(record.InputName, record.PersonId);
            person.Total += hours;
            var verdict = context.Rules.ApplyToRecord(record, Valuator.MarketWage(country, record.IscoCode));
            if (!verdict.IsVolunteerWork) continue;
            person.Volunteer += hours;
            var key = PersonKey(record);
            if (OpportunityWageImputer.IsDonor(record) && !totals.Donors.ContainsKey(key))
                totals.Donors[key] = (country.Code, record, order++);
        }

        return totals;
    }

    /// <summary>A person is identified within an input; the key is a pair, so no string is built per row.</summary>
    internal static (string Input, string Person) PersonKey(VolunteerRecord record) => (record.InputName, record.PersonId);

    internal static void WriteSummary(string path, IReadOnlyList<ValuationSummary> summaries, ValuationParameters parameters)
    {
        using var file = new AtomicFile(path);
        var csv = new CsvRowWriter(file.Writer);
        csv.Header(OutputColumns.Summary);
        foreach (var summary in summaries)
        {
            foreach (var value in summary.Values)
            {
                csv.Text(InputKinds.Code(summary.SourceKind)).Text(summary.Country).Text(summary.Currency).Text(value.Method.Code())
                    .Integer(value.Method == parameters.HeadlineMethod ? 1 : 0).Integer(summary.BaseYear)
                    .Integer(summary.ValuedRecords).Number(summary.Volunteers).Number(summary.HoursReference).Number(summary.HoursAnnual)
                    .Number(summary.FullTimeAnnualHours).Number(summary.Fte);
                foreach (var hours in summary.HoursAnnualByWageLevel) csv.Number(hours);
                csv.Number(value.ValueLcuCurrent).Number(value.ValueLcuBase).Number(value.ValueUsd).Number(value.ValuePpp)
                    .Number(value.ShareOfGdpPercent).End();
            }
        }

        file.Commit();
    }

    internal static void WriteRanges(string path, IReadOnlyList<MethodRange> ranges)
    {
        using var file = new AtomicFile(path);
        var csv = new CsvRowWriter(file.Writer);
        csv.Header(OutputColumns.MethodRange);
        foreach (var range in ranges)
        {
            csv.Text(InputKinds.Code(range.SourceKind)).Text(range.Country).Text(range.Unit);
            foreach (var value in range.Values) csv.Number(value);
            csv.Number(range.Minimum).Number(range.Maximum).Text(range.MinimumMethod.Code()).Text(range.MaximumMethod.Code())
                .Number(range.Minimum > 0 ? range.Maximum / range.Minimum : null).End();
        }

        file.Commit();
    }

    /// <summary>A person's hours over the reference period: all hours, and hours of volunteer work.</summary>
    internal struct PersonHours
    {
        public double Total;
        public double Volunteer;

        /// <summary>The accumulator cells (by index below 64) this person has been counted in (ValuationAccumulator.Add).</summary>
        public ulong Cells;
    }

    /// <summary>
    /// Hours per person (a person has an entry once any row with hours ≥ 0 and a country was read) and the donor
    /// records of the imputed opportunity wage. Persons are kept per input in a <see cref="PersonKeyTable{TValue}"/>: one
    /// lookup per row finds both sums, and the last input's table is kept at hand (rows of one input come together).
    /// </summary>
    private sealed class PersonTotals
    {
        private readonly Dictionary<string, PersonKeyTable<PersonHours>> _byInput = new(StringComparer.Ordinal);
        private string? _lastInput;
        private PersonKeyTable<PersonHours>? _lastPersons;

        public readonly Dictionary<(string Input, string Person), (string Country, VolunteerRecord Record, long Order)> Donors = [];

        public ref PersonHours GetOrAdd(string input, string person) => ref PersonsOf(input, create: true)!.GetOrAdd(person);

        /// <summary>The person's entry, or a null reference when the first pass did not see them.</summary>
        public ref PersonHours Find(string input, string person)
        {
            if (PersonsOf(input, create: false) is not { } persons) return ref Unsafe.NullRef<PersonHours>();
            return ref persons.Find(person);
        }

        public bool TryGet(string input, string person, out PersonHours hours)
        {
            ref var found = ref Find(input, person);
            var seen = !Unsafe.IsNullRef(ref found);
            hours = seen ? found : default;
            return seen;
        }

        private PersonKeyTable<PersonHours>? PersonsOf(string input, bool create)
        {
            if (ReferenceEquals(input, _lastInput) && _lastPersons is not null) return _lastPersons;
            if (!_byInput.TryGetValue(input, out var persons))
            {
                if (!create) return null;
                persons = new PersonKeyTable<PersonHours>();
                _byInput[input] = persons;
            }

            _lastInput = input;
            _lastPersons = persons;
            return persons;
        }
    }

    internal sealed class CountsBuilder
    {
        public long Read;
        public long RejectedAtIngest;
        public long RejectedByChecks;
        public long Valued;
        public readonly Dictionary<ExclusionReason, long> Excluded = [];

        /// <summary>Counts an accepted row: valued, or excluded with its reason.</summary>
        public void Accepted(bool isValued, ExclusionReason exclusion)
        {
            if (isValued) Valued++;
            else Excluded[exclusion] = Excluded.GetValueOrDefault(exclusion) + 1;
        }

        public InputCounts Build(string input) => new()
        {
            Input = input,
            Read = Read,
            RejectedAtIngest = RejectedAtIngest,
            RejectedByChecks = RejectedByChecks,
            Valued = Valued,
            Excluded = new SortedDictionary<ExclusionReason, long>(Excluded),
        };
    }

    /// <summary>Study-level lookups shared by both passes.</summary>
    internal sealed class RunContext
    {
        private readonly ValuationParameters _parameters;
        private readonly Dictionary<string, double> _factors = new(StringComparer.Ordinal);
        private readonly Dictionary<string, IReadOnlyDictionary<string, string>> _headers = new(StringComparer.Ordinal);

        private readonly IRecordSource _source;
        private readonly Dictionary<string, string> _paths = new(StringComparer.Ordinal);

        /// <summary>
        /// The file name written in output files: the input's path as the study file gives it (relative to the study),
        /// so that outputs do not depend on the working directory; messages on the console keep the reader's path.
        /// </summary>
        public string OutputFile(string input, string readerPath) => _paths.TryGetValue(input, out var path) && path.Length > 0 ? path : readerPath;

        public RunContext(Study study, ValuationParameters parameters, IRecordSource source)
        {
            _source = source;
            _parameters = parameters;
            foreach (var input in study.Inputs)
            {
                if (input.AnnualisationFactor is { } k)
                {
                    if (!double.IsFinite(k) || k <= 0)
                    {
                        throw new StudyFileException(study.LocationOf(string.Create(CultureInfo.InvariantCulture, $"inputs[{input.Index}].annualisation_factor")),
                            string.Create(CultureInfo.InvariantCulture, $"input '{input.Name}' has annualisation_factor {k:R}; it must be positive."),
                            "Use 1 for a log covering a whole year.");
                    }

                    _factors[input.Name] = k;
                }

                _headers[input.Name] = input.Columns;
                _paths[input.Name] = input.Path.Replace('\\', '/');
            }

            Rules = new IclsRules(study.Checks, study.ReferencePeriod, Locate);
        }

        public IclsRules Rules { get; }

        public double AnnualisationFactor(string input)
        {
            // Rows of one input come together: the last input's factor is kept at hand.
            if (ReferenceEquals(input, _lastFactorInput)) return _lastFactor;
            var factor = _factors.TryGetValue(input, out var k) ? k : _parameters.AnnualisationFactor;
            (_lastFactorInput, _lastFactor) = (input, factor);
            return factor;
        }

        private string? _lastFactorInput;
        private double _lastFactor;
        private string? _lastCountryText;
        private CountryParameters? _lastCountry;

        /// <summary>
        /// How many reference periods an input covers: k_study / k_input (1 for inputs without their own factor; 13 for
        /// a year-long log with factor 1 in a four-week study), which scales the person-hours cap.
        /// </summary>
        public double Periods(string input) => _parameters.AnnualisationFactor / AnnualisationFactor(input);

        /// <summary>The record's country: its own code, or the study's only country when the record has none.</summary>
        public CountryParameters? Country(VolunteerRecord record)
        {
            if (string.IsNullOrWhiteSpace(record.Country))
                return _parameters.CountryOrder.Count == 1 ? _parameters.Countries[_parameters.CountryOrder[0]] : null;
            // Ingest hands out one string per distinct code, so the last answer is reused for the same string.
            if (ReferenceEquals(record.Country, _lastCountryText)) return _lastCountry;
            var country = _parameters.Countries.GetValueOrDefault(record.Country.Trim().ToUpperInvariant());
            (_lastCountryText, _lastCountry) = (record.Country, country);
            return country;
        }

        /// <summary>Record-level then person-level rules; returns the rejection, or null with the exclusion reason.</summary>
        public RejectedRow? Check(VolunteerRecord record, bool seen, in PersonHours hours, out ExclusionReason exclusion, out CountryParameters? country)
        {
            exclusion = ExclusionReason.None;
            country = Country(record);
            if (country is null)
            {
                var known = string.Join(", ", _parameters.CountryOrder);
                return string.IsNullOrWhiteSpace(record.Country)
                    ? new RejectedRow(Locate(record, CanonicalFields.Country), "valuation.country-missing",
                        $"the row has no country and the study has several ({known}); fill in the country column or set it as a constant of the input.")
                    : new RejectedRow(Locate(record, CanonicalFields.Country), "valuation.country-unknown",
                        $"country '{record.Country}' is not among the study's countries ({known}); correct the code or add the country to the study.", record.Country);
            }

            var verdict = Rules.ApplyToRecord(record, Valuator.MarketWage(country, record.IscoCode));
            if (verdict.Rejection is not null) return verdict.Rejection;

            var periods = Periods(record.InputName);
            if (record.Hours is > 0 && seen && Rules.ExceedsPeriod(hours.Total, periods))
                return Rules.RejectAbovePeriod(record, hours.Total, periods);

            exclusion = verdict.Exclusion;
            if (exclusion == ExclusionReason.None && !Rules.MeetsMinimumHours(hours.Volunteer))
                exclusion = ExclusionReason.BelowMinimumHours;
            return null;
        }

        /// <summary>
        /// The field's location: the record's row, with the field's column number when the source knows it and the
        /// file's own header for the field when the study maps it (else the canonical field name).
        /// </summary>
        private SourceLocation Locate(VolunteerRecord record, string field)
        {
            if (record.Source.ColumnName is { Length: > 0 }) return record.Source;
            string? header = null;
            var mapped = _headers.TryGetValue(record.InputName, out var columns) && columns.TryGetValue(field, out header);
            var column = mapped ? _source.ColumnOf(record.InputName, field) ?? 0 : 0;
            return record.Source with { Column = column, ColumnName = mapped ? header : field };
        }
    }
}

/// <summary>Whether a run writes the per-record file valued_records.csv.</summary>
public enum RecordOutput
{
    /// <summary>One row per accepted input row in valued_records.csv (the default).</summary>
    Csv,

    /// <summary>No per-record file: only the aggregates (summary.csv, method_range.csv), quarantine.csv and manifest.json.</summary>
    None,
}

/// <summary>Text codes of input kinds in outputs.</summary>
public static class InputKinds
{
    /// <summary><c>survey</c> or <c>hour-log</c> (as in the study file).</summary>
    public static string Code(InputKind kind) => StudyChoices.Word(kind);
}
