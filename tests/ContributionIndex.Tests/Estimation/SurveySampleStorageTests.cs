using System.Globalization;
using System.Text;
using ContributionIndex.Estimation;

namespace ContributionIndex.Tests.Estimation;

/// <summary>
/// Quick-mode sample storage (#15, memory): label columns as integer codes with one string per distinct label, columns
/// made from chunks without loss, designs built from codes identical to designs built from strings, and the replicate
/// weights not copied into the design.
/// </summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class SurveySampleStorageTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("contrib-sample-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string WriteCsv(int rows, int replicates)
    {
        var path = Path.Combine(folder, "sample.csv");
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write("w,y,stratum_name,cluster_name,region_name,answer");
        for (int k = 1; k <= replicates; k++) writer.Write(string.Create(CultureInfo.InvariantCulture, $",rep{k}"));
        writer.Write('\n');
        for (int i = 0; i < rows; i++)
        {
            // Each cluster lies in one stratum; labels are long enough that a string per row would dominate the heap.
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{100 + i % 97}.5,{i % 41 / 2.0},stratum-with-a-long-name-{i % 40},cluster-with-a-long-name-{i % 400},region-with-a-long-name-{i % 7},{(i % 3 == 0 ? "" : i % 3 == 1 ? "yes" : "no")}"));
            for (int k = 1; k <= replicates; k++) writer.Write(string.Create(CultureInfo.InvariantCulture, $",{(100 + i % 97) * ((i + k) % 3)}"));
            writer.Write('\n');
        }

        return path;
    }

    [Fact]
    public void Label_columns_are_codes_with_one_string_per_distinct_label_and_the_live_heap_is_what_the_columns_need()
    {
        const int Rows = 100_000;
        var path = WriteCsv(Rows, replicates: 0);
        var request = new QuickEstimateRequest
        {
            DataPath = path, Weights = "w", Strata = "stratum_name", Psu = "cluster_name", By = ["region_name"], Totals = ["y"],
            Proportions = [new ProportionRequest("answer", "yes")],
        };

        long before = GC.GetTotalMemory(forceFullCollection: true);
        var sample = SurveySample.Read(request);
        long held = GC.GetTotalMemory(forceFullCollection: true) - before;

        Assert.Equal(Rows, sample.RowCount);
        var strata = sample.Labels["stratum_name"];
        Assert.Equal(40, strata.Values.Count);
        Assert.Equal(400, sample.Labels["cluster_name"].Values.Count);
        Assert.Equal(7, sample.Labels["region_name"].Values.Count);
        Assert.Equal(["yes", "no"], sample.Labels["answer"].Values);
        for (int i = 0; i < Rows; i += 997)
        {
            Assert.Equal($"stratum-with-a-long-name-{i % 40}", strata[i]);
            Assert.Equal(i % 3 == 0 ? null : i % 3 == 1 ? "yes" : "no", sample.Labels["answer"][i]);
            Assert.Equal(100 + i % 97 + 0.5, sample.Numbers["w"][i]);
        }

        // Two number columns (8 bytes a row) and four label columns (4 bytes a row): 3.2 MB. A string per row and label
        // column would add about 4 × 100,000 × 90 bytes = 36 MB.
        long needed = Rows * (2L * sizeof(double) + 4L * sizeof(int));
        Assert.True(held < needed * 5 / 4 + (1 << 20), $"the sample holds {held} bytes; its columns need {needed}");
        GC.KeepAlive(sample);
    }

    [Fact]
    public void Chunked_columns_keep_every_value_across_chunk_boundaries()
    {
        // Chunks of 8 doubles (64 bytes) and 16 ints, so every boundary case is small; the default chunk is 64 MiB.
        foreach (var count in new[] { 0, 1, 7, 8, 9, 16, 2 * 8 + 5, 1000 })
        {
            using var column = new ChunkedColumn<double>(chunkBytes: 64);
            Assert.Equal(8, column.ChunkLength);
            for (int i = 0; i < count; i++) column.Add(i * 0.5 - 3);
            Assert.Equal(count, column.Count);
            Assert.Equal(Enumerable.Range(0, count).Select(i => i * 0.5 - 3), column.ToArrayAndRelease());
            Assert.Equal(0, column.Count);

            using var codes = new ChunkedColumn<int>(chunkBytes: 64);
            for (int i = 0; i < count; i++) codes.Add(i % 5 - 1);
            Assert.Equal(Enumerable.Range(0, count).Select(i => i % 5 - 1), codes.ToArrayAndRelease());
        }

        Assert.Equal((64 << 20) / sizeof(double), new ChunkedColumn<double>().ChunkLength);
    }

    [Fact]
    public void A_design_from_codes_is_the_design_from_strings()
    {
        var random = new Random(15);
        const int N = 5_000;
        var weights = Enumerable.Range(0, N).Select(_ => random.Next(0, 4) == 0 ? 0 : 1 + random.NextDouble() * 50).ToArray();
        // PSU labels reused across strata (nested: "1" of stratum A is not "1" of stratum B), strata in shuffled first appearance.
        var strata = Enumerable.Range(0, N).Select(_ => "S" + random.Next(0, 12)).ToArray();
        var psu = Enumerable.Range(0, N).Select(_ => random.Next(0, 9).ToString(CultureInfo.InvariantCulture)).ToArray();
        foreach (var (s, p) in new (string[]?, string[]?)[] { (strata, psu), (strata, null), (null, psu), (null, null) })
        {
            var fromStrings = TaylorDesign.Create(weights, s, p);
            var fromCodes = TaylorDesign.FromCodes((double[])weights.Clone(),
                s is null ? null : CodedLabels.Intern(N, i => s[i]), p is null ? null : CodedLabels.Intern(N, i => p[i]), default, LonelyPsuPolicy.Fail);
            Assert.Equal(fromStrings.RowStratum, fromCodes.RowStratum);
            Assert.Equal(fromStrings.RowPsu, fromCodes.RowPsu);
            Assert.Equal(fromStrings.PsuStratum, fromCodes.PsuStratum);
            Assert.Equal(fromStrings.StratumPsuCount, fromCodes.StratumPsuCount);
            Assert.Equal(fromStrings.StratumLabels, fromCodes.StratumLabels);
            Assert.Equal(fromStrings.DegreesOfFreedom, fromCodes.DegreesOfFreedom);
            Assert.Equal(fromStrings.HasStrata, fromCodes.HasStrata);
        }

        // Independent count: with strata and nested PSUs there are as many PSUs as distinct (stratum, PSU) pairs.
        Assert.Equal(strata.Zip(psu).Distinct().Count(), TaylorDesign.Create(weights, strata, psu).PsuCount);
    }

    [Fact]
    public void Quick_mode_hands_the_replicate_weights_to_the_design_without_a_copy_and_estimates_as_before()
    {
        var path = WriteCsv(3_000, replicates: 12);
        var request = new QuickEstimateRequest
        {
            DataPath = path, Weights = "w", ReplicateWeights = "rep*", ReplicateType = ReplicateMethod.Bootstrap, Totals = ["y"], By = ["region_name"],
        };
        var sample = SurveySample.Read(request);
        var owning = ReplicateDesign.CreateOwning(sample.Numbers["w"], sample.ReplicateColumns, ReplicateMethod.Bootstrap);
        Assert.Same(sample.ReplicateColumns[0], owning.ReplicateWeightColumns[0]);
        Assert.Same(sample.Numbers["w"], owning.SamplingWeights);

        // The public factory copies and gives the same estimates, bit for bit.
        var copied = ReplicateDesign.Create(sample.Numbers["w"], sample.ReplicateColumns, ReplicateMethod.Bootstrap);
        Assert.NotSame(sample.ReplicateColumns[0], copied.ReplicateWeightColumns[0]);
        var domains = DomainPartition.Create(sample.RowCount, ["region_name"], [sample.Labels["region_name"]]);
        var a = SurveyEstimator.Total(owning, "y", sample.Numbers["y"], domains);
        var b = SurveyEstimator.Total(copied, "y", sample.Numbers["y"], domains);
        Assert.Equal(a.Select(e => (e.Value, e.StandardError)), b.Select(e => (e.Value, e.StandardError)));
        Assert.Equal(QuickEstimate.Run(request).Select(e => (e.Value, e.StandardError)), a.Select(e => (e.Value, e.StandardError)));
        // An independent check of one domain total: Σ w·y over its rows.
        var lines = File.ReadAllLines(path).Skip(1).Select(l => l.Split(',')).Where(f => f[4] == a[0].Domain[0]).ToArray();
        Assert.Equal(lines.Sum(f => double.Parse(f[0], CultureInfo.InvariantCulture) * double.Parse(f[1], CultureInfo.InvariantCulture)), a[0].Value, 1e-9 * a[0].Value);
    }
}
