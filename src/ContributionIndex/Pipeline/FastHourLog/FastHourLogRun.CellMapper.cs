using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using ContributionIndex.Classify;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;
using CsvHelper;

namespace ContributionIndex.Pipeline.FastHourLog;

// Pass 1's per-row mapping on the worker threads (methodology/scale.md §9).
internal sealed partial class FastHourLogRun
{
    /// <summary>
    /// Maps one parsed row to a <see cref="FastRow"/> on a worker thread: every mapped cell through a per-thread cache
    /// of <see cref="FieldValueParser"/> results keyed by the cell's bytes, the record-level ICLS verdict through a
    /// per-thread memo of <see cref="IclsRules.ApplyToRecord"/>. Threads share only immutable plan data and the shape
    /// list (new shapes are added under a lock), so the results do not depend on which thread mapped which row.
    /// </summary>
    private sealed class CellMapper
    {
        private readonly int _expected;
        private readonly bool _checkUtf8;
        private readonly int _maxFieldChars;
        private readonly int _person;
        private readonly int _activity; // column of activity_id, -1 when not mapped or not written
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
        private readonly FastHourLogRun _owner;

        /// <summary>The caches of the mapper this worker thread served last (a worker serves one mapper at a time).</summary>
        [ThreadStatic]
        private static ThreadCaches? t_caches;

        internal enum Role : byte
        {
            CheckOnly,
            Hours,
            Age,
            Volunteered,
            Country,
            Isco,
        }

        public CellMapper(FastHourLogRun owner, InputState input, CsvTabularReader reader)
        {
            var plan = input.Plan;
            _expected = reader.Headers.Count;
            _checkUtf8 = reader.ChecksUtf8;
            _maxFieldChars = reader.Options.MaxFieldChars;
            _decimal = reader.NumberFormat.DecimalSeparator;
            _thousands = reader.NumberFormat.ThousandsSeparator;
            _person = plan.Columns[CanonicalFields.PersonId];
            // The activity id is needed only for valued_records.csv (without it, a padded id is as regular as any).
            _activity = owner._texts is not null && plan.Columns.TryGetValue(CanonicalFields.ActivityId, out var activity) ? activity : -1;
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

        /// <summary>
        /// What a mapped column's cell is kept as: the key field it fills, or nothing (it is parsed only to check it).
        /// <see cref="Fields"/> checks that the typed roles are the key fields a cell can fill.
        /// </summary>
        internal static Role RoleOf(string field) => RecordFields.OfCanonical(field) switch
        {
            RecordField.Hours => Role.Hours,
            RecordField.Age => Role.Age,
            RecordField.Volunteered => Role.Volunteered,
            RecordField.Country => Role.Country,
            RecordField.IscoCode => Role.Isco,
            _ => Role.CheckOnly,
        };

        private static bool? Flag(object? value) => FieldValueParser.FlagOf(value);

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

            // Quotes (a malformed record is recorded by line) and ragged rows are the general reader's business; so is
            // a record long enough to hold a field over the size limit (a UTF-8 byte is at most one character).
            if (count != _expected || raw.Length > _maxFieldChars || raw.Contains((byte)'"')) return Irregular(csv, row);

            var caches = t_caches;
            if (caches is null || !ReferenceEquals(caches.Owner, this)) t_caches = caches = new ThreadCaches(this, _cached.Length);
            var hours = _constantHours;
            var age = _constantAge;
            var volunteered = _constantVolunteered;
            var country = _constantCountry;
            var isco = _constantIsco;
            for (var c = 0; c < _cached.Length; c++)
            {
                ref readonly var column = ref _cached[c];
                ref readonly var cell = ref caches.Lookup(c, csv.GetSpan(column.Index), column.Field, column.Lookup, _decimal, _thousands, this);
                if (cell.Failed) return Irregular(csv, row);
                switch (column.Role)
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

        /// <summary>One worker thread's caches: per cached column, cell bytes → parsed cell; and the verdict memo.</summary>
        private sealed class ThreadCaches(CellMapper owner, int columns)
        {
            private const int VerdictSlots = 1024; // a power of two
            private readonly Utf8KeyTable<Cell>[] _cells = [.. Enumerable.Range(0, columns).Select(_ => new Utf8KeyTable<Cell>())];
            private readonly (VerdictKey Key, ExclusionReason? Verdict, bool Set)[] _verdicts = new (VerdictKey, ExclusionReason?, bool)[VerdictSlots];

            public CellMapper Owner => owner;

            /// <summary>The shape ids this worker has met.</summary>
            public ShapeTable Shapes { get; } = new();

            /// <summary>The parsed cell (by reference: a cell is about 50 bytes, and a row looks up eight or so).</summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public ref readonly Cell Lookup(int column, ReadOnlySpan<byte> bytes, string field, IReadOnlyDictionary<string, string>? lookup,
                char decimalSeparator, char? thousands, CellMapper mapper)
            {
                var table = _cells[column];
                var hash = Utf8Key.Hash(bytes);
                ref var found = ref table.Find(bytes, hash, out var id);
                if (id >= 0) return ref found;
                var cell = mapper.Parse(bytes, field, lookup, decimalSeparator, thousands);
                if (table.Count < MaxCachedValuesPerColumn)
                {
                    ref var added = ref table.GetOrAdd(bytes, hash, out _, out _);
                    added = cell;
                    return ref added;
                }

                // A column with more distinct values than the cache holds: the cell is parsed every time.
                _uncached = cell;
                return ref _uncached;
            }

            private Cell _uncached;

            /// <summary>The record-level exclusion of a row, or null when the rules reject it (a direct-mapped memo of the rules).</summary>
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            public ExclusionReason? Verdict(double? hours, bool? volunteered, int? age, IclsRules rules)
            {
                var key = new VerdictKey(hours.HasValue, BitConverter.DoubleToInt64Bits(hours ?? 0), volunteered.HasValue, volunteered ?? false, age.HasValue, age ?? 0);
                ref var slot = ref _verdicts[key.GetHashCode() & (VerdictSlots - 1)];
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
                // No market wage: the key holds no stipend (Fields checks that), so the paid-stipend rule never applies.
                var result = rules.ApplyToRecord(record, null);
                var verdict = result.Rejection is null ? result.Exclusion : (ExclusionReason?)null;
                slot = (key, verdict, true);
                return verdict;
            }
        }
    }
}
