using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Pipeline.FastHourLog;
using ContributionIndex.Studies;
using ContributionIndex.Synthesis;
using ContributionIndex.Tests.Samples;
using ContributionIndex.Valuation;

namespace ContributionIndex.Tests.Pipeline;

/// <summary>
/// Probes <see cref="RecordFieldUse"/>, the declaration of the record fields the 19th ICLS rules and the valuation read:
/// every field of a record is changed in turn to other valid values and the records are run through the general path;
/// what the run makes of them (rejection rules, exclusions, annual hours, wages, values) must move only for declared
/// fields, and every declared field must move it for some probe value. The probes an hour log can carry are also
/// written as hour-log CSV files and run on both paths: the fast path must be taken exactly when the fields it derives
/// from the declaration allow it, and give the general path's bytes.
/// </summary>
public class RecordFieldUseProbeTests
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly PropertyInfo[] RecordProperties = typeof(VolunteerRecord).GetProperties(BindingFlags.Instance | BindingFlags.Public);

    private static object? ValueOf(VolunteerRecord record, RecordField field) =>
        typeof(VolunteerRecord).GetProperty(field.ToString())!.GetValue(record);

    private static bool Same(object? a, object? b) =>
        a is IEnumerable x && b is IEnumerable y && a is not string ? x.Cast<object>().SequenceEqual(y.Cast<object>()) : Equals(a, b);

    /// <summary>The record fields in which two records differ.</summary>
    private static IReadOnlySet<RecordField> Differences(VolunteerRecord a, VolunteerRecord b) =>
        RecordFieldUse.Set([.. Enum.GetValues<RecordField>().Where(field => !Same(ValueOf(a, field), ValueOf(b, field)))]);

    // ---- the records ----

    // Person p1 has two rows of the input "log" (0.5 h and 0.75 h): together they reach the minimum of 1 hour, each alone
    // does not, so moving the first row to another person or input changes what both rows get. Person p9 fills "log2".
    private static readonly VolunteerRecord First = new()
    {
        Source = new SourceLocation("log.csv", 2, 0),
        InputName = "log",
        Kind = InputKind.HourLog,
        PersonId = "p1",
        Hours = 0.5,
        IscoCode = "2341",
        Country = "KZ",
        Age = 30,
    };

    private static readonly VolunteerRecord[] HourLogBase =
    [
        First,
        First with { Source = new SourceLocation("log.csv", 3, 0), Hours = 0.75, IscoCode = "9112", Age = null },
        First with { Source = new SourceLocation("log2.csv", 2, 0), InputName = "log2", PersonId = "p9", Hours = 2, Country = "KG" },
    ];

    // For the imputed policy the first row is an employed donor with an own wage (10), like p3 (14), both women aged
    // 25–34 in KZ; p1's second row has no own wage and gets their weighted mean.
    private static readonly VolunteerRecord[] ImputedBase =
    [
        First with { Sex = Sex.Female, EmploymentStatus = EmploymentStatus.Employed, OwnHourlyWage = 10 },
        First with { Source = new SourceLocation("log.csv", 3, 0), Hours = 0.75, IscoCode = "9112", Sex = Sex.Female },
        First with { Source = new SourceLocation("log.csv", 4, 0), PersonId = "p3", Hours = 2, Sex = Sex.Female, EmploymentStatus = EmploymentStatus.Employed, OwnHourlyWage = 14 },
        First with { Source = new SourceLocation("log2.csv", 2, 0), InputName = "log2", PersonId = "p9", Hours = 2, Country = "KG" },
    ];

    /// <summary>Other valid values for every field of the first record (values equal to the base are skipped).</summary>
    private static readonly IReadOnlyDictionary<RecordField, Func<VolunteerRecord, VolunteerRecord>[]> Probes =
        new Dictionary<RecordField, Func<VolunteerRecord, VolunteerRecord>[]>
        {
            [RecordField.Source] = [r => r with { Source = new SourceLocation("elsewhere.csv", 99, 4) }],
            [RecordField.InputName] = [r => r with { InputName = "log2" }],
            [RecordField.Kind] = [r => r with { Kind = InputKind.Survey }],
            [RecordField.PersonId] = [r => r with { PersonId = "p2" }],
            [RecordField.ActivityId] = [r => r with { ActivityId = "act-1" }],
            [RecordField.Weight] = [r => r with { Weight = 3 }],
            [RecordField.Stratum] = [r => r with { Stratum = "s1" }],
            [RecordField.Psu] = [r => r with { Psu = "u1" }],
            [RecordField.Fpc] = [r => r with { Fpc = 10 }],
            [RecordField.ReplicateWeights] = [r => r with { ReplicateWeights = [1.5, 0.5] }],
            [RecordField.Date] = [r => r with { Date = new DateOnly(2023, 5, 1) }],
            [RecordField.Volunteered] = [r => r with { Volunteered = true }, r => r with { Volunteered = false }],
            [RecordField.Hours] = [r => r with { Hours = 2 }, r => r with { Hours = 0 }, r => r with { Hours = 9000 }, r => r with { Hours = null }],
            [RecordField.ActivityText] = [r => r with { ActivityText = "tutoring" }],
            [RecordField.IscoCode] = [r => r with { IscoCode = "3422" }, r => r with { IscoCode = null }],
            [RecordField.Form] = [r => r with { Form = VolunteeringForm.Direct }],
            [RecordField.Direction] = [r => r with { Direction = "education" }],
            [RecordField.SdgGoals] = [r => r with { SdgGoals = [4, 10] }],
            [RecordField.Country] = [r => r with { Country = "UZ" }, r => r with { Country = "FR" }],
            [RecordField.Region] = [r => r with { Region = "Almaty" }],
            [RecordField.Urbanisation] = [r => r with { Urbanisation = Urbanisation.Rural }],
            [RecordField.Sex] = [r => r with { Sex = Sex.Male }, r => r with { Sex = Sex.Female }],
            [RecordField.Age] = [r => r with { Age = 10 }, r => r with { Age = 50 }, r => r with { Age = null }],
            [RecordField.Disability] = [r => r with { Disability = true }],
            [RecordField.EmploymentStatus] = [r => r with { EmploymentStatus = EmploymentStatus.Employed }, r => r with { EmploymentStatus = EmploymentStatus.Unemployed }],
            [RecordField.OwnHourlyWage] = [r => r with { OwnHourlyWage = 7.5 }, r => r with { OwnHourlyWage = 20 }],
            [RecordField.Stipend] = [r => r with { Stipend = 1000 }, r => r with { Stipend = 0 }],
            [RecordField.ForOwnHousehold] = [r => r with { ForOwnHousehold = true }, r => r with { ForOwnHousehold = false }],
            [RecordField.ForRelatives] = [r => r with { ForRelatives = true }, r => r with { ForRelatives = false }],
            [RecordField.Beneficiaries] = [r => r with { Beneficiaries = 12 }],
            [RecordField.TrainingHours] = [r => r with { TrainingHours = 3 }],
        };

    /// <summary>The records with the first one probed: each probe changes exactly its field (checked).</summary>
    private static IEnumerable<(RecordField Field, VolunteerRecord[] Records)> Probed(VolunteerRecord[] records)
    {
        foreach (var (field, probes) in Probes.OrderBy(p => p.Key))
        {
            var changed = 0;
            foreach (var probe in probes)
            {
                var first = probe(records[0]);
                var differences = Differences(records[0], first);
                if (differences.Count == 0) continue;
                Assert.Equal(field, Assert.Single(differences));
                changed++;
                yield return (field, [first, .. records.Skip(1)]);
            }

            Assert.True(changed > 0, $"no probe changes {field}");
        }
    }

    // ---- the study ----

    private static readonly Lazy<string> Parameters = new(() =>
    {
        // The synthetic log's study (four countries, wage tables) with no rows: only its parameters are used.
        var folder = SampleStudies.NewTemporaryFolder();
        var study = File.ReadAllText(HourLogSynthesizer.Write(0, folder).StudyPath);
        var valuation = study.IndexOf("valuation:", StringComparison.Ordinal);
        Assert.True(valuation > 0);
        return study[valuation..]
            .Replace("wages: wages/", "wages: " + Path.Combine(folder, "wages") + "/", StringComparison.Ordinal)
            .Replace("rejection_tolerance: 0.01", "rejection_tolerance: 1", StringComparison.Ordinal)
            .TrimEnd('\n') + "\nallow_paths_outside_study_folder: true\n"; // wage tables stay in the synthesiser's folder (#15)
    });

    /// <summary>
    /// Study text with the hour-log inputs "log" and "log2" (its own annualisation factor), each mapping
    /// <paramref name="columns"/> to columns of the same name, under the given opportunity-cost policy.
    /// </summary>
    private static string StudyText(IEnumerable<string> columns, string policy)
    {
        var text = new StringBuilder("id: probe\ntitle: Record field probe\nyear: 2023\nbase_year: 2023\n");
        text.Append("reference_period:\n  length_days: 365\n  annualisation_factor: 1\ninputs:\n");
        foreach (var input in (string[])["log", "log2"])
        {
            text.Append(Inv, $"  - name: {input}\n    kind: hour-log\n    path: {input}.csv\n    format: csv\n    encoding: utf-8\n    delimiter: \",\"\n    decimal: \".\"\n");
            if (input == "log2") text.Append("    annualisation_factor: 2\n");
            text.Append("    columns:\n");
            foreach (var column in columns) text.Append(Inv, $"      {column}: {column}\n");
        }

        var parameters = Parameters.Value;
        if (policy != "share-of-average")
        {
            const string ShareOfAverage = "opportunity_cost_policy: share-of-average";
            Assert.Contains(ShareOfAverage, parameters, StringComparison.Ordinal);
            parameters = parameters.Replace(ShareOfAverage, "opportunity_cost_policy: " + policy, StringComparison.Ordinal);
        }

        return text.Append(parameters).ToString();
    }

    private static Study InMemoryStudy(string policy)
    {
        // The records come from memory; the files only need to exist.
        var folder = SampleStudies.NewTemporaryFolder();
        foreach (var input in (string[])["log", "log2"]) File.WriteAllText(Path.Combine(folder, input + ".csv"), "person_id,hours\n");
        return StudyLoader.Parse(StudyText([CanonicalFields.PersonId, CanonicalFields.Hours], policy), Path.Combine(folder, "study.yaml"));
    }

    // ---- what the run makes of the records ----

    private static string N(double? value) => value?.ToString("R", Inv) ?? "-";

    private static string N(MethodValues? values) =>
        values is { } v ? $"{N(v.Specialist)}/{N(v.Generalist)}/{N(v.Hybrid)}/{N(v.Opportunity)}" : "-";

    /// <summary>The general path's outcome for the records: per accepted record its country, hours, exclusion, wages and values; per rejected one its rule.</summary>
    private static string Outcome(Study study, IEnumerable<VolunteerRecord> records)
    {
        var lines = new List<string>();
        var result = ValuationRun.Run(study, InMemoryRecordSource.Of(records), null, valued => lines.Add(
            $"{valued.Country} k={N(valued.AnnualisationFactor)} annual={N(valued.AnnualHours)} exclusion={valued.Exclusion} " +
            $"level={valued.WageLevel?.ToString(Inv) ?? "-"} specialist={N(valued.SpecialistWage)} opportunity={N(valued.OpportunityWage)} " +
            $"({valued.OpportunityWageSource}) values={N(valued.Values)} base={N(valued.ValuesAtBasePrices)}"));
        lines.AddRange(result.FirstRejections.Select(rejection => "rejected " + rejection.Rule));
        return string.Join("\n", lines);
    }

    public static TheoryData<string> Policies => ["share-of-average", "zero", "imputed"];

    [Theory]
    [MemberData(nameof(Policies))]
    public void Outputs_move_for_exactly_the_declared_fields(string policy)
    {
        var study = InMemoryStudy(policy);
        var records = policy == "imputed" ? ImputedBase : HourLogBase;
        var declared = RecordFieldUse.ReadUnder(ValuationParameters.FromStudy(study).Policy);
        var baseline = Outcome(study, records);
        var moved = new HashSet<RecordField>();
        foreach (var (field, probed) in Probed(records))
        {
            var outcome = Outcome(study, probed);
            if (outcome == baseline) continue;
            Assert.True(declared.Contains(field), $"{field} is not declared as read under {policy}, but changing it changed\n{baseline}\ninto\n{outcome}");
            moved.Add(field);
        }

        var unmoved = declared.Where(field => !moved.Contains(field)).ToList();
        Assert.True(unmoved.Count == 0, $"declared as read under {policy}, but no probe changed an output: {string.Join(", ", unmoved)}");
    }

    // ---- the probes as hour logs, on both paths ----

    /// <summary>Fields an hour-log file cannot set: where a row is, the input kind, the design (hour logs ignore it), replicate weights (the general path's).</summary>
    private static readonly RecordField[] NotInHourLogs =
        [RecordField.Source, RecordField.Kind, RecordField.Weight, RecordField.Stratum, RecordField.Psu, RecordField.Fpc, RecordField.ReplicateWeights];

    private static readonly VolunteerRecord Unset = new() { Source = default, InputName = "", PersonId = "" };

    /// <summary>Whether a record's field differs from its value in a new record.</summary>
    private static bool IsSet(VolunteerRecord record, RecordField field) => !Same(ValueOf(record, field), ValueOf(Unset, field));

    private static string Cell(object? value) => value switch
    {
        null => "",
        string text => text,
        double number => number.ToString("R", Inv),
        int number => number.ToString(Inv),
        bool flag => flag ? "yes" : "no",
        DateOnly date => date.ToString("yyyy-MM-dd", Inv),
        IEnumerable<int> goals => string.Join(';', goals),
        VolunteeringForm.OrganisationBased => "organisation",
        VolunteeringForm.Direct => "direct",
        Urbanisation.Urban => "urban",
        Urbanisation.Rural => "rural",
        Sex.Female => "female",
        Sex.Male => "male",
        EmploymentStatus.Employed => "employed",
        EmploymentStatus.Unemployed => "unemployed",
        Enum => "",
        _ => throw new ArgumentException($"No cell text for {value}."),
    };

    /// <summary>Writes the records as the two hour-log files of a study mapping every canonical field some record sets; returns the study path.</summary>
    private static string WriteHourLogs(IReadOnlyList<VolunteerRecord> records, string policy)
    {
        var folder = SampleStudies.NewTemporaryFolder();
        var columns = CanonicalFields.All
            .Where(name => name == CanonicalFields.PersonId || records.Any(r => IsSet(r, RecordFields.OfCanonical(name)!.Value)))
            .ToList();
        foreach (var input in (string[])["log", "log2"])
        {
            var lines = new List<string> { string.Join(',', columns) };
            lines.AddRange(records.Where(r => r.InputName == input)
                .Select(r => string.Join(',', columns.Select(name => Cell(ValueOf(r, RecordFields.OfCanonical(name)!.Value))))));
            File.WriteAllText(Path.Combine(folder, input + ".csv"), string.Join('\n', lines) + "\n");
        }

        var path = Path.Combine(folder, "study.yaml");
        File.WriteAllText(path, StudyText(columns, policy));
        return path;
    }

    private static string[] Files(string directory) =>
        [.. Directory.GetFiles(directory).Select(path => Path.GetFileName(path)).Order(StringComparer.Ordinal)];

    [Fact]
    public void Hour_log_probes_take_the_fast_path_when_the_derived_fields_allow_it_and_give_the_general_path_bytes()
    {
        const string Policy = "share-of-average";
        var notCarried = FastHourLogRun.Fields.NotCarried(OpportunityCostPolicy.ShareOfAverage);
        var fast = new HashSet<RecordField>();
        var general = new HashSet<RecordField>();
        foreach (var (field, records) in Probed(HourLogBase).Where(p => !NotInHourLogs.Contains(p.Field)))
        {
            var study = StudyLoader.Load(WriteHourLogs(records, Policy));

            // The files hold the probed records (every field but the row's place), input by input.
            var read = StudyInputReader.ReadAll(study).Select(item => item.Record!).ToList();
            var expected = records.OrderBy(r => r.InputName, StringComparer.Ordinal).ToList();
            Assert.Equal(expected.Count, read.Count);
            for (var i = 0; i < read.Count; i++) Assert.All(Differences(expected[i], read[i]), difference => Assert.Equal(RecordField.Source, difference));

            var folder = Path.GetDirectoryName(study.SourcePath)!;
            var fastDir = Path.Combine(folder, "out-fast");
            var generalDir = Path.Combine(folder, "out-general");
            ValuationRun.LastRunTookFastPath = false;
            ValuationRun.Run(study, new StudyRecordSource(study), fastDir, RecordOutput.Csv, allowFastPath: true);
            var tookFastPath = ValuationRun.LastRunTookFastPath;
            ValuationRun.Run(study, new StudyRecordSource(study), generalDir, RecordOutput.Csv, allowFastPath: false);
            Assert.False(ValuationRun.LastRunTookFastPath);

            // The base maps only fields the fast path carries, so the probed field alone decides.
            Assert.True(tookFastPath == !notCarried.Contains(field), $"probe of {field}: fast path taken {tookFastPath}");
            (tookFastPath ? fast : general).Add(field);
            Assert.Equal(Files(generalDir), Files(fastDir));
            foreach (var name in Files(generalDir))
                Assert.True(File.ReadAllBytes(Path.Combine(generalDir, name)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(fastDir, name))), $"probe of {field}: {name} differs");
        }

        // The probes of the fields read but not carried fell back; those of every other field an hour log sets took the fast path.
        Assert.Equal(notCarried.Order(), general.Order());
        Assert.Equal(Enum.GetValues<RecordField>().Except(NotInHourLogs).Except(notCarried).Order(), fast.Order());
    }

    // ---- the vocabulary ----

    [Fact]
    public void RecordField_names_every_public_property_of_VolunteerRecord_in_order()
    {
        Assert.Equal(RecordProperties.Select(p => p.Name), Enum.GetValues<RecordField>().Select(f => f.ToString()));
    }

    [Fact]
    public void Every_canonical_field_fills_the_record_field_OfCanonical_names()
    {
        // A survey file: the first row sets only the person and the weight, each further row one canonical field more.
        string[] values =
        [
            "p", "act-1", "2", "s1", "u1", "10", "2023-05-01", "yes", "2", "tutoring", "2341", "direct", "education", "4", "KZ", "Almaty",
            "rural", "female", "30", "yes", "employed", "7.5", "100", "yes", "yes", "12", "3",
        ];
        Assert.Equal(CanonicalFields.All.Count, values.Length);
        var folder = SampleStudies.NewTemporaryFolder();
        var lines = new List<string> { string.Join(',', CanonicalFields.All) };
        for (var row = -1; row < values.Length; row++)
        {
            lines.Add(string.Join(',', CanonicalFields.All.Select((name, i) => name switch
            {
                CanonicalFields.PersonId => "p" + (row + 1).ToString(Inv),
                CanonicalFields.Weight => i == row ? values[i] : "1",
                _ => i == row ? values[i] : "",
            })));
        }

        File.WriteAllText(Path.Combine(folder, "survey.csv"), string.Join('\n', lines) + "\n");
        var text = StudyText([.. CanonicalFields.All], "share-of-average")
            .Replace("kind: hour-log", "kind: survey", StringComparison.Ordinal)
            .Replace("path: log.csv", "path: survey.csv", StringComparison.Ordinal);
        text = text[..text.IndexOf("  - name: log2", StringComparison.Ordinal)] + text[text.IndexOf("valuation:", StringComparison.Ordinal)..];
        var path = Path.Combine(folder, "study.yaml");
        File.WriteAllText(path, text);
        var records = StudyInputReader.ReadAll(StudyLoader.Load(path)).Select(item => item.Record ?? throw new InvalidOperationException(item.Rejection!.Reason)).ToList();

        Assert.Equal(values.Length + 1, records.Count);
        for (var i = 0; i < values.Length; i++)
        {
            var field = RecordFields.OfCanonical(CanonicalFields.All[i])!.Value;
            var differences = Differences(records[0], records[i + 1]);
            Assert.Equal(RecordFieldUse.Set(RecordField.Source, RecordField.PersonId, field), differences);
        }

        Assert.Null(RecordFields.OfCanonical("hours_per_week"));
    }
}
