using System.Globalization;
using System.Runtime.CompilerServices;
using ContributionIndex.Diagnostics;
using ContributionIndex.Studies;

namespace ContributionIndex.Ingest;

/// <summary>
/// Maps the rows of one study input onto canonical <see cref="VolunteerRecord"/>s, streaming: each row becomes an
/// accepted record or a rejection with file, line, column, rule, raw value and a fix hint. File-level problems (missing
/// mapped columns, duplicate headers, unreadable file) are <see cref="InputDataException"/>s naming the header line.
/// </summary>
public static class StudyInputReader
{
    /// <summary>Reads every row of <paramref name="input"/>; the file is opened when enumeration starts and closed when it ends.</summary>
    /// <param name="study">The study (for resolving the input's path).</param>
    /// <param name="input">One of the study's inputs.</param>
    /// <param name="counts">Counts to update as rows stream, or null.</param>
    public static IEnumerable<IngestItem> Read(Study study, InputSpec input, IngestCounts? counts = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        ArgumentNullException.ThrowIfNull(input);
        return ReadCore(study, input, counts);
    }

    /// <summary>Reads every input of the study in order (see <see cref="Read(Study, InputSpec, IngestCounts?)"/>).</summary>
    public static IEnumerable<IngestItem> ReadAll(Study study, IngestCounts? counts = null)
    {
        ArgumentNullException.ThrowIfNull(study);
        return study.Inputs.SelectMany(input => Read(study, input, counts));
    }

    /// <summary>As <see cref="Read(Study, InputSpec, IngestCounts?)"/>, with the memory budget of the duplicate-key scan (tests force its spilling with a small one).</summary>
    internal static IEnumerable<IngestItem> Read(Study study, InputSpec input, IngestCounts? counts, long keyBudgetBytes) =>
        ReadCore(study, input, counts, keyBudgetBytes);

    /// <summary>A second read of the input for the duplicate-key scan: the key digest of every accepted row after <paramref name="afterLine"/>.</summary>
    private static IEnumerable<(long Line, UInt128 Digest)> AcceptedKeysAfter(Study study, InputSpec input, string fullPath, long afterLine)
    {
        using var reader = TabularFile.Open(fullPath, TabularOptions.FromInput(input) with { DisplayName = input.Path });
        var plan = InputPlan.Create(study, input, reader);
        reader.SampleNumbersOnlyIn(plan.NumericColumns);
        reader.ReadOnlyColumns(plan.UsedColumns);
        reader.RecycleRows(); // each row is mapped before the next is read, and the item keeps only its field strings
        foreach (var row in reader.ReadRows())
        {
            if (row.Line <= afterLine) continue;
            if (plan.Map(row).Record is { } record) yield return (record.Source.Line, KeyDigest(record.PersonId, record.ActivityId));
        }
    }

    private static IEnumerable<IngestItem> ReadCore(Study study, InputSpec input, IngestCounts? counts, long keyBudgetBytes = DuplicateKeyScan.DefaultBudgetBytes)
    {
        var fullPath = string.IsNullOrEmpty(input.FullPath) ? study.ResolvePath(input.Path) : input.FullPath;
        counts?.Touch(input.Name);
        using var reader = TabularFile.Open(fullPath, TabularOptions.FromInput(input) with { DisplayName = input.Path });
        var plan = InputPlan.Create(study, input, reader);
        reader.SampleNumbersOnlyIn(plan.NumericColumns);
        reader.ReadOnlyColumns(plan.UsedColumns);
        reader.RecycleRows(); // each row is mapped before the next is read, and the item keeps only its field strings
        // Survey rows are person × activity: a key seen before is rejected (the first row stands), so a row exported
        // twice is never counted twice. Hour logs hold many entries per person and are not checked. Keys are 128-bit
        // digests in a bounded table that spills to temporary files beyond its budget (DuplicateKeyScan).
        using var duplicateKeys = plan.IsSurvey
            ? new DuplicateKeyScan(keyBudgetBytes, afterLine => AcceptedKeysAfter(study, input, fullPath, afterLine))
            : null;
        foreach (var row in reader.ReadRows())
        {
            var item = plan.Map(row);
            if (duplicateKeys is not null && item.Record is { } record
                && duplicateKeys.FirstLineOf(KeyDigest(record.PersonId, record.ActivityId), record.Source.Line) is { } firstLine)
            {
                item = plan.RejectDuplicate(row, record, firstLine);
            }

            counts?.Add(item);
            yield return item;
        }
    }

    /// <summary>
    /// The first 128 bits of SHA-256 over person id, a separator and activity id (UTF-16): equal keys give equal digests,
    /// and distinct keys collide with probability about n²/2¹²⁹ (10⁻²⁴ for 20 million rows).
    /// </summary>
    internal static UInt128 KeyDigest(string person, string? activity)
    {
        var text = string.Concat(person, "\u001F", activity ?? "");
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(text.AsSpan()), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(hash);
    }

    /// <summary>
    /// Opens an input for the hour-log fast path (methodology/scale.md §9): its reader, past the header, and the plan
    /// that maps the rows the fast path hands back to the general mapping. The caller disposes the plan's reader.
    /// </summary>
    internal static InputPlan OpenPlan(Study study, InputSpec input)
    {
        var fullPath = string.IsNullOrEmpty(input.FullPath) ? study.ResolvePath(input.Path) : input.FullPath;
        var reader = TabularFile.Open(fullPath, TabularOptions.FromInput(input) with { DisplayName = input.Path });
        try
        {
            var plan = InputPlan.Create(study, input, reader);
            reader.SampleNumbersOnlyIn(plan.NumericColumns);
        reader.ReadOnlyColumns(plan.UsedColumns);
            return plan;
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Where each canonical field comes from in one file, and how to parse it.</summary>
    internal sealed class InputPlan
    {
        private readonly InputSpec input;
        private readonly TabularReader reader;
        private readonly InputKind kind;
        private readonly Dictionary<string, int> columns = new(StringComparer.Ordinal);

        // The parsed value of every canonical field, by slot (FieldSlots): the constants, then one scratch array
        // refilled for every row. Build copies the values out, so nothing keeps it (a map per row, then a reused map
        // looked up by name ~30 times per row, were the largest costs of ingest; methodology/scale.md).
        private readonly object?[] constantValues = new object?[FieldSlots.Count];
        private readonly object?[] rowValues = new object?[FieldSlots.Count];
        private readonly Dictionary<string, IReadOnlyDictionary<string, string>> lookups = new(StringComparer.Ordinal);
        private readonly int[] replicateColumns;
        private MappedColumn[] mapped = [];

        private const int MaxCachedValuesPerColumn = 4096;
        private const int RecentValues = 256; // a power of two

        /// <summary>A cell string (compared by reference) and what parsing it gave.</summary>
        private readonly record struct RecentValue(string? Text, FieldValueParser.Failure? Failure, object? Value);

        /// <summary>
        /// A mapped column with its field's slot and type; fields whose text repeats (codes, ISCO, SDG tags, countries,
        /// dates, numbers such as hours and age) keep a parse cache keyed by the cell text.
        /// </summary>
        private sealed record MappedColumn(string Field, int Slot, FieldType Type, int Index, Dictionary<string, (FieldValueParser.Failure? Failure, object? Value)>? Cache)
        {
            /// <summary>Parsed values of recently seen cell strings, by string identity (text cells of cached columns only).</summary>
            public RecentValue[]? Recent { get; } = Cache is null ? null : new RecentValue[RecentValues];

            /// <summary>The parse cache for numeric spreadsheet and Parquet cells, which parse differently from the same text in a text cell.</summary>
            public Dictionary<string, (FieldValueParser.Failure? Failure, object? Value)>? NumericCellCache { get; } =
                Cache is null ? null : new(StringComparer.Ordinal);
        }

        private InputPlan(InputSpec input, TabularReader reader, int[] replicateColumns)
        {
            this.input = input;
            this.reader = reader;
            this.replicateColumns = replicateColumns;
            kind = input.Kind;
        }

        /// <summary>Whether the input is survey microdata (whose person × activity keys must be unique).</summary>
        public bool IsSurvey => kind == InputKind.Survey;

        /// <summary>The reader the plan maps rows of.</summary>
        public TabularReader Reader => reader;

        /// <summary>The 0-based column of each mapped canonical field (design fields of hour logs are not mapped).</summary>
        public IReadOnlyDictionary<string, int> Columns => columns;

        /// <summary>The parsed value of a study constant for <paramref name="field"/>, or null.</summary>
        public object? Constant(string field) => constantValues[FieldSlots.Of(field)];

        /// <summary>The code lookup of a field that has one (categories, crosswalked text), else null.</summary>
        public IReadOnlyDictionary<string, string>? LookupFor(string field) => lookups.GetValueOrDefault(field);

        /// <summary>The rejection of a row whose person × activity key an earlier row already has.</summary>
        public IngestItem RejectDuplicate(TabularRow row, VolunteerRecord record, long firstLine)
        {
            var column = columns.TryGetValue(CanonicalFields.PersonId, out var index) ? index + 1 : 0;
            var activity = record.ActivityId is { } a ? $" and activity_id '{a}'" : "";
            return Reject(row, column, "key.duplicate",
                string.Create(CultureInfo.InvariantCulture, $"person_id '{record.PersonId}'{activity} already appears on line {firstLine}; each person × activity must appear once (remove the repeated row, or map activity_id if a person has several activities)."),
                record.PersonId);
        }

        /// <summary>Every column the plan reads: the mapped fields and the replicate weights.</summary>
        public IEnumerable<int> UsedColumns => columns.Values.Concat(replicateColumns);

        public IEnumerable<int> NumericColumns =>
            columns.Where(c => FieldValueParser.IsNumeric(c.Key)).Select(c => c.Value).Concat(replicateColumns);

        public static InputPlan Create(Study study, InputSpec input, TabularReader reader)
        {
            var headerAt = reader.Locate(reader.HeaderLine, 0);
            var duplicates = reader.DuplicateHeaders();
            if (duplicates.Count > 0)
            {
                var (header, dupColumns) = duplicates[0];
                throw new InputDataException(headerAt,
                    $"input '{input.Name}': the header '{Diagnostics.MessageText.Excerpt(header)}' appears {dupColumns.Count} times (columns {string.Join(", ", dupColumns.Select(c => c + 1))}), so a mapping by name is ambiguous.",
                    "Rename the columns so that every header is unique.");
            }

            // Replicate weights: every entry is a header or a wildcard pattern; the matched columns are used in file order.
            var replicate = new SortedSet<int>();
            foreach (var entry in input.ReplicateWeights)
            {
                var matches = Wildcard.HasWildcard(entry) ? reader.FindColumns(entry) : reader.FindColumn(entry) is var one and >= 0 ? [one] : [];
                if (matches.Count == 0)
                {
                    throw new InputDataException(headerAt, $"input '{input.Name}': no header matches the replicate-weight entry '{entry}'.",
                        HeaderHint(reader, entry));
                }

                replicate.UnionWith(matches);
            }

            var plan = new InputPlan(input, reader, [.. replicate]);
            foreach (var (field, header) in input.Columns)
            {
                // Design variables of hour logs are ignored: every entry has weight 1 and there is no sample design.
                if (plan.kind == InputKind.HourLog && field is CanonicalFields.Weight or CanonicalFields.Strata or CanonicalFields.Psu or CanonicalFields.Fpc)
                    continue;
                var index = reader.FindColumn(header);
                if (index < 0)
                {
                    throw new InputDataException(headerAt, $"input '{input.Name}': the column '{header}' mapped to {field} is not in the header.",
                        HeaderHint(reader, header));
                }

                plan.columns[field] = index;
                if (replicate.Contains(index))
                    throw new InputDataException(headerAt, $"input '{input.Name}': column '{header}' is mapped to {field} and also matched as a replicate weight.", "Narrow the replicate_weights pattern.");
            }

            // Plain text is taken as is (no cache); a text field with a crosswalk (direction with codes) is a code lookup and
            // keeps a parse cache like the categorical fields.
            plan.mapped = [.. plan.columns.Select(c => new MappedColumn(c.Key, FieldSlots.Of(c.Key), FieldValueParser.Types[c.Key], c.Value,
                FieldValueParser.Types[c.Key] is FieldType.Text or FieldType.RequiredText && !CategoryCodes.UsesLookup(c.Key, FieldValueParser.Types[c.Key], input.Codes)
                    ? null
                    : new Dictionary<string, (FieldValueParser.Failure?, object?)>(StringComparer.Ordinal)))];
            foreach (var (field, type) in FieldValueParser.Types)
            {
                if (CategoryCodes.UsesLookup(field, type, input.Codes)) plan.lookups[field] = CategoryCodes.LookupFor(field, input.Codes);
            }

            // Statistical files carry value labels: a code whose label the lookup knows (the study's codes or the built-in
            // ones: 'Мужской') takes that label's category, unless the study's codes name the code itself.
            foreach (var (field, index) in plan.columns)
            {
                if (plan.lookups.TryGetValue(field, out var lookup) && reader.ValueLabelsOf(index) is { Count: > 0 } labels)
                    plan.lookups[field] = CategoryCodes.WithValueLabels(field, input.Codes, lookup, labels);
            }

            foreach (var (field, text) in input.Constants)
            {
                var failure = FieldValueParser.Parse(field, text, '.', null, plan.lookups.GetValueOrDefault(field), isNumericCell: false, out var value);
                if (failure is { } f)
                    throw new StudyFileException(study.LocationOf($"inputs[{input.Index.ToString(CultureInfo.InvariantCulture)}].constants.{field}"), $"constant {field} of input '{input.Name}': {f.Reason}");
                plan.constantValues[FieldSlots.Of(field)] = value;
            }

            return plan;
        }

        private static string HeaderHint(TabularReader reader, string header)
        {
            var nearest = NameSuggestions.Nearest(header, reader.Headers.Select(h => h.Trim()));
            var list = string.Join(", ", reader.Headers.Take(30).Select(h => $"'{h.Trim()}'"));
            return nearest is not null
                ? $"Did you mean '{Diagnostics.MessageText.Excerpt(nearest)}'? Fix the columns map of the study or the file's header."
                : $"The headers are: {Diagnostics.MessageText.Excerpt(list + (reader.Headers.Count > 30 ? ", …" : ""), 3 * Diagnostics.MessageText.MaxExcerptLength)}.";
        }

        public IngestItem Map(TabularRow row)
        {
            if (row.Problems.Count > 0)
            {
                var problem = row.Problems[0];
                return Reject(row, problem.Column, problem.Rule, problem.Reason, problem.RawValue);
            }

            var values = rowValues;
            constantValues.CopyTo(values, 0);
            foreach (var column in mapped)
            {
                var text = row[column.Index];
                FieldValueParser.Failure? failure;
                object? value;
                // A numeric spreadsheet or Parquet cell parses differently from the same text in a text cell: each has its cache.
                var numericCell = row.IsNumericCell(column.Index);
                var cache = numericCell ? column.NumericCellCache : column.Cache;
                // The parser hands out one string per distinct value of a column, mostly: a small table keyed by the
                // string's identity answers those repeats before the text is hashed for the cache.
                ref var recent = ref numericCell || column.Recent is null
                    ? ref Unsafe.NullRef<RecentValue>()
                    : ref column.Recent[RuntimeHelpers.GetHashCode(text) & (RecentValues - 1)];
                if (!Unsafe.IsNullRef(ref recent) && ReferenceEquals(recent.Text, text))
                {
                    (failure, value) = (recent.Failure, recent.Value);
                }
                else if (cache is not null && cache.TryGetValue(text, out var cached))
                {
                    (failure, value) = cached;
                    if (!Unsafe.IsNullRef(ref recent)) recent = new RecentValue(text, failure, value);
                }
                else if (column.Type is FieldType.Text or FieldType.RequiredText && cache is null && text.Length > 0 && !char.IsWhiteSpace(text[0]) && !char.IsWhiteSpace(text[^1]))
                {
                    // Text that needs no trimming is its own value (what Parse returns for it, without the lookups).
                    failure = null;
                    value = text;
                }
                else
                {
                    failure = FieldValueParser.Parse(column.Field, text, reader.NumberFormat.DecimalSeparator, reader.NumberFormat.ThousandsSeparator,
                        lookups.GetValueOrDefault(column.Field), numericCell, out value);
                    // Codes and small numbers repeat across rows: remember a bounded number of parsed values per column.
                    if (cache is { Count: < MaxCachedValuesPerColumn }) cache[text] = (failure, value);
                    if (!Unsafe.IsNullRef(ref recent)) recent = new RecentValue(text, failure, value);
                }

                if (failure is { } f) return Reject(row, column.Index + 1, f.Rule, WithValueLabel(column.Index, text, f.Reason), text);
                values[column.Slot] = value;
            }

            var replicates = replicateColumns.Length == 0 ? [] : new double[replicateColumns.Length];
            for (var i = 0; i < replicateColumns.Length; i++)
            {
                var column = replicateColumns[i];
                var status = row.TryGetNumber(column, out var weight);
                if (status == NumberParseStatus.Ok)
                {
                    replicates[i] = weight;
                    continue;
                }

                var text = row[column];
                return status switch
                {
                    NumberParseStatus.Empty => Reject(row, column + 1, "field.required", "the replicate weight is empty; every row needs all its replicate weights.", text),
                    NumberParseStatus.NotFinite => Reject(row, column + 1, "number.not-finite", $"replicate weight '{text.Trim()}' is not a finite number.", text),
                    _ => Reject(row, column + 1, "number.invalid", $"replicate weight '{text.Trim()}' is not a number in the file's number format; fix the value or declare the input's decimal separator.", text),
                };
            }

            var record = Build(row, values, replicates);
            return new IngestItem(record, null) { InputName = input.Name };
        }

        private VolunteerRecord Build(TabularRow row, object?[] values, double[] replicates)
        {
            // Slots are constants (FieldSlots.Of on a field name is a string switch, which the JIT does not fold).
            T? Get<T>(int slot) where T : class => values[slot] as T;
            double? Number(int slot) => values[slot] is double d ? d : null;
            bool? Flag(int slot) => FieldValueParser.FlagOf(values[slot]);
            string? Category(int slot) => values[slot] as string;

            // The survey-only fields go into one side object, made only when one of them has a value (never for hour logs).
            SurveyFields? survey = null;
            if (replicates.Length > 0 || HasAny(values, SurveySlots))
            {
                survey = new SurveyFields
                {
                    Stratum = Get<string>(FieldSlots.Strata),
                    Psu = Get<string>(FieldSlots.Psu),
                    Fpc = Number(FieldSlots.Fpc),
                    ReplicateWeights = replicates,
                    ActivityText = Get<string>(FieldSlots.ActivityText),
                    Disability = Flag(FieldSlots.Disability),
                    EmploymentStatus = Category(FieldSlots.EmploymentStatus) switch
                    {
                        "employed" => EmploymentStatus.Employed,
                        "unemployed" => EmploymentStatus.Unemployed,
                        "outside_labour_force" => EmploymentStatus.OutsideLabourForce,
                        _ => EmploymentStatus.Unknown,
                    },
                    OwnHourlyWage = Number(FieldSlots.OwnHourlyWage),
                    Stipend = Number(FieldSlots.Stipend),
                    ForOwnHousehold = Flag(FieldSlots.ForOwnHousehold),
                    ForRelatives = Flag(FieldSlots.ForRelatives),
                    Beneficiaries = Number(FieldSlots.Beneficiaries),
                    TrainingHours = Number(FieldSlots.TrainingHours),
                };
            }

            return new VolunteerRecord
            {
                Source = reader.Locate(row.Line, 0),
                Survey = survey,
                InputName = input.Name,
                Kind = kind,
                PersonId = Get<string>(FieldSlots.PersonId)!,
                ActivityId = Get<string>(FieldSlots.ActivityId),
                Weight = kind == InputKind.HourLog ? 1.0 : Number(FieldSlots.Weight) ?? 1.0,
                Date = values[FieldSlots.Date] is DateOnly d ? d : null,
                Volunteered = Flag(FieldSlots.Volunteered),
                Hours = Number(FieldSlots.Hours),
                IscoCode = Get<string>(FieldSlots.Isco),
                Form = Category(FieldSlots.Form) switch
                {
                    "organisation" => VolunteeringForm.OrganisationBased,
                    "direct" => VolunteeringForm.Direct,
                    _ => VolunteeringForm.Unknown,
                },
                Direction = Get<string>(FieldSlots.Direction),
                SdgGoals = values[FieldSlots.Sdg] is IReadOnlyList<int> goals ? goals : [],
                Country = Get<string>(FieldSlots.Country),
                Region = Get<string>(FieldSlots.Region),
                Urbanisation = Category(FieldSlots.Urbanisation) switch
                {
                    "urban" => Urbanisation.Urban,
                    "rural" => Urbanisation.Rural,
                    _ => Urbanisation.Unknown,
                },
                Sex = Category(FieldSlots.Sex) switch
                {
                    "female" => Sex.Female,
                    "male" => Sex.Male,
                    _ => Sex.Unknown,
                },
                Age = values[FieldSlots.Age] is int a ? a : null,
            };
        }

        /// <summary>The slots of the fields held in <see cref="SurveyFields"/> (replicate weights aside).</summary>
        private static readonly int[] SurveySlots =
        [
            FieldSlots.Strata, FieldSlots.Psu, FieldSlots.Fpc,
            FieldSlots.ActivityText, FieldSlots.Disability, FieldSlots.EmploymentStatus,
            FieldSlots.OwnHourlyWage, FieldSlots.Stipend, FieldSlots.ForOwnHousehold,
            FieldSlots.ForRelatives, FieldSlots.Beneficiaries, FieldSlots.TrainingHours,
        ];

        private static bool HasAny(object?[] values, int[] slots)
        {
            foreach (var slot in slots)
            {
                if (values[slot] is not null) return true;
            }

            return false;
        }

        /// <summary>A reason with the value label of the rejected code, when the file has one (SPSS, Stata): both are shown.</summary>
        private string WithValueLabel(int column, string text, string reason) =>
            reader.ValueLabelsOf(column).TryGetValue(text.Trim(), out var label)
                ? $"{reason} (the file labels the value '{Diagnostics.MessageText.Excerpt(text.Trim())}' as '{Diagnostics.MessageText.Excerpt(label)}')"
                : reason;

        private IngestItem Reject(TabularRow row, int column, string rule, string reason, string? raw) =>
            new(null, new RejectedRow(reader.Locate(row.Line, column), rule, reason, raw)) { InputName = input.Name };
    }

    /// <summary>
    /// Slot numbers of the canonical fields in the per-row value array: constants named after the fields, which Build
    /// uses, and <see cref="Of"/> for a field known by name (when a plan is made).
    /// </summary>
    private static class FieldSlots
    {
        public const int Count = 27;

        public const int PersonId = 0;
        public const int ActivityId = 1;
        public const int Weight = 2;
        public const int Strata = 3;
        public const int Psu = 4;
        public const int Fpc = 5;
        public const int Date = 6;
        public const int Volunteered = 7;
        public const int Hours = 8;
        public const int ActivityText = 9;
        public const int Isco = 10;
        public const int Form = 11;
        public const int Direction = 12;
        public const int Sdg = 13;
        public const int Country = 14;
        public const int Region = 15;
        public const int Urbanisation = 16;
        public const int Sex = 17;
        public const int Age = 18;
        public const int Disability = 19;
        public const int EmploymentStatus = 20;
        public const int OwnHourlyWage = 21;
        public const int Stipend = 22;
        public const int ForOwnHousehold = 23;
        public const int ForRelatives = 24;
        public const int Beneficiaries = 25;
        public const int TrainingHours = 26;

        public static int Of(string field) => field switch
        {
            CanonicalFields.PersonId => PersonId,
            CanonicalFields.ActivityId => ActivityId,
            CanonicalFields.Weight => Weight,
            CanonicalFields.Strata => Strata,
            CanonicalFields.Psu => Psu,
            CanonicalFields.Fpc => Fpc,
            CanonicalFields.Date => Date,
            CanonicalFields.Volunteered => Volunteered,
            CanonicalFields.Hours => Hours,
            CanonicalFields.ActivityText => ActivityText,
            CanonicalFields.Isco => Isco,
            CanonicalFields.Form => Form,
            CanonicalFields.Direction => Direction,
            CanonicalFields.Sdg => Sdg,
            CanonicalFields.Country => Country,
            CanonicalFields.Region => Region,
            CanonicalFields.Urbanisation => Urbanisation,
            CanonicalFields.Sex => Sex,
            CanonicalFields.Age => Age,
            CanonicalFields.Disability => Disability,
            CanonicalFields.EmploymentStatus => EmploymentStatus,
            CanonicalFields.OwnHourlyWage => OwnHourlyWage,
            CanonicalFields.Stipend => Stipend,
            CanonicalFields.ForOwnHousehold => ForOwnHousehold,
            CanonicalFields.ForRelatives => ForRelatives,
            CanonicalFields.Beneficiaries => Beneficiaries,
            CanonicalFields.TrainingHours => TrainingHours,
            _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Not a canonical field."),
        };
    }
}
