using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using ContributionIndex.Classify;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;
using static ContributionIndex.Pipeline.ValuationRun;

namespace ContributionIndex.Pipeline.FastHourLog;

/// <summary>
/// The hour-log fast path (methodology/scale.md §9): hour-log CSV inputs valued without a record object per row. Pass 1
/// maps each row's cells straight from CsvHelper's UTF-8 spans on every core (ParallelEnumerate, results in file order) to a few typed values, gives each person a dense integer id, sums the person's hours and writes
/// 16 bytes per row — the row's "shape" (input, country, ISCO code, hours, ICLS exclusion), the person, the line —
/// to a temporary spill file. Pass 2 reads the spill instead of parsing the file again, and values each shape once
/// with the general <see cref="Valuator"/>. <see cref="ValuationRun"/> tries it first and shares its run context,
/// second-pass row handling and counts with it.
/// </summary>
/// <remarks>
/// <para>
/// Same bytes by construction: every decision the fast path makes is the general code's, memoised — cells are
/// parsed by <see cref="FieldValueParser"/>, record rules by <see cref="IclsRules.ApplyToRecord"/>, values by
/// <see cref="Valuator.Value"/>, sums by <see cref="ValuationAccumulator"/>, in the same order. A row the fast path
/// does not handle (quotes, a ragged row, a cell that fails to parse, a rule rejection, an unknown country,
/// surrounding spaces in the person id, the rows the decimal detection buffered) is rebuilt as the CSV reader would
/// hand it out and goes through the general mapping and checks in its place in the sequence.
/// </para>
/// <para>
/// Taken only when no callback wants records and activities are not coded, every input is an hour-log CSV, the
/// policy is not <c>imputed</c>, no input maps a field the rules or values read that rows do not carry (derived from
/// <see cref="RecordFieldUse"/> by <see cref="Fields"/>: stipend, own wage, household and relatives flags) and the
/// study has at most 60 countries (so every person's
/// cells fit the accumulator's 64-bit mask, next to three flags). valued_records.csv rows are the row's own fields
/// (input, file, line, kind, person, activity) and a tail prepared once per shape. A log with more than
/// <see cref="MaxIrregularRows"/> rows needing the general path (kept in memory until pass 2) falls back to the
/// general path as a whole, as does a temporary folder that cannot be written.
/// </para>
/// </remarks>
internal sealed partial class FastHourLogRun : IDisposable
{
    /// <summary>Rows of the general path kept between the passes before the fast path gives up (memory bound).</summary>
    internal const int MaxIrregularRows = 100_000;

    private const int PrefetchDistance = 16;

    private const int MaxCachedValuesPerColumn = 4096;

    private readonly Study _study;
    private readonly ValuationParameters _parameters;
    private readonly RunContext _context;
    private readonly List<InputState> _inputs = [];
    private readonly List<CountryParameters> _countries;

    // Persons: their pass-1 sums live in the person table next to the id (one cache line per lookup); dense ids are
    // contiguous per input (inputs are read one after the other) and index the pass-2 arrays made after pass 1.
    private int _personCount;
    private double[] _total = [];

    // Pass 2's state of each person in one word (one cache line per row): bits 0–59 are the accumulator's cell mask
    // (at most 60 countries, so cell indexes stay below 60), the top bits the person-level flags.
    private ulong[] _persons = [];

    private const ulong Seen = 1UL << 61;         // the first pass summed hours of the person (a row with hours ≥ 0 and a country)
    private const ulong Exceeds = 1UL << 62;      // the person's hours exceed what the period allows
    private const ulong MeetsMinimum = 1UL << 63; // the person's volunteer hours reach the minimum

    private readonly ShapeTable _shapeIds = new();
    private readonly List<Shape> _shapes = [];
    private readonly Queue<IngestItem> _irregular = new();
    private readonly SpillFile _spill = new();

    // The person and activity ids of the regular rows, in row order, for valued_records.csv (only when the run writes
    // it): read back in sequence, where the person table would cost cache misses per row.
    private readonly TextSpill? _texts;

    private FastHourLogRun(Study study, ValuationParameters parameters, RunContext context, bool writeRecords)
    {
        _texts = writeRecords ? new TextSpill() : null;
        _study = study;
        _parameters = parameters;
        _context = context;
        _countries = [.. parameters.CountryOrder.Select(code => parameters.Countries[code])];
    }

    /// <summary>
    /// Whether the study's shape allows the fast path (the files are checked when opened): the imputed policy needs a
    /// donor pool from records, replicate weights are checked by the general mapping, and every field an input maps
    /// that the rules or the valuation read must be one its rows carry (<see cref="Fields.Carries"/>).
    /// </summary>
    internal static bool Supports(Study study, ValuationParameters parameters) =>
        parameters.Policy != OpportunityCostPolicy.Imputed
        && parameters.CountryOrder.Count <= 60
        && study.Inputs.Count > 0
        && study.Inputs.All(input => input.Kind == InputKind.HourLog
            && input.ReplicateWeights.Count == 0
            && Fields.Carries(input, parameters.Policy));

    /// <summary>Runs pass 1, or returns null when the study or its files need the general path (nothing is written either way).</summary>
    public static FastHourLogRun? TryFirstPass(Study study, ValuationParameters parameters, RunContext context, bool writeRecords)
    {
        if (!Supports(study, parameters)) return null;
        foreach (var input in study.Inputs)
        {
            var path = string.IsNullOrEmpty(input.FullPath) ? study.ResolvePath(input.Path) : input.FullPath;
            var options = TabularOptions.FromInput(input);
            if (TabularFile.IsParquet(path, options) || TabularFile.IsXlsx(path, options)) return null;
        }

        var fast = new FastHourLogRun(study, parameters, context, writeRecords);
        try
        {
            // Inputs are opened one after the other, as the general path opens them, so that file errors come in the same order.
            foreach (var input in study.Inputs)
            {
                var state = new InputState(fast._inputs.Count, input, StudyInputReader.OpenPlan(study, input));
                fast._inputs.Add(state);
                if (state.Plan.Reader is not CsvTabularReader || !fast.FirstPass(state))
                {
                    fast.Dispose();
                    return null;
                }

                state.Plan.Reader.Dispose();
            }

            fast.PersonFlags();
            fast._spill.StartReading();
            fast._texts?.StartReading();
            return fast;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The spill files could not be written (temporary folder full or not writable), or a file could not be
            // read: the general path needs no temporary files, and reports a read error as it always has.
            fast.Dispose();
            return null;
        }
        catch
        {
            fast.Dispose();
            throw;
        }
    }

    /// <summary>Pass 1 over one input; false when it has too many rows for the general path.</summary>
    private bool FirstPass(InputState input)
    {
        var reader = (CsvTabularReader)input.Plan.Reader;
        input.FirstPerson = _personCount;
        // The first fields of the input's valued_records.csv rows (input, file) are the same for every row.
        if (_texts is not null)
            input.Head = CsvRowWriter.Prepare(w => w.Text(input.Spec.Name).Text(_context.OutputFile(input.Spec.Name, input.Plan.Reader.Path)), continuation: false);
        try
        {
            return FirstPassRows(input, reader);
        }
        finally
        {
            _personCount = input.FirstPerson + input.Persons.Count;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool FirstPassRows(InputState input, CsvTabularReader reader)
    {
        long rows = 0;
        foreach (var row in reader.BeginFastRows())
        {
            rows++;
            if (!Irregular(input, input.Plan.Map(row))) return false;
        }

        var mapper = new CellMapper(this, input, reader);
        using var results = reader.ParallelRows(mapper.Map).GetEnumerator();
        // Rows are taken in runs: the person-table slots of a run are read first, so that their cache misses overlap
        // (with hundreds of thousands of persons nearly every lookup misses the cache).
        var run = new FastRow[32];
        var more = true;
        while (more)
        {
            var n = 0;
            while (n < run.Length && (more = reader.MoveNext(results)))
            {
                run[n] = results.Current;
                if (run[n].Kind == RowKind.Regular) CachePrefetch.Line(ref input.Persons.StartOf(run[n].PersonHash));
                n++;
            }

            for (var i = 0; i < n; i++)
            {
                ref readonly var row = ref run[i];
                switch (row.Kind)
                {
                    case RowKind.Blank:
                        continue;
                    case RowKind.InvalidUtf8:
                        throw reader.InvalidUtf8(row.Line, row.BadColumn);
                    case RowKind.Irregular:
                        rows++;
                        if (!Irregular(input, input.Plan.Map(reader.RowFrom(row.Line, row.Fields!)))) return false;
                        break;
                    default:
                        rows++;
                        Regular(input, in row);
                        break;
                }
            }
        }

        reader.EnsureDataRows(rows);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Regular(InputState input, in FastRow row)
    {
        ref var person = ref input.Persons.GetOrAdd(row.PersonKey, row.PersonHash, out var local, out _);
        if (row.HasHours)
        {
            // As FirstPass of the general path: every row with hours ≥ 0 and a country adds to the person's total,
            // volunteer work (no exclusion by the record-level rules) also to the volunteer hours.
            person.Seen = true;
            person.Total += row.Hours;
            if (row.IsVolunteerWork) person.Volunteer += row.Hours;
        }

        _spill.Write(new SpillEntry(row.Shape, input.FirstPerson + local, row.Line));
        _texts?.Write(row.PersonKey, row.ActivityKey, row.ActivityLength < 0);
    }

    /// <summary>
    /// The id of a shape, given by the worker thread that met it first (under a lock: a log has a few thousand shapes,
    /// and each worker remembers the ids it has seen). Ids only index the shape list; no output depends on them.
    /// </summary>
    private int ShapeId(in ShapeKey key, uint hash, InputState input)
    {
        lock (_shapeIds)
        {
            ref var id = ref _shapeIds.GetOrAdd(key, hash, out var added);
            if (added)
            {
                id = _shapes.Count;
                _shapes.Add(new Shape(input, _countries[key.Country], key.HasHours ? BitConverter.Int64BitsToDouble(key.HoursBits) : null, IscoText(key.Isco), key.Exclusion));
            }

            return id;
        }
    }

    /// <summary>A row through the general mapping: kept for pass 2, and summed as the general FirstPass sums it.</summary>
    private bool Irregular(InputState input, IngestItem item)
    {
        if (_irregular.Count >= MaxIrregularRows) return false;
        _irregular.Enqueue(item);
        _spill.Write(new SpillEntry(-1, -1, 0));
        if (item.Record is not { } record || record.Hours is not { } hours || hours < 0) return true;
        if (_context.Country(record) is not { } country) return true;
        ref var person = ref input.Persons.GetOrAdd(Encoding.UTF8.GetBytes(record.PersonId), out _, out _);
        person.Seen = true;
        person.Total += hours;
        var verdict = _context.Rules.ApplyToRecord(record, Valuator.MarketWage(country, record.IscoCode));
        if (verdict.IsVolunteerWork) person.Volunteer += hours;
        return true;
    }

    /// <summary>
    /// After pass 1: the person-level rules once per person (ExceedsPeriod, MeetsMinimumHours, as RunContext.Check
    /// applies them) into flags by dense id, the totals (for the messages of rejected rows) and the cell masks.
    /// </summary>
    private void PersonFlags()
    {
        _persons = new ulong[_personCount];
        _total = new double[_personCount];
        foreach (var input in _inputs)
        {
            var periods = _context.Periods(input.Spec.Name);
            var states = new PersonState[input.Persons.Count];
            input.Persons.CopyValuesById(states);
            for (var local = 0; local < states.Length; local++)
            {
                var state = states[local];
                var person = input.FirstPerson + local;
                ulong flags = 0;
                if (state.Seen) flags |= Seen;
                if (state.Seen && _context.Rules.ExceedsPeriod(state.Total, periods)) flags |= Exceeds;
                if (_context.Rules.MeetsMinimumHours(state.Seen ? state.Volunteer : 0)) flags |= MeetsMinimum;
                _persons[person] = flags;
                _total[person] = state.Total;
            }
        }
    }

    /// <summary>Pass 2: the spill in file order, each row through <paramref name="pass"/> as the general loop would send it.</summary>
    public void RunSecondPass(SecondPass pass)
    {
        var periods = _inputs.Select(i => _context.Periods(i.Spec.Name)).ToArray();
        var counts = _inputs.Select(i => pass.CountOf(i.Spec.Name)).ToArray();
        // Per shape, and per final exclusion (the record-level one, or below-minimum-hours), what the row counts and
        // adds: prepared once from the general valuator (a shape's objects scattered in memory cost several cache
        // misses per row).
        var prepared = new Prepared[_shapes.Count * 2];
        var hoursPositive = _shapes.Select(shape => shape.Hours is > 0).ToArray();
        var accumulator = pass.Accumulator;
        _spill.ReadAll(entries => SecondPassRows(entries, pass, accumulator, prepared, hoursPositive, counts, periods));
    }

    // (Fully optimised from the first call: a method called once per spill chunk would otherwise start unoptimised.)
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void SecondPassRows(ReadOnlySpan<SpillEntry> entries, SecondPass pass, ValuationAccumulator accumulator, Prepared[] prepared,
        bool[] hoursPositive, CountsBuilder[] counts, double[] periods)
    {
        var writer = pass.RecordWriter;
        for (var e = 0; e < entries.Length; e++)
        {
            // The person word of a row a few rows ahead is prefetched, so that its cache miss overlaps this row's work.
            if (e + PrefetchDistance < entries.Length && entries[e + PrefetchDistance].Person >= 0)
                CachePrefetch.Line(ref _persons[entries[e + PrefetchDistance].Person]);
            ref readonly var entry = ref entries[e];
            if (entry.Shape < 0)
            {
                Irregular(pass, _irregular.Dequeue());
                continue;
            }

            var person = entry.Person;
            var flags = _persons[person];
            var seen = (flags & Seen) != 0;
            if (hoursPositive[entry.Shape] && seen && (flags & Exceeds) != 0)
            {
                var shape = _shapes[entry.Shape];
                pass.RejectedByChecks(counts[shape.Input.Index], shape.Input.Spec.Name,
                    _context.Rules.RejectAbovePeriod(Rebuild(shape, person, entry.Line), _total[person], periods[shape.Input.Index]));
                _texts?.Skip();
                continue;
            }

            // The minimum-hours rule applies only to rows the record-level rules left as volunteer work.
            var belowMinimum = (flags & MeetsMinimum) == 0;
            ref var row = ref prepared[2 * entry.Shape + (belowMinimum ? 1 : 0)];
            if (!row.Ready)
            {
                var shape = _shapes[entry.Shape];
                var final = belowMinimum && shape.Exclusion == ExclusionReason.None ? ExclusionReason.BelowMinimumHours : shape.Exclusion;
                row = Prepared.Of(shape.Valued(final, pass.Valuator, _context), counts[shape.Input.Index]);
            }

            var count = row.Count!;
            count.Read++;
            count.Accepted(row.IsValued, row.Exclusion);
            if (row.IsValued) accumulator.Add(in row.Contribution, ref seen ? ref _persons[person] : ref Unsafe.NullRef<ulong>(), null);

            if (writer is not null)
            {
                // OutputColumns.WriteValued: the row's own fields, then the tail its shape shares.
                var input = _shapes[entry.Shape].Input;
                var hasActivity = _texts!.Next(out var personId, out var activity);
                writer.StartWith(input.Head!).Integer(entry.Line).StartWith(HourLogKind).TextUtf8(personId);
                if (hasActivity) writer.TextUtf8(activity);
                else writer.Text(input.ActivityConstant);
                if (row.Tail is null)
                {
                    var template = row.Template!;
                    row.Tail = CsvRowWriter.Prepare(w => OutputColumns.WriteValuedTail(w, template));
                }

                writer.EndWith(row.Tail);
            }
            else
            {
                _texts?.Skip();
            }
        }
    }

    /// <summary>The kind field of valued_records.csv rows, with its separator.</summary>
    private static readonly byte[] HourLogKind = CsvRowWriter.Prepare(w => w.Text(InputKinds.Code(InputKind.HourLog)));

    /// <summary>What a row of one shape and final exclusion counts and adds.</summary>
    private struct Prepared
    {
        public bool Ready;
        public bool IsValued;
        public ExclusionReason Exclusion;
        public CountsBuilder? Count;
        public ValuationAccumulator.Contribution Contribution;

        /// <summary>The valued record of the shape (for the valued_records.csv tail).</summary>
        public ValuedRecord? Template;

        /// <summary>The valued_records.csv fields from <c>country</c> on, once written (<see cref="CsvRowWriter.Prepare"/>).</summary>
        public byte[]? Tail;

        public static Prepared Of(ValuedRecord valued, CountsBuilder count) => new()
        {
            Ready = true,
            Template = valued,
            IsValued = valued.IsValued,
            Exclusion = valued.Exclusion,
            Count = count,
            Contribution = valued.IsValued ? ValuationAccumulator.Contribution.Of(valued) : default,
        };
    }

    /// <summary>A row of the general path in pass 2, with its person's pass-1 sums.</summary>
    private void Irregular(SecondPass pass, IngestItem item)
    {
        if (item.Record is not { } record)
        {
            pass.Item(item, false, default, ref Unsafe.NullRef<ulong>());
            return;
        }

        var input = _inputs.First(i => i.Spec.Name == record.InputName);
        ref var state = ref input.Persons.Find(Encoding.UTF8.GetBytes(record.PersonId), out var local);
        var seen = local >= 0 && state.Seen;
        var hours = seen ? new PersonHours { Total = state.Total, Volunteer = state.Volunteer } : default;
        pass.Item(item, seen, hours, ref seen ? ref _persons[input.FirstPerson + local] : ref Unsafe.NullRef<ulong>());
    }

    /// <summary>The record of a row, as far as the person-level rejection's message reads it (person, hours, place).</summary>
    private VolunteerRecord Rebuild(Shape shape, int person, long line) => new()
    {
        Source = shape.Input.Plan.Reader.Locate(line, 0),
        InputName = shape.Input.Spec.Name,
        Kind = InputKind.HourLog,
        PersonId = Encoding.UTF8.GetString(shape.Input.Persons.KeyOf(person - shape.Input.FirstPerson)),
        Hours = shape.Hours,
        IscoCode = shape.Isco,
    };

    public void Dispose()
    {
        foreach (var input in _inputs) input.Plan.Reader.Dispose();
        _spill.Dispose();
        _texts?.Dispose();
    }

    /// <summary>ISCO code text packed into an integer: its length in the low byte, then up to 4 ASCII digits (0 for none).</summary>
    private static ulong PackIsco(string? isco)
    {
        if (isco is null) return 0;
        var packed = (ulong)isco.Length;
        for (var i = 0; i < isco.Length; i++) packed |= (ulong)isco[i] << (8 * (i + 1));
        return packed;
    }

    private static string? IscoText(ulong packed)
    {
        if (packed == 0) return null;
        var length = (int)(packed & 0xFF);
        return string.Create(length, packed, static (chars, p) =>
        {
            for (var i = 0; i < chars.Length; i++) chars[i] = (char)((p >> (8 * (i + 1))) & 0xFF);
        });
    }
}
