using System.Net;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Metrics;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Metrics_are_served_in_prometheus_format_when_enabled()
    {
        var settings = TestSettings.With(TestSettings.UnreachableDatabase);
        settings["TTS_METRICS_ENABLED"] = "true";
        await using var hub = await TestHub.StartAsync(settings);
        using (await hub.Api.GetAsync(new Uri("/health", UriKind.Relative)).DefaultTimeout())
        {
        }

        using var response = await hub.Api.GetAsync(new Uri("/metrics", UriKind.Relative)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("http_requests_received_total", await response.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_are_not_served_by_default()
    {
        await using var hub = await TestHub.StartAsync(TestSettings.With(TestSettings.UnreachableDatabase));

        using var response = await hub.Api.GetAsync(new Uri("/metrics", UriKind.Relative)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
