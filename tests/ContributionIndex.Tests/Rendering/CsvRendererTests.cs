using System.Globalization;
using ContributionIndex.Rendering;
using ContributionIndex.Reporting;
using ContributionIndex.Tests.Ingest;

namespace ContributionIndex.Tests.Rendering;

public sealed class CsvRendererTests
{
    [Fact]
    public void Tidy_csv_has_one_record_per_numeric_cell_with_round_trip_values_and_escaped_text()
    {
        var annex = SampleAnnex.Build("en");
        var csv = TidyCsvRenderer.Render(annex.Tables[0]);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("table_id,row,breakdown,category,measure,value,flag,unit,notes", lines[0]);
        // 5 data rows (the group heading is not an observation) × 4 numeric columns.
        Assert.Equal(1 + 5 * 4, lines.Length);
        Assert.Equal("T1,1,Total,All persons aged 15+,volunteers,1234567.891,,PERSONS,", lines[1]);
        Assert.Equal("T1,1,Total,All persons aged 15+,rate,0.0861,,PT,", lines[3]);
        Assert.Contains("T1,3,Sex,Men,volunteers,534567.641,u,PERSONS,", lines);
        // The formula-like label is prefixed with an apostrophe; the withheld value is empty with its flag.
        Assert.Contains("T1,4,Region,'=cmd|' /C calc'!A0,volunteers,,c,PERSONS,1", lines);
        // A negative number is a number, not escaped; a text starting with '-' is escaped.
        Assert.Contains(lines, l => l.StartsWith("T1,5,Region,'-Шымкент", StringComparison.Ordinal) && l.Contains(",volunteers,-0.5,,"));
        foreach (var line in lines.Skip(1))
        {
            var value = line.Split(',')[^4];
            if (value.Length > 0) Assert.True(double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _), line);
        }
    }

    [Fact]
    public void Doubles_round_trip_exactly()
    {
        var value = 0.1 + 0.2; // 0.30000000000000004
        var table = new ReportTable("T", "t", "u", "2023",
            [ReportColumn.Dimension("d", "D"), ReportColumn.Measure("v", "V", NumberStyle.TwoDecimals, "X")],
            [new ReportRow([Cell.Label("a"), Cell.Number(value)])], [], "s", false);
        var line = TidyCsvRenderer.Render(table).Split('\n')[1];
        Assert.Equal(value, double.Parse(line.Split(',')[4], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Csv_and_sdmx_files_are_byte_identical_across_runs()
    {
        using var dir = new TempDirectory();
        var first = TidyCsvRenderer.WriteFiles(SampleAnnex.Build("kk"), Path.Combine(dir.Path, "a"), "kz-");
        var second = TidyCsvRenderer.WriteFiles(SampleAnnex.Build("kk"), Path.Combine(dir.Path, "b"), "kz-");
        Assert.Equal(2, first.Count);
        for (var i = 0; i < first.Count; i++) Assert.Equal(File.ReadAllBytes(first[i]), File.ReadAllBytes(second[i]));
        SdmxCsvRenderer.WriteFile(SampleAnnex.Build("kk"), dir.File("a.sdmx.csv"), "2023");
        SdmxCsvRenderer.WriteFile(SampleAnnex.Build("kk"), dir.File("b.sdmx.csv"), "2023");
        Assert.Equal(File.ReadAllBytes(dir.File("a.sdmx.csv")), File.ReadAllBytes(dir.File("b.sdmx.csv")));
        Assert.NotEqual(0xEF, File.ReadAllBytes(dir.File("a.sdmx.csv"))[0]); // no BOM
    }

    [Fact]
    public void Sdmx_csv_follows_the_sdg_structure()
    {
        var text = SdmxCsvRenderer.Render(SampleAnnex.Build("en"), "2023");
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        Assert.Equal("DATAFLOW", header[0]);
        Assert.Equal(["FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION"], header[1..8]);
        Assert.Equal("TIME_PERIOD", header[16]);
        Assert.Equal("OBS_VALUE", header[17]);
        // Updated for issue #14: SOURCE_DETAIL (survey vs platform), LOWER_BOUND and UPPER_BOUND join the attributes.
        Assert.Equal(["UNIT_MEASURE", "UNIT_MULT", "OBS_STATUS", "NATURE", "SOURCE_DETAIL", "LOWER_BOUND", "UPPER_BOUND", "COMMENT_OBS"], header[18..]);

        var records = lines.Skip(1).Select(l => l.Split(',')).ToArray();
        // T1: 5 data rows × 2 SDMX measure columns (SE and CV are precision columns); T4: 17 goals.
        Assert.Equal(5 * 2 + 17, records.Length);
        var totalVolunteers = records[0];
        Assert.Equal(SdmxCsvRenderer.DefaultDataflow, totalVolunteers[0]);
        Assert.Equal(["A", "N", "VOL_NUM", "398", "_T", "_T", "_T"], totalVolunteers[1..8]);
        Assert.Equal("2023", totalVolunteers[16]);
        // Values at the table's published precision (volunteers: integers), not round-trip (was 1234567.891).
        Assert.Equal("1234568", totalVolunteers[17]);
        Assert.Equal(["NUMBER", "0", "A", "C", "", "", "", "T1/volunteers"], totalVolunteers[18..]);

        // The rate is stored as a fraction (0.0861) and published in percent under PT.
        Assert.Equal("8.6", records.Single(r => r[3] == "VOL_RATE" && r[5] == "_T" && r[11] == "_T")[17]);
        var men = records.Single(r => r[3] == "VOL_NUM" && r[5] == "M");
        Assert.Equal("U", men[20]); // [u] -> OBS_STATUS U (low reliability)
        Assert.Equal("T1/volunteers [u]", men[^1]); // and the flag in the footnote
        var suppressed = records.Single(r => r[3] == "VOL_NUM" && r[11] == "REG_X");
        Assert.Equal("", suppressed[17]);
        Assert.Equal("Q", suppressed[20]);
        var notApplicable = records.Single(r => r[3] == "VOL_RATE" && r[11] == "REG_Y");
        Assert.Equal("M", notApplicable[20]);
        Assert.Contains(records, r => r[3] == "VOL_HRS" && r[11] == "SDG_04" && r[17] == "4002");
    }
}
