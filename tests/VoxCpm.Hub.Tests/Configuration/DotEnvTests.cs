using Microsoft.Extensions.Configuration;
using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Tests.Configuration;

public sealed class DotEnvTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"voxcpm-{Guid.NewGuid():N}.env");

    [Fact]
    public void Parses_comments_export_quotes_and_trailing_comments()
    {
        var (values, errors) = DotEnvParser.Parse(
        [
            "# a comment",
            "",
            "TTS_PORT=9400",
            "export TTS_HOST=127.0.0.1",
            "TTS_MODEL_NAME=\"/models/with # hash\"",
            "TTS_DEVICE='cpu'",
            "TTS_LOG_LEVEL=DEBUG   # why",
            "TTS_ADMIN_USER=",
        ], ".env");

        Assert.Empty(errors);
        Assert.Equal("9400", values["TTS_PORT"]);
        Assert.Equal("127.0.0.1", values["TTS_HOST"]);
        Assert.Equal("/models/with # hash", values["TTS_MODEL_NAME"]);
        Assert.Equal("cpu", values["TTS_DEVICE"]);
        Assert.Equal("DEBUG", values["TTS_LOG_LEVEL"]);
        Assert.Equal(string.Empty, values["TTS_ADMIN_USER"]);
    }

    [Fact]
    public void Reports_malformed_lines_with_their_number()
    {
        var (_, errors) = DotEnvParser.Parse(["TTS_PORT=1", "just words", "TTS_HOST=\"unclosed"], ".env");

        Assert.Equal(2, errors.Count);
        Assert.Contains(".env line 2 is not KEY=value", errors[0], StringComparison.Ordinal);
        Assert.Contains(".env line 3", errors[1], StringComparison.Ordinal);
        Assert.Contains("TTS_HOST", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_variables_override_the_file_and_the_file_fills_in_the_rest()
    {
        var onlyInFile = "VOXCPM_TEST_FILE_" + Guid.NewGuid().ToString("N");
        var inBoth = "VOXCPM_TEST_BOTH_" + Guid.NewGuid().ToString("N");
        File.WriteAllLines(_file, [$"{onlyInFile}=from-file", $"{inBoth}=from-file"]);
        Environment.SetEnvironmentVariable(inBoth, "from-environment");
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddEnvironmentVariables()
                .AddDotEnvFile(_file)
                .Build();

            Assert.Equal("from-file", configuration[onlyInFile]);
            Assert.Equal("from-environment", configuration[inBoth]);
        }
        finally
        {
            Environment.SetEnvironmentVariable(inBoth, null);
        }
    }

    [Fact]
    public void A_missing_file_adds_nothing_and_is_not_an_error()
    {
        var configuration = new ConfigurationBuilder().AddDotEnvFile(_file).Build();

        var provider = Assert.IsType<DotEnvConfigurationProvider>(Assert.Single(configuration.Providers));
        Assert.Empty(provider.Errors);
        Assert.Empty(configuration.AsEnumerable());
    }

    public void Dispose() => File.Delete(_file);
}
