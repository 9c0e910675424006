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
        root.Subcommands.Add(Commands.ClassifyCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.ReportCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.SynthCommand.Create(stdout, stderr));
        root.Subcommands.Add(Commands.MergeCommand.Create(stdout, stderr));
        return root;
    }
}
