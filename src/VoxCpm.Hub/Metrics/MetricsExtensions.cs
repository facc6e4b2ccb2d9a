using Microsoft.Extensions.Options;
using Prometheus;

namespace VoxCpm.Hub.Metrics;

internal static class MetricsExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>With TTS_METRICS_ENABLED, HTTP request metrics and the Prometheus scrape endpoint at <c>/metrics</c>.</summary>
    public static WebApplication UseVoxCpmMetrics(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value.Enabled)
        {
            _ = app.Services.GetRequiredService<EngineMetricsBridge>();
            // Created now, not at the first request: its gauges (connections, model) must be there from the first scrape.
            _ = app.Services.GetRequiredService<HubMeters>();
            app.UseHttpMetrics();
            app.MapMetrics(MetricsPath);
        }

        return app;
    }
}
