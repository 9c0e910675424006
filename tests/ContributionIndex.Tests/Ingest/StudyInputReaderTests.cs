using System.Globalization;
using System.Text;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;

namespace ContributionIndex.Tests.Ingest;

public class StudyInputReaderTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "TestData", "ingest", name);

    /// <summary>A study built in code around one CSV written to a temporary directory.</summary>
    private static (Study Study, InputSpec Input) StudyWith(TempDirectory dir, string csv, string kind = "survey", Func<InputSpec, InputSpec>? configure = null, string file = "data.csv")
    {
        File.WriteAllBytes(dir.File(file), new UTF8Encoding(false).GetBytes(csv));
        var input = new InputSpec
        {
            Name = "test",
            Kind = StudyChoices.Parse<ContributionIndex.Ingest.InputKind>(kind, "kind", ContributionIndex.Diagnostics.SourceLocation.OfFile("test")),
            Path = file,
            Columns = kind == "survey"
                ? new Dictionary<string, string> { ["person_id"] = "id", ["weight"] = "w", ["hours"] = "h", ["sex"] = "sex", ["isco"] = "isco", ["sdg"] = "sdg", ["age"] = "age", ["volunteered"] = "vol" }
                : new Dictionary<string, string> { ["person_id"] = "id", ["hours"] = "h" },
        };
        if (configure is not null) input = configure(input);
        var study = new Study { Id = "t", Year = 2023, SourcePath = dir.File("study.yaml"), Inputs = [input] };
        return (study, input);
    }

    [Fact]
    public void Windows1251_semicolon_decimal_comma_survey_equals_the_utf8_comma_version()
    {
        var study = StudyLoader.Load(Fixture("study.yaml"));
        var counts = new IngestCounts();
        var utf8 = StudyInputReader.Read(study, study.Inputs[0], counts).ToList();
        var cp1251 = StudyInputReader.Read(study, study.Inputs[1], counts).ToList();

        Assert.All(utf8.Concat(cp1251), item => Assert.Null(item.Rejection));
        Assert.Equal(6, utf8.Count);
        Assert.Equal(utf8.Select(i => Describe(i.Record!)), cp1251.Select(i => Describe(i.Record!)));
        Assert.Equal(utf8.Select(i => i.Record!.Source.Line), cp1251.Select(i => i.Record!.Source.Line));
        Assert.Equal((6L, 6L, 0L), (counts.For("survey-cp1251").Read, counts.For("survey-cp1251").Accepted, counts.For("survey-cp1251").Rejected));
        Assert.Equal(12, counts.Read);

        // Spot values, written out from survey-utf8.csv by hand.
        var first = utf8[0].Record!;
        Assert.Equal(("1001", 1234.5, 2.5, "1", "11"), (first.PersonId, first.Weight, first.Hours!.Value, first.Stratum, first.Psu));
        Assert.Equal((Sex.Female, Urbanisation.Urban, VolunteeringForm.Direct, true), (first.Sex, first.Urbanisation, first.Form, first.Volunteered));
        Assert.Equal([11], first.SdgGoals);
        Assert.Equal([1200.25, 1300.0], first.ReplicateWeights);
        Assert.Equal(("9112", "KZ", 34), (first.IscoCode, first.Country, first.Age!.Value));
        Assert.Equal("Помощь соседям, уборка снега", first.ActivityText);
        Assert.Equal(2, first.Source.Line);
        Assert.Equal([3, 4], utf8[1].Record!.SdgGoals);
        Assert.Equal(VolunteeringForm.OrganisationBased, utf8[1].Record!.Form);
        Assert.Equal((Sex.Female, false, (string?)null, VolunteeringForm.Unknown), (utf8[2].Record!.Sex, utf8[2].Record!.Volunteered, utf8[2].Record!.IscoCode, utf8[2].Record!.Form));
        Assert.Equal([1, 2], utf8[3].Record!.SdgGoals);
        Assert.Equal("Сбор средств для \"Красного полумесяца\"", utf8[3].Record!.ActivityText);
        Assert.Equal("0110", utf8[4].Record!.IscoCode);
        Assert.Equal(1500.125, utf8[4].Record!.Weight);
        Assert.Equal([3, 10], utf8[5].Record!.SdgGoals);
    }

    [Fact]
    public void Xlsx_export_of_the_survey_gives_the_same_records_as_the_csv()
    {
        using var dir = new TempDirectory();
        var study = StudyLoader.Load(Fixture("study.yaml"));
        var fromCsv = StudyInputReader.Read(study, study.Inputs[0]).Select(i => Describe(i.Record!)).ToList();

        // Write the same table as a workbook: numeric columns as number cells, the rest (ids, ISCO with its leading zero) as text.
        var path = dir.File("survey.xlsx");
        int[] numeric = [1, 4, 10, 13, 14]; // вес, часы, возраст, репв1, репв2
        using (var csv = TabularFile.Open(Fixture("survey-utf8.csv"))) // all columns sampled: the SDG column ("3,10") is text and must not decide
        using (var workbook = new ClosedXML.Excel.XLWorkbook())
        {
            var sheet = workbook.AddWorksheet("Данные");
            for (var c = 0; c < csv.Headers.Count; c++) sheet.Cell(1, c + 1).Value = csv.Headers[c];
            var r = 2;
            foreach (var row in csv.ReadRows())
            {
                for (var c = 0; c < row.FieldCount; c++)
                {
                    if (numeric.Contains(c) && row.TryGetNumber(c, out var number) == NumberParseStatus.Ok) sheet.Cell(r, c + 1).Value = number;
                    else sheet.Cell(r, c + 1).SetValue(row[c]);
                }

                r++;
            }

            workbook.SaveAs(path);
        }

        var xlsxInput = new InputSpec
        {
            Name = "survey-xlsx", Kind = ContributionIndex.Ingest.InputKind.Survey, Path = path, Sheet = "Данные",
            Columns = study.Inputs[0].Columns, ReplicateWeights = study.Inputs[0].ReplicateWeights, Constants = study.Inputs[0].Constants,
        };
        var fromXlsx = StudyInputReader.Read(study, xlsxInput).Select(i => Describe(i.Record!)).ToList();
        Assert.Equal(fromCsv, fromXlsx);
    }

    /// <summary>Every canonical value of a record as invariant text (source and input name excluded).</summary>
    private static string Describe(VolunteerRecord r) => string.Join("|", typeof(VolunteerRecord).GetProperties()
        .Where(p => p.Name is not (nameof(VolunteerRecord.Source) or nameof(VolunteerRecord.InputName)))
        .Select(p => p.Name + "=" + Format(p.GetValue(r))));

    private static string Format(object? value) => value switch
    {
        null => "null",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        System.Collections.IEnumerable list and not string => "[" + string.Join(",", list.Cast<object>().Select(Format)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static TheoryData<long, string, int, string, string?> Rules() => new()
    {
        // line, rule, column, column name, raw value
        { 3, "field.required", 1, "id", "" },
        { 4, "number.invalid", 2, "w", "abc" },
        { 5, "number.not-finite", 2, "w", "NaN" },
        { 6, "hours.negative", 3, "h", "-1" },
        { 7, "weight.not-positive", 2, "w", "0" },
        { 8, "code.unknown", 4, "sex", "x" },
        { 9, "isco.invalid", 5, "isco", "12345" },
        { 10, "sdg.invalid", 6, "sdg", "18" },
        { 11, "row.ragged", 4, "sex", null },
        { 12, "age.invalid", 7, "age", "12.5" },
        { 13, "field.required", 2, "w", "" },
        { 14, "number.invalid", 3, "h", "1,5" },
        { 15, "isco.invalid", 5, "isco", "12a" },
        { 16, "sdg.invalid", 6, "sdg", "SDG0" },
    };

    private const string RulesCsv =
        "id,w,h,sex,isco,sdg,age,vol\n" +
        "p1,10.5,2,ж,0110,SDG3;4,30,да\n" + // 2 accepted
        ",10,2,ж,1,,30,да\n" + // 3
        "p3,abc,2,ж,1,,30,да\n" + // 4
        "p4,NaN,2,ж,1,,30,да\n" + // 5
        "p5,10,-1,ж,1,,30,да\n" + // 6
        "p6,0,2,ж,1,,30,да\n" + // 7
        "p7,10,2,x,1,,30,да\n" + // 8
        "p8,10,2,ж,12345,,30,да\n" + // 9
        "p9,10,2,ж,1,18,30,да\n" + // 10
        "p10,10,2\n" + // 11
        "p11,10,2,ж,1,,12.5,да\n" + // 12
        "p12,,2,ж,1,,30,да\n" + // 13
        "p13,10,\"1,5\",ж,1,,30,да\n" + // 14
        "p14,10,2,ж,12a,,30,да\n" + // 15
        "p15,10,2,ж,1,SDG0,30,да\n"; // 16

    [Theory]
    [MemberData(nameof(Rules))]
    public void Each_rule_rejects_its_row_with_location_raw_value_and_a_reason(long line, string rule, int column, string columnName, string? raw)
    {
        using var dir = new TempDirectory();
        var (study, input) = StudyWith(dir, RulesCsv, configure: i => i with { Decimal = "." });
        var items = StudyInputReader.Read(study, input).ToList();
        var rejection = items.Select(i => i.Rejection).Single(r => r is not null && r.Location.Line == line)!;
        Assert.Equal(rule, rejection.Rule);
        Assert.Equal(column, rejection.Location.Column);
        Assert.Equal(columnName, rejection.Location.ColumnName);
        Assert.Equal(raw, rejection.RawValue);
        Assert.Equal("data.csv", Path.GetFileName(rejection.Location.File));
        Assert.False(string.IsNullOrWhiteSpace(rejection.Reason));
    }

    [Fact]
    public void Counts_reconcile_and_the_quarantine_file_holds_every_rejection()
    {
        using var dir = new TempDirectory();
        var (study, input) = StudyWith(dir, RulesCsv, configure: i => i with { Decimal = "." });
        var counts = new IngestCounts();
        var quarantinePath = dir.File("out/quarantine.csv");
        using (var quarantine = new QuarantineWriter(quarantinePath))
        {
            foreach (var item in StudyInputReader.Read(study, input, counts)) quarantine.Add(item);
            Assert.Equal(14, quarantine.Count);
            Assert.False(File.Exists(quarantinePath)); // nothing visible before the commit
            quarantine.Commit();
        }

        var entry = counts.For("test");
        Assert.Equal((15L, 1L, 14L), (entry.Read, entry.Accepted, entry.Rejected));
        Assert.Equal(entry.Read, entry.Accepted + entry.Rejected);
        var ex = Assert.Throws<RejectionToleranceExceededException>(() => counts.EnsureWithin(0.5, quarantinePath));
        Assert.Contains("14 of 15 rows", ex.Message);
        counts.EnsureWithin(1.0, quarantinePath);

        var bytes = File.ReadAllBytes(quarantinePath);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split('\n');
        Assert.Equal("input,file,line,column,column_name,rule,reason,raw_value", lines[0]);
        Assert.Equal(16, lines.Length); // header, 14 rows, and the empty string after the final line end
        Assert.Equal("", lines[^1]);
        Assert.StartsWith("test,data.csv,3,1,id,field.required,", lines[1]);
        // A raw value starting with '-' must not become a spreadsheet formula.
        var negative = lines.Single(l => l.Contains("hours.negative", StringComparison.Ordinal));
        Assert.EndsWith(",'-1", negative);
        var decimalComma = lines.Single(l => l.StartsWith("test,data.csv,14,", StringComparison.Ordinal));
        Assert.EndsWith(",\"1,5\"", decimalComma);
        Assert.Empty(Directory.GetFiles(dir.File("out"), "*.tmp"));
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+7", "'+7")]
    [InlineData("@SUM(A1)", "'@SUM(A1)")]
    [InlineData("-2,5", "\"'-2,5\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("plain", "plain")]
    [InlineData("", "")]
    public void Quarantine_cells_are_escaped_against_formulas_and_quoted(string cell, string expected)
    {
        Assert.Equal(expected, ContributionIndex.IO.CsvText.Text(cell));
    }

    [Fact]
    public void An_uncommitted_quarantine_leaves_no_file()
    {
        using var dir = new TempDirectory();
        using (var quarantine = new QuarantineWriter(dir.File("q.csv")))
            quarantine.Add("x", new RejectedRow(new SourceLocation("a.csv", 2, 1), "field.required", "empty", ""));
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData("sex", "ж", "female")]
    [InlineData("sex", "Жен", "female")]
    [InlineData("sex", "женский", "female")]
    [InlineData("sex", "Әйел", "female")]
    [InlineData("sex", "F", "female")]
    [InlineData("sex", "female", "female")]
    [InlineData("sex", "м", "male")]
    [InlineData("sex", "Мужской", "male")]
    [InlineData("sex", "ер", "male")]
    [InlineData("sex", "M", "male")]
    [InlineData("urban_rural", "город", "urban")]
    [InlineData("urban_rural", "қала", "urban")]
    [InlineData("urban_rural", "Urban", "urban")]
    [InlineData("urban_rural", "село", "rural")]
    [InlineData("urban_rural", "ауыл", "rural")]
    [InlineData("form", "через организацию", "organisation")]
    [InlineData("form", "ұйым арқылы", "organisation")]
    [InlineData("form", "Organization", "organisation")]
    [InlineData("form", "напрямую", "direct")]
    [InlineData("form", "тікелей", "direct")]
    [InlineData("employment_status", "занят", "employed")]
    [InlineData("employment_status", "безработный", "unemployed")]
    [InlineData("employment_status", "вне рабочей силы", "outside_labour_force")]
    [InlineData("employment_status", "жұмыссыз", "unemployed")]
    [InlineData("volunteered", "yes", "true")]
    [InlineData("volunteered", "Да", "true")]
    [InlineData("volunteered", "иә", "true")]
    [InlineData("volunteered", "1", "true")]
    [InlineData("volunteered", "TRUE", "true")]
    [InlineData("disability", "нет", "false")]
    [InlineData("disability", "жоқ", "false")]
    [InlineData("for_own_household", "0", "false")]
    [InlineData("for_relatives", "no", "false")]
    public void Built_in_codes_cover_english_russian_and_kazakh(string field, string code, string category)
    {
        var lookup = CategoryCodes.LookupFor(field, null);
        Assert.Equal(category, lookup[CategoryCodes.NormaliseCode(code)]);
    }

    [Fact]
    public void Study_codes_extend_and_override_the_built_in_ones()
    {
        using var dir = new TempDirectory();
        var (study, input) = StudyWith(dir, "id,w,h,sex,isco,sdg,age,vol\np1,1,2,2,,,,2\np2,1,2,1,,,,1\np3,1,2,9,,,,9\n", configure: i => i with
        {
            Codes = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>
            {
                ["sex"] = new Dictionary<string, IReadOnlyList<string>> { ["female"] = ["2"], ["male"] = ["1"], ["unknown"] = ["9"] },
                ["volunteered"] = new Dictionary<string, IReadOnlyList<string>> { ["yes"] = ["1"], ["no"] = ["2"], ["unknown"] = ["9"] },
            },
        });
        var records = StudyInputReader.Read(study, input).Select(i => i.Record!).ToList();
        Assert.Equal([Sex.Female, Sex.Male, Sex.Unknown], records.Select(r => r.Sex));
        Assert.Equal([false, true, (bool?)null], records.Select(r => r.Volunteered));
    }

    [Fact]
    public void A_direction_crosswalk_maps_local_codes_to_forum_directions_and_refuses_unmapped_ones()
    {
        using var dir = new TempDirectory();
        const string csv = "id,w,h,dir\np1,1,2,sport\np2,1,2,Civic\np3,1,2,health\np4,1,2,\np5,1,2,chess\n";
        InputSpec Columns(InputSpec i) => i with { Columns = new Dictionary<string, string> { ["person_id"] = "id", ["weight"] = "w", ["hours"] = "h", ["direction"] = "dir" } };

        // With a crosswalk: local codes map (case-insensitively), a Forum code stands for itself, empty stays empty,
        // and a code the crosswalk does not know is refused with its line and column.
        var (study, input) = StudyWith(dir, csv, configure: i => Columns(i) with
        {
            Codes = new Dictionary<string, IReadOnlyDictionary<string, IReadOnlyList<string>>>
            {
                ["direction"] = new Dictionary<string, IReadOnlyList<string>> { ["health"] = ["sport"], ["social"] = ["civic", "community"] },
            },
        });
        var items = StudyInputReader.Read(study, input).ToList();
        Assert.Equal(["health", "social", "health", null], items.Take(4).Select(i => i.Record!.Direction));
        var rejected = items[4].Rejection!;
        Assert.Equal(("code.unmapped", 6L, 4), (rejected.Rule, rejected.Location.Line, rejected.Location.Column));
        Assert.Contains("direction code 'chess' is not in the input's crosswalk", rejected.Reason, StringComparison.Ordinal);
        Assert.Contains("climate_eco | health | inclusion", rejected.Reason, StringComparison.Ordinal);

        // Without codes for direction the text is kept as written (studies that do not use the Forum directions).
        var (plain, plainInput) = StudyWith(dir, csv, configure: Columns, file: "plain.csv");
        Assert.Equal(["sport", "Civic", "health", null, "chess"], StudyInputReader.Read(plain, plainInput).Select(i => i.Record!.Direction));
    }

    [Fact]
    public void Missing_mapped_column_is_a_file_level_error_naming_the_header_line_with_a_suggestion()
    {
        using var dir = new TempDirectory();
        var (study, input) = StudyWith(dir, "\n\nid,weight,h,sex,isco,sdg,age,vol\np1,1,2,ж,,,,да\n");
        var ex = Assert.Throws<InputDataException>(() => StudyInputReader.Read(study, input).ToList());
        Assert.Equal(3, ex.Location.Line);
        Assert.Contains("the column 'w' mapped to weight is not in the header", ex.Message);
    }

    [Fact]
    public void Duplicate_headers_are_a_file_level_error()
    {
        using var dir = new TempDirectory();
        var (study, input) = StudyWith(dir, "id,w,h,sex,isco,sdg,age,vol,W\np1,1,2,ж,,,,да,3\n");
        var ex = Assert.Throws<InputDataException>(() => StudyInputReader.Read(study, input).ToList());
        Assert.Equal(1, ex.Location.Line);
        Assert.Contains("appears 2 times (columns 2, 9)", ex.Message);
    }

    [Fact]
    public void Replicate_weights_by_pattern_or_list_are_taken_in_file_order()
    {
        using var dir = new TempDirectory();
        const string csv = "id,w,rw2,h,sex,isco,sdg,age,vol,rw1,rw10\np1,1,0.5,2,ж,,,,да,1.5,2.5\n";
        var (study, input) = StudyWith(dir, csv, configure: i => i with { ReplicateWeights = ["rw*"] });
        Assert.Equal([0.5, 1.5, 2.5], StudyInputReader.Read(study, input).Single().Record!.ReplicateWeights);

        (study, input) = StudyWith(dir, csv, configure: i => i with { ReplicateWeights = ["rw10", "rw2"] });
        Assert.Equal([0.5, 2.5], StudyInputReader.Read(study, input).Single().Record!.ReplicateWeights);

        (study, input) = StudyWith(dir, csv, configure: i => i with { ReplicateWeights = ["repw*"] });
        var ex = Assert.Throws<InputDataException>(() => StudyInputReader.Read(study, input).ToList());
        Assert.Contains("no header matches the replicate-weight entry 'repw*'", ex.Message);
    }

    [Fact]
    public void Hour_logs_have_weight_one_and_need_no_design()
    {
        using var dir = new TempDirectory();
        var (study, input) = StudyWith(dir, "id,h,when\nv1,3.5,2023-05-01\nv2,1,08.03.2023\n", kind: "hour-log",
            configure: i => i with
            {
                Columns = new Dictionary<string, string>(i.Columns) { ["date"] = "when" },
                Constants = new Dictionary<string, string> { ["country"] = "kg" },
            });
        var records = StudyInputReader.Read(study, input).Select(i => i.Record!).ToList();
        Assert.All(records, r => Assert.Equal((InputKind.HourLog, 1.0, "KG"), (r.Kind, r.Weight, r.Country)));
        Assert.Equal([3.5, 1.0], records.Select(r => r.Hours!.Value));
        Assert.Equal([new DateOnly(2023, 5, 1), new DateOnly(2023, 3, 8)], records.Select(r => r.Date!.Value));
    }

    [Fact]
    public void Decimal_detection_ignores_text_columns()
    {
        using var dir = new TempDirectory();
        // The region column holds "1.2"-like codes; only the numeric columns decide that the decimal is ','.
        var (study, input) = StudyWith(dir, "id;w;h;region\np1;1,5;2,25;1.10\np2;3;0,5;2.20\n", kind: "survey",
            configure: i => i with { Columns = new Dictionary<string, string> { ["person_id"] = "id", ["weight"] = "w", ["hours"] = "h", ["region"] = "region" } });
        var records = StudyInputReader.Read(study, input).Select(i => i.Record!).ToList();
        Assert.Equal([1.5, 3.0], records.Select(r => r.Weight));
        Assert.Equal(["1.10", "2.20"], records.Select(r => r.Region));
    }

    [Fact]
    public void Xlsx_input_maps_like_csv()
    {
        using var dir = new TempDirectory();
        var path = dir.File("log.xlsx");
        using (var workbook = new ClosedXML.Excel.XLWorkbook())
        {
            var sheet = workbook.AddWorksheet("Log");
            sheet.Cell(1, 1).Value = "id";
            sheet.Cell(1, 2).Value = "h";
            sheet.Cell(1, 3).Value = "isco";
            sheet.Cell(2, 1).Value = "v1";
            sheet.Cell(2, 2).Value = 2.75;
            sheet.Cell(2, 3).SetValue("0110");
            sheet.Cell(3, 1).Value = "v2";
            sheet.Cell(3, 2).FormulaA1 = "1+2";
            workbook.SaveAs(path);
        }

        var input = new InputSpec { Name = "log", Kind = ContributionIndex.Ingest.InputKind.HourLog, Path = "log.xlsx", Columns = new Dictionary<string, string> { ["person_id"] = "id", ["hours"] = "h", ["isco"] = "isco" } };
        var study = new Study { Id = "t", Year = 2023, SourcePath = dir.File("study.yaml"), Inputs = [input] };
        var items = StudyInputReader.Read(study, input).ToList();
        Assert.Equal((2.75, "0110"), (items[0].Record!.Hours!.Value, items[0].Record!.IscoCode));
        Assert.Equal(("cell.formula", 3L, 2), (items[1].Rejection!.Rule, items[1].Rejection!.Location.Line, items[1].Rejection!.Location.Column));
    }
}
