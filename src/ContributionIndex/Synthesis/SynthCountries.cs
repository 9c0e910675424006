namespace ContributionIndex.Synthesis;

/// <summary>A volunteer task: ISCO-08 code (mixed levels, empty when uncoded), SDG tags and Forum direction.</summary>
internal sealed record SynthTask(string Isco, string Sdg, string Direction);

/// <summary>A country's share of log entries, regions and valuation parameters (copied from samples/central-asia).</summary>
internal sealed record SynthCountry(
    string Code, string Currency, double Share, double GeneralistWage, string WageSource,
    double LcuPerUsd, double LcuPerPpp, double Gdp, double Cpi2023, string[] Regions)
{
    public string WageFileName => Code.ToLowerInvariant() + "_isco_wages_2023.csv";
}

/// <summary>
/// The fixed tables of the generator: tasks and relative wages from samples/central-asia/generate.py, and the
/// countries' 2023 parameters as in samples/central-asia/regional.yaml (whose <c>source</c> fields cite them).
/// </summary>
internal static class SynthCountries
{
    /// <summary>The four Forum countries; relative shares of entries as in the sample logs (2,400 / 1,200 / 900 / 2,000 entries).</summary>
    public static IReadOnlyList<SynthCountry> All { get; } =
    [
        new("KZ", "KZT", 2400, 2203.3971774193546, "[D] 364,295 KZT/month / (1984/12); BNS 2023 (samples/central-asia)",
            456.165, 152.4154, 119442289700000.0, 114.53,
            ["Abai", "Akmola", "Aktobe", "Almaty region", "Atyrau", "West Kazakhstan", "Zhambyl", "Zhetisu", "Karaganda", "Kostanay",
             "Kyzylorda", "Mangystau", "Pavlodar", "North Kazakhstan", "Turkistan", "Ulytau", "East Kazakhstan", "Astana", "Almaty", "Shymkent"]),
        new("KG", "KGS", 1200, 194.4314516129032, "[D][!] 32,146 KGS/month / (1984/12) (samples/central-asia)",
            87.8561, 25.7192, 1334000000000.0, 110.75,
            ["Batken", "Chuy", "Issyk-Kul", "Jalal-Abad", "Naryn", "Osh region", "Talas", "Bishkek", "Osh city"]),
        new("TJ", "TJS", 900, 13.469758064516128, "[D][!] 2,227 TJS/month / (1984/12) (samples/central-asia)",
            10.8445, 2.57264, 130800000000.0, 103.8,
            ["Sughd", "Khatlon", "GBAO", "Districts of Republican Subordination", "Dushanbe"]),
        new("UZ", "UZS", 2000, 27526.209677419352, "[D][!] 4,551,000 UZS/month / (1984/12) (samples/central-asia)",
            11734.83, 3030.493, 1192200000000000.0, 109.96,
            ["Karakalpakstan", "Andijan", "Bukhara", "Jizzakh", "Kashkadarya", "Navoi", "Namangan", "Samarkand", "Surkhandarya",
             "Syrdarya", "Tashkent region", "Fergana", "Khorezm", "Tashkent city"]),
    ];

    /// <summary>Tasks as in generate.py: codes absent from the wage tables climb the ISCO ladder (9214 → 9, 7115 → 7).</summary>
    public static IReadOnlyList<SynthTask> Tasks { get; } =
    [
        new("2341", "4", "education"), new("23", "4", "education"), new("3422", "3", "sport"), new("2635", "1 10", "social"),
        new("3412", "1 10", "social"), new("5322", "3 10", "social"), new("5311", "5", "social"), new("9112", "11", "community"),
        new("9214", "13 15", "environment"), new("91", "6 15", "environment"), new("3258", "3", "health"), new("22", "3", "health"),
        new("4110", "16 17", "civic"), new("1", "17", "civic"), new("7115", "4 11", "community"), new("263", "11", "culture"),
        new("34", "10 16", "civic"), new("2", "4 9", "digital"), new("6", "2", "environment"), new("5", "2", "emergency"),
    ];

    /// <summary>Assumed wage of an ISCO-08 group relative to the economy-wide average (synthetic, as in generate.py).</summary>
    public static IReadOnlyList<(string Isco, double Relative, string Label)> RelativeWages { get; } =
    [
        ("1", 1.90, "Managers"), ("2", 1.35, "Professionals"), ("22", 1.20, "Health professionals"), ("23", 0.95, "Teaching professionals"),
        ("2341", 0.85, "Primary school teachers"), ("26", 1.25, "Legal, social and cultural professionals"),
        ("263", 1.05, "Social and religious professionals"), ("2635", 1.00, "Social work and counselling professionals"),
        ("3", 1.10, "Technicians and associate professionals"), ("32", 0.95, "Health associate professionals"), ("3258", 0.90, "Ambulance workers"),
        ("34", 0.90, "Legal, social, cultural associate professionals"), ("341", 0.85, "Legal, social and religious associate professionals"),
        ("3412", 0.80, "Social work associate professionals"), ("3422", 0.80, "Sports coaches, instructors and officials"),
        ("4", 0.85, "Clerical support workers"), ("4110", 0.80, "General office clerks"), ("5", 0.70, "Service and sales workers"),
        ("53", 0.65, "Personal care workers"), ("5311", 0.60, "Child care workers"), ("5322", 0.62, "Home-based personal care workers"),
        ("6", 0.60, "Skilled agricultural, forestry and fishery workers"), ("7", 0.95, "Craft and related trades workers"),
        ("8", 1.00, "Plant and machine operators and assemblers"), ("9", 0.55, "Elementary occupations"), ("91", 0.52, "Cleaners and helpers"),
        ("9112", 0.50, "Cleaners and helpers in offices, hotels and other establishments"),
    ];
}
