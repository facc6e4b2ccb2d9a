using System.Net;

namespace VoxCpm.Hub.Tests.Health;

/// <summary>Liveness and readiness with PostgreSQL down: the process is live, but not ready, and says why.</summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Health_answers_200_on_both_ports_even_while_the_database_is_down()
    {
        await using var hub = await HubHost.StartAsync(TestSettings.With(TestSettings.UnreachableDatabase));

        foreach (var client in new[] { hub.Api, hub.Web })
        {
            var (code, report) = await ReadyReport.GetAsync(client, "/health");
            Assert.Equal(HttpStatusCode.OK, code);
            Assert.Equal("Healthy", report.Status);
        }
    }

    [Fact]
    public async Task Ready_answers_503_and_names_each_failing_check_while_the_database_is_down()
    {
        await using var hub = await HubHost.StartAsync(TestSettings.With(TestSettings.UnreachableDatabase));

        var (code, report) = await ReadyReport.GetAsync(hub.Api, "/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("Unhealthy", report.Status);
        Assert.Equal(["database", "model"], report.Checks.Select(check => check.Name).Order());
        Assert.Equal("Unhealthy", report.Check("database").Status);
        Assert.Equal("Unhealthy", report.Check("model").Status);
    }
}
