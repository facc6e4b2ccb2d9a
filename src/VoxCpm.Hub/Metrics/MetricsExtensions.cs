using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Prometheus;
using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Metrics;

internal static class MetricsExtensions
{
    public const string MetricsPath = "/metrics";

    /// <summary>TTS_METRICS_ENABLED and the bridge from the engine's meters to Prometheus' default registry.</summary>
    public static IServiceCollection AddVoxCpmMetrics(this IServiceCollection services)
    {
        services.AddSettings<MetricsOptions>();
        services.TryAddSingleton(_ => new EngineMetricsBridge(Prometheus.Metrics.DefaultRegistry));
        return services;
    }

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
