using System.Diagnostics;
using System.Globalization;
using System.Text;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Ingest;
using Xunit.Abstractions;

namespace ContributionIndex.Tests.Hardening.BigFile;

/// <summary>Runs only when CONTRIB_BIG_TESTS=1: the multi-GB memory-bound check is too slow for the normal suite.</summary>
public sealed class BigFileFactAttribute : FactAttribute
{
    public BigFileFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CONTRIB_BIG_TESTS") != "1")
            Skip = "multi-GB memory test: set CONTRIB_BIG_TESTS=1 (size in GiB: CONTRIB_BIG_GB, default 2)";
    }
}

/// <summary>
/// Streams a generated multi-GB CSV (temporary folder, deleted afterwards) through StudyInputReader and samples the
/// process's working set and managed heap every 50 ms: reading and mapping must stay bounded, whatever the file size.
/// Run: CONTRIB_BIG_TESTS=1 dotnet test tests/ContributionIndex.Tests -c Release --filter FullyQualifiedName~BigFile
/// </summary>
public class BigFileTests(ITestOutputHelper output)
{
    private static long TargetBytes =>
        (long)(double.Parse(Environment.GetEnvironmentVariable("CONTRIB_BIG_GB") ?? "2", CultureInfo.InvariantCulture) * 1024 * 1024 * 1024);

    private const string Text = "Помощь пожилым соседям: покупка продуктов, уборка двора и сопровождение к врачу, примерно раз в неделю";

    /// <summary>
    /// The rows that repeat an earlier person (row r repeats row r − 2,400,000 for r = 2.5 M, 3.5 M, …): each repeat lies
    /// after the point where the duplicate-key table spills, and its first row before it. Line of row r: r + 2.
    /// </summary>
    private static long? RepeatOf(long row) => row >= 2_500_000 && row % 1_000_000 == 500_000 ? row - 2_400_000 : null;

    /// <summary>Writes rows of clean.csv's layout until the file reaches the target size; returns the row count.</summary>
    private static long Generate(string path, long targetBytes)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 20) { NewLine = "\n" };
        writer.WriteLine("id,act,w,strata,psu,vol,h,isco,sdg,sex,age,text");
        long rows = 0;
        var line = new StringBuilder(256);
        while (stream.Length < targetBytes)
        {
            for (var i = 0; i < 10_000; i++, rows++)
            {
                line.Clear();
                line.Append(CultureInfo.InvariantCulture, $"P{RepeatOf(rows) ?? rows},a,{100 + rows % 997}.5,S{rows % 40},P{rows % 400},да,{rows % 37}.25,9112,3;11,{(rows % 2 == 0 ? "ж" : "м")},{15 + rows % 60},\"{Text} №{rows}\"");
                writer.WriteLine(line);
            }
        }

        return rows;
    }

    private sealed class Sampler : IDisposable
    {
        private readonly Timer timer;
        public long PeakWorkingSet;
        public long PeakManaged;

        public Sampler() => timer = new Timer(_ => Sample(), null, 0, 50);

        public void Sample()
        {
            PeakWorkingSet = Math.Max(PeakWorkingSet, Environment.WorkingSet);
            PeakManaged = Math.Max(PeakManaged, GC.GetTotalMemory(false));
        }

        public void Dispose() => timer.Dispose();
    }

    [BigFileFact]
    public void Hour_log_of_several_GB_streams_in_bounded_memory() => Measure("hour-log", maxManagedMiB: 256);

    [BigFileFact]
    public void Survey_of_several_GB_streams_in_bounded_memory_with_the_duplicate_key_check() => Measure("survey", maxManagedMiB: 256);

    private void Measure(string kind, long maxManagedMiB)
    {
        using var scratch = new TempDirectory();
        var data = scratch.File("big.csv");
        var clock = Stopwatch.StartNew();
        var rows = Generate(data, TargetBytes);
        var size = new FileInfo(data).Length;
        var generated = clock.Elapsed;

        var input = new InputSpec
        {
            Name = "big",
            Kind = StudyChoices.Parse<ContributionIndex.Ingest.InputKind>(kind, "kind", ContributionIndex.Diagnostics.SourceLocation.OfFile("test")),
            Path = "big.csv",
            Columns = kind == "survey"
                ? new Dictionary<string, string> { ["person_id"] = "id", ["activity_id"] = "act", ["weight"] = "w", ["strata"] = "strata", ["psu"] = "psu", ["volunteered"] = "vol", ["hours"] = "h", ["isco"] = "isco", ["sdg"] = "sdg", ["sex"] = "sex", ["age"] = "age", ["activity_text"] = "text" }
                : new Dictionary<string, string> { ["person_id"] = "id", ["activity_id"] = "act", ["volunteered"] = "vol", ["hours"] = "h", ["isco"] = "isco", ["sdg"] = "sdg", ["sex"] = "sex", ["age"] = "age", ["activity_text"] = "text" },
            Constants = new Dictionary<string, string> { ["country"] = "KZ" },
        };
        var study = new Study { Id = "big", Year = 2023, SourcePath = scratch.File("study.yaml"), Inputs = [input] };

        GC.Collect();
        var baselineManaged = GC.GetTotalMemory(true);
        var baselineWorkingSet = Environment.WorkingSet;
        var counts = new IngestCounts();
        double hours = 0;
        clock.Restart();
        using (var sampler = new Sampler())
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var repeats = new List<string>();
            foreach (var item in StudyInputReader.ReadAll(study, counts))
            {
                hours += item.Record?.Hours ?? 0;
                if (item.Rejection is { } rejection) repeats.Add(string.Create(CultureInfo.InvariantCulture, $"{rejection.Location.Line} {rejection.Rule} {rejection.Reason}"));
            }

            sampler.Sample();
            var elapsed = clock.Elapsed;
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{kind}: {size / 1048576.0:F0} MiB, {rows} rows generated in {generated.TotalSeconds:F1} s; read+map {elapsed.TotalSeconds:F1} s wall, {cpu.TotalSeconds:F1} s CPU ({size / 1048576.0 / elapsed.TotalSeconds:F1} MiB/s); " +
                $"working set {baselineWorkingSet / 1048576.0:F0} → peak {sampler.PeakWorkingSet / 1048576.0:F0} MiB; managed heap {baselineManaged / 1048576.0:F0} → peak {sampler.PeakManaged / 1048576.0:F0} MiB; {repeats.Count} duplicate keys rejected"));
            // The planted repeats (survey only: hour logs are not checked) are the only rejections, each naming its first line.
            var expected = new List<string>();
            for (long r = 0; kind == "survey" && r < rows; r++)
            {
                if (RepeatOf(r) is { } first)
                    expected.Add(string.Create(CultureInfo.InvariantCulture, $"{r + 2} key.duplicate person_id 'P{first}' and activity_id 'a' already appears on line {first + 2}; each person × activity must appear once (remove the repeated row, or map activity_id if a person has several activities)."));
            }

            Assert.Equal(expected, repeats);
            Assert.Equal(rows, counts.Read);
            Assert.Equal(rows - expected.Count, counts.Accepted);
            Assert.True(hours > 0);
            // Bounded: the peak managed heap above the baseline stays under the cap, surveys included (the duplicate-key
            // table is capped at 64 MiB and spills to temporary files beyond it): nothing grows with the file.
            var allowed = maxManagedMiB * 1048576.0;
            Assert.True(sampler.PeakManaged - baselineManaged < allowed,
                string.Create(CultureInfo.InvariantCulture, $"peak managed heap grew by {(sampler.PeakManaged - baselineManaged) / 1048576.0:F0} MiB, above {allowed / 1048576.0:F0} MiB"));
        }
    }
}
