using System.Globalization;
using System.Text.RegularExpressions;
using ContributionIndex.Rendering;

namespace ContributionIndex.Tests.Agreement;

/// <summary>
/// The SDMX-CSV and Open SDG files of the regional and a country annex, parsed back as a loader would (issue #14):
/// SDMX keys unique over all dimension columns, column order, every code in the lists of methodology/sdmx-series.md,
/// no scientific notation, bounds where an interval is published, withheld cells without a value; Open SDG data files
/// with Year first and Value last, no empty values, and metadata whose front matter is YAML (methodology/open-sdg.md).
/// </summary>
[Collection(AgreementCollection.Name)]
public sealed partial class SdmxAndOpenSdgFileTests(AgreementRuns runs)
{
    public static TheoryData<string> Studies { get; } = ["regional", "kg"];

    /// <summary>The code lists of methodology/sdmx-series.md, as patterns per column.</summary>
    private static readonly Dictionary<string, Regex> CodeLists = new(StringComparer.Ordinal)
    {
        ["FREQ"] = new("^A$"),
        ["REPORTING_TYPE"] = new("^N$"),
        ["SERIES"] = new("^VOL_(NUM|RATE|HRS|HRS_PV|FTE|VAL_LCU|VAL_USD|VAL_PPP|VAL_GDP|IDX|IDX_RANK|[A-Z0-9_]+)(_ADM)?$"),
        ["REF_AREA"] = new("^([0-9]{3}|X[A-Z0-9]+)$"),
        ["SEX"] = new("^(F|M|_T)$"),
        ["AGE"] = new("^(Y_GE15|Y[0-9]+T[0-9]+|Y_GE[0-9]+|_T)$"),
        ["URBANISATION"] = new("^(U|R|_T)$"),
        ["OCCUPATION"] = new("^(ISCO08_[1-9]|ISCO08_0|_U|_T)$"),
        ["CUST_BREAKDOWN"] = new("^(_T|VOL_ORG|VOL_DIR|VOL_U|SDG_(0[1-9]|1[0-7])|SDG_U|DIR_[A-Z0-9_]+|RC_SPEC|RC_GEN|RC_HYB|OC|REGION_([A-Z0-9]+(_[A-Z0-9]+)*|H[0-9A-F]{10}))$"),
        ["INCOME_WEALTH_QUANTILE"] = new("^_T$"),
        ["EDUCATION_LEV"] = new("^_T$"),
        ["COMPOSITE_BREAKDOWN"] = new("^_T$"),
        ["DISABILITY_STATUS"] = new("^_T$"),
        ["ACTIVITY"] = new("^_T$"),
        ["PRODUCT"] = new("^_T$"),
        ["UNIT_MEASURE"] = new("^(NUMBER|PT|HOURS|FTE|CUR_LCU|CU_USD|CU_PPP|PER_1000_FTE|PER_1000_POP|INDEX|RATIO|RANK)$"),
        ["UNIT_MULT"] = new("^(0|3|6)$"),
        ["OBS_STATUS"] = new("^(A|U|Q|O|M)$"),
        ["NATURE"] = new("^(C|M)$"),
    };

    [GeneratedRegex("^-?[0-9]+(\\.[0-9]+)?$")]
    private static partial Regex PlainNumber();

    [Theory]
    [MemberData(nameof(Studies))]
    public void Sdmx_csv_keys_are_unique_and_codes_documented(string study)
    {
        var folder = runs.Get(study).ReportFolder;
        var path = Assert.Single(Directory.GetFiles(folder, "*.sdmx.csv"));
        var lines = CsvFile.Parse(File.ReadAllText(path));
        Assert.Equal(SdmxCsvRenderer.Header, lines[0].Fields);
        Assert.Equal(["DATAFLOW", "FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA"], lines[0].Fields.Take(5));
        Assert.Equal(["TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE"], lines[0].Fields.Skip(16).Take(3));
        var header = lines[0].Fields.ToList();
        int At(string name) => header.IndexOf(name);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var bounded = 0;
        foreach (var (line, fields) in lines.Skip(1))
        {
            var where = $"{Path.GetFileName(path)}:{line}";
            Assert.True(keys.Add(string.Join("|", SdmxCsvRenderer.Dimensions.Select(d => fields[At(d)]))), $"{where}: the series key repeats.");
            foreach (var (column, pattern) in CodeLists)
                Assert.True(pattern.IsMatch(fields[At(column)]), $"{where}: {column} '{fields[At(column)]}' is not in the documented code list.");
            Assert.DoesNotMatch("^REGION_+$", fields[At("CUST_BREAKDOWN")]);
            // Only currency is published in thousands or millions (reporting.md, precision policy).
            if (fields[At("UNIT_MULT")] != "0")
                Assert.Matches("^(CUR_LCU|CU_USD|CU_PPP)$", fields[At("UNIT_MEASURE")]);
            foreach (var column in new[] { "OBS_VALUE", "LOWER_BOUND", "UPPER_BOUND" })
            {
                var text = fields[At(column)];
                Assert.True(text.Length == 0 || PlainNumber().IsMatch(text), $"{where}: {column} '{text}' is not a plain decimal number.");
            }

            var status = fields[At("OBS_STATUS")];
            var comment = fields[At("COMMENT_OBS")];
            if (status is "Q" or "O" or "M")
            {
                Assert.True(fields[At("OBS_VALUE")].Length == 0 && fields[At("LOWER_BOUND")].Length == 0, $"{where}: a withheld cell has a value.");
                Assert.Matches(@" \[(c|x|z)\]$", comment);
            }
            else
            {
                Assert.NotEqual("", fields[At("OBS_VALUE")]);
                Assert.Equal(status == "U", comment.EndsWith(" [u]", StringComparison.Ordinal));
            }

            // The volunteer rate has a published interval: its bounds go with every value, around it.
            if (fields[At("SERIES")] == "VOL_RATE" && fields[At("OBS_VALUE")].Length > 0)
            {
                var value = double.Parse(fields[At("OBS_VALUE")], CultureInfo.InvariantCulture);
                Assert.True(fields[At("LOWER_BOUND")].Length > 0 && fields[At("UPPER_BOUND")].Length > 0, $"{where}: the rate's interval is missing.");
                Assert.InRange(value, double.Parse(fields[At("LOWER_BOUND")], CultureInfo.InvariantCulture), double.Parse(fields[At("UPPER_BOUND")], CultureInfo.InvariantCulture));
                bounded++;
            }

            // Platform figures are their own series, named by their source.
            if (fields[At("SERIES")].EndsWith("_ADM", StringComparison.Ordinal)) Assert.NotEqual("", fields[At("SOURCE_DETAIL")]);
        }

        Assert.True(bounded > 0, "No VOL_RATE observation with bounds.");
        Assert.Contains(lines.Skip(1), l => l.Fields[At("SERIES")] == "VOL_HRS_ADM");
    }

    [Theory]
    [MemberData(nameof(Studies))]
    public void Open_sdg_files_have_the_columns_and_metadata_the_platform_reads(string study)
    {
        var folder = Path.Combine(runs.Get(study).ReportFolder, "opensdg");
        var data = Directory.GetFiles(Path.Combine(folder, "data"), "indicator_*.csv").Order(StringComparer.Ordinal).ToArray();
        Assert.NotEmpty(data);
        var deserializer = new YamlDotNet.Serialization.DeserializerBuilder().Build();
        foreach (var path in data)
        {
            var id = Path.GetFileNameWithoutExtension(path)["indicator_".Length..];
            Assert.Matches("^17-17-v[0-9]+$", id);
            var bytes = File.ReadAllBytes(path);
            Assert.NotEqual(0xEF, bytes[0]); // no BOM: sdg-build would read the first header as "\ufeffYear"
            var lines = CsvFile.Parse(File.ReadAllText(path));
            var header = lines[0].Fields;
            Assert.Equal("Year", header[0]);
            Assert.Equal("Value", header[^1]);
            Assert.Contains("Units", header);
            Assert.Equal(header.Count, header.Distinct(StringComparer.Ordinal).Count());
            Assert.True(lines.Count > 1, $"{path}: no data rows.");
            var rows = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (line, fields) in lines.Skip(1))
            {
                Assert.Equal(header.Count, fields.Count);
                Assert.Equal("2023", fields[0]);
                Assert.True(PlainNumber().IsMatch(fields[^1]), $"{path}:{line}: Value '{fields[^1]}' is empty or not a plain number.");
                Assert.True(rows.Add(string.Join("|", fields.Take(fields.Count - 1))), $"{path}:{line}: two rows with the same disaggregation.");
            }

            var meta = File.ReadAllText(Path.Combine(folder, "meta", id + ".md"));
            Assert.StartsWith("---\n", meta, StringComparison.Ordinal);
            var end = meta.IndexOf("\n---\n", 4, StringComparison.Ordinal);
            Assert.True(end > 0, $"{id}.md: no closing front matter line.");
            var front = deserializer.Deserialize<Dictionary<string, object>>(meta[4..(end + 1)]);
            Assert.Equal(id.Replace("17-17-v", "17.17.v", StringComparison.Ordinal), front["indicator_number"]);
            Assert.Equal("17", front["sdg_goal"]);
            Assert.Equal("17.17", front["target_id"]);
            Assert.Equal("complete", front["reporting_status"]);
            Assert.Equal("true", front["published"]);
            foreach (var key in new[] { "indicator_name", "graph_title", "computation_units", "source_organisation_1", "sdmx_series" })
                Assert.False(string.IsNullOrWhiteSpace(front[key] as string), $"{id}.md: {key} is empty.");
        }
    }

    [Fact]
    public void Region_codes_are_stable_and_distinct_for_non_ascii_names()
    {
        Assert.Equal("REGION_NARYN", ContributionIndex.Reporting.AnnexSdmxCodes.RegionCode("Naryn"));
        var naryn = ContributionIndex.Reporting.AnnexSdmxCodes.RegionCode("Нарын");
        var talas = ContributionIndex.Reporting.AnnexSdmxCodes.RegionCode("Талас");
        Assert.NotEqual(naryn, talas);
        Assert.Matches("^REGION_H[0-9A-F]{10}$", naryn);
        Assert.Equal(naryn, ContributionIndex.Reporting.AnnexSdmxCodes.RegionCode(" Нарын "));
        // A damaged file's noncharacter U+FFFE, which ICU's normalisation rejects, gets a code instead of stopping the run.
        Assert.Matches("^REGION_H[0-9A-F]{10}$", ContributionIndex.Reporting.AnnexSdmxCodes.RegionCode("Bat\uFFFEken"));
    }
}
