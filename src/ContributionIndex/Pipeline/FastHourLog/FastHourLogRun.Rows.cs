using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using ContributionIndex.Classify;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;
using static ContributionIndex.Pipeline.ValuationRun;

namespace ContributionIndex.Pipeline.FastHourLog;

// The fast path's row, person and shape types (methodology/scale.md §9).
internal sealed partial class FastHourLogRun
{
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

    /// <summary>
    /// The fields of a row that decide its checks and values, besides the person (see <see cref="Shape"/>): what the
    /// valuation reads (<see cref="Fields.ShapeKey"/>), and the record-level verdict. Each field names the record field it
    /// holds; <see cref="Fields"/> checks them against the declaration when first used.
    /// </summary>
    private readonly record struct ShapeKey(
        [property: Holds(RecordField.InputName)] int Input,
        [property: Holds(RecordField.Country)] byte Country,
        [property: Holds(RecordField.IscoCode)] ulong Isco,
        [property: Holds(RecordField.Hours)] long HoursBits,
        [property: Holds(RecordField.Hours)] bool HasHours,
        [property: HoldsVerdict] ExclusionReason Exclusion)
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

    /// <summary>
    /// The key of the memo of the record-level rules (<see cref="CellMapper"/>): what they read of what rows carry
    /// (<see cref="Fields.VerdictKey"/>); each field names the record field it holds.
    /// </summary>
    private readonly record struct VerdictKey(
        [property: Holds(RecordField.Hours)] bool HasHours,
        [property: Holds(RecordField.Hours)] long HoursBits,
        [property: Holds(RecordField.Volunteered)] bool HasVolunteered,
        [property: Holds(RecordField.Volunteered)] bool Volunteered,
        [property: Holds(RecordField.Age)] bool HasAge,
        [property: Holds(RecordField.Age)] int Age);

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

        /// <summary>The first two fields (input, file) of the input's valued_records.csv rows, prepared once (when written).</summary>
        public byte[]? Head { get; set; }

        /// <summary>The activity id of rows without one: the study's constant when the input maps no activity column, else none.</summary>
        public string? ActivityConstant => plan.Columns.ContainsKey(CanonicalFields.ActivityId) ? null : plan.Constant(CanonicalFields.ActivityId) as string;

        /// <summary>The dense id of the input's first person (ids of one input are contiguous).</summary>
        public int FirstPerson { get; set; }
    }
}
