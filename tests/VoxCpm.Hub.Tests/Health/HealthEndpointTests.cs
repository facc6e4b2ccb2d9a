using System.Net;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Health;

/// <summary>Liveness and readiness with PostgreSQL down: the process is live, but not ready, and says why.</summary>
public sealed class HealthEndpointTests
{
    [Fact]
    public async Task Health_answers_200_on_both_ports_even_while_the_database_is_down()
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(TestSettings.UnreachableDatabase));

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
        await using var hub = await TestHub.StartAsync(TestSettings.With(TestSettings.UnreachableDatabase));

        var (code, report) = await ReadyReport.GetAsync(hub.Api, "/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, code);
        Assert.Equal("Unhealthy", report.Status);
        Assert.Equal(["accepting", "capacity", "database", "jobs", "model"], report.Checks.Select(check => check.Name).Order());
        Assert.Equal("Healthy", report.Check("accepting").Status);
        Assert.Equal("Healthy", report.Check("capacity").Status); // an idle node has room, whatever else is wrong
        Assert.Equal("Unhealthy", report.Check("database").Status);
        Assert.Equal("Unhealthy", report.Check("model").Status);
        // Hangfire's server waits for the schema rather than polling missing tables.
        Assert.Equal("Unhealthy", report.Check("jobs").Status);
        Assert.Contains("database schema", report.Check("jobs").Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_asked_for_while_the_database_is_down_is_refused_at_once_as_unavailable()
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(TestSettings.UnreachableDatabase));

        using var content = new StringContent("""{"text":"Hello jobs."}""", System.Text.Encoding.UTF8, "application/json");
        using var response = await hub.Api.PostAsync(new Uri("/api/jobs", UriKind.Relative), content).DefaultTimeout();
        var error = System.Text.Json.Nodes.JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("unavailable", error["code"]!.GetValue<string>());
        Assert.Contains("database", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
