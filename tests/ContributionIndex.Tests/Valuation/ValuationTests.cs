using ContributionIndex.Studies;
using ContributionIndex.Classify;
using ContributionIndex.Diagnostics;
using ContributionIndex.Ingest;
using ContributionIndex.Pipeline;
using ContributionIndex.Valuation;
using static ContributionIndex.Tests.Valuation.TestStudies;

namespace ContributionIndex.Tests.Valuation;

public class ValuationTests
{
    /// <summary>
    /// Oracle O13 (methodology-sources.md §4.3, synthetic): coaching 3422 at 6.00 for 1,000,000 four-week hours and park
    /// cleaning 9129 at 3.00 for 500,000 hours, k = 13, generalist 4.50, H_FT = 2,080.
    ///   H_year = 1,500,000 × 13 = 19,500,000
    ///   V_spec = 13 × (1,000,000 × 6 + 500,000 × 3) = 13 × 7,500,000 = 97,500,000
    ///   V_gen  = 19,500,000 × 4.5 = 87,750,000
    ///   FTE    = 19,500,000 / 2,080 = 9,375.0
    /// Weights carry the population: one record of 10 hours × weight 100,000 = 1,000,000 weighted hours.
    /// </summary>
    [Fact]
    public void Section_4_3_worked_example()
    {
        var study = OneCountry(ExampleWages);
        var records = new[]
        {
            Record("a", 10, "3422", weight: 100_000),
            Record("b", 5, "9129", weight: 100_000),
        };
        var result = ValuationRun.Validate(study, InMemoryRecordSource.Of(records));
        var kz = result.Summaries.Single(s => s.Country == "KZ");
        AssertRelative(1_500_000, kz.HoursReference);
        AssertRelative(19_500_000, kz.HoursAnnual);
        AssertRelative(97_500_000, kz[ValuationMethod.Specialist].ValueLcuCurrent);
        AssertRelative(87_750_000, kz[ValuationMethod.Generalist].ValueLcuCurrent);
        AssertRelative(9_375.0, kz.Fte);
        AssertRelative(200_000, kz.Volunteers);
    }

    [Theory]
    [InlineData("3422", 4, 40.0)]  // unit group present
    [InlineData("3423", 3, 30.0)]  // climbs to minor group 342
    [InlineData("3431", 2, 20.0)]  // climbs to sub-major group 34
    [InlineData("3511", 1, 10.0)]  // climbs to major group 3
    [InlineData("7111", 0, 4.5)]   // no group 7 at all: generalist fallback
    [InlineData(null, 0, 4.5)]     // no code: generalist fallback
    [InlineData("34x", 0, 4.5)]    // malformed code: generalist fallback
    [InlineData("342", 3, 30.0)]   // a 3-digit task code matches its own level
    public void Isco_ladder_climbs_four_three_two_one_then_generalist(string? isco, int level, double wage)
    {
        var table = "isco,hourly_wage,currency,year,source\n3422,40,XXX,2023,s\n342,30,XXX,2023,s\n34,20,XXX,2023,s\n3,10,XXX,2023,s\n";
        var study = OneCountry(table);
        var parameters = ValuationParameters.FromStudy(study);
        var valued = new Valuator(parameters).Value(Record("p", 2, isco), parameters.Countries["KZ"], 13, ExclusionReason.None);
        Assert.Equal(level, valued.WageLevel);
        // specialist = 2 h × 13 × wage
        AssertRelative(26 * wage, valued.Values!.Value.Specialist);
    }

    [Fact]
    public void Uplift_applies_to_replacement_cost_not_to_opportunity_cost()
    {
        // 10 h × 13 = 130 h; specialist 6.00 × 1.157 = 6.942 → 902.46; generalist 4.5 × 1.157 = 5.2065 → 676.845;
        // own wage 8 → 1,040 (no uplift: the volunteer's forgone wage, not an employer's cost).
        var study = OneCountry(ExampleWages, s => s with { Valuation = s.Valuation with { OnCostUplift = 0.157 } });
        var parameters = ValuationParameters.FromStudy(study);
        var valued = new Valuator(parameters).Value(Record("p", 10, "3422", with: r => r with { OwnHourlyWage = 8 }),
            parameters.Countries["KZ"], 13, ExclusionReason.None);
        AssertRelative(902.46, valued.Values!.Value.Specialist);
        AssertRelative(676.845, valued.Values!.Value.Generalist);
        AssertRelative(1_040, valued.Values!.Value.Opportunity);
    }

    [Fact]
    public void Hybrid_uses_the_major_group_wage_for_elementary_occupations_only()
    {
        // 9129 is in major group 9 (default simple-task group): with a group-9 wage of 2.50, 10 h × 13 × 2.5 = 325
        // (its own wage 3.00 gives the specialist 390; never the generalist 4.50, which gave 585 before #16);
        // 3422 keeps its specialist 6.00: 780. Without a group-9 wage the task keeps its specialist wage.
        var study = OneCountry(ExampleWages + "9,2.50,XXX,2023,synthetic\n");
        var parameters = ValuationParameters.FromStudy(study);
        var valuator = new Valuator(parameters);
        var country = parameters.Countries["KZ"];
        AssertRelative(325, valuator.Value(Record("p", 10, "9129"), country, 13, ExclusionReason.None).Values!.Value.Hybrid);
        AssertRelative(390, valuator.Value(Record("p", 10, "9129"), country, 13, ExclusionReason.None).Values!.Value.Specialist);
        AssertRelative(780, valuator.Value(Record("p", 10, "3422"), country, 13, ExclusionReason.None).Values!.Value.Hybrid);
        var noGroup = ValuationParameters.FromStudy(OneCountry(ExampleWages));
        AssertRelative(390, new Valuator(noGroup).Value(Record("p", 10, "9129"), noGroup.Countries["KZ"], 13, ExclusionReason.None).Values!.Value.Hybrid);
    }

    [Theory]
    // 10 h × 13 = 130 annual hours for a person without an own wage.
    [InlineData("zero", 0.0, OpportunityWageSource.Zero)]                        // 130 × 0
    [InlineData("minimum-wage", 260.0, OpportunityWageSource.MinimumWage)]       // 130 × 2.00
    [InlineData("share-of-average", 325.0, OpportunityWageSource.ShareOfAverage)] // 130 × (0.5 × 5.00)
    public void Opportunity_policies_for_people_without_a_wage(string policy, double expected, OpportunityWageSource source)
    {
        var study = OneCountry(ExampleWages, s => s with { Valuation = s.Valuation with { OpportunityCostPolicy = StudyChoices.Parse<OpportunityCostPolicy>(policy, "policy", ContributionIndex.Diagnostics.SourceLocation.OfFile("test")) } });
        var parameters = ValuationParameters.FromStudy(study);
        var valued = new Valuator(parameters).Value(Record("p", 10, "3422"), parameters.Countries["KZ"], 13, ExclusionReason.None);
        Assert.Equal(source, valued.OpportunityWageSource);
        Assert.Equal(expected, valued.Values!.Value.Opportunity, 9);
    }

    [Fact]
    public void Imputed_policy_uses_the_weighted_mean_of_employed_volunteers_in_the_same_group()
    {
        // Donors (employed women aged 25–34): wage 10 weight 1 and wage 20 weight 3 → (10 + 60) / 4 = 17.5.
        // A man of 30 has no group donor → country mean of all donors: (10 + 60 + 40×1) / 5 = 22.
        var study = OneCountry(ExampleWages, s => s with { Valuation = s.Valuation with { OpportunityCostPolicy = ContributionIndex.Valuation.OpportunityCostPolicy.Imputed } });
        Func<VolunteerRecord, VolunteerRecord> employed(double wage) => r => r with { EmploymentStatus = EmploymentStatus.Employed, OwnHourlyWage = wage };
        var records = new[]
        {
            Record("d1", 10, "3422", weight: 1, with: employed(10)),
            Record("d2", 10, "3422", weight: 3, with: employed(20)),
            Record("d3", 10, "3422", weight: 1, with: r => employed(40)(r) with { Age = 60 }),
            Record("w", 10, "3422", weight: 1),
            Record("m", 10, "3422", weight: 1, with: r => r with { Sex = Sex.Male }),
        };
        var folder = Path.Combine(Path.GetDirectoryName(study.SourcePath)!, "out");
        ValuationRun.Run(study, InMemoryRecordSource.Of(records), folder);
        var rows = File.ReadAllLines(Path.Combine(folder, "valued_records.csv"));
        var header = rows[0].Split(',');
        string Cell(string person, string column) => rows.Skip(1).Select(l => l.Split(',')).Single(f => f[Array.IndexOf(header, "person_id")] == person)[Array.IndexOf(header, column)];
        Assert.Equal("17.5", Cell("w", "opportunity_wage"));
        Assert.Equal("imputed-group", Cell("w", "opportunity_wage_source"));
        Assert.Equal("22", Cell("m", "opportunity_wage"));
        Assert.Equal("imputed-country", Cell("m", "opportunity_wage_source"));
        Assert.Equal("own", Cell("d2", "opportunity_wage_source"));
    }

    [Fact]
    public void Conversions_rebase_then_divide_by_exchange_rate_and_ppp_and_share_of_gdp()
    {
        // One record: 10 h × 13 = 130 h at the 3422 wage of 6.00 priced in 2021; base year 2023.
        //   current value  = 130 × 6 = 780
        //   CPI 2021 = 100, CPI 2023 = 125 → base-year value = 780 × 125 / 100 = 975
        //   USD = 975 / 2.0 (LCU per USD) = 487.5;  PPP$ = 975 / 0.5 (LCU per PPP$) = 1,950
        //   % of GDP = 100 × 780 / 1e9 = 7.8e-5
        var wages = "isco,hourly_wage,currency,year,source\n3422,6,XXX,2021,s\n";
        var study = OneCountry(wages, s => s with
        {
            BaseYear = 2023,
            Countries = [s.Countries[0] with { Cpi = [new() { Year = 2021, Index = 100 }, new() { Year = 2023, Index = 125 }] }],
        });
        var result = ValuationRun.Validate(study, InMemoryRecordSource.Of([Record("p", 10, "3422")]));
        var specialist = result.Summaries.Single()[ValuationMethod.Specialist];
        AssertRelative(780, specialist.ValueLcuCurrent);
        AssertRelative(975, specialist.ValueLcuBase);
        AssertRelative(487.5, specialist.ValueUsd);
        AssertRelative(1_950, specialist.ValuePpp);
        AssertRelative(7.8e-5, specialist.ShareOfGdpPercent);
        // Generalist wage is priced in 2023 = base year: no rebasing. 130 × 4.5 = 585.
        AssertRelative(585, result.Summaries.Single()[ValuationMethod.Generalist].ValueLcuBase);
    }

    [Fact]
    public void Missing_cpi_for_rebasing_is_a_study_error_naming_the_years()
    {
        var wages = "isco,hourly_wage,currency,year,source\n3422,6,XXX,2021,s\n";
        var study = OneCountry(wages, s => s with { BaseYear = 2023 });
        var error = Assert.Throws<StudyFileException>(() => ValuationRun.Validate(study, InMemoryRecordSource.Of([Record("p", 10, "3422")])));
        Assert.Contains("2021", error.Message);
        Assert.Contains("cpi", error.Message);
    }

    [Fact]
    public void Regional_total_adds_usd_and_ppp_never_local_currencies()
    {
        // KZ: 10 h × 13 × 4.5 (generalist fallback, no table) = 585 LCU → 292.5 USD, 1,170 PPP$.
        // KG: 10 h × 13 × 9.0 = 1,170 LCU; 4 LCU/USD → 292.5 USD; 3 LCU/PPP$ → 390 PPP$.
        // Region: 585 USD and 1,560 PPP$; no LCU value.
        var study = OneCountry("isco,hourly_wage,currency,year,source\n", s => s with
        {
            Countries =
            [
                .. s.Countries,
                new()
                {
                    Code = "KG", Currency = "KGS",
                    GeneralistWage = new() { Value = 9.0, Year = 2023 },
                    MinimumHourlyWage = new() { Value = 1 },
                    FullTimeAnnualHours = new() { Value = 1950 },
                    LcuPerUsd = new() { Value = 4 },
                    LcuPerPppDollar = new() { Value = 3 },
                },
            ],
        });
        var records = new[] { Record("k", 10), Record("g", 10, with: r => r with { Country = "KG" }) };
        var result = ValuationRun.Validate(study, InMemoryRecordSource.Of(records));
        var region = result.Summaries.Single(s => s.Country == ValuationSummary.RegionCode)[ValuationMethod.Generalist];
        Assert.Null(region.ValueLcuCurrent);
        AssertRelative(585, region.ValueUsd);
        AssertRelative(1_560, region.ValuePpp);
        // FTE: KZ 130 / 2080 = 0.0625, KG 130 / 1950 = 0.0666… → sum 0.12916…
        AssertRelative(130.0 / 2080 + 130.0 / 1950, result.Summaries.Single(s => s.Country == ValuationSummary.RegionCode).Fte);
    }

    [Fact]
    public void Method_range_lists_every_method_with_min_and_max()
    {
        // 10 h × 13 = 130 h of 3422: specialist 780, generalist 585, hybrid 780, opportunity (minimum wage 2) 260.
        var study = OneCountry(ExampleWages);
        var result = ValuationRun.Validate(study, InMemoryRecordSource.Of([Record("p", 10, "3422")]));
        var lcu = result.Ranges.Single(r => r.Unit == "XXX");
        Assert.Equal([780.0, 585.0, 780.0, 260.0], lcu.Values.Select(v => Math.Round(v, 9)));
        Assert.Equal(260, lcu.Minimum, 9);
        Assert.Equal(780, lcu.Maximum, 9);
        Assert.Equal(ValuationMethod.Opportunity, lcu.MinimumMethod);
        Assert.Equal(ValuationMethod.Specialist, lcu.MaximumMethod);
    }

    [Theory]
    [InlineData("isco,wage,currency,year,source\n", 1, "header")]
    [InlineData("isco,hourly_wage,currency,year,source\n34221,6,XXX,2023,s\n", 2, "ISCO-08")]
    [InlineData("isco,hourly_wage,currency,year,source\n3422,six,XXX,2023,s\n", 2, "hourly wage")]
    [InlineData("isco,hourly_wage,currency,year,source\n3422,6,USD,2023,s\n", 2, "currency")]
    [InlineData("isco,hourly_wage,currency,year,source\n3422,6,XXX,23,s\n", 2, "year")]
    [InlineData("isco,hourly_wage,currency,year,source\n3422,6,XXX,2023,s\n3422,7,XXX,2023,s\n", 3, "already appears on line 2")]
    public void Wage_table_errors_name_the_file_line_and_rule(string csv, int line, string expected)
    {
        var error = Assert.Throws<StudyFileException>(() => WageTable.Read(new StringReader(csv), "XXX", "wages.csv"));
        Assert.Equal(line, error.Location.Line);
        Assert.StartsWith($"wages.csv:{line}", error.Message);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void Wage_table_reads_quoted_sources_with_commas()
    {
        var table = WageTable.Read(new StringReader("isco,hourly_wage,currency,year,source\n2,2296.05,KZT,2023,\"BNS 2023, [D] synthetic\"\n"), "KZT", "w.csv");
        var entry = Assert.Single(table.Entries);
        Assert.Equal("BNS 2023, [D] synthetic", entry.Source);
        Assert.Equal(2296.05, entry.HourlyWage);
    }
}
