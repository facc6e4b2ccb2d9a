using VoxCpm.Hub.Hosting;

namespace VoxCpm.Hub.Tests.Configuration;

/// <summary>The shipped executable: invalid settings stop it with one line per problem and exit code 78.</summary>
public sealed class ProgramConfigurationTests : IDisposable
{
    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(60);

    private readonly DirectoryInfo _workingDirectory = Directory.CreateTempSubdirectory("voxcpm-hub-cwd-");

    [Fact]
    public async Task An_invalid_port_stops_the_start_with_one_clear_line_and_no_stack_trace()
    {
        var (exitCode, output, error) = await HubProcess.RunAsync(
            _workingDirectory.FullName,
            new Dictionary<string, string> { ["TTS_PORT"] = "abc", ["TTS_DB_CONNECTION"] = TestSettings.UnreachableDatabase },
            s_exitTimeout);

        Assert.Equal(ExitCodes.InvalidConfiguration, exitCode);
        Assert.Equal(
            ["VoxCpm.Hub: invalid configuration: TTS_PORT must be an integer in 1..65535 (got 'abc')"],
            error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dot_env_in_the_working_directory_is_read_and_real_environment_variables_win()
    {
        // .env sets two invalid values; the environment overrides one of them with a valid value. Only the other is
        // reported: proof that .env was read, and that the environment beat it.
        await File.WriteAllLinesAsync(
            Path.Combine(_workingDirectory.FullName, ".env"),
            ["# comment", "TTS_PORT=abc", "export TTS_LOG_LEVEL=\"LOUD\"  # quoted"]);

        var (exitCode, _, error) = await HubProcess.RunAsync(
            _workingDirectory.FullName,
            new Dictionary<string, string> { ["TTS_PORT"] = "9555", ["TTS_DB_CONNECTION"] = TestSettings.UnreachableDatabase },
            s_exitTimeout);

        Assert.Equal(ExitCodes.InvalidConfiguration, exitCode);
        Assert.Contains("TTS_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL (got 'LOUD')", error, StringComparison.Ordinal);
        Assert.DoesNotContain("TTS_PORT", error, StringComparison.Ordinal);
    }

    public void Dispose() => _workingDirectory.Delete(recursive: true);
}
