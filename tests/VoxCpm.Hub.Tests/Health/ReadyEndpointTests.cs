using System.Net;
using VoxCpm.Hub.Inference;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Health;

/// <summary>Readiness against a real, freshly created PostgreSQL database that the hub migrates at start.</summary>
public sealed class ReadyEndpointTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IDisposable
{
    private readonly DirectoryInfo _model = Directory.CreateTempSubdirectory("voxcpm-model-");

    [Fact]
    public async Task Ready_is_503_with_the_model_reason_once_the_database_is_migrated_and_reachable()
    {
        await File.WriteAllTextAsync(Path.Combine(_model.FullName, "config.json"), "{}");
        await using var hub = await HubHost.StartAsync(TestSettings.With(database.ConnectionString, _model.FullName));

        var (code, report) = await WaitForDatabaseCheckAsync(hub);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("Healthy", report.Check("database").Status);
        var model = report.Check("model");
        Assert.Equal("Unhealthy", model.Status);
        Assert.Contains(EngineNotWiredModelLifecycle.EngineNotWiredMessage, model.Description, StringComparison.Ordinal);
        Assert.Contains(_model.FullName, model.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ready_names_the_directories_searched_when_the_model_is_missing()
    {
        await using var hub = await HubHost.StartAsync(TestSettings.With(database.ConnectionString, TestSettings.MissingModel));

        var (code, report) = await Eventually.MatchesAsync(
            () => ReadyReport.GetAsync(hub.Api, "/ready"),
            result => result.Report.Check("model").Description?.Contains("not found", StringComparison.Ordinal) == true);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Contains(TestSettings.MissingModel, report.Check("model").Description, StringComparison.Ordinal);
    }

    public void Dispose() => _model.Delete(recursive: true);

    private static Task<(HttpStatusCode Code, ReadyReport Report)> WaitForDatabaseCheckAsync(HubHost hub) =>
        Eventually.MatchesAsync(
            () => ReadyReport.GetAsync(hub.Api, "/ready"),
            result => result.Report.Check("database").Status == "Healthy" &&
                result.Report.Check("model").Description?.Contains(EngineNotWiredModelLifecycle.EngineNotWiredMessage, StringComparison.Ordinal) == true);
}
