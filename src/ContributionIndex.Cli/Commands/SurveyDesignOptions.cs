using System.CommandLine;
using System.Globalization;
using ContributionIndex.Diagnostics;
using ContributionIndex.Estimation;
using ContributionIndex.Ingest;
using ContributionIndex.Studies;

namespace ContributionIndex.Cli.Commands;

/// <summary>
/// The survey file and design flags shared by <c>contrib estimate</c> (quick mode) and <c>contrib model</c>: the file, its
/// weights, strata, PSUs, fpc, replicate weights and their constants, the lonely-PSU policy and the <c>--where</c> subset.
/// </summary>
internal sealed class SurveyDesignOptions
{
    /// <summary>The place named by errors in option values.</summary>
    public static readonly SourceLocation CommandLinePlace = SourceLocation.OfFile("command line");

    public Option<string?> Data { get; } = new("--data") { Description = "Quick mode: the survey file (CSV or XLSX)." };
    public Option<string?> Sheet { get; } = new("--sheet") { Description = "The XLSX sheet (default: the first)." };
    public Option<string> Encoding { get; } = CommandLine.WithDefault("--encoding", "CSV encoding: auto, utf-8, utf-16, windows-1251.", "auto");
    public Option<string> Delimiter { get; } = CommandLine.WithDefault("--delimiter", "CSV field separator: auto, ',', ';', tab.", "auto");
    public Option<string> DecimalSeparator { get; } = CommandLine.WithDefault("--decimal", "Decimal separator of numbers written as text: auto, '.', ','.", "auto");
    public Option<string?> Weights { get; } = new("--weights") { Description = "Quick mode: the full-sample weight column." };
    public Option<string?> Strata { get; } = new("--strata") { Description = "The stratum column." };
    public Option<string?> Psu { get; } = new("--psu") { Description = "The PSU (cluster) column, nested in strata; omit when each row is its own PSU." };
    public Option<string?> Fpc { get; } = new("--fpc") { Description = "Finite population correction column: population PSUs in the stratum (≥ 1) or sampling fraction (≤ 1)." };
    public Option<string?> Ssu { get; } = new("--ssu") { Description = "Second-stage unit column (nested in PSUs); with --fpc and --fpc2 the variance adds the second stage (R ids = ~psu + ssu)." };
    public Option<string?> Fpc2 { get; } = new("--fpc2") { Description = "Second-stage fpc column: population SSUs in the row's PSU (>= 1) or sampling fraction (<= 1)." };
    public Option<bool> AdjustDomainLonely { get; } = new("--adjust-domain-lonely") { Description = "Treat a stratum whose domain has rows in one PSU only as lonely (R options(survey.adjust.domain.lonely = TRUE))." };
    public Option<string?> ReplicateWeights { get; } = new("--repweights") { Description = "Header pattern of the replicate weight columns, e.g. 'repw*'." };
    public Option<string?> ReplicateType { get; } = RepType();
    public Option<string?> Rho { get; } = new("--rho") { Description = "Fay's rho (required for --rep-type fay)." };
    public Option<string?> Scale { get; } = new("--scale") { Description = "Replicate variance scale (R scale)." };
    public Option<string?> RScales { get; } = new("--rscales") { Description = "File with one rscale per replicate (numbers separated by new lines, spaces or commas)." };
    public Option<bool> Mse { get; } = new("--mse") { Description = "Centre replicate variances on the full-sample estimate (R mse = TRUE)." };
    public Option<int> Replicates { get; } = CommandLine.WithDefault("--replicates", "Bootstrap replicates to build (default 50).", 50);
    public Option<ulong> Seed { get; } = CommandLine.WithDefault("--seed", "Seed of the bootstrap generator.", 20221125UL);
    public Option<string?> Where { get; } = new("--where") { Description = "Keep rows with COL=VALUE (the design stays whole, as R subset)." };
    public Option<string> LonelyPsu { get; } = CommandLine.Choice("--lonely-psu", "Lonely-PSU policy: fail, remove, certainty, adjust, average.", "fail", "fail", "remove", "certainty", "adjust", "average");

    /// <summary>Every option, in the order the help lists them.</summary>
    public IEnumerable<Option> All =>
    [
        Data, Sheet, Encoding, Delimiter, DecimalSeparator, Weights, Strata, Psu, Fpc, Ssu, Fpc2, AdjustDomainLonely, ReplicateWeights, ReplicateType, Rho, Scale, RScales,
        Mse, Replicates, Seed, Where, LonelyPsu,
    ];

    /// <summary>The file and design part of a quick-mode request (no estimates yet); <c>--data</c> and <c>--weights</c> must be given.</summary>
    public QuickEstimateRequest Request(ParseResult parse) => new()
    {
        DataPath = parse.GetValue(Data)!,
        Tabular = TabularOptions.Default with
        {
            Sheet = parse.GetValue(Sheet),
            Encoding = parse.GetValue(Encoding)!,
            Delimiter = parse.GetValue(Delimiter)!,
            Decimal = parse.GetValue(DecimalSeparator)!,
        },
        Weights = parse.GetValue(Weights)!,
        Strata = parse.GetValue(Strata),
        Psu = parse.GetValue(Psu),
        Fpc = parse.GetValue(Fpc),
        Ssu = parse.GetValue(Ssu),
        Fpc2 = parse.GetValue(Fpc2),
        AdjustDomainLonely = parse.GetValue(AdjustDomainLonely),
        ReplicateWeights = parse.GetValue(ReplicateWeights),
        ReplicateType = parse.GetValue(ReplicateType) is { } type ? StudyChoices.Parse<ReplicateMethod>(type, "--rep-type", CommandLinePlace) : null,
        Rho = OptionalNumber(parse.GetValue(Rho), "--rho"),
        Scale = OptionalNumber(parse.GetValue(Scale), "--scale"),
        RScales = parse.GetValue(RScales) is { } file ? ReadRScales(file) : null,
        Mse = parse.GetValue(Mse),
        BootstrapReplicates = parse.GetValue(Replicates),
        Seed = parse.GetValue(Seed),
        Where = parse.GetValue(Where) is { } w ? WhereFilter(w) : null,
        LonelyPsu = StudyChoices.Parse<LonelyPsuPolicy>(parse.GetValue(LonelyPsu), "--lonely-psu", CommandLinePlace),
    };

    /// <summary>Checks the options whose range or combination needs no data, before the survey is read (hardening.md §1).</summary>
    public void Check(ParseResult parse)
    {
        var type = parse.GetValue(ReplicateType);
        var given = parse.GetValue(ReplicateWeights) is not null;
        if (given && type is null)
            throw Usage("--repweights needs the replicate method: add --rep-type jk1|jkn|brr|fay|bootstrap|other.");
        if (!given && type is "brr" or "fay" or "other")
            throw Usage($"--rep-type {type} cannot be built from strata and PSUs; give the replicate weight columns with --repweights, or use jk1, jkn or bootstrap.");
        if (OptionalNumber(parse.GetValue(Rho), "--rho") is { } r)
            OptionRange.Check(r, "--rho", 0, 1, highOpen: true, hint: "Fay's rho, e.g. 0.5");
        else if (type == "fay")
            throw Usage("--rep-type fay needs --rho (Fay's rho, e.g. 0.5), as R survey requires.");
        if (OptionalNumber(parse.GetValue(Scale), "--scale") is { } s && !(double.IsFinite(s) && s > 0))
            throw Usage(string.Create(CultureInfo.InvariantCulture, $"--scale {s.ToString("R", CultureInfo.InvariantCulture)} is out of range: it must be a positive number."));
        if (type == "bootstrap" && !given)
            OptionRange.Check(parse.GetValue(Replicates), "--replicates", 2, MaxBootstrapReplicates, "e.g. 50 or 500");
    }

    /// <summary>The most bootstrap replicates quick mode builds (each is a full column of weights in memory).</summary>
    private const int MaxBootstrapReplicates = 100_000;

    /// <summary>A usage error (exit code 2) with <paramref name="message"/>.</summary>
    public static EstimationException Usage(string message) => new(FailureKind.Usage, message);

    /// <summary>Splits <c>TEXT</c> at the first <paramref name="separator"/> into two non-empty trimmed parts.</summary>
    public static (string, string) Pair(string text, char separator, string option, string shape)
    {
        int at = text.IndexOf(separator, StringComparison.Ordinal);
        if (at <= 0 || at == text.Length - 1) throw Usage($"{option} '{MessageText.Excerpt(text)}' is not of the form {shape}.");
        return (text[..at].Trim(), text[(at + 1)..].Trim());
    }

    /// <summary>A number written with a decimal point, or null when the option was not given.</summary>
    public static double? OptionalNumber(string? text, string option)
    {
        if (text is null) return null;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw Usage($"{option} '{MessageText.Excerpt(text)}' is not a number; write it with a decimal point, e.g. 0.5.");
        return value;
    }

    private static Option<string?> RepType()
    {
        var option = new Option<string?>("--rep-type") { Description = "Replicate method: jk1, jkn, brr, fay, bootstrap, other (jk1, jkn, bootstrap without --repweights build replicates from strata and PSUs)." };
        option.AcceptOnlyFromAmong("jk1", "jkn", "brr", "fay", "bootstrap", "other");
        return option;
    }

    private static RowFilter WhereFilter(string text)
    {
        var (column, value) = Pair(text, '=', "--where", "COL=VALUE");
        return new RowFilter(column, value);
    }

    private static double[] ReadRScales(string path)
    {
        if (!File.Exists(path)) throw new InputDataException(SourceLocation.OfFile(path), $"the rscales file {SpecialFiles.Absence(path)}.", "Check the path given to --rscales.");
        var values = new List<double>();
        var lines = File.ReadAllLines(path);
        for (int line = 0; line < lines.Length; line++)
        {
            var fields = lines[line].Split([' ', '\t', ',', ';'], StringSplitOptions.RemoveEmptyEntries);
            for (int f = 0; f < fields.Length; f++)
            {
                if (!double.TryParse(fields[f], NumberStyles.Float, CultureInfo.InvariantCulture, out var v))
                    throw new InputDataException(new SourceLocation(path, line + 1, f + 1), $"'{MessageText.Excerpt(fields[f])}' is not a number.", "Write one rscale per replicate with a decimal point.");
                values.Add(v);
            }
        }
        return [.. values];
    }
}
