using System.CommandLine;

namespace ContributionIndex.Cli;

/// <summary>Builds the <c>contrib</c> command tree. Each command lives in Commands/ and only parses and delegates.</summary>
internal static class CommandLine
{
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "Show stack traces for errors.",
        Recursive = true,
    };

    public static RootCommand Build(TextWriter stdout, TextWriter stderr)
    {
        var root = new RootCommand("contrib: measure and value volunteer work and build VNR tables (ILO 2011, 19th ICLS).");
        root.Options.Add(Verbose);
        root.Subcommands.Add(Commands.ValidateCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.ValueCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.IndexCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.EstimateCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.ModelCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.ClassifyCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.ReportCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.SynthCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.MergeCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.InitCommand.Create(stdout, stderr));
        return root;
    }

    /// <summary>The study file argument of <c>value</c>, <c>report</c> and <c>validate</c>.</summary>
    public static Argument<FileInfo> StudyArgument() => new("study") { Description = "The study file (YAML)." };

    /// <summary>The required <c>--out</c> folder of a command.</summary>
    public static Option<DirectoryInfo> OutFolder(string description) => new("--out") { Description = description, Required = true };

    /// <summary>An option with a default value (shown in the help as <c>[default: …]</c>).</summary>
    public static Option<T> WithDefault<T>(string name, string description, T defaultValue) =>
        new(name) { Description = description, DefaultValueFactory = _ => defaultValue };

    /// <summary>A text option that accepts only <paramref name="values"/> (shown in the help as <c>&lt;a|b&gt;</c>), with a default.</summary>
    public static Option<string> Choice(string name, string description, string defaultValue, params string[] values)
    {
        var option = WithDefault(name, description, defaultValue);
        option.CompletionSources.Add(values);
        // Our own check instead of AcceptOnlyFromAmong: its message lists the values but suggests none (--lang kz → kk).
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0) return;
            var given = result.Tokens[^1].Value;
            if (values.Contains(given, StringComparer.Ordinal)) return;
            var nearest = Studies.NameSuggestions.Nearest(given, values);
            result.AddError($"{name} '{given}' is not one of {string.Join(", ", values)}" + (nearest is null ? "." : $"; did you mean '{nearest}'?"));
        });
        return option;
    }
}
