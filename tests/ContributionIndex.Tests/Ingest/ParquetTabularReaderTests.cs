using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.Tests.Samples;
using Parquet;
using Parquet.Schema;

namespace ContributionIndex.Tests.Ingest;

public class ParquetTabularReaderTests
{
    private static async Task<string> WriteTypedFileAsync()
    {
        var path = Path.Combine(SampleStudies.NewTemporaryFolder(), "typed.parquet");
        var id = new DataField<string>("id", true);
        var hours = new DataField<double?>("hours");
        var age = new DataField<int>("age");
        var member = new DataField<bool>("member");
        var day = new DataField<DateOnly>("day");
        await using (var stream = File.Create(path))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(id, hours, age, member, day), stream))
        {
            // Two row groups, so that line numbers must continue across groups.
            foreach (var offset in new[] { 0, 2 })
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync(id, new[] { $"P{offset + 1}", offset == 0 ? null : $"P{offset + 2}" });
                await group.WriteAsync<double>(hours, new double?[] { 1.5, offset == 0 ? null : 0.1 + 0.2 });
                await group.WriteAsync<int>(age, new[] { 30 + offset, 31 + offset });
                await group.WriteAsync<bool>(member, new[] { true, false });
                await group.WriteAsync<DateOnly>(day, new[] { new DateOnly(2023, 1, 2 + offset), new DateOnly(2023, 12, 31) });
                group.CompleteValidate();
            }
        }

        return path;
    }

    [Fact]
    public async Task Typed_columns_become_invariant_text_with_numbers_marked_and_rows_numbered_like_a_sheet()
    {
        var path = await WriteTypedFileAsync();
        using var reader = TabularFile.Open(path);
        Assert.Equal("parquet", reader.Format);
        Assert.Equal(["id", "hours", "age", "member", "day"], reader.Headers);
        var rows = reader.ReadRows().ToList();
        Assert.Equal([2L, 3L, 4L, 5L], rows.Select(r => r.Line));
        Assert.Equal(["P1", "1.5", "30", "true", "2023-01-02"], rows[0].Fields);
        Assert.Equal(["", "", "31", "false", "2023-12-31"], rows[1].Fields);
        // 0.1 + 0.2 = 0.30000000000000004 must survive to the last digit.
        Assert.Equal(["P3", "1.5", "32", "true", "2023-01-04"], rows[2].Fields);
        Assert.Equal("0.30000000000000004", rows[3][1]);
        Assert.True(rows[0].IsNumericCell(1));
        Assert.True(rows[0].IsNumericCell(2));
        Assert.False(rows[0].IsNumericCell(0));
        Assert.Equal(NumberParseStatus.Ok, rows[3].TryGetNumber(1, out var value));
        Assert.Equal(0.1 + 0.2, value);
    }

    [Fact]
    public void A_csv_file_declared_as_parquet_is_refused_with_its_name()
    {
        var path = Path.Combine(SampleStudies.NewTemporaryFolder(), "log.csv");
        File.WriteAllText(path, "a,b\n1,2\n");
        var error = Assert.Throws<InputDataException>(() => TabularFile.Open(path, TabularOptions.Default with { Format = "parquet" }));
        Assert.Contains("log.csv", error.Message);
        Assert.Contains("cannot be opened as Parquet", error.Message);
    }

    [Fact]
    public void The_parquet_extension_selects_the_reader_under_auto()
    {
        Assert.True(TabularFile.IsParquet("x/LOG.PARQUET", TabularOptions.Default));
        Assert.False(TabularFile.IsParquet("x/log.csv", TabularOptions.Default));
        Assert.False(TabularFile.IsParquet("x/log.parquet", TabularOptions.Default with { Format = "csv" }));
    }
}
