using System.Globalization;
using System.Text;
using ClosedXML.Excel;
using ContributionIndex.Cli;

namespace ContributionIndex.Tests.Estimation;

/// <summary><c>contrib estimate</c> end to end: R parity through the CLI, format independence, error locations, exit codes.</summary>
public sealed class EstimateCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("contrib-estimate-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static string Golden(string file) => Path.Combine(RGolden.Folder, file);

    private static List<Dictionary<string, string>> ParseCsv(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        return lines.Skip(1).Select(l => header.Zip(l.Split(',')).ToDictionary(p => p.First, p => p.Second)).ToList();
    }

    private static void AssertMatchesGolden(string caseId, IReadOnlyList<Dictionary<string, string>> rows, string? byColumn)
    {
        var expected = RGolden.Case(caseId).GetProperty("results").EnumerateArray().ToArray();
        Assert.Equal(expected.Length, rows.Count);
        for (int k = 0; k < expected.Length; k++)
        {
            if (byColumn is not null) Assert.Equal(RGolden.Strings(expected[k].GetProperty("domain"))[0], rows[k][byColumn]);
            foreach (var (field, column) in new[] { ("estimate", "estimate"), ("se", "se"), ("ci_low", "ci_low"), ("ci_high", "ci_high") })
            {
                var r = RGolden.Number(expected[k].GetProperty(field));
                var ours = double.Parse(rows[k][column], CultureInfo.InvariantCulture);
                Assert.True(Math.Abs(ours - r) <= 1e-10 * Math.Abs(r), $"{caseId} {field}: R {r:R}, CLI {ours:R}");
            }
        }
    }

    [Fact]
    public void Stratified_mean_by_domain_matches_R()
    {
        // golden.json case strat_mean_by: svymean(~api00, subset(svydesign(ids=~1, strata=~stype, weights=~pw, fpc=~fpc), awards==…)).
        var (code, stdout, stderr) = Run("estimate", "--data", Golden("apistrat.csv"), "--weights", "pw", "--strata", "stype", "--fpc", "fpc",
            "--mean", "api00", "--by", "awards");
        Assert.True(code == 0, stderr);
        var rows = ParseCsv(stdout);
        Assert.Equal("statistic,variable,awards,estimate,se,ci_low,ci_high,cv,df,n_unweighted,flag,deff,deft", stdout.Split('\n')[0]);
        AssertMatchesGolden("strat_mean_by", rows, "awards");
        // deff is R's deff = TRUE (golden.json records it for this case); deft = sqrt(deff).
        var expected = RGolden.Case("strat_mean_by").GetProperty("results").EnumerateArray().ToArray();
        for (int k = 0; k < rows.Count; k++)
        {
            double rDeff = RGolden.Number(expected[k].GetProperty("deff"));
            Assert.True(Math.Abs(double.Parse(rows[k]["deff"], CultureInfo.InvariantCulture) - rDeff) <= 1e-10 * rDeff, rows[k]["deff"]);
            Assert.True(Math.Abs(double.Parse(rows[k]["deft"], CultureInfo.InvariantCulture) - Math.Sqrt(rDeff)) <= 1e-10 * Math.Sqrt(rDeff), rows[k]["deft"]);
        }
        Assert.All(rows, r => Assert.Equal("197", r["df"]));
        Assert.All(rows, r => Assert.Equal("publish", r["flag"]));
    }

    [Fact]
    public void Jackknife_built_from_strata_and_given_replicate_weights_match_R()
    {
        // strat_jkn_ratio: as.svrepdesign(..., type = "JKn"); strat_jkn_given_total: svrepdesign(type = "JKn", rscales = …).
        var built = Run("estimate", "--data", Golden("apistrat.csv"), "--weights", "pw", "--strata", "stype", "--fpc", "fpc",
            "--rep-type", "jkn", "--ratio", "api00/api99");
        Assert.True(built.Code == 0, built.Stderr);
        AssertMatchesGolden("strat_jkn_ratio", ParseCsv(built.Stdout), null);

        var sample = SampleTable.Read(Golden("apistrat.csv"));
        var reps = SampleTable.Read(Golden("strat_jkn_rep.csv"));
        var combined = new StringBuilder("pw,api00," + string.Join(',', reps.Columns) + "\n");
        for (int i = 0; i < sample.RowCount; i++)
            combined.Append(sample.Strings("pw")[i]).Append(',').Append(sample.Strings("api00")[i]).Append(',')
                .Append(string.Join(',', reps.Columns.Select(c => reps.Strings(c)[i]))).Append('\n');
        var data = Path.Combine(folder, "jkn.csv");
        File.WriteAllText(data, combined.ToString());
        var rscales = Path.Combine(folder, "rscales.txt");
        File.WriteAllLines(rscales, RGolden.DesignSpec("strat_jkn_given").GetProperty("rscales").EnumerateArray().Select(e => e.GetString()!));
        var given = Run("estimate", "--data", data, "--weights", "pw", "--repweights", "rep*", "--rep-type", "jkn", "--rscales", rscales, "--total", "api00");
        Assert.True(given.Code == 0, given.Stderr);
        AssertMatchesGolden("strat_jkn_given_total", ParseCsv(given.Stdout), null);
    }

    [Fact]
    public void Where_keeps_the_design_whole_as_R_subset()
    {
        // vol_rate_where: svymean(~volunteer, subset(des, sex == "F" & age == …)) with the volunteer design (fpc = popsize).
        var (code, stdout, stderr) = Run("estimate", "--data", Golden("volunteer.csv"), "--weights", "pw", "--strata", "region", "--psu", "psu",
            "--fpc", "popsize", "--mean", "volunteer", "--by", "age", "--where", "sex=F");
        Assert.True(code == 0, stderr);
        AssertMatchesGolden("vol_rate_where", ParseCsv(stdout), "age");
    }

    [Fact]
    public void Same_data_as_csv_semicolon_decimal_comma_and_xlsx_give_identical_output()
    {
        var sample = SampleTable.Read(Golden("volunteer.csv"));
        string[] columns = ["region", "psu", "pw", "sex", "hours", "value", "volunteer"];
        var comma = Path.Combine(folder, "v.csv");
        var semicolon = Path.Combine(folder, "v-ru.csv");
        var xlsx = Path.Combine(folder, "v.xlsx");
        var plain = new StringBuilder(string.Join(',', columns) + "\n");
        var russian = new StringBuilder(string.Join(';', columns) + "\n");
        using (var workbook = new XLWorkbook())
        {
            var sheet = workbook.AddWorksheet("data");
            for (int c = 0; c < columns.Length; c++) sheet.Cell(1, c + 1).Value = columns[c];
            for (int i = 0; i < sample.RowCount; i++)
            {
                var cells = columns.Select(c => sample.Strings(c)[i]).ToArray();
                plain.Append(string.Join(',', cells)).Append('\n');
                russian.Append(string.Join(';', cells.Select(v => v.Replace('.', ',')))).Append('\n');
                for (int c = 0; c < columns.Length; c++)
                {
                    var cell = sheet.Cell(i + 2, c + 1);
                    if (cells[c].Length == 0) continue;
                    if (columns[c] is "pw" or "hours" or "value" or "volunteer") cell.Value = double.Parse(cells[c], CultureInfo.InvariantCulture);
                    else cell.Value = cells[c];
                }
            }
            workbook.SaveAs(xlsx);
        }
        File.WriteAllText(comma, plain.ToString());
        File.WriteAllText(semicolon, russian.ToString(), Encoding.GetEncoding(1251));

        string Estimate(string file)
        {
            var output = Path.Combine(folder, Path.GetFileName(file) + ".out.csv");
            var (code, _, stderr) = Run("estimate", "--data", file, "--weights", "pw", "--strata", "region", "--psu", "psu",
                "--total", "hours", "--mean", "hours", "--ratio", "value/hours", "--quantile", "hours:0.5", "--proportion", "sex=F",
                "--by", "sex", "--lonely-psu", "fail", "--out", output);
            Assert.True(code == 0, stderr);
            return File.ReadAllText(output);
        }

        var reference = Estimate(comma);
        Assert.Equal(reference, Estimate(semicolon));
        Assert.Equal(reference, Estimate(xlsx));
        Assert.Equal(1 + 5 * 2, reference.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        // vol_wr_mean_by (R): the same design without fpc; the mean of hours by sex.
        AssertMatchesGolden("vol_wr_mean", ParseCsv(Run("estimate", "--data", comma, "--weights", "pw", "--strata", "region", "--psu", "psu", "--mean", "hours").Stdout), null);
    }

    [Fact]
    public void A_bad_weight_is_reported_with_file_line_and_column()
    {
        var data = Path.Combine(folder, "bad.csv");
        File.WriteAllText(data, "id,pw,y\n1,2.5,3\n2,abc,4\n3,1,5\n");
        var (code, _, stderr) = Run("estimate", "--data", data, "--weights", "pw", "--total", "y");
        Assert.Equal(ExitCodes.DataRejected, code);
        Assert.Contains("bad.csv:3:2 (column 'pw')", stderr);
        Assert.Contains("'abc' is not a number", stderr);
    }

    [Fact]
    public void A_missing_column_lists_the_columns_found()
    {
        var (code, _, stderr) = Run("estimate", "--data", Golden("apistrat.csv"), "--weights", "weight", "--total", "api00");
        Assert.Equal(ExitCodes.DataRejected, code);
        Assert.Contains("the weights column 'weight' is not in the header", stderr);
        Assert.Contains("pw", stderr);
    }

    [Fact]
    public void Malformed_requests_are_usage_errors()
    {
        Assert.Equal(ExitCodes.UsageError, Run("estimate", "--data", Golden("apistrat.csv"), "--weights", "pw", "--ratio", "api00").Code);
        Assert.Equal(ExitCodes.UsageError, Run("estimate", "--data", Golden("apistrat.csv"), "--weights", "pw", "--quantile", "api00:2").Code);
        Assert.Equal(ExitCodes.UsageError, Run("estimate", "--data", Golden("apistrat.csv"), "--weights", "pw").Code);
        Assert.Equal(ExitCodes.UsageError, Run("estimate", "--data", Golden("apistrat.csv"), "--weights", "pw", "--rep-type", "brr", "--total", "api00").Code);
    }

    [Fact]
    public void Lonely_psu_fail_is_a_data_error_naming_the_stratum()
    {
        var (code, _, stderr) = Run("estimate", "--data", Golden("volunteer_lonely.csv"), "--weights", "pw", "--strata", "region", "--psu", "psu", "--total", "hours");
        Assert.Equal(ExitCodes.DataRejected, code);
        Assert.Contains("Stratum (Capital) has only one PSU", stderr);
        var adjusted = Run("estimate", "--data", Golden("volunteer_lonely.csv"), "--weights", "pw", "--strata", "region", "--psu", "psu", "--total", "hours", "--lonely-psu", "adjust");
        AssertMatchesGolden("lonely_adjust_total", ParseCsv(adjusted.Stdout), null);
    }
}
