#!/usr/bin/env python3
"""Deterministic generator of the Central Asia sample studies (synthetic microdata, sourced parameters).

Run from any folder:  python3 samples/central-asia/generate.py
It rewrites data/, parameters/ and the five study files next to this script. Python 3 standard library only; the
output is byte-identical on every run (fixed seeds, no clock), and it is committed so that tests need no Python.

What is real and what is not:
  * Every survey row and hour-log entry is SYNTHETIC. No person in these files exists.
  * Macro parameters (average wages, minimum wages, GDP, exchange rates, PPP, population 15+) come from
    /work/shared/reference/central-asia-figures.md and keep its tags: [P] primary, [S] secondary, [D] derived,
    [!] uncertain. The tags are copied into the YAML 'source' notes and the wage tables' 'source' column.
  * Wages by ISCO-08 group are NOT published for any of the four countries (KZ BNS publishes major groups but the
    values could not be retrieved; KG/TJ enterprise surveys do not collect occupation; UZ none found). The wage tables
    are therefore SYNTHETIC and labelled [D][synthetic]: the published average hourly wage times an assumed relative
    wage of the ISCO group (RELATIVE_WAGE below; an assumption for demonstration, not a statistic).
  * Hourly wage = monthly wage / (annual standard hours / 12). With 1,984 h (KZ 2024 working-time balance, 248 days
    x 8 h [S]) the divisor is 165.333... hours per month. KG, TJ and UZ publish no annual norm for 2023: the same
    1,984 h is used and marked [!] (all four have a 40-hour week).
"""

import csv
import io
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))
YEAR = 2023
ANNUAL_HOURS = 1984.0
MONTHLY_HOURS = ANNUAL_HOURS / 12.0

# Assumed wage of an ISCO-08 group relative to the economy-wide average (synthetic; see module docstring).
RELATIVE_WAGE = [
    ("1", 1.90, "Managers"),
    ("2", 1.35, "Professionals"),
    ("22", 1.20, "Health professionals"),
    ("23", 0.95, "Teaching professionals"),
    ("2341", 0.85, "Primary school teachers"),
    ("26", 1.25, "Legal, social and cultural professionals"),
    ("263", 1.05, "Social and religious professionals"),
    ("2635", 1.00, "Social work and counselling professionals"),
    ("3", 1.10, "Technicians and associate professionals"),
    ("32", 0.95, "Health associate professionals"),
    ("3258", 0.90, "Ambulance workers"),
    ("34", 0.90, "Legal, social, cultural associate professionals"),
    ("341", 0.85, "Legal, social and religious associate professionals"),
    ("3412", 0.80, "Social work associate professionals"),
    ("3422", 0.80, "Sports coaches, instructors and officials"),
    ("4", 0.85, "Clerical support workers"),
    ("4110", 0.80, "General office clerks"),
    ("5", 0.70, "Service and sales workers"),
    ("53", 0.65, "Personal care workers"),
    ("5311", 0.60, "Child care workers"),
    ("5322", 0.62, "Home-based personal care workers"),
    ("6", 0.60, "Skilled agricultural, forestry and fishery workers"),
    ("7", 0.95, "Craft and related trades workers"),
    ("8", 1.00, "Plant and machine operators and assemblers"),
    ("9", 0.55, "Elementary occupations"),
    ("91", 0.52, "Cleaners and helpers"),
    ("9112", 0.50, "Cleaners and helpers in offices, hotels and other establishments"),
]

# Volunteer tasks (ISCO-08 code as coded from the activity text, deliberately at mixed levels) with text, SDG tags
# and Forum direction. Codes absent from the wage tables climb the ISCO ladder (e.g. 9214 -> 9, 7115 -> 7).
# Directions are platform-style categories, as national platforms record them; every study maps them to the nine
# directions of the 2022 Central Asia Volunteers Forum (methodology/taxonomies/cavf-directions.csv) by the crosswalk
# DIRECTION_CROSSWALK below, written into the `codes:` of each input (README.md, "Forum directions").
TASKS = [
    ("2341", "tutoring schoolchildren", "4", "education"),
    ("23", "teaching adults to read", "4", "education"),
    ("3422", "coaching youth football", "3", "sport"),
    ("2635", "counselling families in need", "1 10", "social"),
    ("3412", "helping at a social centre", "1 10", "social"),
    ("5322", "visiting elderly neighbours", "3 10", "social"),
    ("5311", "looking after children of a neighbour", "5", "social"),
    ("9112", "cleaning a community building", "11", "community"),
    ("9214", "planting trees in a park", "13 15", "environment"),
    ("91", "collecting litter on a river bank", "6 15", "environment"),
    ("3258", "first aid at public events", "3", "health"),
    ("22", "blood-donation campaign", "3", "health"),
    ("4110", "keeping records for an NGO", "16 17", "civic"),
    ("1", "leading a volunteer group", "17", "civic"),
    ("7115", "repairing a school roof", "4 11", "community"),
    ("263", "organising a cultural festival", "11", "culture"),
    ("34", "translating for refugees", "10 16", "refugees"),
    ("2", "digital literacy classes", "4 9", "digital"),
    ("6", "helping on a community farm", "2", "environment"),
    ("5", "distributing food parcels", "2", "emergency"),
]

# Crosswalk of the platform categories to the Forum directions (direction -> local codes), as a study file declares it.
DIRECTION_CROSSWALK = [
    ("education", ["education"]),
    ("health", ["health", "sport"]),
    ("social", ["social", "community", "civic"]),
    ("inclusion", ["refugees"]),
    ("climate_eco", ["environment"]),
    ("ethno", ["culture"]),
    ("it_media", ["digital"]),
    ("emergencies", ["emergency"]),
]
assert {d for t in TASKS for d in [t[3]]} <= {c for _, codes in DIRECTION_CROSSWALK for c in codes}


def direction_codes_line():
    """The crosswalk as one YAML flow mapping under an input's codes."""
    body = ", ".join(f"{direction}: [" + ", ".join(f'"{c}"' for c in codes) + "]" for direction, codes in DIRECTION_CROSSWALK)
    return "      direction: {" + body + "}   # crosswalk to the Forum directions (README: Forum directions)"


COUNTRIES = {
    "KZ": {
        "name": "Kazakhstan", "currency": "KZT", "seed": 2023_001, "persons": 3200, "rate": 0.18,
        "population15": 14_324_777, "population15_src": "[D] WDI SP.POP.TOTL 2023 x (1 - SP.POP.0014.TO.ZS/100); central-asia-figures.md 3.1",
        "monthly": 364_295.0, "monthly_src": "[P] BNS, Wages in the Republic of Kazakhstan 2023 (form 1-T), https://stat.gov.kz/en/industries/labor-and-income/stat-wags/publications/190193/",
        "minimum_monthly": 70_000.0, "minimum_src": "[P] BNS: minimum wage 70,000 KZT from 1 Jan 2023",
        "hours_src": "[S] 2024 working-time balance, 248 days, 1,984 h (help.inbuh.kz/6801); Labour Code 2015 art. 68 (40 h)",
        "usd": 456.165, "ppp": 152.4154, "gdp": 119_442_289.7e6,
        "gdp_src": "[P] BNS national accounts 2023: 119,442,289.7 mn KZT, https://stat.gov.kz/en/industries/economy/national-accounts/publications/205539/",
        "cpi": [(2022, 100.0), (2023, 114.53)], "cpi_src": "[D] chained from WDI FP.CPI.TOTL.ZG 2023 = 14.53 % (2022 = 100); index levels not retrieved",
        "regions": ["Abai", "Akmola", "Aktobe", "Almaty region", "Atyrau", "West Kazakhstan", "Zhambyl", "Zhetisu",
                    "Karaganda", "Kostanay", "Kyzylorda", "Mangystau", "Pavlodar", "North Kazakhstan", "Turkistan",
                    "Ulytau", "East Kazakhstan", "Astana", "Almaty", "Shymkent"],
        "log_entries": 2400, "log_volunteers": 700,
    },
    "KG": {
        "name": "Kyrgyzstan", "currency": "KGS", "seed": 2023_002, "persons": 2400, "rate": 0.22,
        "population15": 4_780_143, "population15_src": "[D] WDI SP.POP.TOTL 2023 x (1 - SP.POP.0014.TO.ZS/100); central-asia-figures.md 3.1",
        "monthly": 32_146.0, "monthly_src": "[S][!] Jan-Jul 2023 average (full year not found), Azattyk quoting the Ministry of Economy, https://azattyk.org/amp/32597209.html",
        "minimum_monthly": None, "minimum_src": "",
        "hours_src": "[!] no national annual norm found; 40-hour week, 1,984 h assumed as for Kazakhstan",
        "usd": 87.8561, "ppp": 25.7192, "gdp": 1_334e9,
        "gdp_src": "[D][!] WDI NY.GDP.MKTP.CD x PA.NUS.FCRF, about 1,334 bn KGS; NSC figure not retrieved",
        "cpi": [(2022, 100.0), (2023, 110.75)], "cpi_src": "[D] chained from WDI FP.CPI.TOTL.ZG 2023 = 10.75 % (2022 = 100)",
        "regions": ["Batken", "Chuy", "Issyk-Kul", "Jalal-Abad", "Naryn", "Osh region", "Talas", "Bishkek", "Osh city"],
        "log_entries": 1200, "log_volunteers": 350,
    },
    "TJ": {
        "name": "Tajikistan", "currency": "TJS", "seed": 2023_003, "persons": 2600, "rate": 0.12,
        "population15": 6_596_875, "population15_src": "[D] WDI SP.POP.TOTL 2023 x (1 - SP.POP.0014.TO.ZS/100); central-asia-figures.md 3.1",
        "monthly": 2_227.0, "monthly_src": "[S][!] average as of 1 Jul 2023 (full year not found), Asia-Plus, https://asiaplus.news/en/2023/08/24/the-gap-between-high-and-low-wages-in-tajikistan-has-increased-up-to-8-times",
        "minimum_monthly": 600.0, "minimum_src": "[S] minimum wage 600 TJS in 2023 (Asia-Plus, same article)",
        "hours_src": "[!] no national annual norm found; 40-hour week since 1997 (ILO metadata), 1,984 h assumed",
        "usd": 10.8445, "ppp": 2.57264, "gdp": 130.8e9,
        "gdp_src": "[S] Khovar quoting the Ministry of Economic Development and Trade: 130.8 bn TJS",
        "cpi": [(2022, 100.0), (2023, 103.8)], "cpi_src": "[D][!] chained from the national Dec/Dec CPI 2023 = 3.8 % (WDI series ends 2016)",
        "regions": ["Sughd", "Khatlon", "GBAO", "Districts of Republican Subordination", "Dushanbe"],
        "log_entries": 900, "log_volunteers": 260,
    },
    "UZ": {
        "name": "Uzbekistan", "currency": "UZS", "seed": 2023_004, "persons": 3800, "rate": 0.15,
        "population15": 24_646_061, "population15_src": "[D] WDI SP.POP.TOTL 2023 x (1 - SP.POP.0014.TO.ZS/100); central-asia-figures.md 3.1",
        "monthly": 4_551_000.0, "monthly_src": "[S][!] 2023 average (legal entities excluding agriculture and small business), gazeta.uz 2024-02-09",
        "minimum_monthly": None, "minimum_src": "",
        "hours_src": "[S][!] 2026 calendar 248 days (5-day week); 2023 norm not found, 1,984 h assumed",
        "usd": 11_734.83, "ppp": 3_030.493, "gdp": 1_192.2e12,
        "gdp_src": "[S][!] revised 2023 GDP 1,192.2 trn UZS (daryo.uz 2024-07-31); vintages differ (1,066.6 prelim., about 1,262 WDI-implied)",
        "cpi": [(2022, 100.0), (2023, 109.96)], "cpi_src": "[D] chained from WDI FP.CPI.TOTL.ZG 2023 = 9.96 % (2022 = 100)",
        "regions": ["Karakalpakstan", "Andijan", "Bukhara", "Jizzakh", "Kashkadarya", "Navoi", "Namangan", "Samarkand",
                    "Surkhandarya", "Syrdarya", "Tashkent region", "Fergana", "Khorezm", "Tashkent city"],
        "log_entries": 2000, "log_volunteers": 600,
    },
}

WDI_SRC = "[P] WDI via datasets/world-development-indicators, commit 4ebec5a (2026-07-01)"

# Previous survey waves (change over time, methodology/change-over-time.md): Kazakhstan 2019, a study of its own
# (kz-2019.yaml, survey only) that kz.yaml names as its previous wave. Same design rules as 2023, own seed, a lower
# volunteer rate (0.15 against 0.18) so that the change table has differences that are significant and some that are
# not. Parameters: the 2019 average wage is BNS [P] (central-asia-figures.md 1.1); the reference figures give no 2019
# minimum wage, exchange rate, PPP, GDP or population 15+ ([NF]), so the wave values with the share-of-average
# opportunity cost (no minimum wage needed), publishes no US$/PPP$/GDP figures, and its weights add up to an assumed
# 13.6 mn persons 15+ [!].
PREVIOUS_WAVES = {
    "KZ": dict(COUNTRIES["KZ"], year=2019, seed=2019_001, persons=2600, rate=0.15, population15=13_600_000,
               monthly=186_815.0,
               monthly_src="[P] BNS, Wages in the Republic of Kazakhstan (form 1-T), 2019 average 186,815 KZT; central-asia-figures.md 1.1",
               minimum_monthly=None, usd=None, ppp=None, gdp=None, cpi=[],
               hours_src="[!] the 2023 figure (2024 working-time balance, 1,984 h) assumed for 2019; Labour Code 2015 art. 68 (40 h)"),
}
# The CPI point of 2019 that kz.yaml adds to its series (2022 = 100) so that the change table can deflate 2019 values:
# the ratio of the 2010 = 100 consumer price indices 2019 / 2022 (189.3 / 251.1, WDI-based EAEU series as shown by
# knoema.com [S]) on the 2022 = 100 base of the other points.
KZ_CPI_2019 = (2019, 100.0 * 189.3 / 251.1,
               "[D][S] 100 x 189.3/251.1: CPI 2010 = 100 of 2019 and 2022 (WDI-based EAEU series, knoema.com atlas, retrieved 2026-12-07), rebased to 2022 = 100")

# Age structure of the population 15+ [D] from WDI 2023 (central-asia-figures.md 3.1): SP.POP.0014.TO.ZS and
# SP.POP.65UP.TO.ZS, in % of the total population. The reference figures give no finer age groups and no sex ratio
# ([NF]), so the generator states its rule: single-year cohorts are linear in age through the mean cohort of 0-14
# (at age 7) and of 15-64 (at age 39.5), which gives the 15-64 ages; 65+ keeps its WDI share, ages 65-90 with
# cohorts shrinking geometrically (mean 8 years above 65); sex 1:1 at every age.
AGE_SHARES = {"KZ": (29.539, 8.308), "KG": (32.672, 5.427), "TJ": (36.506, 3.650), "UZ": (30.871, 5.695)}

# Population shares of first-level regions [S]: Tajikistan 2020 census (central-asia-figures.md 6). For KZ, KG and
# UZ the reference figures give no regional populations ([NF]): their region sizes stay synthetic.
REGION_POPULATION = {"TJ": {"Khatlon": 3.444, "Sughd": 2.77, "Districts of Republican Subordination": 2.27,
                            "Dushanbe": 0.9488, "GBAO": 0.2272}}


def age_distribution(code):
    """(ages 15..90, weights) of the population 15+ by the rule stated at AGE_SHARES."""
    child, old = AGE_SHARES[code]
    working = 100.0 - child - old
    at7, at395 = child / 15.0, working / 50.0
    slope = (at395 - at7) / (39.5 - 7.0)
    ages, weights = [], []
    for age in range(15, 65):
        ages.append(age)
        weights.append(at395 + slope * (age - 39.5))
    assert min(weights) > 0, code
    scale = working / sum(weights)
    weights = [w * scale for w in weights]
    ratio = 8.0 / 9.0  # geometric cohorts with mean 8 years above 65
    tail = [ratio ** k for k in range(26)]
    for k, t in enumerate(tail):
        ages.append(65 + k)
        weights.append(old * t / sum(tail))
    return ages, weights


def youth_share(code):
    """Share of ages 15-29 in the population 15+ under the rule (checked against the samples' weights)."""
    ages, weights = age_distribution(code)
    return sum(w for a, w in zip(ages, weights) if a < 30) / sum(weights)


def hourly(monthly):
    """Hourly wage = monthly wage / (annual standard hours / 12)."""
    return monthly / MONTHLY_HOURS


def wage_table(code, spec, year=YEAR):
    average = hourly(spec["monthly"])
    rows = []
    for isco, relative, label in RELATIVE_WAGE:
        wage = round(average * relative, 2)
        rows.append((isco, wage, spec["currency"], year,
                     f"[D][synthetic] {label}: {relative} x average hourly wage {average:.4f} "
                     f"({spec['monthly']:,.0f} {spec['currency']}/month / (1984/12) h); not a published occupational wage"))
    return rows


def write_wage_table(code, spec, year=YEAR):
    path = os.path.join(HERE, "parameters", f"{code.lower()}_isco_wages_{year}.csv")
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["isco", "hourly_wage", "currency", "year", "source"])
    for row in wage_table(code, spec, year):
        writer.writerow([row[0], f"{row[1]:.2f}", row[2], row[3], row[4]])
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buffer.getvalue())
    return {isco: wage for isco, wage, *_ in wage_table(code, spec, year)}


def market_wage(table, isco, average):
    for length in range(len(isco), 0, -1):
        if isco[:length] in table:
            return table[isco[:length]]
    return average


def strata(rng, spec, code):
    """Regions x urban/rural with population shares; PSUs nested in strata."""
    out = []
    sizes = [rng.uniform(0.4, 2.5) for _ in spec["regions"]]
    census = REGION_POPULATION.get(code)
    if census is not None:
        sizes = [census[region] for region in spec["regions"]]
    total = sum(sizes)
    for region, size in zip(spec["regions"], sizes):
        city = region in ("Astana", "Almaty", "Shymkent", "Bishkek", "Osh city", "Dushanbe", "Tashkent city")
        urban_share = 1.0 if city else rng.uniform(0.3, 0.6)
        for urb, share in (("U", urban_share), ("R", 1.0 - urban_share)):
            if share <= 0:
                continue
            out.append((region, urb, size / total * share))
    return out


def person_rows(code, spec, table):
    """Survey rows: one per person (non-volunteers) or per person x activity (volunteers)."""
    rng = random.Random(spec["seed"])
    # A separate stream decides which activities the coder left without an ISCO code (valued at the generalist
    # fallback), so that adding it did not shift the main stream.
    uncoded = random.Random(spec["seed"] + 7)
    average = hourly(spec["monthly"])
    stratum_list = strata(rng, spec, code)
    ages, age_weights = age_distribution(code)
    # Persons of a PSU (an enumeration area) share a local propensity to volunteer: the design effect real surveys
    # have, and no PSU-identical counts that would give a domain a zero standard error. Own stream, fixed seed.
    cluster = random.Random(spec["seed"] + 11)
    n = spec["persons"]
    # Allocate the sample proportionally with a minimum of 120 persons per region (spread over its strata by their
    # shares, at least 12 per stratum), as LFS designs do to publish regional estimates; weights = stratum population /
    # stratum n, so the minimum changes precision, not the population the weights add up to.
    region_share = {}
    for region, _, share in stratum_list:
        region_share[region] = region_share.get(region, 0.0) + share
    alloc = [max(12, round(n * share), -(-120 * share // region_share[region])) for region, _, share in stratum_list]
    alloc = [int(a) for a in alloc]
    rows = []
    person_no = 0
    for index, ((region, urb, share), count) in enumerate(zip(stratum_list, alloc)):
        stratum = f"{code}-{index + 1:02d}{urb}"
        weight = spec["population15"] * share / count
        psus = max(2, count // 12)
        propensity = [spec["rate"] * cluster.lognormvariate(-0.02, 0.2) for _ in range(psus)]
        for i in range(count):
            person_no += 1
            pid = f"{code}{person_no:05d}"
            psu_index = i * psus // count   # contiguous blocks: an enumeration area is one place
            psu = f"{stratum}-{psu_index + 1:02d}"
            sex = rng.choice(("1", "2"))
            age = rng.choices(ages, age_weights)[0]
            disability = "1" if rng.random() < 0.06 else "0"
            r = rng.random()
            employment = "1" if (age < 63 and r < 0.62) else ("2" if r < 0.67 else "3")
            own_wage = ""
            if employment == "1" and rng.random() < 0.7:
                own_wage = round(average * rng.lognormvariate(-0.1, 0.45), 2)
            base = {"pid": pid, "w": round(weight, 3), "stratum": stratum, "psu": psu, "region": region, "urb": urb,
                    "sex": sex, "age": age, "dis": disability, "emp": employment, "own": own_wage}
            if rng.random() >= propensity[psu_index]:
                rows.append(dict(base, act="", vol="2", hours="", isco="", text="", form="", dir="", sdg="",
                                 stipend="", own_hh="", rel="", ben="", train=""))
                continue
            for a in range(rng.choice((1, 1, 1, 2, 2, 3))):
                isco, text, sdg, direction = rng.choice(TASKS)
                hours = round(min(120.0, rng.lognormvariate(1.8, 0.8)), 1)
                if rng.random() < 0.02:
                    hours = 0.5  # below the 19th ICLS minimum of one hour if it is the person's only activity
                stipend = ""
                if rng.random() < 0.03:
                    # A stipend around the one-third threshold of the market value of the hours (19th ICLS).
                    stipend = round(rng.uniform(0.1, 0.6) * hours * market_wage(table, isco, average), 0)
                own_hh = "1" if rng.random() < 0.02 else "0"
                rel = "1" if rng.random() < 0.06 else "0"
                form = "1" if rng.random() < 0.35 else "2"
                if uncoded.random() < 0.04:
                    isco = ""
                rows.append(dict(base, act="abc"[a], vol="1", hours=hours, isco=isco, text=text, form=form,
                                 dir=direction, sdg=sdg, stipend=stipend, own_hh=own_hh, rel=rel,
                                 ben=rng.randint(1, 60), train=rng.choice((0, 0, 0, 2, 4))))
    # Three deliberate data errors so that quarantine and reconciliation are visible in the sample run.
    bad = dict(rows[7])
    bad.update(pid=f"{code}99001", act="a", vol="2", hours=6.0, isco="9112", text="answered no but reports hours")
    rows.append(bad)
    over = dict(rows[11])
    over.update(pid=f"{code}99002", act="a", vol="1", hours=700.0, isco="5322", text="more hours than four weeks contain")
    rows.append(over)
    garbled = dict(rows[13])
    garbled.update(pid=f"{code}99003", act="a", vol="1", hours="??", isco="3422", text="hours not a number")
    rows.append(garbled)
    return rows


def number(value, decimal):
    if value == "" or value is None:
        return ""
    if isinstance(value, str):
        return value
    text = repr(float(value)) if isinstance(value, float) else str(value)
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", decimal)


SURVEY_COLUMNS = {
    # canonical field -> (English header, Russian header)
    "person_id": ("resp_id", "ид_респондента"),
    "activity_id": ("activity", "деятельность"),
    "weight": ("weight", "вес"),
    "strata": ("stratum", "страта"),
    "psu": ("psu", "пе"),
    "region": ("region", "регион"),
    "urban_rural": ("urban_rural", "город_село"),
    "sex": ("sex", "пол"),
    "age": ("age", "возраст"),
    "disability": ("disability", "инвалидность"),
    "employment_status": ("lfs_status", "статус_занятости"),
    "own_hourly_wage": ("hourly_wage", "часовая_зп"),
    "volunteered": ("work_01", "work_01"),
    "hours": ("hour_01", "hour_01"),
    "isco": ("work_022", "work_022"),
    "activity_text": ("work_021", "work_021"),
    "form": ("type_org", "type_org"),
    "direction": ("direction", "направление"),
    "sdg": ("sdg", "цур"),
    "stipend": ("stipend", "стипендия"),
    "for_own_household": ("own_household", "своё_домохозяйство"),
    "for_relatives": ("relatives", "родственники"),
    "beneficiaries": ("beneficiaries", "благополучатели"),
    "training_hours": ("training_hours", "часы_обучения"),
}
ROW_KEYS = {"person_id": "pid", "activity_id": "act", "weight": "w", "strata": "stratum", "psu": "psu",
            "region": "region", "urban_rural": "urb", "sex": "sex", "age": "age", "disability": "dis",
            "employment_status": "emp", "own_hourly_wage": "own", "volunteered": "vol", "hours": "hours",
            "isco": "isco", "activity_text": "text", "form": "form", "direction": "dir", "sdg": "sdg",
            "stipend": "stipend", "for_own_household": "own_hh", "for_relatives": "rel", "beneficiaries": "ben",
            "training_hours": "train"}

# Real-world encodings per country (all are formats the ingest stage reads: CSV UTF-8/UTF-16/Windows-1251).
SURVEY_FORMATS = {
    "KZ": {"encoding": "cp1251", "yaml_encoding": "windows-1251", "delimiter": ";", "decimal": ",", "russian": True, "eol": "\r\n"},
    "KG": {"encoding": "utf-8-sig", "yaml_encoding": "utf-8", "delimiter": ",", "decimal": ".", "russian": False, "eol": "\r\n"},
    "TJ": {"encoding": "utf-16", "yaml_encoding": "utf-16", "delimiter": "\t", "decimal": ".", "russian": False, "eol": "\r\n"},
    "UZ": {"encoding": "utf-8", "yaml_encoding": "utf-8", "delimiter": ";", "decimal": ",", "russian": False, "eol": "\n"},
}


def write_survey(code, rows, year=YEAR):
    fmt = SURVEY_FORMATS[code]
    headers = [SURVEY_COLUMNS[f][1 if fmt["russian"] else 0] for f in SURVEY_COLUMNS]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=fmt["delimiter"], lineterminator=fmt["eol"], quoting=csv.QUOTE_MINIMAL)
    writer.writerow(headers)
    for row in rows:
        writer.writerow([number(row[ROW_KEYS[f]], fmt["decimal"]) for f in SURVEY_COLUMNS])
    name = f"{code.lower()}_lfs_volunteer_module_{year}.csv"
    with open(os.path.join(HERE, "data", name), "w", encoding=fmt["encoding"], newline="") as f:
        f.write(buffer.getvalue())
    return name, {f: SURVEY_COLUMNS[f][1 if fmt["russian"] else 0] for f in SURVEY_COLUMNS}


LOG_COLUMNS = ["entry_id", "volunteer_id", "date", "hours", "task_isco", "sdg", "direction", "region", "sex", "age"]


def write_log(code, spec):
    rng = random.Random(spec["seed"] + 500)
    volunteers = []
    for v in range(spec["log_volunteers"]):
        volunteers.append((f"{code}-V{v + 1:04d}", rng.choice(spec["regions"]), rng.choice(("F", "M")),
                           18 + int(rng.expovariate(1 / 12.0))))
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=",", lineterminator="\n")
    writer.writerow(LOG_COLUMNS)
    for e in range(spec["log_entries"]):
        vid, region, sex, age = rng.choice(volunteers)
        isco, _, sdg, direction = rng.choice(TASKS)
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        hours = rng.choice((1, 1.5, 2, 2, 3, 3, 4, 4, 5, 6, 8))
        writer.writerow([f"{code}-E{e + 1:05d}", vid, f"{YEAR}-{month:02d}-{day:02d}", number(float(hours), "."),
                         isco, sdg, direction, region, sex, min(age, 80)])
    name = f"{code.lower()}_platform_hours_{YEAR}.csv"
    with open(os.path.join(HERE, "data", name), "w", encoding="utf-8", newline="") as f:
        f.write(buffer.getvalue())
    return name


def q(text):
    """YAML double-quoted scalar."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def yaml_inputs(code, survey, survey_columns, log):
    fmt = SURVEY_FORMATS[code]
    delimiter = "tab" if fmt["delimiter"] == "\t" else fmt["delimiter"]
    lines = [
        f"  - name: {code.lower()}-survey",
        "    kind: survey",
        f"    path: data/{survey}",
        "    format: csv",
        f"    encoding: {fmt['yaml_encoding']}",
        f"    delimiter: {q(delimiter)}",
        f"    decimal: {q(fmt['decimal'])}",
        "    columns:",
    ]
    lines += [f"      {field}: {q(header)}" for field, header in survey_columns.items()]
    lines += [
        "    codes:",
        "      volunteered: {\"true\": [\"1\"], \"false\": [\"2\"]}",
        "      form: {organisation: [\"1\"], direct: [\"2\"]}",
        "      sex: {male: [\"1\"], female: [\"2\"]}",
        "      urban_rural: {urban: [\"U\"], rural: [\"R\"]}",
        "      employment_status: {employed: [\"1\"], unemployed: [\"2\"], outside_labour_force: [\"3\"]}",
        "      disability: {\"true\": [\"1\"], \"false\": [\"0\"]}",
        "      for_own_household: {\"true\": [\"1\"], \"false\": [\"0\"]}",
        "      for_relatives: {\"true\": [\"1\"], \"false\": [\"0\"]}",
        direction_codes_line(),
        "    constants:",
        f"      country: {code}",
    ]
    if log is None:
        return lines   # a wave without a platform log (PREVIOUS_WAVES)
    lines += [
        f"  - name: {code.lower()}-platform",
        "    kind: hour-log",
        f"    path: data/{log}",
        "    format: csv",
        "    encoding: utf-8",
        "    delimiter: \",\"",
        "    decimal: \".\"",
        "    annualisation_factor: 1   # the log covers the whole year 2023",
        "    columns:",
        "      person_id: volunteer_id",
        "      activity_id: entry_id",
        "      date: date",
        "      hours: hours",
        "      isco: task_isco",
        "      sdg: sdg",
        "      direction: direction",
        "      region: region",
        "      sex: sex",
        "      age: age",
        "    codes:",
        "      sex: {male: [\"M\"], female: [\"F\"]}",
        direction_codes_line(),
        "    constants:",
        f"      country: {code}",
        "      volunteered: \"true\"",
        "      form: organisation",
    ]
    return lines


def yaml_country(code, spec, year=YEAR, extra_cpi=()):
    avg = hourly(spec["monthly"])
    YEAR = year  # the wave's year in every value below (the module constant for the 2023 studies)
    lines = [
        f"  - code: {code}   # {spec['name']}",
        f"    currency: {spec['currency']}",
        f"    wages: parameters/{code.lower()}_isco_wages_{YEAR}.csv   # [D][synthetic] see generate.py",
        f"    generalist_wage: {{value: {avg!r}, year: {YEAR}, source: {q('[D] economy-wide average hourly wage = ' + format(spec['monthly'], ',.0f') + ' / (1984/12); monthly: ' + spec['monthly_src'])}}}",
        f"    average_hourly_wage: {{value: {avg!r}, year: {YEAR}, source: {q('[D] same as generalist_wage; ' + spec['monthly_src'])}}}",
    ]
    if spec["minimum_monthly"]:
        lines.append(f"    minimum_hourly_wage: {{value: {hourly(spec['minimum_monthly'])!r}, year: {YEAR}, source: {q('[D] ' + format(spec['minimum_monthly'], ',.0f') + ' / (1984/12); ' + spec['minimum_src'])}}}")
    lines.append(f"    full_time_annual_hours: {{value: {ANNUAL_HOURS!r}, year: {YEAR}, source: {q(spec['hours_src'])}}}")
    # A previous wave gives only what its valuation needs and the reference figures have (no exchange rate, PPP or GDP of 2019).
    if spec["usd"] is not None:
        lines += [
            f"    lcu_per_usd: {{value: {spec['usd']!r}, year: {YEAR}, source: {q(WDI_SRC + ', PA.NUS.FCRF')}}}",
            f"    lcu_per_ppp_dollar: {{value: {spec['ppp']!r}, year: {YEAR}, source: {q(WDI_SRC + ', PA.NUS.PPP; [!] revised every release')}}}",
            f"    gdp: {{value: {spec['gdp']!r}, year: {YEAR}, source: {q(spec['gdp_src'])}}}",
            f"    population_15_plus: {{value: {float(spec['population15'])!r}, year: {YEAR}, source: {q(spec['population15_src'])}}}",
        ]
    lines.append("    cpi:")
    lines += [f"      - {{year: {y}, index: {i!r}, source: {q(src)}}}" for y, i, src in extra_cpi]
    lines += [f"      - {{year: {y}, index: {i!r}, source: {q(spec['cpi_src'])}}}" for y, i in spec["cpi"]]
    return lines


# The annex cover (methodology/reporting.md, "Cover"): the study's title in each annex language and the publisher.
# The samples are synthetic, so the publisher line says so instead of naming a statistical office.
TITLES = {
    "KZ": ("Kazakhstan", "в Казахстане", "Қазақстандағы"),
    "KG": ("Kyrgyzstan", "в Кыргызстане", "Қырғызстандағы"),
    "TJ": ("Tajikistan", "в Таджикистане", "Тәжікстандағы"),
    "UZ": ("Uzbekistan", "в Узбекистане", "Өзбекстандағы"),
    "ALL": ("Central Asia", "в Центральной Азии", "Орталық Азиядағы"),
}
PUBLISHER = {
    "en": "Synthetic sample — not an official publication of any statistical office",
    "ru": "Синтетический пример — не официальная публикация какого-либо статистического органа",
    "kk": "Синтетикалық үлгі — ешбір статистика органының ресми жарияланымы емес",
}
# After every source the samples cite (the WDI snapshot of 2026-07-01): an annex is not released before its sources.
RELEASE_DATE = "2026-09-01"


def yaml_report_cover(area, YEAR=YEAR):
    en, ru, kk = TITLES[area]
    return [
        "  title:",
        f"    en: {q(f'Volunteer work in {en}, {YEAR} (synthetic sample)')}",
        f"    ru: {q(f'Волонтерская деятельность {ru}, {YEAR} год (синтетический пример)')}",
        f"    kk: {q(f'{kk} волонтерлік қызмет, {YEAR} жыл (синтетикалық үлгі)')}",
        "  publisher:",
        f"    en: {q(PUBLISHER['en'])}",
        f"    ru: {q(PUBLISHER['ru'])}",
        f"    kk: {q(PUBLISHER['kk'])}",
        f"  release_date: {RELEASE_DATE}   # after the latest source cited above",
    ]


def yaml_study(study_id, title, codes, policy, inputs, year=YEAR, countries=COUNTRIES, previous_wave=None, extra_cpi=()):
    YEAR = year  # the wave's year (the module constant for the 2023 studies)
    lines = [
        "# Generated by generate.py (synthetic microdata, sourced parameters). Do not edit by hand: edit generate.py and rerun.",
        f"id: {study_id}",
        f"title: {q(title)}",
        f"year: {YEAR}",
        f"base_year: {YEAR}",
    ]
    if previous_wave is not None:
        # Change over time (methodology/change-over-time.md): the earlier wave is a study of its own, named here.
        lines += [
            "previous_wave:",
            f"  study: {previous_wave}   # its own inputs, year and parameters; the change table of contrib estimate and the annex",
        ]
    lines += [
        "reference_period:",
        "  length_days: 28            # ILO module: 'in the last four weeks' [V]",
        "  annualisation_factor: 13   # 52/4, parameter (annualisation rule of the Manual: [NF])",
        "inputs:",
    ]
    for code in codes:
        lines += inputs[code]
    lines += [
        "valuation:",
        "  on_cost_uplift: 0          # no employer on-costs (ILO Manual on supplements: [NF])",
        f"  opportunity_cost_policy: {policy}",
        "  opportunity_cost_share: 0.5   # Brown (1999): 1/2 to 6/7 [S]",
        "  generalist_wage: average   # economy-wide average (Independent Sector [V]); community-social-services = ISCO 3412 (UN NPI Handbook 2003 [S]) is the annex's sensitivity line",
        "  hybrid_generalist_major_groups: [\"9\"]   # simple tasks, valued at the wage of the whole major group (methodology/valuation.md 3)",
        "  headline_method: specialist   # replacement cost at the task's wage (ILO/JHU recommended) [V]/[S]",
        "countries:",
    ]
    for code in codes:
        lines += yaml_country(code, countries[code], YEAR, extra_cpi)
    lines += [
        "checks:",
        "  rejection_tolerance: 0.01   # the sample data carry three deliberate errors per country",
        "  minimum_hours: 1            # 19th ICLS: at least one hour [V]",
        "  paid_stipend_share: 0.3333333333333333   # 19th ICLS: stipend below one third of local market wages [V]",
        "  include_help_to_relatives: false         # 19th ICLS excludes related family members [V]",
        "  minimum_age: 15",
    ]
    if len(codes) > 1:
        # Study mode of `contrib estimate` and `contrib index` (methodology/volunteer-estimates.md).
        lines += [
            "estimation:",
            "  domains: [sex, age_group, youth, region, urban_rural, disability, employment_status]",
            "  confidence_level: 0.95",
            "  quality: statistics-canada   # CV <= 16.5 % publish, <= 33.3 % caution, else suppress; n >= 10 [S]",
            "  lonely_psu: fail",
            "  sdg_allocation: equal-split",
            "  replicates:",
            "    convert: auto              # the one design of estimates, indicators and index: JKn replicates from strata and PSUs",
            "index:",
            "  framework: parameters/vci-framework.csv   # hand-written: directions and goalposts of methodology/indicators.md",
            "  normalisation: bounded",
            "  aggregation: arithmetic",
            "  weighting: equal",
        ]
    if study_id.startswith("kg-"):
        # One sample shows automatic coding of the ~4 % of descriptions left without an ISCO code
        # (methodology/coding/README.md, "Use in a study"); the other studies keep the generalist fallback.
        lines += [
            "coding:",
            "  enabled: true",
            "  threshold: 0.6   # ISCO threshold (without it: the model's recorded one); codes below it are not used: generalist fallback, listed in coding_review.csv",
        ]
    lines += [
        "report:",
        "  region_labels: parameters/region-labels.csv   # names of the data's regions in en, ru and kk for the annex (README: Region names)",
    ]
    lines += yaml_report_cover(codes[0] if len(codes) == 1 else "ALL", YEAR)
    if len(codes) > 1:
        lines += ["  pooled_area_code: XCA4   # SDMX REF_AREA of the four-country pool (methodology/sdmx-series.md)"]
    return "\n".join(lines) + "\n"


def check_structure(code, rows):
    """The sample looks like the country: 15-29 share near the rule's, and no stratum whose PSUs have equal volunteer counts."""
    persons = {}
    for row in rows:
        persons.setdefault(row["pid"], row)
    total = sum(p["w"] for p in persons.values())
    young = sum(p["w"] for p in persons.values() if p["age"] < 30) / total
    expected = youth_share(code)
    assert abs(young - expected) < 0.03, (code, young, expected)
    # A region's volunteer count has a zero standard error when, in every one of its strata, all PSUs have the same count.
    by_region = {}
    for p in persons.values():
        counts = by_region.setdefault(p["region"], {}).setdefault(p["stratum"], {})
        counts[p["psu"]] = counts.get(p["psu"], 0) + (p["vol"] == "1")
    for region, strata_counts in by_region.items():
        assert any(len(set(c.values())) > 1 for c in strata_counts.values()), (code, region, strata_counts)
    print(f"{code}: 15-29 = {100 * young:.1f} % of 15+ (rule {100 * expected:.1f} %), {len(persons)} persons")


def write_previous_waves():
    """Data, wage table and study file of each previous wave; returns the study file name by country code."""
    names = {}
    for code, spec in PREVIOUS_WAVES.items():
        year = spec["year"]
        table = write_wage_table(code, spec, year)
        rows = person_rows(code, spec, table)
        check_structure(code, rows[:-3])
        survey, columns = write_survey(code, rows, year)
        wave_inputs = {code: yaml_inputs(code, survey, columns, None)}
        text = yaml_study(f"{code.lower()}-{year}", f"Volunteer work in {spec['name']}, {year} (synthetic sample)",
                          [code], "share-of-average", wave_inputs, year=year, countries=PREVIOUS_WAVES,
                          extra_cpi=[KZ_CPI_2019] if code == "KZ" else ())
        names[code] = f"{code.lower()}-{year}.yaml"
        with open(os.path.join(HERE, names[code]), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    return names


def main():
    os.makedirs(os.path.join(HERE, "data"), exist_ok=True)
    os.makedirs(os.path.join(HERE, "parameters"), exist_ok=True)
    inputs = {}
    for code, spec in COUNTRIES.items():
        table = write_wage_table(code, spec)
        rows = person_rows(code, spec, table)
        check_structure(code, rows[:-3])   # the last three rows are the deliberate errors
        survey, columns = write_survey(code, rows)
        log = write_log(code, spec)
        inputs[code] = yaml_inputs(code, survey, columns, log)
    policies = {"KZ": "minimum-wage", "KG": "share-of-average", "TJ": "minimum-wage", "UZ": "imputed"}
    previous = write_previous_waves()
    for code, spec in COUNTRIES.items():
        wave = previous.get(code)
        text = yaml_study(f"{code.lower()}-{YEAR}", f"Volunteer work in {spec['name']}, {YEAR} (synthetic sample)",
                          [code], policies[code], inputs, previous_wave=wave,
                          extra_cpi=[KZ_CPI_2019] if wave is not None else ())
        with open(os.path.join(HERE, f"{code.lower()}.yaml"), "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    text = yaml_study(f"central-asia-{YEAR}", f"Volunteer work in Central Asia, {YEAR} (synthetic sample)",
                      list(COUNTRIES), "share-of-average", inputs)
    with open(os.path.join(HERE, "regional.yaml"), "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


if __name__ == "__main__":
    main()
