using System.Globalization;
using System.Text;
using ContributionIndex.IO;
using Parquet;
using Parquet.Schema;

namespace ContributionIndex.Synthesis;

/// <summary>What <see cref="HourLogSynthesizer.Write"/> produced.</summary>
/// <param name="StudyPath">The ready study file (<c>study.yaml</c>).</param>
/// <param name="DataPath">The hour log (<c>hours.csv</c> or <c>hours.parquet</c>).</param>
/// <param name="Rows">Data rows written.</param>
/// <param name="Bytes">Size of the hour log in bytes.</param>
public sealed record SynthesisResult(string StudyPath, string DataPath, long Rows, long Bytes);

/// <summary>
/// Generates a realistic, entirely synthetic platform hour log for the four Central Asia Forum countries (KZ, KG, TJ,
/// UZ) with its wage tables and a ready study file (methodology/scale.md, "Synthetic logs"). The output is a pure
/// function of (rows, seed, format): the generator is SplitMix64 and every number is written with the invariant
/// culture, so the same arguments give the same bytes. Memory does not depend on the row count: rows are streamed and
/// a person's traits (region, sex, age) are a hash of the seed and the person's number, so no person table is kept.
/// </summary>
public static class HourLogSynthesizer
{
    /// <summary>The columns of the generated log, in file order.</summary>
    public static IReadOnlyList<string> Columns { get; } =
        ["entry_id", "volunteer_id", "country", "date", "hours", "task_isco", "sdg", "direction", "region", "sex", "age"];

    /// <summary>Average entries per volunteer: sets the size of each country's volunteer pool (rows × share ÷ 25).</summary>
    public const int EntriesPerVolunteer = 25;

    /// <summary>One entry in this many has negative hours (a deliberate data error that the 19th ICLS checks reject).</summary>
    public const int ErrorEvery = 5000;

    /// <summary>Parquet row-group size: bounds the generator's (and a reader's) memory per group.</summary>
    public const int ParquetRowGroupRows = 131_072;

    // Entry hours drawn uniformly from this list (as in samples/central-asia/generate.py).
    private static readonly double[] HoursChoices = [1, 1.5, 2, 2, 3, 3, 4, 4, 5, 6, 8];

    /// <summary>Writes <c>hours.csv</c> (or <c>hours.parquet</c>), <c>wages/*.csv</c> and <c>study.yaml</c> into <paramref name="directory"/>.</summary>
    /// <param name="rows">Number of log entries (0 or more).</param>
    /// <param name="directory">Output folder (created when missing).</param>
    /// <param name="seed">Seed of the generator.</param>
    /// <param name="format"><c>csv</c> or <c>parquet</c>.</param>
    public static SynthesisResult Write(long rows, string directory, ulong seed = 2022, string format = "csv")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var parquet = format switch
        {
            "csv" => false,
            "parquet" => true,
            _ => throw new ArgumentException($"Unknown format '{format}'; use csv or parquet.", nameof(format)),
        };
        Directory.CreateDirectory(directory);
        Directory.CreateDirectory(Path.Combine(directory, "wages"));
        foreach (var country in SynthCountries.All) AtomicFile.WriteText(Path.Combine(directory, "wages", country.WageFileName), w => WriteWageTable(w, country));

        var dataName = parquet ? "hours.parquet" : "hours.csv";
        var dataPath = Path.Combine(directory, dataName);
        var generator = new EntryGenerator(rows, seed);
        if (parquet) AtomicFile.Write(dataPath, stream => WriteParquetAsync(stream, generator).GetAwaiter().GetResult());
        else AtomicFile.WriteText(dataPath, writer => WriteCsv(writer, generator));
        var studyPath = Path.Combine(directory, "study.yaml");
        AtomicFile.WriteText(studyPath, w => WriteStudy(w, rows, seed, dataName, parquet));
        return new SynthesisResult(studyPath, dataPath, rows, new FileInfo(dataPath).Length);
    }

    private static void WriteCsv(TextWriter writer, EntryGenerator generator)
    {
        writer.Write(string.Join(',', Columns));
        writer.Write('\n');
        Span<char> number = stackalloc char[32];
        var entry = new Entry();
        while (generator.Next(ref entry))
        {
            writer.Write(entry.Country.Code);
            writer.Write("-E");
            WriteInteger(writer, entry.Index + 1, number);
            writer.Write(',');
            writer.Write(entry.Country.Code);
            writer.Write("-V");
            WriteInteger(writer, entry.Person + 1, number);
            writer.Write(',');
            writer.Write(entry.Country.Code);
            writer.Write(',');
            writer.Write(entry.Date);
            writer.Write(',');
            entry.Hours.TryFormat(number, out var written, "R", CultureInfo.InvariantCulture);
            writer.Write(number[..written]);
            writer.Write(',');
            writer.Write(entry.Task.Isco);
            writer.Write(',');
            writer.Write(entry.Task.Sdg);
            writer.Write(',');
            writer.Write(entry.Task.Direction);
            writer.Write(',');
            writer.Write(entry.Region);
            writer.Write(',');
            writer.Write(entry.Sex);
            writer.Write(',');
            WriteInteger(writer, entry.Age, number);
            writer.Write('\n');
        }
    }

    private static void WriteInteger(TextWriter writer, long value, Span<char> buffer)
    {
        value.TryFormat(buffer, out var written, default, CultureInfo.InvariantCulture);
        writer.Write(buffer[..written]);
    }

    private static async Task WriteParquetAsync(Stream stream, EntryGenerator generator)
    {
        var text = Columns.Where(c => c is not ("hours" or "age")).ToDictionary(c => c, c => new DataField<string>(c, true), StringComparer.Ordinal);
        var hoursField = new DataField<double>("hours");
        var ageField = new DataField<int>("age");
        var fields = Columns.Select(c => c switch { "hours" => (Field)hoursField, "age" => ageField, _ => text[c] }).ToArray();
        var schema = new ParquetSchema(fields);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream).ConfigureAwait(false);
        var buffers = Columns.ToDictionary(c => c, _ => new string[ParquetRowGroupRows], StringComparer.Ordinal);
        var hours = new double[ParquetRowGroupRows];
        var ages = new int[ParquetRowGroupRows];
        var entry = new Entry();
        var more = true;
        var groups = 0;
        while (more)
        {
            var count = 0;
            while (count < ParquetRowGroupRows && (more = generator.Next(ref entry)))
            {
                var code = entry.Country.Code;
                buffers["entry_id"][count] = code + "-E" + (entry.Index + 1).ToString(CultureInfo.InvariantCulture);
                buffers["volunteer_id"][count] = code + "-V" + (entry.Person + 1).ToString(CultureInfo.InvariantCulture);
                buffers["country"][count] = code;
                buffers["date"][count] = entry.Date;
                buffers["task_isco"][count] = entry.Task.Isco;
                buffers["sdg"][count] = entry.Task.Sdg;
                buffers["direction"][count] = entry.Task.Direction;
                buffers["region"][count] = entry.Region;
                buffers["sex"][count] = entry.Sex;
                hours[count] = entry.Hours;
                ages[count] = entry.Age;
                count++;
            }

            if (count == 0 && groups > 0) break;
            groups++;
            using var group = writer.CreateRowGroup();
            foreach (var column in Columns)
            {
                switch (column)
                {
                    case "hours":
                        await group.WriteAsync<double>(hoursField, hours.AsMemory(0, count)).ConfigureAwait(false);
                        break;
                    case "age":
                        await group.WriteAsync<int>(ageField, ages.AsMemory(0, count)).ConfigureAwait(false);
                        break;
                    default:
                        await group.WriteAsync(text[column], new ArraySegment<string>(buffers[column], 0, count)).ConfigureAwait(false);
                        break;
                }
            }

            group.CompleteValidate();
        }
    }

    private static void WriteWageTable(TextWriter writer, SynthCountry country)
    {
        writer.Write("isco,hourly_wage,currency,year,source\n");
        foreach (var (isco, relative, label) in SynthCountries.RelativeWages)
        {
            var wage = Math.Round(relative * country.GeneralistWage, 2, MidpointRounding.ToEven);
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{isco},{wage:0.00},{country.Currency},2023,\"[D][synthetic] {label}: {relative:0.00} x average hourly wage; not a published occupational wage\"\n"));
        }
    }

    private static void WriteStudy(TextWriter w, long rows, ulong seed, string dataName, bool parquet)
    {
        var inv = CultureInfo.InvariantCulture;
        w.Write(string.Create(inv, $"# Generated by `contrib synth --rows {rows} --seed {seed} --format {(parquet ? "parquet" : "csv")}`: synthetic platform log, parameters copied\n"));
        w.Write("# from samples/central-asia/regional.yaml (sources there). Every log entry is synthetic.\n");
        w.Write(string.Create(inv, $"id: synth-{rows}-{seed}\n"));
        w.Write(string.Create(inv, $"title: \"Synthetic platform hour log, {rows:N0} entries (seed {seed})\"\n"));
        w.Write("year: 2023\nbase_year: 2023\n");
        w.Write("reference_period:\n  length_days: 365\n  annualisation_factor: 1   # the log covers the whole year 2023\n");
        w.Write("inputs:\n  - name: platform\n    kind: hour-log\n");
        w.Write(string.Create(inv, $"    path: {dataName}\n"));
        if (parquet) w.Write("    format: parquet\n");
        else w.Write("    format: csv\n    encoding: utf-8\n    delimiter: \",\"\n    decimal: \".\"\n");
        w.Write("    columns:\n      person_id: volunteer_id\n      activity_id: entry_id\n      country: country\n      date: date\n      hours: hours\n");
        w.Write("      isco: task_isco\n      sdg: sdg\n      direction: direction\n      region: region\n      sex: sex\n      age: age\n");
        w.Write("    codes:\n      sex: {male: [\"M\"], female: [\"F\"]}\n");
        // Platform categories mapped to the nine Forum directions, as in samples/central-asia (methodology/ingest.md §4).
        w.Write("      direction: {education: [\"education\"], health: [\"health\", \"sport\"], social: [\"social\", \"community\", \"civic\"], " +
                "inclusion: [\"refugees\"], climate_eco: [\"environment\"], ethno: [\"culture\"], it_media: [\"digital\"], emergencies: [\"emergency\"]}\n");
        w.Write("    constants:\n      volunteered: \"true\"\n      form: organisation\n");
        w.Write("valuation:\n  on_cost_uplift: 0\n  opportunity_cost_policy: share-of-average\n  opportunity_cost_share: 0.5\n");
        w.Write("  hybrid_generalist_major_groups: [\"9\"]\n  headline_method: specialist\n");
        w.Write("countries:\n");
        foreach (var c in SynthCountries.All)
        {
            w.Write(string.Create(inv, $"  - code: {c.Code}\n    currency: {c.Currency}\n    wages: wages/{c.WageFileName}\n"));
            w.Write(string.Create(inv, $"    generalist_wage: {{value: {c.GeneralistWage:R}, year: 2023, source: \"{c.WageSource}\"}}\n"));
            w.Write(string.Create(inv, $"    average_hourly_wage: {{value: {c.GeneralistWage:R}, year: 2023, source: \"{c.WageSource}\"}}\n"));
            w.Write("    full_time_annual_hours: {value: 1984.0, year: 2023, source: \"40-hour week, 1,984 h (samples/central-asia)\"}\n");
            w.Write(string.Create(inv, $"    lcu_per_usd: {{value: {c.LcuPerUsd:R}, year: 2023, source: \"WDI PA.NUS.FCRF (samples/central-asia)\"}}\n"));
            w.Write(string.Create(inv, $"    lcu_per_ppp_dollar: {{value: {c.LcuPerPpp:R}, year: 2023, source: \"WDI PA.NUS.PPP (samples/central-asia)\"}}\n"));
            w.Write(string.Create(inv, $"    gdp: {{value: {c.Gdp:R}, year: 2023, source: \"samples/central-asia/regional.yaml\"}}\n"));
            w.Write(string.Create(inv, $"    cpi:\n      - {{year: 2022, index: 100.0, source: \"samples/central-asia\"}}\n      - {{year: 2023, index: {c.Cpi2023:R}, source: \"samples/central-asia\"}}\n"));
        }

        w.Write("checks:\n  rejection_tolerance: 0.01\n  minimum_hours: 1\n  paid_stipend_share: 0.3333333333333333\n  include_help_to_relatives: false\n  minimum_age: 15\n");
    }

    /// <summary>One generated entry (fields reused between rows: no allocation per row in the CSV path).</summary>
    private struct Entry
    {
        public long Index;
        public SynthCountry Country;
        public long Person;
        public string Date;
        public double Hours;
        public SynthTask Task;
        public string Region;
        public string Sex;
        public int Age;
    }

    /// <summary>Draws the entries in order; person pools are sized from the expected row count of each country.</summary>
    private sealed class EntryGenerator
    {
        private static readonly string[] Dates = BuildDates();
        private readonly long _rows;
        private readonly ulong _seed;
        private readonly long[] _pool;
        private readonly double[] _cumulativeShare;
        private SplitMix64 _random;
        private long _index;

        public EntryGenerator(long rows, ulong seed)
        {
            _rows = rows;
            _seed = seed;
            _random = new SplitMix64(seed);
            var countries = SynthCountries.All;
            var shares = countries.Sum(c => c.Share);
            _pool = [.. countries.Select(c => Math.Max(10L, (long)(rows * (c.Share / shares) / EntriesPerVolunteer)))];
            _cumulativeShare = new double[countries.Count];
            var total = 0.0;
            for (var i = 0; i < countries.Count; i++) _cumulativeShare[i] = total += countries[i].Share;
        }

        public bool Next(ref Entry entry)
        {
            if (_index >= _rows) return false;
            var u = _random.NextDouble() * _cumulativeShare[^1];
            var c = 0;
            while (c < _cumulativeShare.Length - 1 && u >= _cumulativeShare[c]) c++;
            var country = SynthCountries.All[c];
            var person = (long)((_random.Next() >> 1) % (ulong)_pool[c]);
            var traits = SplitMix64.Mix(_seed ^ ((ulong)c << 56) ^ (ulong)person);
            entry.Index = _index++;
            entry.Country = country;
            entry.Person = person;
            entry.Region = country.Regions[(int)(traits % (ulong)country.Regions.Length)];
            entry.Sex = ((traits >> 20) & 1) == 0 ? "F" : "M";
            // About 1 % of volunteers are 12 to 14 (excluded by the minimum age); the rest 15 to 79, skewed young.
            var ageDraw = (int)((traits >> 24) % 1000);
            entry.Age = ageDraw < 10 ? 12 + (ageDraw % 3) : 15 + (int)(((traits >> 40) % 65) * ((traits >> 34) % 64) / 63);
            var task = _random.NextInt(SynthCountries.Tasks.Count);
            entry.Task = _random.NextInt(100) < 3 ? SynthCountries.Tasks[task] with { Isco = "" } : SynthCountries.Tasks[task];
            entry.Date = Dates[_random.NextInt(Dates.Length)];
            entry.Hours = _random.NextInt(ErrorEvery) == 0 ? -2 : HoursChoices[_random.NextInt(HoursChoices.Length)];
            return true;
        }

        private static string[] BuildDates()
        {
            var dates = new List<string>();
            for (var day = new DateOnly(2023, 1, 1); day.Year == 2023; day = day.AddDays(1)) dates.Add(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            return [.. dates];
        }
    }
}
