using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Unicode;
using ContributionIndex.Classify;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;
using CsvHelper;

namespace ContributionIndex.Pipeline;

public static partial class ValuationRun
{
    /// <summary>
    /// The hour-log fast path (methodology/scale.md §9): hour-log CSV inputs valued without a record object per row. Pass 1 maps each row's cells straight from CsvHelper's UTF-8 spans on every core (ParallelEnumerate, results in
    /// file order) to a few typed values, gives each person a dense integer id, sums the person's hours and writes
    /// 16 bytes per row — the row's "shape" (input, country, ISCO code, hours, ICLS exclusion), the person, the line —
    /// to a temporary spill file. Pass 2 reads the spill instead of parsing the file again, and values each shape once
    /// with the general <see cref="Valuator"/>.
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
    /// policy is not <c>imputed</c>, no input maps the survey-only fields the rules or values read (stipend, own wage,
    /// household and relatives flags, employment status) and the study has at most 60 countries (so every person's
    /// cells fit the accumulator's 64-bit mask, next to three flags). valued_records.csv rows are the row's own fields
    /// (input, file, line, kind, person, activity) and a tail prepared once per shape. A log with more than
    /// <see cref="MaxIrregularRows"/> rows needing the general path (kept in memory until pass 2) falls back to the
    /// general path as a whole, as does a temporary folder that cannot be written.
    /// </para>
    /// </remarks>
    private sealed class FastHourLog : IDisposable
    {
        /// <summary>Rows of the general path kept between the passes before the fast path gives up (memory bound).</summary>
        internal const int MaxIrregularRows = 100_000;

        private const int PrefetchDistance = 16;

        private const int MaxCachedValuesPerColumn = 4096;

        /// <summary>Fields whose values the ICLS rules or the valuation read beyond what the fast path carries.</summary>
        private static readonly string[] UnsupportedFields =
        [
            CanonicalFields.Stipend, CanonicalFields.OwnHourlyWage, CanonicalFields.ForOwnHousehold,
            CanonicalFields.ForRelatives, CanonicalFields.EmploymentStatus,
        ];

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

        private FastHourLog(Study study, ValuationParameters parameters, RunContext context, bool writeRecords)
        {
            _texts = writeRecords ? new TextSpill() : null;
            _study = study;
            _parameters = parameters;
            _context = context;
            _countries = [.. parameters.CountryOrder.Select(code => parameters.Countries[code])];
        }

        /// <summary>Whether the study's shape allows the fast path (the files are checked when opened).</summary>
        private static bool Supports(Study study, ValuationParameters parameters) =>
            parameters.Policy != OpportunityCostPolicy.Imputed
            && parameters.CountryOrder.Count <= 60
            && study.Inputs.Count > 0
            && study.Inputs.All(input => input.Kind == "hour-log"
                && input.ReplicateWeights.Count == 0
                && !input.Columns.Keys.Concat(input.Constants.Keys).Any(field => UnsupportedFields.Contains(field)));

        /// <summary>Runs pass 1, or returns null when the study or its files need the general path (nothing is written either way).</summary>
        public static FastHourLog? TryFirstPass(Study study, ValuationParameters parameters, RunContext context, bool writeRecords)
        {
            if (!Supports(study, parameters)) return null;
            foreach (var input in study.Inputs)
            {
                var path = string.IsNullOrEmpty(input.FullPath) ? study.ResolvePath(input.Path) : input.FullPath;
                var options = TabularOptions.FromInput(input);
                if (TabularFile.IsParquet(path, options) || TabularFile.IsXlsx(path, options)) return null;
            }

            var fast = new FastHourLog(study, parameters, context, writeRecords);
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
            input.OutputFile = _context.OutputFile(input.Spec.Name, input.Plan.Reader.Path);
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
                if (row.IsValued)
                {
                    count.Valued++;
                    accumulator.Add(in row.Contribution, ref seen ? ref _persons[person] : ref Unsafe.NullRef<ulong>(), null);
                }
                else
                {
                    count.Excluded[row.Exclusion] = count.Excluded.GetValueOrDefault(row.Exclusion) + 1;
                }

                if (writer is not null)
                {
                    // OutputColumns.WriteValued: the row's own fields, then the tail its shape shares.
                    var shape = _shapes[entry.Shape];
                    var input = shape.Input;
                    input.Head ??= CsvRowWriter.Prepare(w => w.Text(input.Spec.Name).Text(input.OutputFile), continuation: false);
                    input.Kind ??= CsvRowWriter.Prepare(w => w.Text(HourLogKind), continuation: true);
                    var hasActivity = _texts!.Next(out var personId, out var activity);
                    writer.StartWith(input.Head).Integer(entry.Line).StartWith(input.Kind).TextUtf8(personId);
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

        private static readonly string HourLogKind = InputKinds.Code(InputKind.HourLog);

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

        private enum RowKind : byte
        {
            Regular,
            Irregular,
            Blank,
            InvalidUtf8,
        }

        /// <summary>Up to 24 bytes of a person id, inline in the row (longer ids get an array).</summary>
        [InlineArray(24)]
        private struct PersonBytes
        {
            private byte _first;
        }

        /// <summary>Up to 32 bytes of an activity id, inline in the row (a longer id sends the row to the general path).</summary>
        [InlineArray(32)]
        private struct ActivityBytes
        {
            private byte _first;
        }

        /// <summary>What the cell mapper makes of one row.</summary>
        private struct FastRow
        {
            public long Line;
            public double Hours;
            public int Shape;
            public uint PersonHash;
            public int PersonLength;
            public int BadColumn;
            public RowKind Kind;
            public bool HasHours;
            public bool IsVolunteerWork;
            public PersonBytes Person;

            /// <summary>The activity id's bytes (at most 32; -1: no activity id).</summary>
            public int ActivityLength;
            public ActivityBytes Activity;

            [UnscopedRef]
            public readonly ReadOnlySpan<byte> ActivityKey => ActivityLength <= 0 ? default : ((ReadOnlySpan<byte>)Activity)[..ActivityLength];

            /// <summary>The field strings of a row for the general path, or the bytes of a person id over 24 bytes.</summary>
            public object? Extra;

            public readonly string[]? Fields => Extra as string[];

            [UnscopedRef]
            public readonly ReadOnlySpan<byte> PersonKey => Extra is byte[] longPerson ? longPerson : ((ReadOnlySpan<byte>)Person)[..PersonLength];
        }

        /// <summary>A person's pass-1 sums: all hours, hours of volunteer work, and whether any row with hours was summed.</summary>
        private struct PersonState
        {
            public double Total;
            public double Volunteer;
            public bool Seen;
        }

        /// <summary>The fields of a row that decide its checks and values, besides the person (see <see cref="Shape"/>).</summary>
        private readonly record struct ShapeKey(int Input, byte Country, ulong Isco, long HoursBits, bool HasHours, ExclusionReason Exclusion)
        {
            /// <summary>The key's hash (computed on the worker thread that mapped the row).</summary>
            public uint Hash()
            {
                var h = (Isco * 0x9E3779B97F4A7C15UL) ^ ((ulong)HoursBits * 0xBF58476D1CE4E5B9UL)
                    ^ ((ulong)(uint)Input << 40) ^ ((ulong)Country << 32) ^ ((ulong)Exclusion << 24) ^ (HasHours ? 1UL << 20 : 0);
                h ^= h >> 31;
                h *= 0x94D049BB133111EBUL;
                return (uint)(h >> 32);
            }
        }

        /// <summary>Shape ids by key: open addressing with the hash the worker computed (a Dictionary lookup per row cost more).</summary>
        private sealed class ShapeTable
        {
            private ShapeKey[] _keys = new ShapeKey[1024];
            private int[] _ids = new int[1024];   // id + 1; 0 = empty
            private uint[] _hashes = new uint[1024];
            private int _count;

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public ref int GetOrAdd(in ShapeKey key, uint hash, out bool added)
            {
                var mask = _ids.Length - 1;
                var i = (int)hash & mask;
                for (; _ids[i] != 0; i = (i + 1) & mask)
                {
                    if (_hashes[i] == hash && _keys[i] == key)
                    {
                        added = false;
                        return ref _values[_ids[i] - 1];
                    }
                }

                added = true;
                _keys[i] = key;
                _hashes[i] = hash;
                _ids[i] = ++_count;
                if (_count > _values.Length) Array.Resize(ref _values, _values.Length * 2);
                if (_count * 2 > _ids.Length) Grow();
                return ref _values[_count - 1];
            }

            private int[] _values = new int[256];

            private void Grow()
            {
                var keys = new ShapeKey[_keys.Length * 2];
                var ids = new int[keys.Length];
                var hashes = new uint[keys.Length];
                var mask = ids.Length - 1;
                for (var s = 0; s < _ids.Length; s++)
                {
                    if (_ids[s] == 0) continue;
                    var i = (int)_hashes[s] & mask;
                    while (ids[i] != 0) i = (i + 1) & mask;
                    (keys[i], ids[i], hashes[i]) = (_keys[s], _ids[s], _hashes[s]);
                }

                (_keys, _ids, _hashes) = (keys, ids, hashes);
            }
        }

        /// <summary>What pass 2 needs of a row besides its person: input, country, ISCO code, hours and the record-level exclusion.</summary>
        private sealed class Shape(InputState input, CountryParameters country, double? hours, string? isco, ExclusionReason exclusion)
        {
            private ValuedRecord? _valued;
            private ValuedRecord? _belowMinimum;

            public InputState Input => input;

            public double? Hours => hours;

            public string? Isco => isco;

            public ExclusionReason Exclusion => exclusion;

            /// <summary>The row valued by the general valuator (weight 1, this shape's fields): once per shape and exclusion.</summary>
            public ValuedRecord Valued(ExclusionReason final, Valuator valuator, RunContext context)
            {
                if (final == exclusion) return _valued ??= Make(final, valuator, context);
                return _belowMinimum ??= Make(final, valuator, context);
            }

            private ValuedRecord Make(ExclusionReason final, Valuator valuator, RunContext context)
            {
                var representative = new VolunteerRecord
                {
                    Source = input.Plan.Reader.Locate(0, 0),
                    InputName = input.Spec.Name,
                    Kind = InputKind.HourLog,
                    PersonId = "",
                    Hours = hours,
                    IscoCode = isco,
                };
                return valuator.Value(representative, country, context.AnnualisationFactor(input.Spec.Name), final);
            }
        }

        private sealed class InputState(int index, InputSpec spec, StudyInputReader.InputPlan plan)
        {
            public int Index => index;

            public InputSpec Spec => spec;

            public StudyInputReader.InputPlan Plan => plan;

            public Utf8KeyTable<PersonState> Persons { get; } = new(1 << 16);

            /// <summary>The first two fields (input, file) of the input's valued_records.csv rows, prepared once.</summary>
            public byte[]? Head { get; set; }

            /// <summary>The kind field with its separator, prepared once.</summary>
            public byte[]? Kind { get; set; }

            /// <summary>The file name valued_records.csv gives for the input's rows (RunContext.OutputFile).</summary>
            public string OutputFile { get; set; } = "";

            /// <summary>The activity id of rows without one: the study's constant when the input maps no activity column, else none.</summary>
            public string? ActivityConstant => plan.Columns.ContainsKey(CanonicalFields.ActivityId) ? null : plan.Constant(CanonicalFields.ActivityId) as string;

            /// <summary>The dense id of the input's first person (ids of one input are contiguous).</summary>
            public int FirstPerson { get; set; }
        }

        /// <summary>
        /// Maps one parsed row to a <see cref="FastRow"/> on a worker thread: every mapped cell through a per-thread cache
        /// of <see cref="FieldValueParser"/> results keyed by the cell's bytes, the record-level ICLS verdict through a
        /// per-thread memo of <see cref="IclsRules.ApplyToRecord"/>. Nothing here is shared between threads but
        /// immutable plan data, so the results do not depend on which thread mapped which row.
        /// </summary>
        private sealed class CellMapper
        {
            private readonly int _expected;
            private readonly bool _checkUtf8;
            private readonly int _person;
            private readonly int _activity; // column of activity_id, -1 when not mapped
            private readonly (int Index, string Field, Role Role, IReadOnlyDictionary<string, string>? Lookup)[] _cached;
            private readonly double? _constantHours;
            private readonly int? _constantAge;
            private readonly bool? _constantVolunteered;
            private readonly int _constantCountry; // index, -1 none, -2 not a study country
            private readonly ulong _constantIsco;
            private readonly char _decimal;
            private readonly char? _thousands;
            private readonly Dictionary<string, int> _countryIndex;
            private readonly int _onlyCountry;
            private readonly IclsRules _rules;
            private readonly InputState _input;
            private readonly FastHourLog _owner;

            /// <summary>The caches of the mapper this worker thread served last (a worker serves one mapper at a time).</summary>
            [ThreadStatic]
            private static ThreadCaches? t_caches;

            private enum Role : byte
            {
                CheckOnly,
                Hours,
                Age,
                Volunteered,
                Country,
                Isco,
            }

            public CellMapper(FastHourLog owner, InputState input, CsvTabularReader reader)
            {
                var plan = input.Plan;
                _expected = reader.Headers.Count;
                _checkUtf8 = reader.ChecksUtf8;
                _decimal = reader.NumberFormat.DecimalSeparator;
                _thousands = reader.NumberFormat.ThousandsSeparator;
                _person = plan.Columns[CanonicalFields.PersonId];
                _activity = plan.Columns.TryGetValue(CanonicalFields.ActivityId, out var activity) ? activity : -1;
                _countryIndex = owner._parameters.CountryOrder.Select((code, i) => (code, i)).ToDictionary(p => p.code, p => p.i, StringComparer.Ordinal);
                _onlyCountry = owner._parameters.CountryOrder.Count == 1 ? 0 : -1;
                _cached = [.. plan.Columns
                    .Where(c => c.Key != CanonicalFields.PersonId && !(FieldValueParser.Types[c.Key] is FieldType.Text && plan.LookupFor(c.Key) is null))
                    .OrderBy(c => c.Value)
                    .Select(c => (c.Value, c.Key, RoleOf(c.Key), plan.LookupFor(c.Key)))];
                _constantHours = plan.Constant(CanonicalFields.Hours) as double?;
                _constantAge = plan.Constant(CanonicalFields.Age) as int?;
                _constantVolunteered = Flag(plan.Constant(CanonicalFields.Volunteered));
                _constantCountry = plan.Constant(CanonicalFields.Country) is string country ? CountryIndex(country) : -1;
                _constantIsco = PackIsco(plan.Constant(CanonicalFields.Isco) as string);
                _rules = new IclsRules(owner._study.Checks, owner._study.ReferencePeriod, static (record, _) => record.Source);
                _input = input;
                _owner = owner;
            }

            private static Role RoleOf(string field) => field switch
            {
                CanonicalFields.Hours => Role.Hours,
                CanonicalFields.Age => Role.Age,
                CanonicalFields.Volunteered => Role.Volunteered,
                CanonicalFields.Country => Role.Country,
                CanonicalFields.Isco => Role.Isco,
                _ => Role.CheckOnly,
            };

            private static bool? Flag(object? value) => value is string s ? s == "true" ? true : s == "false" ? false : null : null;

            private int CountryIndex(string code) => _countryIndex.TryGetValue(code, out var index) ? index : -2;

            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public FastRow Map(CsvReader csv)
            {
                var row = new FastRow { Line = csv.LineNumber };
                var count = csv.FieldCount;
                // As CsvTabularReader.ReadRawRows: a line of blanks is skipped, invalid UTF-8 stops the file.
                if (count == 1 && _expected != 1 && string.IsNullOrWhiteSpace(csv.GetString(0)))
                {
                    row.Kind = RowKind.Blank;
                    return row;
                }

                var raw = csv.RawRecord;
                if (_checkUtf8 && !Utf8.IsValid(raw))
                {
                    row.Kind = RowKind.InvalidUtf8;
                    row.BadColumn = CsvTabularReader.FirstInvalidUtf8Field(csv);
                    return row;
                }

                // Quotes (a malformed record is recorded by line) and ragged rows are the general reader's business.
                if (count != _expected || raw.Contains((byte)'"')) return Irregular(csv, row);

                var caches = t_caches;
                if (caches is null || !ReferenceEquals(caches.Owner, this)) t_caches = caches = new ThreadCaches(this, _cached.Length);
                var hours = _constantHours;
                var age = _constantAge;
                var volunteered = _constantVolunteered;
                var country = _constantCountry;
                var isco = _constantIsco;
                for (var c = 0; c < _cached.Length; c++)
                {
                    var (index, field, role, lookup) = _cached[c];
                    var cell = caches.Lookup(c, csv.GetSpan(index), field, lookup, _decimal, _thousands, this);
                    if (cell.Failed) return Irregular(csv, row);
                    switch (role)
                    {
                        case Role.Hours:
                            hours = cell.Number;
                            break;
                        case Role.Age:
                            age = cell.Age;
                            break;
                        case Role.Volunteered:
                            volunteered = cell.Flag;
                            break;
                        case Role.Country:
                            country = cell.Country;
                            break;
                        case Role.Isco:
                            isco = cell.Isco;
                            break;
                    }
                }

                if (country == -1) country = _onlyCountry;
                if (country < 0) return Irregular(csv, row); // no country in a multi-country study, or not a study country

                // The person id must be non-empty and need no trimming to be its own value (FieldValueParser, RequiredText).
                // The activity id (plain text) is its own value when it needs no trimming; empty is no value.
                row.ActivityLength = -1;
                if (_activity >= 0)
                {
                    var activity = csv.GetSpan(_activity);
                    if (!activity.IsEmpty)
                    {
                        if (activity.Length > 32 || IsSpaceAt(activity, first: true) || IsSpaceAt(activity, first: false)) return Irregular(csv, row);
                        activity.CopyTo(row.Activity);
                        row.ActivityLength = activity.Length;
                    }
                }

                var person = csv.GetSpan(_person);
                if (person.IsEmpty || person.Length > ushort.MaxValue || IsSpaceAt(person, first: true) || IsSpaceAt(person, first: false)) return Irregular(csv, row);

                var verdict = caches.Verdict(hours, volunteered, age, _rules);
                if (verdict is null) return Irregular(csv, row); // a record-level rejection: the general rules word it

                row.Kind = RowKind.Regular;
                var shape = new ShapeKey(_input.Index, (byte)country, isco, hours is { } h ? BitConverter.DoubleToInt64Bits(h) : 0, hours.HasValue, verdict.Value);
                var shapeHash = shape.Hash();
                ref var shapeId = ref caches.Shapes.GetOrAdd(shape, shapeHash, out var newShape);
                if (newShape) shapeId = _owner.ShapeId(shape, shapeHash, _input);
                row.Shape = shapeId;
                row.IsVolunteerWork = verdict.Value == ExclusionReason.None;
                row.HasHours = hours.HasValue;
                row.Hours = hours ?? 0;
                row.PersonHash = Utf8Key.Hash(person);
                if (person.Length <= 24)
                {
                    person.CopyTo(row.Person);
                    row.PersonLength = person.Length;
                }
                else
                {
                    row.Extra = person.ToArray();
                }

                return row;
            }

            private static FastRow Irregular(CsvReader csv, FastRow row)
            {
                var fields = new string[csv.FieldCount];
                for (var i = 0; i < fields.Length; i++) fields[i] = csv.GetString(i);
                row.Kind = RowKind.Irregular;
                row.Extra = fields;
                return row;
            }

            /// <summary>Whether the first (or last) character of the UTF-8 text is white space (char.IsWhiteSpace, as string.Trim).</summary>
            private static bool IsSpaceAt(ReadOnlySpan<byte> text, bool first)
            {
                var b = first ? text[0] : text[^1];
                if (b < 0x80) return b is (byte)' ' or >= 0x09 and <= 0x0D;
                var status = first ? Rune.DecodeFromUtf8(text, out var rune, out _) : Rune.DecodeLastFromUtf8(text, out rune, out _);
                return status != System.Buffers.OperationStatus.Done || Rune.IsWhiteSpace(rune);
            }

            /// <summary>A parsed cell: failed, or its typed value for the role it plays.</summary>
            public readonly record struct Cell(bool Failed, double? Number, int? Age, bool? Flag, int Country, ulong Isco);

            public Cell Parse(ReadOnlySpan<byte> bytes, string field, IReadOnlyDictionary<string, string>? lookup, char decimalSeparator, char? thousands)
            {
                var text = Encoding.UTF8.GetString(bytes);
                if (FieldValueParser.Parse(field, text, decimalSeparator, thousands, lookup, isNumericCell: false, out var value) is not null)
                    return new Cell(true, null, null, null, -1, 0);
                return new Cell(false, value as double?, value as int?, Flag(value),
                    RoleOf(field) == Role.Country && value is string code ? CountryIndex(code) : -1,
                    RoleOf(field) == Role.Isco ? PackIsco(value as string) : 0);
            }

            private readonly record struct VerdictKey(bool HasHours, long HoursBits, bool HasVolunteered, bool Volunteered, bool HasAge, int Age);

            /// <summary>One worker thread's caches: per cached column, cell bytes → parsed cell; and the verdict memo.</summary>
            private sealed class ThreadCaches(CellMapper owner, int columns)
            {
                private const int VerdictSlots = 1024; // a power of two
                private readonly Utf8KeyTable<Cell>[] _cells = [.. Enumerable.Range(0, columns).Select(_ => new Utf8KeyTable<Cell>())];
                private readonly (VerdictKey Key, ExclusionReason? Verdict, bool Set)[] _verdicts = new (VerdictKey, ExclusionReason?, bool)[VerdictSlots];

                public CellMapper Owner => owner;

                /// <summary>The shape ids this worker has met.</summary>
                public ShapeTable Shapes { get; } = new();

                [MethodImpl(MethodImplOptions.AggressiveOptimization)]
                public Cell Lookup(int column, ReadOnlySpan<byte> bytes, string field, IReadOnlyDictionary<string, string>? lookup,
                    char decimalSeparator, char? thousands, CellMapper mapper)
                {
                    var table = _cells[column];
                    var hash = Utf8Key.Hash(bytes);
                    ref var found = ref table.Find(bytes, hash, out var id);
                    if (id >= 0) return found;
                    var cell = mapper.Parse(bytes, field, lookup, decimalSeparator, thousands);
                    if (table.Count < MaxCachedValuesPerColumn) table.GetOrAdd(bytes, hash, out _, out _) = cell;
                    return cell;
                }

                /// <summary>The record-level exclusion of a row, or null when the rules reject it (a direct-mapped memo of the rules).</summary>
                [MethodImpl(MethodImplOptions.AggressiveOptimization)]
                public ExclusionReason? Verdict(double? hours, bool? volunteered, int? age, IclsRules rules)
                {
                    var key = new VerdictKey(hours.HasValue, BitConverter.DoubleToInt64Bits(hours ?? 0), volunteered.HasValue, volunteered ?? false, age.HasValue, age ?? 0);
                    var h = ((ulong)key.HoursBits * 0x9E3779B97F4A7C15UL) ^ ((ulong)(uint)key.Age * 0xBF58476D1CE4E5B9UL)
                        ^ (key.HasHours ? 1UL : 0) ^ (key.HasVolunteered ? 2UL : 0) ^ (key.Volunteered ? 4UL : 0) ^ (key.HasAge ? 8UL : 0);
                    ref var slot = ref _verdicts[(int)((h ^ (h >> 29)) * 0x94D049BB133111EBUL >> 54) & (VerdictSlots - 1)];
                    if (slot.Set && slot.Key == key) return slot.Verdict;
                    var record = new VolunteerRecord
                    {
                        Source = default,
                        InputName = "",
                        Kind = InputKind.HourLog,
                        PersonId = "",
                        Hours = hours,
                        Volunteered = volunteered,
                        Age = age,
                    };
                    var result = rules.ApplyToRecord(record, null);
                    var verdict = result.Rejection is null ? result.Exclusion : (ExclusionReason?)null;
                    slot = (key, verdict, true);
                    return verdict;
                }
            }
        }

        /// <summary>
        /// The person and activity ids of the regular rows between the passes, in row order, in a temporary file deleted
        /// on close: per row the person id's length (2 bytes) and bytes, the activity id's length (1 byte; 255: none) and
        /// bytes. Read back through a block buffer.
        /// </summary>
        private sealed class TextSpill : IDisposable
        {
            private const byte Absent = 255;
            private const int BlockBytes = 1 << 20;
            private readonly byte[] _block = new byte[BlockBytes];
            private int _position;
            private int _length;
            private FileStream? _spill;

            // Made on the first row (inside pass 1's handling of file errors).
            private FileStream File => _spill ??= new(Path.Combine(Path.GetTempPath(), "contrib-" + Guid.NewGuid().ToString("N") + ".text.spill"), FileMode.CreateNew,
                FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.SequentialScan);

            public void Write(ReadOnlySpan<byte> person, ReadOnlySpan<byte> activity, bool noActivity)
            {
                var size = 3 + person.Length + activity.Length;
                if (BlockBytes - _length < size) FlushBlock();
                var block = _block.AsSpan(_length);
                System.Buffers.Binary.BinaryPrimitives.WriteUInt16LittleEndian(block, (ushort)person.Length);
                person.CopyTo(block[2..]);
                block[2 + person.Length] = noActivity ? Absent : (byte)activity.Length;
                activity.CopyTo(block[(3 + person.Length)..]);
                _length += size;
            }

            private void FlushBlock()
            {
                File.Write(_block, 0, _length);
                _length = 0;
            }

            public void StartReading()
            {
                if (_length > 0) FlushBlock();
                if (_spill is null) return;
                _spill.Flush();
                _spill.Seek(0, SeekOrigin.Begin);
                _position = _length = 0;
            }

            /// <summary>The next row's person id and activity id; false when the row has no activity id.</summary>
            public bool Next(out ReadOnlySpan<byte> person, out ReadOnlySpan<byte> activity)
            {
                Ensure(2);
                var personLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt16LittleEndian(_block.AsSpan(_position));
                Ensure(3 + personLength);
                var activityLength = _block[_position + 2 + personLength];
                var present = activityLength != Absent;
                var size = 3 + personLength + (present ? activityLength : 0);
                Ensure(size);
                person = _block.AsSpan(_position + 2, personLength);
                activity = present ? _block.AsSpan(_position + 3 + personLength, activityLength) : default;
                _position += size;
                return present;
            }

            public void Skip() => Next(out _, out _);

            /// <summary>Makes at least <paramref name="bytes"/> unread bytes available from the current position.</summary>
            private void Ensure(int bytes)
            {
                if (_length - _position >= bytes) return;
                var left = _length - _position;
                _block.AsSpan(_position, left).CopyTo(_block);
                _length = left;
                _position = 0;
                while (_length < bytes)
                {
                    var read = File.Read(_block, _length, BlockBytes - _length);
                    if (read == 0) throw new InvalidOperationException("The id spill ended before the rows.");
                    _length += read;
                }
            }

            public void Dispose() => _spill?.Dispose();
        }

        /// <summary>One row of the spill: its shape (-1: the next row of the general path), its person and its line.</summary>
        [StructLayout(LayoutKind.Sequential)]
        private readonly record struct SpillEntry(int Shape, int Person, long Line);

        /// <summary>
        /// The rows between the passes, 16 bytes each, in a temporary file deleted on close: memory stays independent of
        /// the number of rows (methodology/scale.md §2).
        /// </summary>
        private sealed class SpillFile : IDisposable
        {
            private const int BufferEntries = 1 << 16;
            private readonly SpillEntry[] _buffer = new SpillEntry[BufferEntries];
            private int _buffered;
            private FileStream? _file;

            public void Write(SpillEntry entry)
            {
                if (_buffered == BufferEntries) Flush();
                _buffer[_buffered++] = entry;
            }

            private void Flush()
            {
                _file ??= new FileStream(Path.Combine(Path.GetTempPath(), "contrib-" + Guid.NewGuid().ToString("N") + ".spill"), FileMode.CreateNew,
                    FileAccess.ReadWrite, FileShare.None, 1 << 20, FileOptions.DeleteOnClose | FileOptions.SequentialScan);
                _file.Write(MemoryMarshal.AsBytes(_buffer.AsSpan(0, _buffered)));
                _buffered = 0;
            }

            private int _tail;

            /// <summary>Ends writing: the last entries stay in the buffer (all of them for a short log, which never touches the disk).</summary>
            public void StartReading()
            {
                _tail = _buffered;
                _file?.Flush();
                _file?.Seek(0, SeekOrigin.Begin);
            }

            /// <summary>Hands the entries to <paramref name="process"/> in order, a chunk at a time.</summary>
            public void ReadAll(Action<ReadOnlySpan<SpillEntry>> process)
            {
                if (_file is not null)
                {
                    var chunk = new SpillEntry[BufferEntries];
                    var length = _file.Length;
                    while (_file.Position < length)
                    {
                        var bytes = MemoryMarshal.AsBytes(chunk.AsSpan());
                        var want = (int)Math.Min(bytes.Length, length - _file.Position);
                        _file.ReadExactly(bytes[..want]);
                        process(chunk.AsSpan(0, want / Unsafe.SizeOf<SpillEntry>()));
                    }
                }

                process(_buffer.AsSpan(0, _tail));
            }

            public void Dispose() => _file?.Dispose();
        }
    }
}
