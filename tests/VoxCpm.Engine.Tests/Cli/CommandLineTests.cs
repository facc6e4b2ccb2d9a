using VoxCpm.Engine.Cli;

namespace VoxCpm.Engine.Tests.Cli;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("profile", "--help")]
    [InlineData("bench", "--model", "dir", "-h")]
    public async Task Help_anywhere_on_the_line_prints_the_usage_and_succeeds(params string[] args)
    {
        Assert.Equal(0, await CommandLine.RunAsync(args));
    }

    [Fact]
    public async Task An_option_without_its_value_is_a_usage_error_not_a_crash()
    {
        Assert.Equal(2, await CommandLine.RunAsync(["profile", "--batch"]));
    }

    [Fact]
    public async Task An_unknown_command_is_a_usage_error()
    {
        Assert.Equal(2, await CommandLine.RunAsync(["speak"]));
    }
}
