using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Hosting;

namespace VoxCpm.Hub.Tests.Configuration;

public sealed class ConfigurationValidationTests
{
    [Theory]
    [InlineData("TTS_PORT", "abc", "TTS_PORT must be an integer in 1..65535 (got 'abc')")]
    [InlineData("TTS_PORT", "70000", "TTS_PORT must be an integer in 1..65535 (got '70000')")]
    [InlineData("TTS_WEB_PORT", "-1", "TTS_WEB_PORT must be an integer in 1..65535 (got '-1')")]
    [InlineData("TTS_MAX_CONCURRENT", "0", "TTS_MAX_CONCURRENT must be an integer in 1..1024 (got '0')")]
    [InlineData("TTS_QUEUE_LIMIT", "many", "TTS_QUEUE_LIMIT must be an integer in 0..100000 (got 'many')")]
    [InlineData("TTS_MAX_TEXT_LENGTH", "0", "TTS_MAX_TEXT_LENGTH must be an integer in 1..100000 (got '0')")]
    [InlineData("TTS_LOG_LEVEL", "LOUD", "TTS_LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL (got 'LOUD')")]
    [InlineData("TTS_DEVICE", "gpu", "TTS_DEVICE must be one of cuda, cpu, auto (got 'gpu')")]
    [InlineData("TTS_PRECISION", "bf16", "TTS_PRECISION must be one of auto, fp32, fp16 (got 'bf16')")]
    [InlineData("TTS_QUANTIZATION", "int2", "TTS_QUANTIZATION must be one of none, int8, int4 (got 'int2')")]
    [InlineData("TTS_CUDA_GRAPHS", "sometimes", "TTS_CUDA_GRAPHS must be true or false (got 'sometimes')")]
    [InlineData("TTS_API_KEYS", "short", "TTS_API_KEYS keys must be at least 16 characters long (got one of 5)")]
    [InlineData("TTS_API_KEYS_FILE", "/nonexistent/keys.txt", "TTS_API_KEYS_FILE must name a readable file with one key per line (got '/nonexistent/keys.txt'")]
    [InlineData("TTS_RATE_LIMIT_PER_MINUTE", "-1", "TTS_RATE_LIMIT_PER_MINUTE must be an integer in 0..1000000 (got '-1')")]
    [InlineData("TTS_CORS_ORIGINS", "https://ok.example,https://bad.example/path", "TTS_CORS_ORIGINS must list origins such as https://tts.example.com, without a path (got 'https://bad.example/path')")]
    [InlineData("TTS_METRICS_ENABLED", "maybe", "TTS_METRICS_ENABLED must be true or false (got 'maybe')")]
    [InlineData("TTS_HOST", "example.com", "TTS_HOST must be an IP address such as 0.0.0.0, 127.0.0.1 or ::, or localhost (got 'example.com')")]
    [InlineData("TTS_WEB_PORT", "9300", "TTS_WEB_PORT must differ from TTS_PORT (both are 9300)")]
    [InlineData("TTS_ADMIN_USER", "admin", "TTS_ADMIN_USER and TTS_ADMIN_PASSWORD must be set together")]
    [InlineData("TTS_ROLES", "api,gpu", "TTS_ROLES must be a comma-separated list of api and worker, e.g. api,worker (got 'api,gpu')")]
    [InlineData("TTS_ROLES", ",", "TTS_ROLES must name at least one of api and worker (got ',')")]
    [InlineData("TTS_JOB_INVISIBILITY_SECONDS", "1", "TTS_JOB_INVISIBILITY_SECONDS must be an integer in 5..86400 (got '1')")]
    [InlineData("TTS_HISTORY_MAX_AGE_DAYS", "-1", "TTS_HISTORY_MAX_AGE_DAYS must be an integer in 0..36500 (got '-1')")]
    [InlineData("TTS_HISTORY_MAX_ROWS", "lots", "TTS_HISTORY_MAX_ROWS must be an integer in 0..1000000000 (got 'lots')")]
    public void An_invalid_setting_is_reported_once_naming_the_variable_and_the_allowed_values(
        string name, string value, string expected)
    {
        var problems = FindProblems(new() { [name] = value });

        var problem = Assert.Single(problems);
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_database_connection_is_reported_with_how_to_get_one()
    {
        var problems = FindProblems(new() { ["TTS_DB_CONNECTION"] = null });

        var problem = Assert.Single(problems);
        Assert.Contains("TTS_DB_CONNECTION must be set", problem, StringComparison.Ordinal);
        Assert.Contains("scripts/setup-postgres.sh", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_invalid_setting_is_reported_not_just_the_first()
    {
        var problems = FindProblems(new() { ["TTS_PORT"] = "abc", ["TTS_MAX_CONCURRENT"] = "0", ["TTS_LOG_LEVEL"] = "LOUD" });

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, problem => problem.StartsWith("TTS_PORT ", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("TTS_MAX_CONCURRENT ", StringComparison.Ordinal));
        Assert.Contains(problems, problem => problem.StartsWith("TTS_LOG_LEVEL ", StringComparison.Ordinal));
    }

    [Fact]
    public void Valid_settings_are_accepted_case_insensitively()
    {
        var problems = FindProblems(new()
        {
            ["TTS_LOG_LEVEL"] = "debug",
            ["TTS_DEVICE"] = "CPU",
            ["TTS_METRICS_ENABLED"] = "TRUE",
            ["TTS_HOST"] = "localhost",
            ["TTS_PORT"] = "8080",
            ["TTS_MAX_CONCURRENT"] = "1",
            ["TTS_ADMIN_USER"] = "admin",
            ["TTS_ADMIN_PASSWORD"] = "secret",
        });

        Assert.Empty(problems);
    }

    [Fact]
    public async Task Starting_the_host_with_an_invalid_setting_fails_naming_the_variable()
    {
        var settings = TestSettings.With(TestSettings.UnreachableDatabase);
        settings["TTS_MAX_CONCURRENT"] = "0";

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestHub.StartAsync(settings));

        Assert.Contains("TTS_MAX_CONCURRENT must be an integer in 1..1024 (got '0')", error.Message, StringComparison.Ordinal);
    }

    private static List<string> FindProblems(Dictionary<string, string?> overrides)
    {
        var settings = TestSettings.With(TestSettings.UnreachableDatabase);
        foreach (var (name, value) in overrides)
        {
            settings[name] = value;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddVoxCpmHub();
        using var app = builder.Build();
        return [.. ConfigurationValidation.FindProblems(app.Services, app.Configuration)];
    }
}
