using System.Globalization;
using System.Text;

namespace ContributionIndex.Tests.Agreement;

/// <summary>One record of a CSV output file, with its file and line for messages.</summary>
internal sealed class CsvRecord(string file, int line, IReadOnlyDictionary<string, string> fields)
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public string this[string column] =>
        fields.TryGetValue(column, out var value) ? value : throw new InvalidOperationException($"{File} has no column '{column}'.");

    public bool Has(string column) => fields.ContainsKey(column);

    /// <summary>The number in <paramref name="column"/>, or null when the field is empty.</summary>
    public double? Number(string column)
    {
        var text = this[column];
        if (text.Length == 0) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new InvalidOperationException($"{File}:{Line}: column '{column}' holds '{text}', not a number.");
        return value;
    }

    public override string ToString() => $"{Path.GetFileName(File)}:{Line}";
}

/// <summary>A CSV output file (RFC 4180, header row), read without the library's own readers.</summary>
internal sealed class CsvFile
{
    private CsvFile(string path, IReadOnlyList<string> header, IReadOnlyList<CsvRecord> records)
    {
        Path = path;
        Header = header;
        Records = records;
    }

    public string Path { get; }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<CsvRecord> Records { get; }

    public static CsvFile Read(string path)
    {
        Assert.True(File.Exists(path), $"Expected output file {path} is missing.");
        var text = File.ReadAllText(path, Encoding.UTF8);
        var lines = Parse(text);
        Assert.True(lines.Count > 0, $"{path} is empty.");
        var header = lines[0].Fields;
        var records = new List<CsvRecord>();
        foreach (var (line, fields) in lines.Skip(1))
        {
            Assert.True(fields.Count == header.Count, $"{path}:{line} has {fields.Count} fields for {header.Count} columns.");
            // A repeated header name (the tidy CSV's dimension 'unit' before the trailing 'unit') keeps its last occurrence.
            var map = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Count; i++) map[header[i]] = fields[i];
            records.Add(new CsvRecord(path, line, map));
        }

        return new CsvFile(path, header, records);
    }

    /// <summary>The records of a CSV text as field lists, each with the line it starts on.</summary>
    public static List<(int Line, List<string> Fields)> Parse(string text)
    {
        var result = new List<(int, List<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var line = 1;
        var recordLine = 1;
        var i = text.Length > 0 && text[0] == '\uFEFF' ? 1 : 0;
        var any = false;
        for (; i < text.Length; i++)
        {
            var ch = text[i];
            if (quoted)
            {
                if (ch == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        field.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (ch == '\n') line++;
                    field.Append(ch);
                }

                continue;
            }

            switch (ch)
            {
                case '"':
                    quoted = true;
                    any = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    any = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    result.Add((recordLine, fields));
                    fields = [];
                    any = false;
                    line++;
                    recordLine = line;
                    break;
                default:
                    field.Append(ch);
                    any = true;
                    break;
            }
        }

        if (any || field.Length > 0)
        {
            fields.Add(field.ToString());
            result.Add((recordLine, fields));
        }

        return result;
    }
}

/// <summary>One numeric cell of a tidy CSV annex table.</summary>
internal sealed record TidyCell(string Measure, double? Value, string Flag, string Unit, CsvRecord Record);

/// <summary>
/// One row of an annex table as the tidy CSV writes it (one record per numeric cell), with the SDMX dimensions of the
/// same row from the SDMX-CSV file (see <see cref="AnnexFiles"/>), which give the row's codes.
/// </summary>
internal sealed class TidyRow(string table, int number, IReadOnlyDictionary<string, string> labels)
{
    public string Table { get; } = table;

    public int Number { get; } = number;

    /// <summary>The dimension labels of the row (report language), by column id.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; } = labels;

    public Dictionary<string, TidyCell> Cells { get; } = new(StringComparer.Ordinal);

    /// <summary>The SDMX dimension values of the row (null until paired with the SDMX file).</summary>
    public IReadOnlyDictionary<string, string>? Dimensions { get; set; }

    /// <summary>The row's own series, when it names one (T5: one indicator per row).</summary>
    public string? Series { get; set; }

    /// <summary>The country code (KZ, KG, TJ, UZ) or <see cref="Scopes.Pool"/>, from REF_AREA.</summary>
    public string Scope => Scopes.OfRefArea(Dimension("REF_AREA"));

    /// <summary>The breakdown of the row as documented SDMX codes (methodology/sdmx-series.md), e.g. <c>SEX=F</c>; empty for a total.</summary>
    public string Breakdown => Scopes.BreakdownOf(Dimensions ?? throw new InvalidOperationException($"{this} has no SDMX observation, so its codes are unknown."));

    public string Dimension(string name) =>
        (Dimensions ?? throw new InvalidOperationException($"{this} has no SDMX observation, so its codes are unknown.")).TryGetValue(name, out var v)
            ? v : throw new InvalidOperationException($"{this}: the SDMX file has no dimension {name}.");

    public TidyCell? Cell(string measure) => Cells.GetValueOrDefault(measure);

    public override string ToString() => $"{Table} row {Number} ({string.Join(", ", Labels.Values)})";
}

/// <summary>Scope and breakdown codes shared by the output files.</summary>
internal static class Scopes
{
    /// <summary>The regional pool of a multi-country study, whatever code a file gives it (ALL, REGION, XCA4).</summary>
    public const string Pool = "(pool)";

    /// <summary>M49 codes of the four countries (methodology/sdmx-series.md, REF_AREA).</summary>
    private static readonly Dictionary<string, string> M49 = new(StringComparer.Ordinal)
    {
        ["398"] = "KZ",
        ["417"] = "KG",
        ["762"] = "TJ",
        ["860"] = "UZ",
    };

    public static string OfRefArea(string refArea) => M49.TryGetValue(refArea, out var code) ? code : Pool;

    /// <summary>A country column of estimates.csv, summary.csv, indicators.csv or scores.csv: a country code, else the pool.</summary>
    public static string OfCountry(string code) => M49.ContainsValue(code) ? code : Pool;

    private static readonly HashSet<string> NotBreakdowns = new(StringComparer.Ordinal) { "FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA" };

    public static string BreakdownOf(IReadOnlyDictionary<string, string> dimensions) =>
        string.Join(";", dimensions.Where(d => !NotBreakdowns.Contains(d.Key) && d.Value is not ("_T" or "Y_GE15"))
            .OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Key + "=" + d.Value));

    /// <summary>
    /// The documented SDMX breakdown (methodology/sdmx-series.md) of an estimates.csv domain and value; null for domains
    /// the annex does not break down by (youth, disability, employment status).
    /// </summary>
    public static string? BreakdownOf(string domain, string value) => domain switch
    {
        "all" => "",
        "sex" => "SEX=" + (value == "female" ? "F" : value == "male" ? "M" : "?" + value),
        "age_group" => "AGE=" + (value.EndsWith('+') ? "Y_GE" + value[..^1] : "Y" + value.Replace('-', 'T')),
        "urban_rural" => "URBANISATION=" + (value == "urban" ? "U" : value == "rural" ? "R" : "?" + value),
        "region" => "CUST_BREAKDOWN=REGION_" + Code(value),
        "form" => "CUST_BREAKDOWN=" + (value == "organisation" ? "VOL_ORG" : value == "direct" ? "VOL_DIR" : "VOL_U"),
        "isco_major_group" => "OCCUPATION=" + (value == "unknown" ? "_U" : "ISCO08_" + value),
        "sdg" => "CUST_BREAKDOWN=" + (value == "unknown" ? "SDG_U" : "SDG_" + value.PadLeft(2, '0')),
        "direction" => "CUST_BREAKDOWN=DIR_" + Code(value),
        _ => null,
    };

    /// <summary>A code from a name: upper case, every character other than an ASCII letter or digit as '_' (REGION_NORTH_KAZAKHSTAN).</summary>
    private static string Code(string text) => new([.. text.ToUpperInvariant().Select(ch => char.IsAsciiLetterOrDigit(ch) ? ch : '_')]);

    /// <summary>The valuation method of a T3 row's CUST_BREAKDOWN (methodology/sdmx-series.md).</summary>
    public static string MethodOf(string code) => code switch
    {
        "RC_SPEC" => "specialist",
        "RC_GEN" => "generalist",
        "RC_HYB" => "hybrid",
        "OC" => "opportunity",
        _ => "?" + code,
    };
}

/// <summary>One observation of the annex's SDMX-CSV file.</summary>
internal sealed record SdmxObservation(IReadOnlyDictionary<string, string> Dimensions, double? Value, string Status, string UnitMeasure, string Table, string Column, CsvRecord Record);

/// <summary>
/// The annex's machine-readable files of one <c>contrib report</c> run: the tidy CSV tables (<c>csv/{study}-T{n}.csv</c>)
/// and the SDMX-CSV file (<c>{study}.sdmx.csv</c>). Both write a table's rows in the same order and skip the same
/// empty cells, so the k-th SDMX observation of <c>T1/volunteers</c> is the k-th tidy record of T1's
/// <c>volunteers</c>; pairing them gives every tidy row its codes (REF_AREA, SEX, CUST_BREAKDOWN …) and checks that
/// the two files publish the same numbers and flags (<see cref="PairingProblems"/>).
/// </summary>
internal sealed class AnnexFiles
{
    private static readonly string[] TrailingColumns = ["measure", "value", "flag", "unit", "notes"];

    private AnnexFiles(IReadOnlyDictionary<string, IReadOnlyList<TidyRow>> tables, IReadOnlyList<SdmxObservation> sdmx, IReadOnlyList<string> problems, int paired)
    {
        Tables = tables;
        Sdmx = sdmx;
        PairingProblems = problems;
        PairedObservations = paired;
    }

    public IReadOnlyDictionary<string, IReadOnlyList<TidyRow>> Tables { get; }

    public IReadOnlyList<SdmxObservation> Sdmx { get; }

    public IReadOnlyList<string> PairingProblems { get; }

    public int PairedObservations { get; }

    /// <summary>
    /// The source kind (<c>survey</c> or <c>hour-log</c>) of a T2 or T3 row from its <c>source</c> label: the label of
    /// T2's rows whose hours have no standard error ([z]: an hour log has no sampling error) is the hour log's.
    /// </summary>
    public string SourceOf(TidyRow row)
    {
        if (_sourceKinds is null)
        {
            _sourceKinds = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var r in Table("T2"))
            {
                var kind = r.Cell("hours_se")?.Flag == "z" ? "hour-log" : "survey";
                if (_sourceKinds.TryGetValue(r.Labels["source"], out var seen) && seen != kind)
                    throw new InvalidOperationException($"T2 label '{r.Labels["source"]}' is on survey and hour-log rows.");
                _sourceKinds[r.Labels["source"]] = kind;
            }
        }

        return _sourceKinds.TryGetValue(row.Labels["source"], out var k) ? k : throw new InvalidOperationException($"{row}: source label not in T2.");
    }

    private Dictionary<string, string>? _sourceKinds;

    public IReadOnlyList<TidyRow> Table(string id) =>
        Tables.TryGetValue(id, out var rows) ? rows : throw new InvalidOperationException($"The annex has no tidy CSV table {id} (tables: {string.Join(", ", Tables.Keys)}).");

    public static AnnexFiles Read(string reportFolder)
    {
        var csvFolder = Path.Combine(reportFolder, "csv");
        Assert.True(Directory.Exists(csvFolder), $"contrib report wrote no csv/ folder in {reportFolder}.");
        var tables = new SortedDictionary<string, IReadOnlyList<TidyRow>>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(csvFolder, "*.csv").Order(StringComparer.Ordinal))
        {
            var rows = ReadTidy(path);
            if (rows.Count > 0) tables[rows[0].Table] = rows;
        }

        var sdmxFiles = Directory.GetFiles(reportFolder, "*.sdmx.csv");
        Assert.True(sdmxFiles.Length == 1, $"Expected one SDMX-CSV file in {reportFolder}, found {sdmxFiles.Length}.");
        var sdmx = CsvFile.Read(sdmxFiles[0]).Records.Select(r =>
        {
            // COMMENT_OBS is "T1/volunteers", followed by the flag symbol when the cell has one ("T1/volunteers [u]").
            var comment = r["COMMENT_OBS"].Split(' ')[0];
            var slash = comment.IndexOf('/', StringComparison.Ordinal);
            var dims = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var name in new[] { "SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION", "INCOME_WEALTH_QUANTILE", "EDUCATION_LEV", "OCCUPATION", "CUST_BREAKDOWN", "COMPOSITE_BREAKDOWN", "DISABILITY_STATUS", "ACTIVITY", "PRODUCT" })
                dims[name] = r[name];
            return new SdmxObservation(dims, r.Number("OBS_VALUE"), r["OBS_STATUS"], r["UNIT_MEASURE"], slash < 0 ? comment : comment[..slash], slash < 0 ? "" : comment[(slash + 1)..], r);
        }).ToList();

        var problems = new List<string>();
        var paired = 0;
        // A figure two tables publish under one key (T4's total hours are T2's) is one SDMX observation, written with the
        // first table's COMMENT_OBS: the later table's cell pairs with it by key, once the row's other cells give the key.
        var byKey = sdmx.GroupBy(o => KeyText(o.Dimensions)).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var group in sdmx.GroupBy(o => (o.Table, o.Column)).OrderBy(g => tables.TryGetValue(g.Key.Table, out var t) && t.Count(r => r.Cell(g.Key.Column) is not null) != g.Count() ? 1 : 0))
        {
            if (!tables.TryGetValue(group.Key.Table, out var rows))
            {
                problems.Add($"SDMX observations of {group.Key.Table}/{group.Key.Column} but no tidy CSV table {group.Key.Table}");
                continue;
            }

            var observations = group.ToList();
            var cells = rows.SelectMany(r => r.Cell(group.Key.Column) is { } c ? new[] { (Row: r, Cell: c) } : []).ToList();
            if (cells.Count > observations.Count)
            {
                var series = observations.Count > 0 ? observations[0].Dimensions["SERIES"] : "";
                var filled = new List<SdmxObservation>();
                var next = 0;
                foreach (var (row, _) in cells)
                {
                    var key = row.Dimensions is { } d ? KeyText(new Dictionary<string, string>(d) { ["SERIES"] = series }) : null;
                    if (next < observations.Count && (key is null || KeyText(observations[next].Dimensions) == key)) filled.Add(observations[next++]);
                    else if (key is not null && byKey.TryGetValue(key, out var shared)) filled.Add(shared);
                }

                if (next == observations.Count && filled.Count == cells.Count) observations = filled;
            }

            if (cells.Count != observations.Count)
            {
                problems.Add($"{group.Key.Table}/{group.Key.Column}: {observations.Count} SDMX observations but {cells.Count} tidy CSV records");
                continue;
            }

            for (var k = 0; k < cells.Count; k++)
            {
                var (row, cell) = cells[k];
                var o = observations[k];
                paired++;
                var dims = o.Dimensions.Where(d => d.Key != "SERIES").ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
                if (row.Dimensions is null)
                {
                    row.Dimensions = dims;
                }
                else if (Scopes.BreakdownOf(row.Dimensions) != Scopes.BreakdownOf(dims) || row.Dimensions["REF_AREA"] != dims["REF_AREA"])
                {
                    problems.Add($"{row}: SDMX observations of one row have different keys ({Scopes.BreakdownOf(row.Dimensions)} vs {Scopes.BreakdownOf(dims)})");
                }

                row.Series ??= o.Dimensions["SERIES"];
                // A fraction shown as a percentage is published in percent under UNIT_MEASURE PT (sdmx-series.md, VOL_RATE).
                // A currency in thousands or millions is published with UNIT_MULT 3 or 6: OBS_VALUE × 10^UNIT_MULT is the figure.
                var scale = (cell.Unit == "PROPORTION" && o.UnitMeasure == "PT" ? 100 : 1) / Math.Pow(10, int.Parse(o.Record["UNIT_MULT"], CultureInfo.InvariantCulture));
                // SDMX-CSV publishes the value at the table's precision (sdmx-series.md, OBS_VALUE): equal within half its last digit.
                var text = o.Record["OBS_VALUE"];
                var dot = text.IndexOf('.', StringComparison.Ordinal);
                var halfDigit = 0.5 * Math.Pow(10, dot < 0 ? 0 : -(text.Length - dot - 1)) * (1 + 1e-9);
                if ((cell.Value is null) != (o.Value is null) || (cell.Value is { } a && o.Value is { } b && !(Figures.Equal(a * scale, b) || Math.Abs(a * scale - b) <= halfDigit + 1e-9 * Math.Abs(b))))
                    problems.Add($"{row} {cell.Measure}: tidy CSV {Figures.Text(cell.Value)} (x{scale}) but SDMX-CSV {Figures.Text(o.Value)} ({o.Record})");
                if (StatusOf(cell.Flag) != o.Status)
                    problems.Add($"{row} {cell.Measure}: tidy CSV flag '{cell.Flag}' but SDMX OBS_STATUS '{o.Status}' ({o.Record})");
            }
        }

        return new AnnexFiles(tables, sdmx, problems, paired);
    }

    private static string KeyText(IReadOnlyDictionary<string, string> dims) =>
        string.Join(",", dims.OrderBy(d => d.Key, StringComparer.Ordinal).Select(d => d.Key + "=" + d.Value));

    /// <summary>The documented OBS_STATUS of a flag letter (methodology/sdmx-series.md).</summary>
    private static string StatusOf(string flag) => flag switch
    {
        "" => "A",
        "u" => "U",
        "c" => "Q",
        "x" => "O",
        "z" => "M",
        _ => "?" + flag,
    };

    private static List<TidyRow> ReadTidy(string path)
    {
        var lines = CsvFile.Parse(File.ReadAllText(path, Encoding.UTF8));
        Assert.True(lines.Count > 0, $"{path} is empty.");
        var header = lines[0].Fields;
        Assert.True(header.Count >= 7 && header[0] == "table_id" && header[1] == "row", $"{path}: unexpected tidy CSV header {string.Join(",", header)}.");
        var measureAt = header.Count - 5;
        Assert.True(header.Skip(measureAt).SequenceEqual(TrailingColumns), $"{path}: the last columns should be {string.Join(",", TrailingColumns)}.");
        var rows = new List<TidyRow>();
        var file = CsvFile.Read(path);
        for (var r = 1; r < lines.Count; r++)
        {
            var (line, fields) = lines[r];
            var number = int.Parse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture);
            if (rows.Count == 0 || rows[^1].Number != number)
            {
                var labels = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var c = 2; c < measureAt; c++) labels[header[c]] = fields[c];
                rows.Add(new TidyRow(fields[0], number, labels));
            }

            var record = file.Records[r - 1];
            var value = fields[measureAt + 1].Length == 0 ? (double?)null : double.Parse(fields[measureAt + 1], NumberStyles.Float, CultureInfo.InvariantCulture);
            // A column in thousands or millions gives its unit as LCU_E3 / USD_E6 (reporting.md, precision policy): the
            // figure in units is the value times 10^scale, compared with other commands' outputs as strictly as before.
            var unit = fields[measureAt + 3];
            var scaled = System.Text.RegularExpressions.Regex.Match(unit, "^(.+)_E([36])$");
            if (scaled.Success)
            {
                unit = scaled.Groups[1].Value;
                value *= Math.Pow(10, int.Parse(scaled.Groups[2].Value, CultureInfo.InvariantCulture));
            }

            var cell = new TidyCell(fields[measureAt], value, fields[measureAt + 2], unit, record);
            Assert.True(rows[^1].Cells.TryAdd(cell.Measure, cell), $"{path}:{line}: measure {cell.Measure} twice in row {number}.");
        }

        return rows;
    }
}

/// <summary>
/// Numeric agreement and the list of disagreements of one test. The annex's tidy CSV and SDMX-CSV files and the
/// commands' CSV files all write numbers at round-trip precision (TidyCsvRenderer, methodology/sdmx-series.md
/// "OBS_VALUE: round-trip precision"), so every pair is compared exactly: relative difference at most 1e-12.
/// </summary>
internal sealed class Figures(string context)
{
    /// <summary>Relative tolerance of two unrounded figures that should be the same number (summation order only).</summary>
    public const double Relative = 1e-12;

    private readonly List<string> _problems = [];

    public int Compared { get; private set; }

    public static bool Equal(double a, double b) => a == b || Math.Abs(a - b) <= Relative * Math.Max(Math.Abs(a), Math.Abs(b));

    public static string Text(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "(empty)";

    /// <summary>Checks one figure published in two places.</summary>
    public void Same(string what, double? published, string publishedIn, double? reference, string referenceIn)
    {
        Compared++;
        if (published is null && reference is null) return;
        if (published is { } a && reference is { } b && Equal(a, b)) return;
        var diff = published is { } x && reference is { } y && y != 0 ? string.Create(CultureInfo.InvariantCulture, $", relative difference {Math.Abs(x - y) / Math.Abs(y):E2}") : "";
        _problems.Add($"{what}: {publishedIn} {Text(published)} but {referenceIn} {Text(reference)}{diff}");
    }

    public void Problem(string text)
    {
        Compared++;
        _problems.Add(text);
    }

    /// <summary>Counts figures compared elsewhere (their disagreements come with <see cref="AddProblems"/>).</summary>
    public void Counted(int figures) => Compared += figures;

    public void AddProblems(IEnumerable<string> problems) => _problems.AddRange(problems);

    /// <summary>Fails with every disagreement listed (the first 60), and when nothing was compared.</summary>
    public void AssertAgree()
    {
        Assert.True(Compared > 0, $"{context}: no figures were compared (the outputs did not have the expected rows).");
        Assert.True(_problems.Count == 0,
            $"{context}: {_problems.Count} of {Compared} compared figures disagree:\n  " + string.Join("\n  ", _problems.Take(60)) + (_problems.Count > 60 ? $"\n  … and {_problems.Count - 60} more" : ""));
    }
}
