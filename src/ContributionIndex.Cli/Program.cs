using System.CommandLine;
using System.CommandLine.Parsing;
using ContributionIndex.Studies;

namespace ContributionIndex.Cli;

/// <summary>Entry point of <c>contrib</c>: parse, call the library, render, return a named exit code.</summary>
public static class Program
{
    /// <summary>Runs the command line and returns the exit code.</summary>
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs the command line with the given output writers (used by tests).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stderr);
        ArgumentNullException.ThrowIfNull(args);
        // A NUL cannot be part of a path or value (the OS would cut or refuse it later as an internal error).
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].Contains('\0', StringComparison.Ordinal)) continue;
            var after = i > 0 && args[i - 1].StartsWith('-') ? $" (the value of {args[i - 1]})" : "";
            stderr.WriteLine($"error: argument {(i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)}{after} contains a NUL character, which no path or value may hold. Check how the command line was built.");
            return ExitCodes.UsageError;
        }

        var root = CommandLine.Build(stdout, stderr);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var line in ErrorLines(parse)) stderr.WriteLine("error: " + line);
            stderr.WriteLine($"Run 'contrib {(parse.CommandResult.Command is RootCommand ? "" : parse.CommandResult.Command.Name + " ")}--help' for usage.");
            return ExitCodes.UsageError;
        }

        return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    /// <summary>
    /// The parse errors as lines, with the nearest command or option for each unknown word (System.CommandLine reports
    /// them without one when the errors are printed by the caller): <c>reprot</c> → <c>report</c>, <c>--output</c> → <c>--out</c>.
    /// </summary>
    internal static IEnumerable<string> ErrorLines(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var unmatched = parse.UnmatchedTokens;
        var lines = new List<string>();
        var suggested = new List<string>();
        string? previousUnknownOption = null;
        foreach (var token in unmatched)
        {
            if (token.StartsWith('-'))
            {
                var options = OptionNames(parse.CommandResult);
                var nearest = NearestOption(token, options);
                if (nearest is not null) suggested.Add(nearest);
                lines.Add($"'{command.Name}' has no option '{token}'; " + (nearest is not null ? $"did you mean '{nearest}'?" : $"its options are {string.Join(", ", options)}."));
                previousUnknownOption = token;
                continue;
            }

            // The value of an unknown option is not a second error.
            if (previousUnknownOption is not null && Array.IndexOf(parse.Tokens.Select(t => t.Value).ToArray(), previousUnknownOption) is var at && at >= 0
                && at + 1 < parse.Tokens.Count && parse.Tokens[at + 1].Value == token)
            {
                previousUnknownOption = null;
                continue;
            }

            previousUnknownOption = null;
            if (command.Subcommands.Count > 0 && lines.Count == 0)
            {
                var names = command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name).ToArray();
                var nearest = NameSuggestions.Nearest(token, names);
                lines.Add($"'{token}' is not a command of contrib{(command is RootCommand ? "" : " " + command.Name)}; " +
                          (nearest is not null ? $"did you mean '{nearest}'?" : $"the commands are {string.Join(", ", names)}."));
                // The other errors (a required command, the unknown command's own arguments) follow from this one.
                return lines;
            }

            lines.Add($"unexpected argument '{token}' for '{command.Name}'.");
        }

        foreach (var error in parse.Errors)
        {
            if (unmatched.Any(t => error.Message.Contains($"'{t}'", StringComparison.Ordinal))) continue;
            // "Option '--out' is required" adds nothing when '--out' was just suggested for a misspelt option.
            if (suggested.Any(s => error.Message.Contains($"'{s}'", StringComparison.Ordinal))) continue;
            lines.Add(error.Message);
        }

        return lines;
    }

    /// <summary>The option names and aliases that apply to <paramref name="result"/>'s command, its own and the recursive ones above it.</summary>
    private static string[] OptionNames(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? at = result; at is not null; at = at.Parent)
        {
            if (at is not CommandResult commandResult) continue;
            foreach (var option in commandResult.Command.Options)
            {
                if (option.Hidden || (at != result && !option.Recursive)) continue;
                names.Add(option.Name);
                names.AddRange(option.Aliases);
            }
        }

        return [.. names.Distinct(StringComparer.Ordinal)];
    }

    /// <summary>The option a misspelt one was meant to be: one that the word starts with or that starts with it (<c>--output</c> → <c>--out</c>), else the nearest by edit distance.</summary>
    private static string? NearestOption(string token, IReadOnlyList<string> options)
    {
        var name = token.Split('=', 2)[0];
        var longOptions = options.Where(o => o.StartsWith("--", StringComparison.Ordinal) && o.Length > 3).ToArray();
        var prefixed = longOptions.Where(o => name.StartsWith(o, StringComparison.OrdinalIgnoreCase) || (name.Length > 4 && o.StartsWith(name, StringComparison.OrdinalIgnoreCase)))
            .OrderByDescending(o => o.Length).FirstOrDefault();
        return prefixed ?? NameSuggestions.Nearest(name, longOptions);
    }
}
