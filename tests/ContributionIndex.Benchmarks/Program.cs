using System.Diagnostics;
using System.Globalization;
using System.Text;
using ContributionIndex.Synthesis;
using CsvHelper;
using DuckDB.NET.Data;

namespace ContributionIndex.Benchmarks;

/// <summary>
/// Timed runs with peak memory (methodology/scale.md, "Benchmarks"): hour-log valuation against DuckDB and a bare
/// CsvHelper read, replicate-weight domain totals against R survey's svyby, and CLI start-up. Run with
/// <c>dotnet run -c Release --project tests/ContributionIndex.Benchmarks -- all</c>; results go to RESULTS.md.
/// </summary>
internal static partial class Program
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static int Main(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "all";
        long rows = Option(args, "--rows", 10_000_000);
        var persons = (int)Option(args, "--persons", 500_000);
        var work = OptionText(args, "--work") ?? Path.Combine(Path.GetTempPath(), "contributionindex-bench");
        var results = OptionText(args, "--results") ?? Path.Combine(RepositoryRoot(), "tests", "ContributionIndex.Benchmarks", "RESULTS.md");
        Directory.CreateDirectory(work);
        var report = new StringBuilder();
        report.AppendLine("# Benchmark results").AppendLine();
        report.AppendLine(Inv, $"Command: `dotnet run -c Release --project tests/ContributionIndex.Benchmarks -- {string.Join(' ', args)}`  ");
        report.AppendLine(Inv, $"Date (UTC): {DateTime.UtcNow:yyyy-MM-dd HH:mm}; {Environment.ProcessorCount} cores; .NET {Environment.Version}; load average at start: {LoadAverage()}  ");
        report.AppendLine("Times are wall-clock seconds of one run (CPU seconds in brackets: user + system of the measured process); peak memory is the peak resident set (VmHWM) of the measured process.").AppendLine();
        if (mode is "all" or "help") Help(report, work);
        if (mode is "all" or "hourlog") HourLog(report, work, rows);
        if (mode is "all" or "survey") Survey(report, work, persons);
        if (mode is "all" or "annex") Annex(report, work, (int)Option(args, "--annex-runs", 3));
        // e. and f. compare against an earlier build when --old-bin DIR (a folder with its contrib.dll) is given.
        if (mode is "all" or "estimate-memory") EstimateMemory(report, work, Option(args, "--gb", 2), OptionText(args, "--old-bin"), persons);
        if (mode is "all" or "xlsx") XlsxInput(report, work, Option(args, "--xlsx-rows", 1_000_000), OptionText(args, "--old-bin"));
        if (mode is "all" or "model") Model(report, work, persons);
        if (mode is "all" or "sav") Sav(report, work, (int)Option(args, "--cases", 500_000));
        report.AppendLine(Inv, $"Load average at the end: {LoadAverage()}.");
        // An existing RESULTS.md keeps its hand-written parts (reproduction, targets, before/after notes) and the
        // sections this run did not measure: only the sections measured now are replaced.
        File.WriteAllText(results, File.Exists(results) ? ReplaceSections(File.ReadAllText(results), report.ToString()) : report.ToString());
        Console.WriteLine(report.ToString());
        Console.WriteLine($"wrote {results}");
        return 0;
    }

    // ---------------------------------------------------------------- c. contrib --help
    private static void Help(StringBuilder report, string work)
    {
        var runs = Enumerable.Range(0, 5).Select(_ => Child("dotnet", [ContribDll(), "--help"], work)).ToList();
        var best = runs.Min(r => r.Seconds);
        var median = runs.Select(r => r.Seconds).Order().ElementAt(2);
        report.AppendLine("## c. `contrib --help` start-up").AppendLine();
        report.AppendLine(Inv, $"5 runs of `dotnet contrib.dll --help`: best {best:F3} s, median {median:F3} s wall (CPU {runs.Select(r => r.Cpu).Order().ElementAt(2):F2} s); target < 0.3 s: **{(median < 0.3 ? "met" : "not met")}**.").AppendLine();
    }

    // ---------------------------------------------------------------- d. contrib report (the VNR annex)
    private const string AnnexHeading = "## d. `contrib report`: the four-country regional annex";

    /// <summary>
    /// The four-country regional annex in all formats (xlsx, pdf, csv, sdmx) from the build output and from a ReadyToRun
    /// publish of the CLI; target under 5 s. Each run prints its per-step wall and CPU seconds (--verbose); the median run's are kept.
    /// </summary>
    private static void Annex(StringBuilder report, string work, int runs)
    {
        var root = RepositoryRoot();
        var study = Path.Combine(root, "samples", "central-asia", "regional.yaml");
        var published = Path.Combine(work, "contrib-r2r");
        var publish = Child("dotnet", ["publish", Path.Combine(root, "src", "ContributionIndex.Cli"), "-c", "Release", "-r", "linux-x64", "--self-contained", "false", "-o", published], work);
        var variants = new List<(string Name, string File, string[] Prefix)> { ("build output: `dotnet contrib.dll report`", "dotnet", [ContribDll()]) };
        if (publish.ExitCode == 0) variants.Add(("ReadyToRun publish: `contrib report` (dotnet publish -r linux-x64)", Path.Combine(published, "contrib"), []));

        report.AppendLine(AnnexHeading).AppendLine();
        report.AppendLine(Inv, $"`contrib report samples/central-asia/regional.yaml --out DIR --lang en` (xlsx, pdf, csv, sdmx; 11,999 survey respondents, 6,500 hour-log entries, 500 Monte-Carlo runs), {runs} runs each, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores; load average before: {LoadAverage()}.").AppendLine();
        report.AppendLine("| build | median wall (s) | median CPU (s) | best wall (s) | peak memory | target < 5 s |");
        report.AppendLine("|---|---|---|---|---|---|");
        var steps = new StringBuilder();
        foreach (var (name, file, prefix) in variants)
        {
            var measured = new List<Measured>();
            for (var r = 0; r < runs; r++)
            {
                var outDir = Path.Combine(work, "annex-out");
                if (Directory.Exists(outDir)) Directory.Delete(outDir, recursive: true);
                var run = Child(file, [.. prefix, "report", study, "--out", outDir, "--lang", "en", "--verbose"], work);
                if (run.ExitCode != 0) throw new InvalidOperationException("contrib report failed: " + run.Output);
                measured.Add(run);
            }

            var median = measured.OrderBy(m => m.Seconds).ElementAt(measured.Count / 2);
            report.AppendLine(Inv, $"| {name} | {median.Seconds:F2} | {measured.Select(m => m.Cpu).Order().ElementAt(measured.Count / 2):F2} | {measured.Min(m => m.Seconds):F2} | {median.PeakBytes / 1e6:N0} MB | **{(median.Seconds < 5 ? "met" : "not met")}** |");
            steps.AppendLine(Inv, $"Steps of the median run, {name}:").AppendLine().AppendLine("```");
            foreach (var line in median.Output.Split('\n'))
                if (line.StartsWith('[') || line.Contains("step:", StringComparison.Ordinal) || line.Contains("total since", StringComparison.Ordinal)) steps.AppendLine(line.TrimEnd());
            steps.AppendLine("```").AppendLine();
        }

        report.AppendLine().AppendLine(Inv, $"Load average after: {LoadAverage()}.");
        if (publish.ExitCode != 0) report.AppendLine().AppendLine("The ReadyToRun publish failed (no runtime pack from the NuGet feed?), so only the build output was measured.");
        report.AppendLine().Append(steps);
    }

    /// <summary>The measured sections, each named by the start of its heading ("## a. " etc.).</summary>
    private static readonly string[] SectionPrefixes = ["## a. ", "## b. ", "## c. ", "## d. ", "## e. ", "## f. ", "## g. ", "## h. "];

    /// <summary>
    /// Replaces, in <paramref name="existing"/>, each lettered section that <paramref name="fresh"/> contains (from its
    /// "## x. " heading up to the next "## " heading; a section missing from <paramref name="existing"/> is appended)
    /// and leaves everything else as it is. Sections a.–c. get the run's command and date under their heading (section
    /// d. states its own); the fresh report's closing load-average line goes with its last section.
    /// </summary>
    private static string ReplaceSections(string existing, string fresh)
    {
        static (int Start, int End) Find(string text, string prefix)
        {
            int start;
            if (text.StartsWith(prefix, StringComparison.Ordinal)) start = 0;
            else
            {
                var at = text.IndexOf("\n" + prefix, StringComparison.Ordinal);
                if (at < 0) return (-1, -1);
                start = at + 1;
            }

            var next = text.IndexOf("\n## ", start + prefix.Length, StringComparison.Ordinal);
            return (start, next < 0 ? text.Length : next + 1);
        }

        var firstSection = SectionPrefixes.Select(p => Find(fresh, p).Start).Where(i => i >= 0).DefaultIfEmpty(fresh.Length).Min();
        var runLines = string.Join("  \n", fresh[..firstSection].Split('\n')
            .Where(l => l.StartsWith("Command: ", StringComparison.Ordinal) || l.StartsWith("Date (UTC): ", StringComparison.Ordinal))
            .Select(l => l.TrimEnd()));
        foreach (var prefix in SectionPrefixes)
        {
            var (fs, fe) = Find(fresh, prefix);
            if (fs < 0) continue;
            var section = fresh[fs..fe].TrimEnd();
            if (prefix is not ("## d. " or "## e. " or "## f. ") && runLines.Length > 0)
            {
                var headingEnd = section.IndexOf('\n', StringComparison.Ordinal);
                section = headingEnd < 0
                    ? section + "\n\n" + runLines
                    : section[..headingEnd] + "\n\n" + runLines + "\n\n" + section[(headingEnd + 1)..].TrimStart('\n');
            }

            section += "\n\n";
            var (s, e) = Find(existing, prefix);
            existing = s < 0 ? existing.TrimEnd() + "\n\n" + section : existing[..s] + section + existing[e..];
        }

        return existing.TrimEnd() + "\n";
    }

    // ---------------------------------------------------------------- a. hour log
    private static void HourLog(StringBuilder report, string work, long rows)
    {
        var folder = Path.Combine(work, string.Create(Inv, $"synth-{rows}"));
        var data = Path.Combine(folder, "hours.csv");
        if (!File.Exists(data) || !File.Exists(Path.Combine(folder, "study.yaml")) || CountLinesQuick(folder) != rows)
        {
            var synth = Stopwatch.StartNew();
            HourLogSynthesizer.Write(rows, folder);
            File.WriteAllText(Path.Combine(folder, "rows.txt"), rows.ToString(Inv));
            Console.WriteLine($"synth {rows} rows: {synth.Elapsed.TotalSeconds:F1} s");
        }

        var bytes = new FileInfo(data).Length;
        Console.WriteLine($"load average before the runs: {LoadAverage()}");
        var bare = InProcess(() => BareRead(data));
        var duck = InProcess(() => DuckDbAggregate(folder));
        // DuckDB's query is aggregate-only, so the like-for-like run is `--records none`; the full run also writes
        // valued_records.csv (one 25-column row per input row) and is reported next to it.
        var lean = Child("dotnet", [ContribDll(), "value", Path.Combine(folder, "study.yaml"), "--out", Path.Combine(folder, "out-aggregates"), "--records", "none"], work);
        if (lean.ExitCode != 0) throw new InvalidOperationException("contrib value --records none failed: " + lean.Output);
        var full = Child("dotnet", [ContribDll(), "value", Path.Combine(folder, "study.yaml"), "--out", Path.Combine(folder, "out")], work);
        if (full.ExitCode != 0) throw new InvalidOperationException("contrib value failed: " + full.Output);
        var sameAggregates = File.ReadAllBytes(Path.Combine(folder, "out", "summary.csv")).AsSpan()
            .SequenceEqual(File.ReadAllBytes(Path.Combine(folder, "out-aggregates", "summary.csv")));

        report.AppendLine("## a. Hour log: value and aggregate vs DuckDB and a bare read").AppendLine();
        report.AppendLine(Inv, $"Input: `contrib synth --rows {rows}` → {rows:N0} rows, {bytes / 1e6:N1} MB CSV. Load average after the runs: {LoadAverage()}.").AppendLine();
        report.AppendLine("| run | what it does | time (s) | peak memory |");
        report.AppendLine("|---|---|---|---|");
        report.AppendLine(Inv, $"| bare read | CsvHelper 34 parse, every field materialised as a string ({bare.Value:N0} rows) | {bare.Seconds:F2} ({bare.Cpu:F1}) | (in harness) |");
        report.AppendLine(Inv, $"| DuckDB 1.5 | read_csv + wage lookup by ISCO ladder (4 joins) + GROUP BY country × SDG × ISCO major ({duck.Value:N0} cells) | {duck.Seconds:F2} ({duck.Cpu:F1}) | (in harness) |");
        report.AppendLine(Inv, $"| `contrib value --records none` | hour-log fast path (methodology/scale.md §9): pass 1 parses and maps on both cores, pass 2 from a 16-byte-per-row spill; 19th ICLS checks incl. person-hours cap, 4 methods × 2 price bases, summaries, quarantine (aggregates only) | {lean.Seconds:F2} ({lean.Cpu:F1}) | {lean.PeakBytes / 1e6:N0} MB |");
        report.AppendLine(Inv, $"| `contrib value` | the same, and writes valued_records.csv ({rows:N0} rows) | {full.Seconds:F2} ({full.Cpu:F1}) | {full.PeakBytes / 1e6:N0} MB |");
        report.AppendLine();
        report.AppendLine(Inv, $"- summary.csv of both `contrib value` runs byte-identical: **{(sameAggregates ? "yes" : "NO")}**");
        foreach (var (name, run) in new[] { ("`--records none`", lean), ("full `contrib value`", full) })
        {
            var duckWall = run.Seconds / duck.Seconds;
            var duckCpu = run.Cpu / duck.Cpu;
            var bareWall = run.Seconds / bare.Seconds;
            var bareCpu = run.Cpu / bare.Cpu;
            report.AppendLine(Inv, $"- {name} / DuckDB = {duckWall:F2}× wall, {duckCpu:F2}× CPU (target ≤ 1.5×: wall **{Met(duckWall <= 1.5)}**, CPU **{Met(duckCpu <= 1.5)}**)");
            report.AppendLine(Inv, $"- {name} / bare read = {bareWall:F2}× wall, {bareCpu:F2}× CPU (target ≤ 3×: wall **{Met(bareWall <= 3)}**, CPU **{Met(bareCpu <= 3)}**)");
            report.AppendLine(Inv, $"- {name}: {rows / run.Seconds:N0} rows/s wall, {rows / run.Cpu:N0} rows per CPU-second; peak memory {run.PeakBytes / 1e6:N0} MB (target < 1 GB: **{Met(run.PeakBytes < 1e9)}**)");
        }

        report.AppendLine();
    }

    private static string Met(bool met) => met ? "met" : "not met";

    private static long CountLinesQuick(string folder)
    {
        var marker = Path.Combine(folder, "rows.txt");
        return File.Exists(marker) ? long.Parse(File.ReadAllText(marker), Inv) : -1;
    }

    private static long BareRead(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        using var csv = CsvReader.Create(stream, new CsvReaderOptions { HasHeader = true });
        long count = 0, chars = 0;
        while (csv.Read())
        {
            for (var i = 0; i < csv.FieldCount; i++) chars += csv.GetString(i).Length;
            count++;
        }

        return chars < 0 ? -1 : count;
    }

    private static long DuckDbAggregate(string folder)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        var generalist = string.Join(", ", SynthGeneralistWages(folder).Select(g => string.Create(Inv, $"('{g.Country}', {g.Wage:R})")));
        var sql = $$"""
            CREATE TEMP TABLE wages AS
              SELECT upper(left(parse_filename(filename), 2)) AS country, CAST(isco AS VARCHAR) AS isco, hourly_wage
              FROM read_csv('{{folder}}/wages/*.csv', header = true, filename = true, types = {'isco': 'VARCHAR'});
            CREATE TEMP TABLE generalist(country VARCHAR, wage DOUBLE);
            INSERT INTO generalist VALUES {{generalist}};
            CREATE TEMP TABLE result AS
              SELECT l.country, l.sdg, left(l.task_isco, 1) AS major, count(*) AS entries, sum(l.hours) AS hours,
                     sum(l.hours * coalesce(w4.hourly_wage, w3.hourly_wage, w2.hourly_wage, w1.hourly_wage, g.wage)) AS value_specialist
              FROM read_csv('{{folder}}/hours.csv', header = true, types = {'task_isco': 'VARCHAR', 'sdg': 'VARCHAR'}) l
              JOIN generalist g ON g.country = l.country
              LEFT JOIN wages w4 ON w4.country = l.country AND w4.isco = l.task_isco
              LEFT JOIN wages w3 ON w3.country = l.country AND w3.isco = left(l.task_isco, 3)
              LEFT JOIN wages w2 ON w2.country = l.country AND w2.isco = left(l.task_isco, 2)
              LEFT JOIN wages w1 ON w1.country = l.country AND w1.isco = left(l.task_isco, 1)
              WHERE l.hours >= 0
              GROUP BY ALL;
            """;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM result";
        return Convert.ToInt64(count.ExecuteScalar(), Inv);
    }

    /// <summary>The generalist (fallback) wage of each country, as the synthetic study resolves it.</summary>
    private static IEnumerable<(string Country, double Wage)> SynthGeneralistWages(string folder)
    {
        var parameters = Valuation.ValuationParameters.FromStudy(Studies.StudyLoader.Load(Path.Combine(folder, "study.yaml")));
        return parameters.CountryOrder.Select(code => (code, parameters.Countries[code].GeneralistWage));
    }

    // ---------------------------------------------------------------- b. survey replicate weights vs R
    private const string SurveyHeading = "## b. Replicate-weight domain totals vs R survey `svyby`";

    /// <summary>
    /// Writes the survey file once (outside the timed part), then runs R and <c>contrib estimate</c> on it as whole
    /// processes, one after the other: wall and CPU seconds and peak resident set of each, the load average before and
    /// after each, and every domain total and SE compared.
    /// </summary>
    private static void Survey(StringBuilder report, string work, int persons)
    {
        const int replicates = 160;
        const int domains = 200;
        var data = Path.Combine(work, string.Create(Inv, $"survey-{persons}.csv"));
        var writing = Stopwatch.StartNew();
        WriteSurveyCsv(data, persons, replicates, domains);
        var bytes = new FileInfo(data).Length;
        Console.WriteLine($"wrote {data} ({bytes / 1e6:N1} MB) in {writing.Elapsed.TotalSeconds:F1} s");

        EnsureR();
        var rVersion = RVersion();
        var script = Path.Combine(work, "svyby_bench.R");
        File.WriteAllText(script, RScript);
        var rOut = Path.Combine(work, "svyby_r.csv");
        var cOut = Path.Combine(work, "svyby_contrib.csv");
        File.Delete(rOut);
        File.Delete(cOut);

        // (1) R: read the CSV, svrepdesign + svyby, write the results; (2) contrib estimate, quick mode, on the same file
        // (bootstrap's default scale is R's, 1/(R − 1)). Both whole processes, one after the other.
        string[] contribArgs = ["estimate", "--data", data, "--weights", "w", "--repweights", "rep*", "--rep-type", "bootstrap", "--total", "y", "--by", "d", "--out", cOut];
        var run = RThenContrib("R", [script, data, rOut], "contrib estimate", contribArgs, persons, work);
        var (r, c) = (run.R, run.Contrib);
        var rRead = RStep(r, "read");
        var rEstimate = RStep(r, "estimate");
        var rWrite = RStep(r, "write");
        var rDesign = r.Output.Split('\n').First(l => l.StartsWith("replicates ", StringComparison.Ordinal)).Trim().Split(' ');

        var rResults = ReadEstimates(rOut, "d", "total", "se");
        var cResults = ReadEstimates(cOut, "d", "estimate", "se");
        var (maxTotal, maxSe, compared) = MaxRelativeDifferences(rResults, cResults);

        var parity = compared == domains && rResults.Count == domains && cResults.Count == domains && maxTotal <= 1e-9 && maxSe <= 1e-9;
        var wallRatio = r.Seconds / c.Seconds;
        var cpuRatio = r.Cpu / c.Cpu;
        var estimateRatio = rEstimate.Wall / c.Seconds;

        report.AppendLine(SurveyHeading).AppendLine();
        report.AppendLine(Inv, $"Data: one CSV written by the harness before either run (not timed), {persons:N0} persons × {replicates} bootstrap replicate weights × {domains} domains, {bytes / 1e6:N1} MB: person i = 1..n, weight w = 100 + (31 i mod 97), y = (17 i mod 41)/2, domain d = 13 i mod {domains}, replicate rep_k = w × ((7919 i + 104729 k) mod 5)/2, k = 1..{replicates} (columns id, w, y, d, rep1..rep{replicates}; every value exact in binary). Estimator: total of y by d with bootstrap replicate standard errors, scale 1/(R−1), centred on the replicate mean.").AppendLine();
        report.AppendLine("Both sides are whole processes on that same file, one after the other in this run:").AppendLine();
        report.AppendLine(Inv, $"1. `Rscript svyby_bench.R FILE OUT` (R survey {rVersion}): `data.table::fread` of the CSV, `svrepdesign(data, repweights = \"^rep[0-9]+$\", weights = ~w, type = \"bootstrap\", combined.weights = TRUE)`, `svyby(~y, ~d, des, svytotal)`, `write.csv` of the 200 totals and SEs (the script is `RScript` in Program.cs).");
        report.AppendLine(Inv, $"2. `dotnet contrib.dll {string.Join(' ', contribArgs.Select(a => a == data ? "FILE" : a == cOut ? "OUT.csv" : a.Contains('*', StringComparison.Ordinal) ? "'" + a + "'" : a))}` (reads the CSV, builds the design incl. the rank of the replicate matrix for the degrees of freedom, writes estimate, SE, t interval, CV, df, n and release flag per domain; the default bootstrap scale is R's, 1/(R−1)).").AppendLine();
        run.AppendTable(report, "contrib estimate");
        report.AppendLine(Inv, $"Inside R (proc.time, extra information): fread {rRead.Wall:F2} s wall ({rRead.Cpu:F2} CPU), svrepdesign + svyby alone {rEstimate.Wall:F2} s wall ({rEstimate.Cpu:F2} CPU), write.csv {rWrite.Wall:F2} s; R's design: {rDesign[1]} replicates, scale {rDesign[3]} (1/(R−1) = {1.0 / (replicates - 1):R}).").AppendLine();
        report.AppendLine(Inv, $"- parity: {compared} domains compared (R {rResults.Count}, contrib {cResults.Count}); max relative difference: totals {maxTotal:E2}, SEs {maxSe:E2} (tolerance 1e-9: **{Met(parity)}**)");
        report.AppendLine(Inv, $"- R / contrib, whole processes: **{wallRatio:F1}× wall**, {cpuRatio:F1}× CPU (target ≥ 20× wall: **{Met(wallRatio >= 20)}**)");
        report.AppendLine(Inv, $"- R's svrepdesign + svyby alone / the whole `contrib estimate` process: {estimateRatio:F1}× wall, {rEstimate.Cpu / c.Cpu:F1}× CPU");
        report.AppendLine();
    }

    // ---------------------------------------------------------------- g. logistic regression with replicate weights vs R svyglm
    private const string ModelHeading = "## g. `contrib model`: logistic regression with replicate weights vs R survey `svyglm`";

    /// <summary>
    /// Writes the model file once (outside the timed part), then runs R's <c>svyglm</c> and <c>contrib model</c> on it as
    /// whole processes, one after the other, and compares every coefficient and SE.
    /// </summary>
    private static void Model(StringBuilder report, string work, int persons)
    {
        const int replicates = 160;
        var data = Path.Combine(work, string.Create(Inv, $"model-{persons}.csv"));
        var writing = Stopwatch.StartNew();
        WriteModelCsv(data, persons, replicates);
        var bytes = new FileInfo(data).Length;
        Console.WriteLine($"wrote {data} ({bytes / 1e6:N1} MB) in {writing.Elapsed.TotalSeconds:F1} s");

        EnsureR();
        var rVersion = RVersion();
        var script = Path.Combine(work, "svyglm_bench.R");
        File.WriteAllText(script, RModelScript);
        var rOut = Path.Combine(work, "svyglm_r.csv");
        var cOut = Path.Combine(work, "svyglm_contrib.csv");
        File.Delete(rOut);
        File.Delete(cOut);
        const string formula = "y ~ sex + age + region + educ + urban";

        string[] contribArgs = ["model", "--data", data, "--weights", "w", "--repweights", "rep*", "--rep-type", "bootstrap", "--formula", formula, "--family", "binomial", "--out", cOut];
        var run = RThenContrib("R svyglm", [script, data, rOut], "contrib model", contribArgs, persons, work);
        var (r, c) = (run.R, run.Contrib);
        var rRead = RStep(r, "read");
        var rFit = RStep(r, "fit");

        var rResults = ReadEstimates(rOut, "term", "estimate", "se");
        var cResults = ReadEstimates(cOut, "term", "estimate", "se");
        var (maxEstimate, maxSe, compared) = MaxRelativeDifferences(rResults, cResults);

        var parity = compared == 10 && rResults.Count == 10 && cResults.Count == 10 && maxEstimate <= 1e-9 && maxSe <= 1e-9;
        var wallRatio = r.Seconds / c.Seconds;
        report.AppendLine(ModelHeading).AppendLine();
        report.AppendLine(Inv, $"Data: one CSV written by the harness before either run (not timed), {persons:N0} persons × {replicates} bootstrap-type replicate weights, {bytes / 1e6:N1} MB: person i = 1..n, weight w = 100 + (31 i mod 97), with h = 2654435761 i mod 2³²: sex = F when ⌊h/2³⌋ is even, age = 15-24/25-39/40-59/60+ by ⌊h/2⁷⌋ mod 4, region = r1..r4 by ⌊h/2¹¹⌋ mod 4, educ = 6 + ⌊h/2¹⁵⌋ mod 11, urban = 1 when ⌊h/2²⁰⌋ mod 3 = 0, y = 1 when the uniform u_i = frac(0.6180339887 i) is below logit⁻¹(−1 + 0.3·[F] + 0.1·age index − 0.2·region index + 0.05·(educ − 11) + 0.4·urban), replicate rep_k = w × ⌊g/2³⁰⌋/2 with g = 2654435761 (7919 i + 104729 k) mod 2³² (multipliers 0, ½, 1, 1½; every value exact in binary). Model: `{formula}` (10 coefficients), quasibinomial, replicate variance scale 1/(R−1) centred on the replicate mean.").AppendLine();
        report.AppendLine("Both sides are whole processes on that same file, one after the other in this run:").AppendLine();
        report.AppendLine(Inv, $"1. `Rscript svyglm_bench.R FILE OUT` (R survey {rVersion}): `data.table::fread`, `svrepdesign(data, repweights = \"^rep[0-9]+$\", weights = ~w, type = \"bootstrap\", combined.weights = TRUE)`, `svyglm(formula, des, family = quasibinomial())` (161 glm.fit calls, replicates started from the full-sample coefficients), `write.csv` of the table (the script is `RModelScript` in Program.cs).");
        report.AppendLine(Inv, $"2. `dotnet contrib.dll model --data FILE --weights w --repweights 'rep*' --rep-type bootstrap --formula \"{formula}\" --family binomial --out OUT.csv` (reads the CSV from its bytes on every core, builds the design incl. the rank of the replicate matrix for the degrees of freedom, fits the full sample on the rows and the 160 replicates warm-started from it on the per-covariate-pattern sums of their weights (methodology/estimation.md §9) on {Environment.ProcessorCount} cores, writes term, estimate, se, t, df, p).").AppendLine();
        run.AppendTable(report, "contrib model");
        report.AppendLine(Inv, $"Inside R (proc.time, extra information): fread {rRead.Wall:F2} s wall ({rRead.Cpu:F2} CPU), svrepdesign + svyglm {rFit.Wall:F2} s wall ({rFit.Cpu:F2} CPU).").AppendLine();
        report.AppendLine(Inv, $"- parity: {compared} coefficients compared (R {rResults.Count}, contrib {cResults.Count}); max relative difference: estimates {maxEstimate:E2}, SEs {maxSe:E2} (tolerance 1e-9: **{Met(parity)}**)");
        report.AppendLine(Inv, $"- R / contrib, whole processes: **{wallRatio:F1}× wall**, {r.Cpu / c.Cpu:F1}× CPU (target ≥ 20× wall: **{Met(wallRatio >= 20)}**)");
        report.AppendLine(Inv, $"- R's svrepdesign + svyglm alone / the whole `contrib model` process: {rFit.Wall / c.Seconds:F1}× wall, {rFit.Cpu / c.Cpu:F1}× CPU");
        report.AppendLine();
    }

    /// <summary>Writes the model benchmark file by the formulas stated in the report.</summary>
    private static void WriteModelCsv(string path, int n, int replicates)
    {
        var temporary = path + ".tmp";
        string[] ages = ["15-24", "25-39", "40-59", "60+"];
        using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false), 1 << 20))
        {
            writer.Write("id,w,y,sex,age,region,educ,urban");
            for (var k = 1; k <= replicates; k++) writer.Write(string.Create(Inv, $",rep{k}"));
            writer.Write('\n');
            Span<char> buffer = stackalloc char[32];
            for (long id = 1; id <= n; id++)
            {
                double weight = 100 + (31 * id % 97);
                long h = id * 2654435761L % 4294967296L; // Knuth's multiplicative hash: covariates that are not functions of each other
                bool female = (h >> 3) % 2 == 0;
                int age = (int)((h >> 7) % 4), region = (int)((h >> 11) % 4);
                int educ = 6 + (int)((h >> 15) % 11);
                int urban = (h >> 20) % 3 == 0 ? 1 : 0;
                double eta = -1 + 0.3 * (female ? 1 : 0) + 0.1 * age - 0.2 * region + 0.05 * (educ - 11) + 0.4 * urban;
                double u = 0.6180339887 * id % 1.0;
                int y = u < 1 / (1 + Math.Exp(-eta)) ? 1 : 0;
                writer.Write(string.Create(Inv, $"{id},{weight},{y},{(female ? "F" : "M")},{ages[age]},r{region + 1},{educ},{urban}"));
                for (long k = 1; k <= replicates; k++)
                {
                    writer.Write(',');
                    ulong mix = unchecked((ulong)(7919 * id + 104729L * k) * 2654435761UL) & 0xFFFFFFFFUL; // mod 2³², without overflow
                    (weight * ((mix >> 30) / 2.0)).TryFormat(buffer, out var written, "R", Inv);
                    writer.Write(buffer[..written]);
                }

                writer.Write('\n');
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    private const string RModelScript = """
        args <- commandArgs(TRUE); file <- args[1]; out <- args[2]
        suppressMessages(library(survey))
        step <- function(name, t) cat(sprintf("%s %.3f %.3f\n", name, t[["elapsed"]], t[["user.self"]] + t[["sys.self"]]))
        t0 <- proc.time()
        df <- as.data.frame(data.table::fread(file))
        t1 <- proc.time()
        des <- svrepdesign(data = df, repweights = "^rep[0-9]+$", weights = ~w, type = "bootstrap", combined.weights = TRUE)
        fit <- svyglm(y ~ sex + age + region + educ + urban, des, family = quasibinomial())
        tab <- summary(fit)$coefficients
        t2 <- proc.time()
        write.csv(data.frame(term = rownames(tab), estimate = sprintf("%.17g", tab[, 1]), se = sprintf("%.17g", tab[, 2])), out, row.names = FALSE)
        step("read", t1 - t0)
        step("fit", t2 - t1)
        """;

    /// <summary>Writes the survey benchmark file: id, w, y, d, rep1..repR, by the formulas stated in the report.</summary>
    private static void WriteSurveyCsv(string path, int n, int replicates, int domains)
    {
        var temporary = path + ".tmp";
        using (var writer = new StreamWriter(temporary, false, new UTF8Encoding(false), 1 << 20))
        {
            writer.Write("id,w,y,d");
            for (var k = 1; k <= replicates; k++) writer.Write(string.Create(Inv, $",rep{k}"));
            writer.Write('\n');
            Span<char> buffer = stackalloc char[32];
            static void Number(StreamWriter w, double value, Span<char> chars)
            {
                value.TryFormat(chars, out var written, "R", Inv);
                w.Write(chars[..written]);
            }

            for (long id = 1; id <= n; id++)
            {
                double weight = 100 + (31 * id % 97);
                writer.Write(id.ToString(Inv));
                writer.Write(',');
                Number(writer, weight, buffer);
                writer.Write(',');
                Number(writer, (17 * id % 41) / 2.0, buffer);
                writer.Write(',');
                writer.Write((13 * id % domains).ToString(Inv));
                for (long k = 1; k <= replicates; k++)
                {
                    writer.Write(',');
                    Number(writer, weight * ((7919 * id + 104729L * k) % 5 / 2.0), buffer);
                }

                writer.Write('\n');
            }
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Domain → (total, SE) from a results CSV with a header (R's write.csv quotes its fields).</summary>
    private static Dictionary<string, (double Total, double Se)> ReadEstimates(string path, string domainColumn, string totalColumn, string seColumn)
    {
        var lines = File.ReadAllLines(path);
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToList();
        int di = header.IndexOf(domainColumn), ti = header.IndexOf(totalColumn), si = header.IndexOf(seColumn);
        if (di < 0 || ti < 0 || si < 0) throw new InvalidOperationException($"{path}: columns {domainColumn}, {totalColumn}, {seColumn} expected, found {lines[0]}");
        var result = new Dictionary<string, (double Total, double Se)>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var f = line.Split(',').Select(s => s.Trim('"')).ToArray();
            result[f[di]] = (double.Parse(f[ti], Inv), double.Parse(f[si], Inv));
        }

        return result;
    }

    private const string RScript = """
        args <- commandArgs(TRUE); file <- args[1]; out <- args[2]
        suppressMessages(library(survey))
        step <- function(name, t) cat(sprintf("%s %.3f %.3f\n", name, t[["elapsed"]], t[["user.self"]] + t[["sys.self"]]))
        t0 <- proc.time()
        df <- as.data.frame(data.table::fread(file))
        t1 <- proc.time()
        des <- svrepdesign(data = df, repweights = "^rep[0-9]+$", weights = ~w, type = "bootstrap", combined.weights = TRUE)
        res <- svyby(~y, ~d, des, svytotal)
        t2 <- proc.time()
        write.csv(data.frame(d = as.character(res$d), total = sprintf("%.17g", coef(res)), se = sprintf("%.17g", SE(res))), out, row.names = FALSE)
        t3 <- proc.time()
        step("read", t1 - t0)
        step("estimate", t2 - t1)
        step("write", t3 - t2)
        cat(sprintf("replicates %d scale %.17g\n", ncol(des$repweights), des$scale))
        """;

    private static void EnsureR()
    {
        var check = Child("Rscript", ["-e", "library(survey)"], Path.GetTempPath(), allowMissing: true);
        if (check.ExitCode == 0) return;
        Console.WriteLine("R or r-cran-survey missing: installing with apt-get");
        Child("apt-get", ["update"], Path.GetTempPath());
        var install = Child("apt-get", ["install", "-y", "r-base-core", "r-cran-survey"], Path.GetTempPath());
        if (install.ExitCode != 0) throw new InvalidOperationException("apt-get install r-cran-survey failed: " + install.Output);
    }

    private static string RVersion()
    {
        var v = Child("Rscript", ["-e", "cat(as.character(packageVersion('survey')))"], Path.GetTempPath());
        return v.ExitCode == 0 ? v.Output.Trim() : "?";
    }

    // ---------------------------------------------------------------- e. contrib estimate --data: peak memory
    /// <summary>
    /// Peak resident set of whole <c>contrib estimate --data</c> processes on (1) a survey CSV of <paramref name="gigabytes"/>
    /// GiB in the layout of the hardening big-file test (stratified cluster design, ~250-byte rows with a Cyrillic text
    /// column) and (2) the replicate-weight file of section b. (<paramref name="persons"/> × 160 bootstrap replicates); the
    /// earlier build (<paramref name="oldBin"/>) and this one one after the other on the same files, outputs compared byte for byte.
    /// The generated files are deleted afterwards.
    /// </summary>
    private static void EstimateMemory(StringBuilder report, string work, long gigabytes, string? oldBin, int persons)
    {
        var big = Path.Combine(work, "estimate-big.csv");
        var clock = Stopwatch.StartNew();
        var rows = WriteBigSurveyCsv(big, gigabytes << 30);
        var bigBytes = new FileInfo(big).Length;
        Console.WriteLine($"wrote {big} ({bigBytes / 1e6:N0} MB, {rows:N0} rows) in {clock.Elapsed.TotalSeconds:F0} s");
        var replicate = Path.Combine(work, string.Create(Inv, $"survey-{persons}.csv"));
        WriteSurveyCsv(replicate, persons, 160, 200);
        var replicateBytes = new FileInfo(replicate).Length;

        string[] taylorArgs = ["estimate", "--data", big, "--weights", "w", "--strata", "strata", "--psu", "psu", "--total", "h", "--mean", "h", "--proportion", "sex=ж", "--by", "sex"];
        string[] ownPsuArgs = ["estimate", "--data", big, "--weights", "w", "--strata", "strata", "--total", "h", "--quantile", "h:0.5", "--by", "sex"];
        string[] replicateArgs = ["estimate", "--data", replicate, "--weights", "w", "--repweights", "rep*", "--rep-type", "bootstrap", "--total", "y", "--by", "d"];
        var loads = new[]
        {
            (Name: string.Create(Inv, $"{bigBytes / 1e9:N2} GB survey CSV, {rows:N0} rows × 12 columns, Taylor design (40 strata, 400 PSUs)"), Args: taylorArgs, Tag: "taylor"),
            (Name: string.Create(Inv, $"the same file, stratified, each row its own PSU (no --psu), total and median"), Args: ownPsuArgs, Tag: "rows-as-psus"),
            (Name: string.Create(Inv, $"{replicateBytes / 1e6:N0} MB survey CSV, {persons:N0} rows × 160 bootstrap replicate weights (section b.)"), Args: replicateArgs, Tag: "replicate"),
        };

        report.AppendLine("## e. `contrib estimate --data`: peak memory on big survey files").AppendLine();
        report.AppendLine(Inv, $"Command: `dotnet run -c Release --project tests/ContributionIndex.Benchmarks -- estimate-memory --gb {gigabytes} --persons {persons}{(oldBin is null ? "" : " --old-bin DIR")}`; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, machine shared with other builds (load average in the table). Peak memory is the peak resident set (VmHWM) of the whole `contrib` process; it does not depend on the load. Target: < 1 GB.").AppendLine();
        report.AppendLine(Inv, $"Files: (1) the layout of `Hardening/BigFile/BigFileTests` (id, act, w = 100 + (r mod 997) + 0.5, strata S(r mod 40), psu P(r mod 400), vol, h = (r mod 37) + 0.25, isco, sdg, sex ж/м, age, a 100-character Cyrillic text), `{string.Join(' ', taylorArgs.Skip(3).Prepend("estimate --data FILE"))}` and `{string.Join(' ', ownPsuArgs.Skip(3).Prepend("estimate --data FILE"))}`; (2) section b.'s file, `{string.Join(' ', replicateArgs.Skip(3).Select(a => a.Contains('*', StringComparison.Ordinal) ? "'" + a + "'" : a).Prepend("estimate --data FILE"))}`.").AppendLine();
        report.AppendLine("| load | build | wall (s) | CPU (s) | peak memory | target < 1 GB | load average before |");
        report.AppendLine("|---|---|---|---|---|---|---|");
        var identical = new List<string>();
        foreach (var (name, arguments, tag) in loads)
        {
            var outputs = new List<string>();
            foreach (var (build, dll) in Builds(oldBin))
            {
                var output = Path.Combine(work, $"estimate-{tag}-{build}.csv");
                File.Delete(output);
                var load = LoadAverage();
                var run = Child("dotnet", [dll, .. arguments, "--out", output], work);
                if (run.ExitCode != 0) throw new InvalidOperationException($"contrib estimate ({build}) failed: " + run.Output);
                report.AppendLine(Inv, $"| {name} | {build} | {run.Seconds:F1} | {run.Cpu:F1} | {run.PeakBytes / 1e6:N0} MB | **{Met(run.PeakBytes < 1e9)}** | {load} |");
                outputs.Add(output);
            }

            if (outputs.Count == 2)
                identical.Add(string.Create(Inv, $"{tag}: estimates of both builds byte-identical: **{(File.ReadAllBytes(outputs[0]).AsSpan().SequenceEqual(File.ReadAllBytes(outputs[1])) ? "yes" : "NO")}**"));
        }

        report.AppendLine();
        foreach (var line in identical) report.AppendLine("- " + line);
        report.AppendLine().AppendLine(Inv, $"Load average at the end: {LoadAverage()}.").AppendLine();
        File.Delete(big);
        File.Delete(replicate);
    }

    /// <summary>The builds to measure: the earlier one (when given) first, then this one.</summary>
    private static IEnumerable<(string Name, string Dll)> Builds(string? oldBin)
    {
        if (oldBin is not null) yield return ("before", Path.Combine(Path.GetFullPath(oldBin), "contrib.dll"));
        yield return ("after", ContribDll());
    }

    /// <summary>The rows of the hardening big-file test (without its planted repeats) until the file reaches <paramref name="targetBytes"/>.</summary>
    private static long WriteBigSurveyCsv(string path, long targetBytes)
    {
        const string Text = "Помощь пожилым соседям: покупка продуктов, уборка двора и сопровождение к врачу, примерно раз в неделю";
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        writer.WriteLine("id,act,w,strata,psu,vol,h,isco,sdg,sex,age,text");
        long rows = 0;
        while (stream.Length < targetBytes)
        {
            for (var i = 0; i < 10_000; i++, rows++)
                writer.WriteLine(string.Create(Inv, $"P{rows},a,{100 + rows % 997}.5,S{rows % 40},P{rows % 400},да,{rows % 37}.25,9112,3;11,{(rows % 2 == 0 ? "ж" : "м")},{15 + rows % 60},\"{Text} №{rows}\""));
        }

        return rows;
    }

    // ---------------------------------------------------------------- f. XLSX study input
    /// <summary>
    /// <c>contrib value --records none</c> on the synthetic hour log of <paramref name="rows"/> rows saved as an XLSX workbook
    /// (shared strings, dates as date-formatted serial numbers, hours and ages as numbers), earlier build and this one; the
    /// same log as CSV through this build for reference. summary.csv of every run compared byte for byte.
    /// </summary>
    private static void XlsxInput(StringBuilder report, string work, long rows, string? oldBin)
    {
        var folder = Path.Combine(work, string.Create(Inv, $"xlsx-{rows}"));
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        HourLogSynthesizer.Write(rows, folder);
        var csv = Path.Combine(folder, "hours.csv");
        var xlsx = Path.Combine(folder, "hours.xlsx");
        var clock = Stopwatch.StartNew();
        CsvToXlsx(csv, xlsx);
        Console.WriteLine($"wrote {xlsx} ({new FileInfo(xlsx).Length / 1e6:N1} MB) in {clock.Elapsed.TotalSeconds:F0} s");
        var study = File.ReadAllText(Path.Combine(folder, "study.yaml"));
        var csvLines = "    path: hours.csv\n    format: csv\n    encoding: utf-8\n    delimiter: \",\"\n    decimal: \".\"\n";
        if (!study.Contains(csvLines, StringComparison.Ordinal)) throw new InvalidOperationException("The synthetic study's input lines changed; update the benchmark.");
        File.WriteAllText(Path.Combine(folder, "study-xlsx.yaml"), study.Replace(csvLines, "    path: hours.xlsx\n    format: xlsx\n", StringComparison.Ordinal));

        report.AppendLine("## f. XLSX study input: `contrib value` on a 1 M-row workbook").AppendLine();
        report.AppendLine(Inv, $"Command: `dotnet run -c Release --project tests/ContributionIndex.Benchmarks -- xlsx --xlsx-rows {rows}{(oldBin is null ? "" : " --old-bin DIR")}`; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, machine shared with other builds (load average in the table). Input: `contrib synth --rows {rows}` saved as one sheet of {new FileInfo(xlsx).Length / 1e6:N1} MB ({new FileInfo(csv).Length / 1e6:N1} MB as CSV; text as shared strings, dates as serial numbers with a date format, hours and ages as numbers). Peak memory is the peak resident set of the whole `contrib` process. Target: < 1 GB.").AppendLine();
        report.AppendLine("| input | build | wall (s) | CPU (s) | peak memory | target < 1 GB | load average before |");
        report.AppendLine("|---|---|---|---|---|---|---|");
        var summaries = new List<(string Name, byte[] Bytes)>();
        foreach (var (input, yaml, builds) in new[] { ("XLSX", "study-xlsx.yaml", Builds(oldBin).ToArray()), ("CSV (reference)", "study.yaml", Builds(null).ToArray()) })
        {
            foreach (var (build, dll) in builds)
            {
                var output = Path.Combine(folder, $"out-{build}-{Path.GetFileNameWithoutExtension(yaml)}");
                if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
                var load = LoadAverage();
                var run = Child("dotnet", [dll, "value", Path.Combine(folder, yaml), "--out", output, "--records", "none"], folder);
                if (run.ExitCode != 0) throw new InvalidOperationException($"contrib value ({build}, {input}) failed: " + run.Output);
                report.AppendLine(Inv, $"| {input} | {build} | {run.Seconds:F1} | {run.Cpu:F1} | {run.PeakBytes / 1e6:N0} MB | **{Met(run.PeakBytes < 1e9)}** | {load} |");
                summaries.Add(($"{input} {build}", File.ReadAllBytes(Path.Combine(output, "summary.csv"))));
            }
        }

        report.AppendLine();
        var first = summaries[0];
        foreach (var other in summaries.Skip(1))
            report.AppendLine(Inv, $"- summary.csv of {first.Name} and {other.Name} byte-identical: **{(first.Bytes.AsSpan().SequenceEqual(other.Bytes) ? "yes" : "NO")}**");
        report.AppendLine().AppendLine(Inv, $"Load average at the end: {LoadAverage()}.").AppendLine();
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Writes a CSV without quoted fields (the synthetic log) as a one-sheet XLSX workbook, streaming the sheet XML.</summary>
    private static void CsvToXlsx(string csvPath, string xlsxPath)
    {
        static void Entry(System.IO.Compression.ZipArchive zip, string name, string text)
        {
            using var writer = new StreamWriter(zip.CreateEntry(name, System.IO.Compression.CompressionLevel.Fastest).Open(), new UTF8Encoding(false));
            writer.Write(text);
        }

        const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
        const string Rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
        using var zip = System.IO.Compression.ZipFile.Open(xlsxPath, System.IO.Compression.ZipArchiveMode.Create);
        Entry(zip, "[Content_Types].xml", """<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>""");
        Entry(zip, "_rels/.rels", $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{Rels}/officeDocument" Target="xl/workbook.xml"/></Relationships>""");
        Entry(zip, "xl/workbook.xml", $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="{Main}" xmlns:r="{Rels}"><sheets><sheet name="log" sheetId="1" r:id="rId1"/></sheets></workbook>""");
        Entry(zip, "xl/_rels/workbook.xml.rels", $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{Rels}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{Rels}/styles" Target="styles.xml"/><Relationship Id="rId3" Type="{Rels}/sharedStrings" Target="sharedStrings.xml"/></Relationships>""");
        Entry(zip, "xl/styles.xml", $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><styleSheet xmlns="{Main}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>""");

        var strings = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = new List<string>();
        int Shared(string text)
        {
            if (!strings.TryGetValue(text, out var index))
            {
                strings[text] = index = order.Count;
                order.Add(text);
            }

            return index;
        }

        using (var sheet = new StreamWriter(zip.CreateEntry("xl/worksheets/sheet1.xml", System.IO.Compression.CompressionLevel.Fastest).Open(), new UTF8Encoding(false), 1 << 16))
        {
            sheet.Write($"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="{Main}"><sheetData>""");
            using var reader = new StreamReader(csvPath);
            var header = reader.ReadLine()!.Split(',');
            int date = Array.IndexOf(header, "date"), hours = Array.IndexOf(header, "hours"), age = Array.IndexOf(header, "age");
            var epoch = new DateTime(1899, 12, 30);
            var row = 0;
            for (var line = header; line is not null; line = reader.ReadLine()?.Split(','))
            {
                row++;
                sheet.Write(string.Create(Inv, $"<row r=\"{row}\">"));
                for (var c = 0; c < line.Length; c++)
                {
                    var reference = ContributionIndex.Ingest.TabularReader.CellReference(row, c + 1);
                    var value = line[c];
                    if (row > 1 && (c == hours || c == age) && value.Length > 0)
                        sheet.Write(string.Create(Inv, $"<c r=\"{reference}\"><v>{value}</v></c>"));
                    else if (row > 1 && c == date && value.Length > 0)
                        sheet.Write(string.Create(Inv, $"<c r=\"{reference}\" s=\"1\"><v>{(DateTime.Parse(value, Inv) - epoch).TotalDays:R}</v></c>"));
                    else if (value.Length > 0)
                        sheet.Write(string.Create(Inv, $"<c r=\"{reference}\" t=\"s\"><v>{Shared(value)}</v></c>"));
                }

                sheet.Write("</row>");
            }

            sheet.Write("</sheetData></worksheet>");
        }

        using var sst = new StreamWriter(zip.CreateEntry("xl/sharedStrings.xml", System.IO.Compression.CompressionLevel.Fastest).Open(), new UTF8Encoding(false), 1 << 16);
        sst.Write(string.Create(Inv, $"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="{Main}" count="{order.Count}" uniqueCount="{order.Count}">"""));
        foreach (var text in order) sst.Write($"<si><t xml:space=\"preserve\">{System.Security.SecurityElement.Escape(text)}</t></si>");
        sst.Write("</sst>");
    }

    // ---------------------------------------------------------------- measurement helpers
    /// <summary>An R script and a contrib command measured as whole processes one after the other, with the load around each.</summary>
    private sealed record SideBySide(Measured R, string RLoadBefore, string RLoadAfter, Measured Contrib, string ContribLoadBefore, string ContribLoadAfter)
    {
        /// <summary>The report's table of both processes: wall, CPU, peak memory and load average before and after.</summary>
        public void AppendTable(StringBuilder report, string contribName)
        {
            report.AppendLine("| process | wall (s) | CPU (s) | peak memory | load average before → after |");
            report.AppendLine("|---|---|---|---|---|");
            report.AppendLine(Inv, $"| R: whole `Rscript` process | {R.Seconds:F2} | {R.Cpu:F2} | {R.PeakBytes / 1e6:N0} MB | {RLoadBefore} → {RLoadAfter} |");
            report.AppendLine(Inv, $"| `{contribName}`: whole process | {Contrib.Seconds:F2} | {Contrib.Cpu:F2} | {Contrib.PeakBytes / 1e6:N0} MB | {ContribLoadBefore} → {ContribLoadAfter} |");
            report.AppendLine();
        }
    }

    /// <summary>Runs <c>Rscript</c> with <paramref name="rArguments"/>, then <c>contrib</c> with <paramref name="contribArguments"/>; either failing stops the benchmark.</summary>
    private static SideBySide RThenContrib(string rName, string[] rArguments, string contribName, string[] contribArguments, int persons, string work)
    {
        var rLoadBefore = LoadAverage();
        Console.WriteLine($"{rName} on n = {persons:N0}, load average before: {rLoadBefore}");
        var r = Child("Rscript", rArguments, work);
        var rLoadAfter = LoadAverage();
        if (r.ExitCode != 0) throw new InvalidOperationException("R failed: " + r.Output);
        var cLoadBefore = LoadAverage();
        Console.WriteLine($"{contribName} on n = {persons:N0}, load average before: {cLoadBefore}");
        var c = Child("dotnet", [ContribDll(), .. contribArguments], work);
        var cLoadAfter = LoadAverage();
        if (c.ExitCode != 0) throw new InvalidOperationException(contribName + " failed: " + c.Output);
        return new SideBySide(r, rLoadBefore, rLoadAfter, c, cLoadBefore, cLoadAfter);
    }

    /// <summary>The largest relative differences of value and SE over the keys both sides have, and how many keys were compared.</summary>
    private static (double Value, double Se, int Compared) MaxRelativeDifferences(
        Dictionary<string, (double Total, double Se)> r, Dictionary<string, (double Total, double Se)> ours)
    {
        double maxValue = 0, maxSe = 0;
        var compared = 0;
        foreach (var (key, (rValue, rSe)) in r)
        {
            if (!ours.TryGetValue(key, out var o)) continue;
            maxValue = Math.Max(maxValue, Math.Abs(o.Total - rValue) / Math.Abs(rValue));
            maxSe = Math.Max(maxSe, Math.Abs(o.Se - rSe) / Math.Abs(rSe));
            compared++;
        }

        return (maxValue, maxSe, compared);
    }

    private sealed record Measured(double Seconds, double Cpu, long PeakBytes, int ExitCode, string Output);

    private sealed record InProcessMeasured(double Seconds, double Cpu, long Value);

    private static InProcessMeasured InProcess(Func<long> run)
    {
        GC.Collect();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var value = run();
        clock.Stop();
        process.Refresh();
        return new InProcessMeasured(clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds, value);
    }

    /// <summary>The wall and CPU seconds an R benchmark script printed for one step (a line "NAME WALL CPU").</summary>
    private static (double Wall, double Cpu) RStep(Measured r, string name)
    {
        var f = r.Output.Split('\n').First(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Trim().Split(' ');
        return (double.Parse(f[1], Inv), double.Parse(f[2], Inv));
    }

    /// <summary>Runs a child process, polling its peak resident set (VmHWM) and CPU time from /proc until it exits.</summary>
    private static Measured Child(string file, IReadOnlyList<string> arguments, string directory, bool allowMissing = false)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception) when (allowMissing)
        {
            return new Measured(0, 0, 0, -1, "");
        }

        using (process)
        {
            var output = new StringBuilder();
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            long peak = 0;
            double cpu = 0;
            var ticks = 100.0; // USER_HZ on Linux
            while (!process.WaitForExit(10))
            {
                try
                {
                    foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
                    {
                        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                            peak = Math.Max(peak, long.Parse(line[6..].Trim().Split(' ')[0], Inv) * 1024);
                    }

                    var stat = File.ReadAllText($"/proc/{process.Id}/stat");
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    cpu = (long.Parse(fields[11], Inv) + long.Parse(fields[12], Inv)) / ticks;
                }
                catch (IOException)
                {
                    // The process ended between the check and the read.
                }
            }

            process.WaitForExit();
            clock.Stop();
            return new Measured(clock.Elapsed.TotalSeconds, cpu, peak, process.ExitCode, output.ToString());
        }
    }

    private static string ContribDll() => Path.Combine(AppContext.BaseDirectory, "contrib.dll");

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Environment.CurrentDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ContributionIndex.sln"))) return dir.FullName;
        return Environment.CurrentDirectory;
    }

    private static long Option(string[] args, string name, long fallback) =>
        OptionText(args, name) is { } text ? long.Parse(text, Inv) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
