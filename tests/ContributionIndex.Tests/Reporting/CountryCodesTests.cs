using ContributionIndex.Cli;
using ContributionIndex.Diagnostics;
using ContributionIndex.Reporting;
using ContributionIndex.Reporting.Sdmx;
using ContributionIndex.Studies;
using ContributionIndex.Tests.Samples;

namespace ContributionIndex.Tests.Reporting;

/// <summary>The ISO 3166-1 ↔ UN M49 table behind SDMX <c>REF_AREA</c>, and the code of a multi-country pool.</summary>
public class CountryCodesTests
{
    [Fact]
    public void The_table_has_all_249_countries_with_unique_well_formed_codes()
    {
        var all = CountryCodes.All;
        Assert.Equal(249, all.Count);
        Assert.Equal(249, all.Select(c => c.Alpha2).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(249, all.Select(c => c.Alpha3).Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(249, all.Select(c => c.Numeric).Distinct(StringComparer.Ordinal).Count());
        Assert.All(all, c =>
        {
            Assert.Matches("^[A-Z]{2}$", c.Alpha2);
            Assert.Matches("^[A-Z]{3}$", c.Alpha3);
            Assert.Matches("^[0-9]{3}$", c.Numeric);
            Assert.False(string.IsNullOrWhiteSpace(c.Name));
        });
        Assert.Equal(all.Select(c => c.Alpha2).Order(StringComparer.Ordinal), all.Select(c => c.Alpha2));
    }

    [Theory]
    [InlineData("KZ", "KAZ", "398", "Kazakhstan")]
    [InlineData("KG", "KGZ", "417", "Kyrgyzstan")]
    [InlineData("TJ", "TJK", "762", "Tajikistan")]
    [InlineData("UZ", "UZB", "860", "Uzbekistan")]
    [InlineData("TM", "TKM", "795", "Turkmenistan")]
    [InlineData("RU", "RUS", "643", "Russian Federation")]
    [InlineData("CN", "CHN", "156", "China")]
    [InlineData("US", "USA", "840", "United States of America")]
    [InlineData("DE", "DEU", "276", "Germany")]
    [InlineData("FR", "FRA", "250", "France")]
    [InlineData("GB", "GBR", "826", "United Kingdom of Great Britain and Northern Ireland")]
    [InlineData("IN", "IND", "356", "India")]
    [InlineData("BR", "BRA", "076", "Brazil")]
    [InlineData("ZA", "ZAF", "710", "South Africa")]
    [InlineData("AF", "AFG", "004", "Afghanistan")]
    [InlineData("AX", "ALA", "248", "Åland Islands")]
    [InlineData("KR", "KOR", "410", "Korea, Republic of")]
    [InlineData("SS", "SSD", "728", "South Sudan")]
    [InlineData("AQ", "ATA", "010", "Antarctica")]
    public void Known_codes_match_ISO_3166_1_and_M49(string alpha2, string alpha3, string numeric, string name)
    {
        Assert.True(CountryCodes.TryFind(alpha2, out var country));
        Assert.Equal(new IsoCountry(alpha2, alpha3, numeric, name), country);
        Assert.True(CountryCodes.TryFind(alpha2.ToLowerInvariant(), out _));
    }

    [Fact]
    public void Codes_outside_ISO_3166_1_are_not_found()
    {
        Assert.False(CountryCodes.TryFind("XK", out _)); // Kosovo: a user-assigned code, not in ISO 3166-1
        Assert.False(CountryCodes.TryFind("SU", out _)); // withdrawn
        Assert.False(CountryCodes.TryFind("", out _));
    }

    private static Study InCode(string? pooled, params string[] codes) => new()
    {
        SourcePath = "studies/region.yaml",
        Countries = [.. codes.Select(c => new CountrySpec { Code = c })],
        Report = new ReportSpec { PooledAreaCode = pooled },
    };

    [Fact]
    public void The_pool_is_X_and_the_sorted_codes_unless_the_study_sets_its_code()
    {
        Assert.Equal("XKGKZTJUZ", CountryCodes.DefaultPooledCode(["KZ", "KG", "TJ", "UZ"]));
        Assert.Equal("XKGKZTJUZ", AnnexBuilder.M49(InCode(null, "UZ", "TJ", "KZ", "KG"), "ALL"));
        Assert.Equal("XCA4", AnnexBuilder.M49(InCode("XCA4", "UZ", "TJ", "KZ", "KG"), "REGION"));
        Assert.Equal("860", AnnexBuilder.M49(InCode("XCA4", "UZ", "TJ", "KZ", "KG"), "UZ"));
    }

    [Fact]
    public void An_unknown_country_is_an_error_naming_the_study_file_and_the_key_never_passed_through()
    {
        var error = Assert.Throws<StudyFileException>(() => AnnexBuilder.M49(InCode(null, "KZ", "XK"), "XK"));
        Assert.StartsWith("studies/region.yaml: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("countries[1].code", error.Message, StringComparison.Ordinal);
        Assert.Contains("'XK'", error.Message, StringComparison.Ordinal);
        Assert.Throws<StudyFileException>(() => CountryCodes.Check(InCode(null, "KZ", "XK")));
    }

    [Fact]
    public void A_pooled_code_that_is_no_SDMX_code_is_an_error_at_its_key()
    {
        var error = Assert.Throws<StudyFileException>(() => CountryCodes.Check(InCode("Central Asia", "KZ", "KG")));
        Assert.Contains("report.pooled_area_code", error.Message, StringComparison.Ordinal);
        CountryCodes.Check(InCode("Central Asia", "KZ")); // one country: no pool, the setting is not used
    }

    [Fact]
    public void The_pooled_code_is_read_from_the_study_file()
    {
        var study = StudyLoader.Load(SampleStudies.Study("regional"));
        Assert.Equal("XCA4", study.Report.PooledAreaCode);
        Assert.Null(StudyLoader.Load(SampleStudies.Study("kz")).Report.PooledAreaCode);
    }

    [Fact]
    public void Report_stops_before_the_long_steps_on_a_country_without_an_M49_code_and_names_the_line()
    {
        var study = SampleStudies.Variant("kz", "  - code: KZ", "  - code: XK");
        File.WriteAllText(study, File.ReadAllText(study).Replace("country: KZ", "country: XK", StringComparison.Ordinal));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = Program.Run(["report", study, "--out", Path.Combine(Path.GetDirectoryName(study)!, "out"), "--format", "csv"], stdout, stderr);
        Assert.NotEqual(ExitCodes.Success, exit);
        var line = Array.FindIndex(File.ReadAllLines(study), l => l.StartsWith("  - code: XK", StringComparison.Ordinal)) + 1;
        Assert.Contains(study + ":" + line.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("countries[0].code: 'XK'", stderr.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(study)!, "out")));
    }
}
