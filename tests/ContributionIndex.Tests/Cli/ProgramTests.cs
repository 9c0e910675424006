using ContributionIndex.Cli;

namespace ContributionIndex.Tests.Cli;

public class ProgramTests
{
    [Fact]
    public void Unknown_command_is_a_usage_error_with_a_hint()
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var code = Program.Run(["frobnicate"], stdout, stderr);
        Assert.Equal(ExitCodes.UsageError, code);
        Assert.Contains("contrib --help", stderr.ToString());
    }
}
