using System.Net;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Health;

/// <summary>Readiness against a real, freshly created PostgreSQL database that the hub migrates at start.</summary>
public sealed class ReadyEndpointTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly DirectoryInfo _model = Directory.CreateTempSubdirectory("voxcpm-model-");

    [Fact]
    public async Task Tts_precision_and_tts_quantization_reach_the_engine_and_it_still_speaks()
    {
        var settings = TestSettings.With(database.ConnectionString, TinyFixtures.V05);
        settings["TTS_PRECISION"] = "fp16";
        settings["TTS_QUANTIZATION"] = "int8";
        await using var hub = await TestHub.StartAsync(settings);

        var (code, report) = await Eventually.MatchesAsync(
            () => ReadyReport.GetAsync(hub.Api, "/ready"),
            result => result.Code == HttpStatusCode.OK || result.Report.Check("model").Description?.Contains("failed", StringComparison.Ordinal) == true);
        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Contains("in float16", report.Check("model").Description, StringComparison.Ordinal);

        using var content = new StringContent("""{"text":"Half precision.","seed":1}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await hub.Api.PostAsync(new Uri("/api/tts", UriKind.Relative), content).DefaultTimeout();
        var wav = await response.Content.ReadAsByteArrayAsync().DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(wav.Length > 44 + 1000, $"expected audio, got {wav.Length} bytes");
    }

    [Fact]
    public async Task Ready_is_200_once_the_tiny_model_is_loaded_and_warmed_up_and_the_database_is_reachable()
    {
        var settings = TestSettings.With(database.ConnectionString, TinyFixtures.V05);
        settings["TTS_DEVICE"] = "cpu"; // cuda insists on a GPU, which test machines may not have
        await using var hub = await TestHub.StartAsync(settings);

        var (code, report) = await Eventually.MatchesAsync(
            () => ReadyReport.GetAsync(hub.Api, "/ready"),
            result => result.Code == HttpStatusCode.OK || result.Report.Check("model").Description?.Contains("failed", StringComparison.Ordinal) == true);

        Assert.Equal(HttpStatusCode.OK, code);
        Assert.Equal("Healthy", report.Check("database").Status);
        Assert.Equal("Healthy", report.Check("jobs").Status);
        Assert.Equal("Healthy", report.Check("model").Status);
        Assert.Contains("warmed up", report.Check("model").Description, StringComparison.Ordinal);
        Assert.Contains("16000 Hz", report.Check("model").Description, StringComparison.Ordinal);
        var (webCode, _) = await ReadyReport.GetAsync(hub.Web, "/ready");
        Assert.Equal(HttpStatusCode.OK, webCode);
    }

    [Fact]
    public async Task Ready_is_503_with_the_load_error_when_the_directory_is_not_a_checkpoint()
    {
        await File.WriteAllTextAsync(Path.Combine(_model.FullName, "config.json"), "{}");
        await using var hub = await TestHub.StartAsync(TestSettings.With(database.ConnectionString, _model.FullName));

        var (code, report) = await Eventually.MatchesAsync(
            () => ReadyReport.GetAsync(hub.Api, "/ready"),
            result => result.Report.Check("database").Status == "Healthy" &&
                result.Report.Check("model").Description?.Contains("failed to load", StringComparison.Ordinal) == true);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("Unhealthy", report.Check("model").Status);
        Assert.Contains(_model.FullName, report.Check("model").Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_is_503_naming_the_model_when_it_is_missing()
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(database.ConnectionString, TestSettings.MissingModel));

        var (code, report) = await Eventually.MatchesAsync(
            () => ReadyReport.GetAsync(hub.Api, "/ready"),
            result => result.Report.Check("model").Description?.Contains("not found", StringComparison.Ordinal) == true);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("Unhealthy", report.Check("model").Status);
        Assert.Contains(TestSettings.MissingModel, report.Check("model").Description, StringComparison.Ordinal);
    }

    public void Dispose() => _model.Delete(recursive: true);
}
