using System.Globalization;
using System.Reflection;
using System.Text;
using ContributionIndex.Ingest;

namespace ContributionIndex.Studies;

/// <summary>A column that could hold a canonical field, with how sure the proposal is.</summary>
/// <param name="Column">The column header.</param>
/// <param name="Confidence">0–1: 0.95 for a known name, 0.8 for a matching variable label, 0.6 for a partial name; lowered when the values do not fit the field.</param>
/// <param name="Reason">Why the column was proposed (<c>name</c>, <c>variable label</c>, <c>part of the name</c>).</param>
public sealed record ColumnCandidate(string Column, double Confidence, string Reason);

/// <summary>The proposal for one canonical field: the chosen column (or none) and the alternatives.</summary>
/// <param name="Field">The canonical field.</param>
/// <param name="Chosen">The proposed column, or null when none is good enough.</param>
/// <param name="Alternatives">Other candidate columns, best first.</param>
public sealed record FieldProposal(string Field, ColumnCandidate? Chosen, IReadOnlyList<ColumnCandidate> Alternatives);

/// <summary>A proposed study file for one data file (<c>contrib init</c>).</summary>
/// <param name="Yaml">The study file text, with confidences and alternatives as comments; <c>DECIDE</c> marks what the user must decide, <c>CHECK</c> a guess to confirm.</param>
/// <param name="Fields">The proposal for every canonical field of the input's kind.</param>
/// <param name="Decisions">The decisions left to the user, one sentence each (the <c>DECIDE</c> lines).</param>
public sealed record StudyProposal(string Yaml, IReadOnlyList<FieldProposal> Fields, IReadOnlyList<string> Decisions);

/// <summary>
/// Proposes a study file from a data file (CSV, XLSX, Parquet, SPSS, Stata): detects the format, encoding, separator
/// and decimal mark, maps the canonical fields from column names and variable labels (Russian, Kazakh, English),
/// writes the distinct codes and value labels of each categorical column as a code list, and fills the country block
/// from the project's reference parameters (the sample studies of samples/central-asia) for the countries it knows.
/// </summary>
public static class StudyScaffold
{
    /// <summary>Rows profiled for types and distinct codes (the rest of a large file is not read).</summary>
    public const int ProfileRows = 100_000;

    private const int MaxDistinct = 60;
    private const double MapThreshold = 0.5;

    /// <summary>Proposes a study for <paramref name="dataPath"/>, to be saved at <paramref name="studyPath"/> (paths in it are relative to that file).</summary>
    /// <param name="dataPath">The data file.</param>
    /// <param name="studyPath">Where the study file will be written.</param>
    /// <param name="kind"><c>survey</c> or <c>hour-log</c>.</param>
    /// <param name="country">ISO 3166-1 alpha-2 code of the data's country, or null to leave it to the user.</param>
    public static StudyProposal Propose(string dataPath, string studyPath, string kind, string? country)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataPath);
        ArgumentException.ThrowIfNullOrEmpty(studyPath);
        if (!StudyChoices.TryParse<InputKind>(kind, out var inputKind)) throw new ArgumentException($"'{kind}' is not survey or hour-log.", nameof(kind));
        country = string.IsNullOrWhiteSpace(country) ? null : country.Trim().ToUpperInvariant();
        using var reader = TabularFile.Open(dataPath, TabularOptions.Default with { DisplayName = dataPath });
        var profile = Profile.Read(reader);
        var fields = inputKind == InputKind.HourLog ? HourLogFields : SurveyFields;
        var proposals = Assign(fields, profile, reader);
        var decisions = new List<string>();
        var yaml = Write(dataPath, studyPath, inputKind, country, reader, profile, proposals, decisions);
        return new StudyProposal(yaml, proposals, decisions);
    }

    private static readonly string[] SurveyFields =
    [
        CanonicalFields.PersonId, CanonicalFields.ActivityId, CanonicalFields.Weight, CanonicalFields.Strata, CanonicalFields.Psu,
        CanonicalFields.Region, CanonicalFields.Urbanisation, CanonicalFields.Sex, CanonicalFields.Age, CanonicalFields.Disability,
        CanonicalFields.EmploymentStatus, CanonicalFields.OwnHourlyWage, CanonicalFields.Volunteered, CanonicalFields.Hours,
        CanonicalFields.Isco, CanonicalFields.ActivityText, CanonicalFields.Form, CanonicalFields.Direction, CanonicalFields.Sdg,
        CanonicalFields.Stipend, CanonicalFields.ForOwnHousehold, CanonicalFields.ForRelatives, CanonicalFields.Beneficiaries,
        CanonicalFields.TrainingHours, CanonicalFields.Country,
    ];

    private static readonly string[] HourLogFields =
    [
        CanonicalFields.PersonId, CanonicalFields.ActivityId, CanonicalFields.Date, CanonicalFields.Hours, CanonicalFields.Isco,
        CanonicalFields.Sdg, CanonicalFields.Direction, CanonicalFields.Region, CanonicalFields.Sex, CanonicalFields.Age,
        CanonicalFields.ActivityText, CanonicalFields.Country,
    ];

    private static readonly HashSet<string> NumericFields =
    [
        CanonicalFields.Weight, CanonicalFields.Age, CanonicalFields.Hours, CanonicalFields.OwnHourlyWage, CanonicalFields.Stipend,
        CanonicalFields.Beneficiaries, CanonicalFields.TrainingHours, CanonicalFields.Fpc,
    ];

    /// <summary>
    /// Column names (normalised: lower case, non-letters as <c>_</c>) that name each field, in English, Russian and
    /// Kazakh, and the question numbers of the ILO volunteer-work module the sample surveys use (<c>work_01</c>, <c>hour_01</c>).
    /// </summary>
    private static readonly Dictionary<string, string[]> Names = new(StringComparer.Ordinal)
    {
        [CanonicalFields.PersonId] = ["resp_id", "respondent_id", "person_id", "personid", "pid", "id", "volunteer_id", "ид_респондента", "id_респондента", "респондент", "ид", "респондент_id", "жауап_беруші"],
        [CanonicalFields.ActivityId] = ["activity", "activity_id", "entry_id", "деятельность", "ид_деятельности", "вид_деятельности", "қызмет"],
        [CanonicalFields.Weight] = ["weight", "wgt", "pweight", "weights", "вес", "весовой_коэффициент", "салмақ"],
        [CanonicalFields.Strata] = ["stratum", "strata", "strat", "страта", "стратум"],
        [CanonicalFields.Psu] = ["psu", "cluster", "пе", "пси", "ппе", "кластер"],
        [CanonicalFields.Region] = ["region", "oblast", "регион", "область", "облыс", "аймақ"],
        [CanonicalFields.Urbanisation] = ["urban_rural", "urban", "urbrur", "город_село", "городская_сельская", "местность", "тип_поселения", "қала_ауыл"],
        [CanonicalFields.Sex] = ["sex", "gender", "пол", "жыныс", "жынысы"],
        [CanonicalFields.Age] = ["age", "возраст", "жас", "жасы"],
        [CanonicalFields.Disability] = ["disability", "disabled", "инвалидность", "мүгедектік"],
        [CanonicalFields.EmploymentStatus] = ["lfs_status", "employment_status", "ilo_status", "статус_занятости", "занятость", "жұмыспен_қамтылу"],
        [CanonicalFields.OwnHourlyWage] = ["hourly_wage", "own_hourly_wage", "wage_hour", "часовая_зп", "часовая_заработная_плата", "сағаттық_жалақы"],
        [CanonicalFields.Volunteered] = ["work_01", "volunteered", "volunteer", "волонтер", "волонтерство", "участие_в_волонтерстве", "еріктілік"],
        [CanonicalFields.Hours] = ["hour_01", "hours", "hours_volunteered", "часы", "часы_волонтерства", "сағат"],
        [CanonicalFields.Isco] = ["work_022", "isco", "isco08", "isco_08", "task_isco", "мсзк", "код_занятия"],
        [CanonicalFields.ActivityText] = ["work_021", "activity_text", "task_text", "description", "описание", "описание_деятельности", "сипаттама"],
        [CanonicalFields.Form] = ["type_org", "form", "form_of_volunteering", "форма", "форма_волонтерства", "нысаны"],
        [CanonicalFields.Direction] = ["direction", "направление", "бағыт", "бағыты"],
        [CanonicalFields.Sdg] = ["sdg", "sdgs", "цур", "тдм"],
        [CanonicalFields.Stipend] = ["stipend", "стипендия", "компенсация"],
        [CanonicalFields.ForOwnHousehold] = ["own_household", "for_own_household", "своё_домохозяйство", "свое_домохозяйство", "өз_үй_шаруашылығы"],
        [CanonicalFields.ForRelatives] = ["relatives", "for_relatives", "родственники", "туыстар"],
        [CanonicalFields.Beneficiaries] = ["beneficiaries", "благополучатели", "получатели_помощи", "алушылар"],
        [CanonicalFields.TrainingHours] = ["training_hours", "часы_обучения", "оқу_сағаттары"],
        [CanonicalFields.Date] = ["date", "дата", "күні", "entry_date"],
        [CanonicalFields.Country] = ["country", "страна", "ел", "мемлекет"],
    };

    /// <summary>Words of a variable label (normalised) that name each field.</summary>
    private static readonly Dictionary<string, string[]> LabelWords = new(StringComparer.Ordinal)
    {
        [CanonicalFields.PersonId] = ["идентификатор_респондента", "respondent_id", "person_id", "номер_респондента"],
        [CanonicalFields.Weight] = ["весовой_коэффициент", "weight", "вес"],
        [CanonicalFields.Sex] = ["пол", "sex", "gender", "жынысы"],
        [CanonicalFields.Age] = ["возраст", "age", "жасы"],
        [CanonicalFields.Volunteered] = ["волонтерской_работой", "volunteer_work", "волонтерская_работа", "еріктілік"],
        [CanonicalFields.Hours] = ["часы_волонтерской", "hours_of_volunteer", "hours_volunteered"],
        [CanonicalFields.EmploymentStatus] = ["статус_занятости", "labour_force_status", "employment_status"],
        [CanonicalFields.Urbanisation] = ["город_село", "городская_сельская", "urban_rural", "тип_местности"],
    };

    /// <summary>The usual coding of unlabelled numeric codes (ILO model questionnaires); used only as a guess marked CHECK.</summary>
    private static readonly Dictionary<string, (string Code, string Category)[]> UsualCodes = new(StringComparer.Ordinal)
    {
        [CanonicalFields.Sex] = [("1", "male"), ("2", "female")],
        [CanonicalFields.EmploymentStatus] = [("1", "employed"), ("2", "unemployed"), ("3", "outside_labour_force")],
        [CanonicalFields.Volunteered] = [("1", "true"), ("2", "false")],
        [CanonicalFields.Form] = [("1", "organisation"), ("2", "direct")],
        [CanonicalFields.Disability] = [("1", "true"), ("0", "false"), ("2", "false")],
        [CanonicalFields.ForOwnHousehold] = [("1", "true"), ("0", "false"), ("2", "false")],
        [CanonicalFields.ForRelatives] = [("1", "true"), ("0", "false"), ("2", "false")],
    };

    /// <summary>Words of free-text directions and the Forum direction they belong to (crosswalk proposal).</summary>
    private static readonly (string Word, string Direction)[] DirectionWords =
    [
        ("education", "education"), ("образование", "education"), ("білім", "education"),
        ("health", "health"), ("sport", "health"), ("здоровье", "health"), ("спорт", "health"), ("денсаулық", "health"),
        ("social", "social"), ("community", "social"), ("civic", "social"), ("социальн", "social"), ("әлеуметтік", "social"),
        ("refugee", "inclusion"), ("inclusion", "inclusion"), ("инклюзи", "inclusion"), ("беженц", "inclusion"),
        ("environment", "climate_eco"), ("ecology", "climate_eco"), ("climate", "climate_eco"), ("эколог", "climate_eco"), ("экология", "climate_eco"),
        ("culture", "ethno"), ("ethno", "ethno"), ("культур", "ethno"), ("мәдениет", "ethno"),
        ("digital", "it_media"), ("media", "it_media"), ("it", "it_media"), ("медиа", "it_media"),
        ("emergenc", "emergencies"), ("disaster", "emergencies"), ("чс", "emergencies"), ("чрезвычайн", "emergencies"),
        ("international", "international"), ("международн", "international"), ("халықаралық", "international"),
    ];

    /// <summary>What the first rows of the file say about each column.</summary>
    private sealed class Profile
    {
        public required IReadOnlyList<string> Headers { get; init; }
        public required long[] NonEmpty { get; init; }
        public required long[] Numeric { get; init; }
        public required Dictionary<string, long>[] Distinct { get; init; }
        public required bool[] TooManyDistinct { get; init; }
        public long Rows { get; set; }
        public bool Truncated { get; set; }
        public int Year { get; set; }

        public static Profile Read(TabularReader reader)
        {
            var n = reader.Headers.Count;
            var p = new Profile
            {
                Headers = reader.Headers,
                NonEmpty = new long[n],
                Numeric = new long[n],
                Distinct = [.. Enumerable.Range(0, n).Select(_ => new Dictionary<string, long>(StringComparer.Ordinal))],
                TooManyDistinct = new bool[n],
            };
            foreach (var row in reader.ReadRows())
            {
                if (p.Rows == ProfileRows)
                {
                    p.Truncated = true;
                    break;
                }

                p.Rows++;
                for (var c = 0; c < n; c++)
                {
                    var text = row[c].Trim();
                    if (text.Length == 0) continue;
                    p.NonEmpty[c]++;
                    if (row.TryGetNumber(c, out _) == NumberParseStatus.Ok) p.Numeric[c]++;
                    if (p.TooManyDistinct[c]) continue;
                    var distinct = p.Distinct[c];
                    distinct[text] = distinct.GetValueOrDefault(text) + 1;
                    if (distinct.Count > MaxDistinct) p.TooManyDistinct[c] = true;
                }
            }

            return p;
        }

        public bool IsNumeric(int column) => NonEmpty[column] == 0 || Numeric[column] >= 0.9 * NonEmpty[column];
    }

    /// <summary>A header, label or code as compared: lower case, every run of non-letters and non-digits one <c>_</c>.</summary>
    internal static string Normalise(string text)
    {
        var b = new StringBuilder(text.Length);
        foreach (var ch in text.Trim().ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(ch)) b.Append(ch == 'ё' ? 'е' : ch);
            else if (b.Length > 0 && b[^1] != '_') b.Append('_');
        }

        return b.ToString().Trim('_');
    }

    private static List<ColumnCandidate> Candidates(string field, TabularReader reader, Profile profile)
    {
        var names = Names[field].Select(n => Normalise(n)).ToArray();
        var labelWords = LabelWords.GetValueOrDefault(field) ?? [];
        var result = new List<ColumnCandidate>();
        for (var c = 0; c < profile.Headers.Count; c++)
        {
            var header = Normalise(profile.Headers[c]);
            double score = 0;
            var reason = "";
            if (names.Contains(header))
            {
                (score, reason) = (0.95, "name");
            }
            else if (header.Length >= 3 && names.Any(n => n.Length >= 3 && (header.Split('_').Contains(n) || header.StartsWith(n + "_", StringComparison.Ordinal))))
            {
                (score, reason) = (0.6, "part of the name");
            }

            var label = c < reader.Variables.Count ? reader.Variables[c].Label : null;
            if (label is not null && score < 0.8)
            {
                var normalised = Normalise(label);
                if (labelWords.Any(w => normalised == w || normalised.Contains(w, StringComparison.Ordinal))) (score, reason) = (0.8, "variable label");
            }

            if (score == 0) continue;
            // Values that do not fit the field make the column an unlikely choice.
            if (NumericFields.Contains(field) && !profile.IsNumeric(c))
            {
                score *= 0.3;
                reason += ", but the values are not numbers";
            }
            else if (CategoryCodes.Fields.Contains(field) && field != CanonicalFields.Direction && profile.TooManyDistinct[c])
            {
                score *= 0.3;
                reason += ", but it has too many distinct values for a category";
            }

            result.Add(new ColumnCandidate(profile.Headers[c], Math.Round(score, 2), reason));
        }

        return [.. result.OrderByDescending(r => r.Confidence).ThenBy(r => r.Column, StringComparer.Ordinal)];
    }

    private static List<FieldProposal> Assign(string[] fields, Profile profile, TabularReader reader)
    {
        var candidates = fields.ToDictionary(f => f, f => Candidates(f, reader, profile), StringComparer.Ordinal);
        var chosen = new Dictionary<string, ColumnCandidate>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        // Greedy by confidence: the surest pairs first, each column to one field (field order breaks ties).
        foreach (var (field, candidate) in candidates.SelectMany(kv => kv.Value.Select(c => (Field: kv.Key, Candidate: c)))
                     .OrderByDescending(p => p.Candidate.Confidence).ThenBy(p => Array.IndexOf(fields, p.Field)))
        {
            if (candidate.Confidence < MapThreshold || chosen.ContainsKey(field) || used.Contains(candidate.Column)) continue;
            chosen[field] = candidate;
            used.Add(candidate.Column);
        }

        return [.. fields.Select(f => new FieldProposal(f, chosen.GetValueOrDefault(f),
            [.. candidates[f].Where(c => !ReferenceEquals(c, chosen.GetValueOrDefault(f))).Take(3)]))];
    }

    private static string Q(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
        .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Write(string dataPath, string studyPath, InputKind kind, string? country, TabularReader reader, Profile profile,
        List<FieldProposal> proposals, List<string> decisions)
    {
        var w = new StringBuilder();
        void Line(string text) => w.Append(text).Append('\n');
        void Decide(string text, string indent = "")
        {
            decisions.Add(text);
            Line($"{indent}# DECIDE: {text}");
        }

        var stem = Path.GetFileNameWithoutExtension(dataPath);
        var year = YearOf(stem);
        Line($"# Proposed by `contrib init` from {Path.GetFileName(dataPath)} ({reader.Format}{(reader.EncodingName is { } e ? ", " + e : "")}, {profile.Rows.ToString(CultureInfo.InvariantCulture)} rows profiled{(profile.Truncated ? ", the rest not read" : "")}).");
        Line("# DECIDE marks what you must decide before the study is valid; CHECK marks a guess to confirm against the codebook.");
        Line("# Then: contrib validate STUDY.yaml, and contrib report STUDY.yaml --out FOLDER (README: From your own data).");
        var id = Normalise(stem).Replace('_', '-');
        Line($"id: {Q(id.Length == 0 ? "study" : id)}");
        Line($"title: {Q("Volunteer work" + (country is null ? "" : " in " + CountryName(country)) + (year > 0 ? Inv($", {year}") : ""))}");
        if (year > 0)
        {
            Line(Inv($"year: {year}   # CHECK: taken from the file name"));
            Line(Inv($"base_year: {year}"));
        }
        else
        {
            Decide("the survey year (year: and base_year:); the file name does not say it.");
            Line("year: 0");
        }

        Line("reference_period:");
        Line("  length_days: 28            # ILO module: 'in the last four weeks' [V]; CHECK against the questionnaire");
        Line("  annualisation_factor: 13   # 52/4 (annualisation rule of the Manual: [NF])");
        Line("inputs:");
        Line($"  - name: {Q((id.Length == 0 ? "input" : id) + (kind == InputKind.HourLog ? "-log" : "-survey"))}");
        Line($"    kind: {(kind == InputKind.HourLog ? "hour-log" : "survey")}");
        Line($"    path: {Q(RelativePath(studyPath, dataPath))}");
        Line($"    format: {reader.Format}");
        if (reader.Format == "csv")
        {
            Line($"    encoding: {reader.EncodingName}   # {(reader.EncodingDetected ? "detected" : "declared")}");
            Line($"    delimiter: {Q(reader.Delimiter == '\t' ? "tab" : reader.Delimiter.ToString()!)}");
        }

        if (reader.Format is "csv" or "xlsx")
            Line($"    decimal: {Q(reader.NumberFormat.DecimalSeparator.ToString())}   # {(reader.NumberFormat.Detected ? "detected" : "declared")}");
        if (reader.Format is "sav" or "dta") Line($"    # text encoding {reader.EncodingName} from the file; numbers and missing values as the file stores them");
        if (kind == InputKind.HourLog) Line("    annualisation_factor: 1   # CHECK: 1 when the log covers the whole year");
        Line("    columns:");
        foreach (var p in proposals)
        {
            var alternatives = p.Alternatives.Count == 0 ? "" : "; alternatives: " + string.Join(", ", p.Alternatives.Select(a => Inv($"{Q(a.Column)} {a.Confidence:0.00} ({a.Reason})")));
            if (p.Chosen is { } c)
            {
                Line(Inv($"      {p.Field}: {Q(c.Column)}   # confidence {c.Confidence:0.00} ({c.Reason}){alternatives}"));
            }
            else if (p.Field == CanonicalFields.Country && country is not null)
            {
                continue;
            }
            else if (StudyLoader.RequiredFields(kind).Contains(p.Field))
            {
                Decide($"no column was recognised as {p.Field}, which is required: name its column{alternatives}.", "      ");
                Line($"      {p.Field}: \"\"");
            }
            else
            {
                Line($"      # {p.Field}: no column recognised{alternatives}");
            }
        }

        var codeLines = new List<string>();
        foreach (var p in proposals.Where(p => p.Chosen is not null && CategoryCodes.Fields.Contains(p.Field)))
            CodeList(p.Field, reader.FindColumn(p.Chosen!.Column), reader, profile, codeLines, decisions);
        if (codeLines.Count > 0)
        {
            Line("    codes:");
            foreach (var line in codeLines) Line(line);
        }

        var reference = country is null ? null : CountryReference(country);
        if (proposals.Any(p => p.Field == CanonicalFields.Country && p.Chosen is null))
        {
            Line("    constants:");
            if (country is not null) Line($"      country: {country}");
            else
            {
                Decide("the country of the data (constants: country: KZ, or run contrib init with --country).", "      ");
                Line("      country: \"\"");
            }

            if (kind == InputKind.HourLog)
            {
                Line("      volunteered: \"true\"   # CHECK: every entry of a platform log is volunteer work");
                Line("      form: organisation     # CHECK: hours logged through an organisation's platform");
            }
        }

        Line("valuation:");
        Line("  on_cost_uplift: 0");
        Line("  opportunity_cost_policy: share-of-average");
        Line("  opportunity_cost_share: 0.5   # Brown (1999): 1/2 to 6/7 [S]");
        Line("  hybrid_generalist_major_groups: [\"9\"]");
        Line("  headline_method: specialist   # replacement cost at the task's wage (ILO/JHU recommended) [V]/[S]");
        Line("countries:");
        if (reference is not null)
        {
            Line($"  # {country}: the project's reference parameters (samples/central-asia/{country!.ToLowerInvariant()}.yaml) with their sources; CHECK the year.");
            foreach (var line in reference) Line(line);
        }
        else
        {
            Decide(country is null
                ? "the country block (currency, wages, generalist_wage, average_hourly_wage, full_time_annual_hours, cpi): run contrib init with --country KZ, KG, TJ or UZ to fill it from the reference parameters, or write it."
                : $"the country block of {country}: the project has no reference parameters for it; write currency, generalist_wage, average_hourly_wage, full_time_annual_hours and cpi with their sources.", "  ");
            Line($"  - code: {(country ?? "\"\"")}");
            Line("    currency: \"\"");
        }

        Line("checks:");
        Line("  rejection_tolerance: 0.01");
        Line("  minimum_hours: 1            # 19th ICLS: at least one hour [V]");
        Line("  paid_stipend_share: 0.3333333333333333   # 19th ICLS [V]");
        Line("  include_help_to_relatives: false         # 19th ICLS excludes related family members [V]");
        Line("  minimum_age: 15");
        return w.ToString();
    }

    private static void CodeList(string field, int column, TabularReader reader, Profile profile, List<string> lines, List<string> decisions)
    {
        var labels = reader.ValueLabelsOf(column);
        var builtIn = CategoryCodes.LookupFor(field, null);
        var usual = UsualCodes.GetValueOrDefault(field) ?? [];
        var byCategory = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var notes = new List<string>();
        var unmapped = new List<string>();
        var guessed = false;
        var values = profile.Distinct[column].OrderByDescending(v => v.Value).ThenBy(v => v.Key, StringComparer.Ordinal).Select(v => v.Key).ToList();
        // Labelled values that no row uses are listed too: the code list then covers the whole codebook.
        values.AddRange(labels.Keys.Where(k => !profile.Distinct[column].ContainsKey(k)).Order(StringComparer.Ordinal));
        if (profile.TooManyDistinct[column] && field != CanonicalFields.Direction)
        {
            decisions.Add($"{field}: the column has more than {MaxDistinct} distinct values; write its codes.");
            lines.Add($"      # DECIDE: {field}: more than {MaxDistinct} distinct values; write the codes of each category.");
            return;
        }

        foreach (var value in values)
        {
            string? category = null;
            string written = value;
            if (labels.TryGetValue(value, out var label))
            {
                notes.Add($"{value} = {label}");
                if (builtIn.TryGetValue(CategoryCodes.NormaliseCode(label), out var byLabel))
                {
                    category = byLabel;
                    written = label;
                }
            }

            if (category is null && field == CanonicalFields.Direction) category = DirectionOf(value);
            if (category is null && builtIn.TryGetValue(CategoryCodes.NormaliseCode(value), out var byCode) && (field != CanonicalFields.Direction)) category = byCode;
            // The usual coding is a guess for unlabelled codes only: a label no code list knows is the user's to read.
            if (category is null && label is null && usual.FirstOrDefault(u => u.Code == value) is { Category: { } guess })
            {
                category = guess;
                guessed = true;
            }

            if (category is null)
            {
                // A labelled value no row has (often a user-missing code such as 9 = 'refused') needs no decision.
                if (profile.Distinct[column].ContainsKey(value)) unmapped.Add(value);
                continue;
            }

            if (!byCategory.TryGetValue(category, out var list)) byCategory[category] = list = [];
            list.Add(written);
        }

        var map = string.Join(", ", byCategory.Select(kv => $"{Q(kv.Key)}: [{string.Join(", ", kv.Value.Select(Q))}]"));
        var comment = new List<string>();
        if (notes.Count > 0) comment.Add("value labels: " + string.Join(", ", notes.Take(12)));
        if (guessed) comment.Add("CHECK: unlabelled codes guessed from the usual questionnaire coding");
        if (field == CanonicalFields.Direction) comment.Add("CHECK: crosswalk to the Forum directions proposed from the words");
        if (unmapped.Count > 0)
        {
            var list = string.Join(", ", unmapped.Take(12).Select(Q));
            if (field == CanonicalFields.Direction)
            {
                decisions.Add($"direction: the values {list} match no Forum direction; complete the crosswalk or leave the directions as free text.");
                lines.Add($"      # DECIDE: the values {list} match no Forum direction; complete this crosswalk and uncomment it, or keep the directions as free text.");
                lines.Add($"      # {field}: {{{map}}}");
                return;
            }

            decisions.Add($"{field}: the values {list} are in no category (rows with them are rejected); add them to a category or to unknown.");
            lines.Add($"      # DECIDE: {field}: the values {list} are in no category; rows with them are rejected unless you add them (to unknown if they mean 'not stated').");
        }

        if (byCategory.Count > 0) lines.Add($"      {field}: {{{map}}}" + (comment.Count > 0 ? "   # " + string.Join("; ", comment) : ""));
    }

    private static string? DirectionOf(string value)
    {
        var v = value.Trim().ToLowerInvariant();
        foreach (var (word, direction) in DirectionWords)
        {
            if (word.Length <= 2 ? v == word : v.Contains(word, StringComparison.Ordinal)) return direction;
        }

        return CategoryCodes.Defaults[CanonicalFields.Direction].ContainsKey(v) ? v : null;
    }

    private static int YearOf(string stem)
    {
        for (var i = 0; i + 4 <= stem.Length; i++)
        {
            if ((i == 0 || !char.IsAsciiDigit(stem[i - 1])) && (i + 4 == stem.Length || !char.IsAsciiDigit(stem[i + 4]))
                && int.TryParse(stem.AsSpan(i, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 1990 and <= 2100)
                return year;
        }

        return 0;
    }

    private static string RelativePath(string studyPath, string dataPath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(studyPath)) ?? ".";
        return Path.GetRelativePath(folder, Path.GetFullPath(dataPath)).Replace('\\', '/');
    }

    private static string CountryName(string code) => code switch
    {
        "KZ" => "Kazakhstan",
        "KG" => "Kyrgyzstan",
        "TJ" => "Tajikistan",
        "UZ" => "Uzbekistan",
        _ => code,
    };

    /// <summary>The countries the project has reference parameters for (the sample studies of samples/central-asia).</summary>
    public static IReadOnlyList<string> ReferenceCountries { get; } = ["KZ", "KG", "TJ", "UZ"];

    /// <summary>
    /// The country block of the sample study of <paramref name="code"/> (embedded from samples/central-asia), its
    /// <c>wages:</c> path turned into a comment: the wage table is a file next to the sample, not next to the new study.
    /// </summary>
    private static List<string>? CountryReference(string code)
    {
        if (!ReferenceCountries.Contains(code)) return null;
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"ContributionIndex.Studies.Reference.{code.ToLowerInvariant()}.yaml");
        if (stream is null) return null;
        using var text = new StreamReader(stream, Encoding.UTF8);
        var lines = text.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var start = lines.IndexOf("countries:");
        if (start < 0) return null;
        var block = new List<string>();
        for (var i = start + 1; i < lines.Count && (lines[i].StartsWith(' ') || lines[i].Length == 0); i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("wages:", StringComparison.Ordinal))
            {
                block.Add("    # wages: parameters/" + code.ToLowerInvariant() + "_isco_wages_2023.csv   # DECIDE (optional): a wage table by ISCO-08 group, as in samples/central-asia/parameters; without one every hour is valued at generalist_wage");
                continue;
            }

            if (line.Length > 0) block.Add(line);
        }

        return block;
    }
}
