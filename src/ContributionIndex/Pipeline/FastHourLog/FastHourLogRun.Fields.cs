using System.Reflection;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;
using ContributionIndex.Valuation;
using static ContributionIndex.Ingest.RecordField;

namespace ContributionIndex.Pipeline.FastHourLog;

/// <summary>Marks a field of a fast-path memo key with the record field whose value it holds.</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class HoldsAttribute(RecordField recordField) : Attribute
{
    /// <summary>The record field whose value the key field holds.</summary>
    public RecordField Field => recordField;
}

/// <summary>Marks the field of the shape key that holds the record-level verdict (whose own key is <c>VerdictKey</c>).</summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false)]
internal sealed class HoldsVerdictAttribute : Attribute;

// The fast path's assumptions about record fields, derived from the declaration (methodology/scale.md §9).
internal sealed partial class FastHourLogRun
{
    /// <summary>
    /// The record fields of the fast path, derived from <see cref="RecordFieldUse"/>. A row carries what its person
    /// table entry and its two memo keys hold (read off the keys' fields); the memo of the record-level rules must be
    /// keyed by what those rules read of it (<see cref="VerdictKey"/>), the shape by what the valuation reads of it
    /// (<see cref="ShapeKey"/>), and an input may take the fast path only when every field it maps that the rules or
    /// the valuation read is carried (<see cref="Carries"/>). The keys are built from typed values in the hot loops;
    /// the first use checks that their fields are exactly these sets, that the person-level rules read only what the
    /// person table sums, and that the cell mapper types exactly the key fields a cell fills.
    /// </summary>
    internal static class Fields
    {
        /// <summary>What the person table keeps of a row: its hours, summed under its person id within its input (<see cref="PersonState"/>).</summary>
        public static IReadOnlySet<RecordField> PersonTable { get; } = RecordFieldUse.Set(InputName, PersonId, Hours);

        // What the typed keys hold, read off their fields' [Holds].
        private static readonly IReadOnlySet<RecordField> VerdictKeyHolds = HeldBy(typeof(FastHourLogRun.VerdictKey));
        private static readonly IReadOnlySet<RecordField> ShapeKeyHolds = HeldBy(typeof(FastHourLogRun.ShapeKey));

        /// <summary>Every record field a row carries through the fast path.</summary>
        public static IReadOnlySet<RecordField> Carried { get; } = RecordFieldUse.Set([.. PersonTable, .. VerdictKeyHolds, .. ShapeKeyHolds]);

        /// <summary>
        /// What the memo of <see cref="Classify.IclsRules.ApplyToRecord"/> is keyed by: the fields those rules read, of
        /// what rows carry (and, were a stipend carried, what its market wage is looked up from).
        /// </summary>
        public static IReadOnlySet<RecordField> VerdictKey { get; } =
            DeriveVerdictKey(RecordFieldUse.RecordRules, RecordFieldUse.StipendWage);

        /// <summary>What the shape is keyed by besides the verdict: the fields the valuation reads, of what rows carry.</summary>
        public static IReadOnlySet<RecordField> ShapeKey { get; } = DeriveShapeKey(RecordFieldUse.Valuation);

        static Fields()
        {
            var problems = Inconsistencies(RecordFieldUse.RecordRules, RecordFieldUse.StipendWage, RecordFieldUse.PersonRules, RecordFieldUse.Valuation);
            if (problems.Count > 0)
                throw new InvalidOperationException("The hour-log fast path disagrees with RecordFieldUse: " + string.Join(" ", problems));
        }

        /// <summary>Fields the rules or the valuation read under <paramref name="policy"/> that rows do not carry.</summary>
        public static IReadOnlySet<RecordField> NotCarried(OpportunityCostPolicy policy) =>
            RecordFieldUse.Set([.. RecordFieldUse.ReadUnder(policy).Where(field => !Carried.Contains(field))]);

        /// <summary>
        /// Whether every field <paramref name="input"/> maps (a column or a constant) is carried or read by neither
        /// the rules nor the valuation under <paramref name="policy"/>; a name that is no canonical field is left to the
        /// general path.
        /// </summary>
        public static bool Carries(InputSpec input, OpportunityCostPolicy policy)
        {
            var notCarried = NotCarried(policy);
            return input.Columns.Keys.Concat(input.Constants.Keys)
                .All(name => RecordFields.OfCanonical(name) is { } field && !notCarried.Contains(field));
        }

        /// <summary>
        /// Where the keys, the person table and the cell mapper's roles disagree with a declaration of what the rules
        /// and the valuation read (empty when they agree).
        /// </summary>
        internal static IReadOnlyList<string> Inconsistencies(IReadOnlySet<RecordField> recordRules, IReadOnlySet<RecordField> stipendWage,
            IReadOnlySet<RecordField> personRules, IReadOnlySet<RecordField> valuation)
        {
            var problems = new List<string>();
            Compare("VerdictKey", VerdictKeyHolds, DeriveVerdictKey(recordRules, stipendWage), problems);
            Compare("ShapeKey", ShapeKeyHolds, DeriveShapeKey(valuation), problems);
            if (typeof(FastHourLogRun.ShapeKey).GetProperties().Count(p => p.IsDefined(typeof(HoldsVerdictAttribute))) != 1)
                problems.Add("ShapeKey must hold the record-level verdict in one field.");
            var unsummed = personRules.Where(field => !PersonTable.Contains(field)).ToList();
            if (unsummed.Count > 0)
                problems.Add($"The person-level rules read {string.Join(", ", unsummed)}, which the person table does not keep.");
            if (VerdictKeyHolds.Contains(Stipend))
                problems.Add("VerdictKey holds the stipend, but the memo hands the rules no market wage.");

            // The cell mapper keeps typed exactly the key fields a cell can fill (the input is no cell).
            var typed = RecordFieldUse.Set([.. CanonicalFields.All.Where(name => CellMapper.RoleOf(name) != CellMapper.Role.CheckOnly)
                .Select(name => RecordFields.OfCanonical(name)!.Value)]);
            var keyCells = RecordFieldUse.Set([.. VerdictKeyHolds, .. ShapeKeyHolds.Where(field => field != InputName)]);
            Compare("The cell mapper's typed roles", typed, keyCells, problems);
            return problems;
        }

        private static IReadOnlySet<RecordField> DeriveVerdictKey(IReadOnlySet<RecordField> recordRules, IReadOnlySet<RecordField> stipendWage)
        {
            IEnumerable<RecordField> read = Carried.Contains(Stipend) ? [.. recordRules, .. stipendWage] : recordRules;
            return RecordFieldUse.Set([.. read.Where(Carried.Contains)]);
        }

        private static IReadOnlySet<RecordField> DeriveShapeKey(IReadOnlySet<RecordField> valuation) =>
            RecordFieldUse.Set([.. valuation.Where(Carried.Contains)]);

        private static void Compare(string what, IReadOnlySet<RecordField> actual, IReadOnlySet<RecordField> expected, List<string> problems)
        {
            var missing = expected.Where(field => !actual.Contains(field)).ToList();
            var extra = actual.Where(field => !expected.Contains(field)).ToList();
            if (missing.Count > 0) problems.Add($"{what} lacks {string.Join(", ", missing)}, which the declaration reads of what rows carry.");
            if (extra.Count > 0) problems.Add($"{what} holds {string.Join(", ", extra)}, which the declaration does not read there.");
        }

        /// <summary>The record fields a key type's fields hold (each field but the verdict must say which).</summary>
        private static IReadOnlySet<RecordField> HeldBy(Type key)
        {
            var held = new List<RecordField>();
            foreach (var property in key.GetProperties(BindingFlags.Instance | BindingFlags.Public))
            {
                if (property.GetCustomAttribute<HoldsAttribute>() is { } holds) held.Add(holds.Field);
                else if (!property.IsDefined(typeof(HoldsVerdictAttribute)))
                    throw new InvalidOperationException($"{key.Name}.{property.Name} does not say which record field it holds.");
            }

            return RecordFieldUse.Set([.. held]);
        }
    }
}
