using Microsoft.Extensions.DependencyInjection.Extensions;
using VoxCpm.Hub.Configuration;
using VoxCpm.Hub.Health;
using VoxCpm.Hub.Metrics;

namespace VoxCpm.Hub.Shutdown;

internal static class ShutdownServiceCollectionExtensions
{
    /// <summary>
    /// The graceful stop (<see cref="ShutdownDrain"/>): TTS_SHUTDOWN_TIMEOUT_SECONDS, the signal-aware lifetime, the
    /// drain before the host stops, and the <c>accepting</c> readiness check. The host's own shutdown timeout is the
    /// drain deadline plus room for cancelled requests to end, jobs to be handed back and connections to close.
    /// </summary>
    public static IServiceCollection AddVoxCpmShutdown(this IServiceCollection services)
    {
        services.AddSettings<ShutdownOptions>();
        services.TryAddSingleton<OpenConnections>();
        services.TryAddSingleton<ShutdownDrain>();
        services.AddSingleton<IHostLifetime, DrainingConsoleLifetime>();
        services.AddHostedService<GracefulShutdownService>();
        services.AddOptions<HostOptions>().Configure<IConfiguration>((host, configuration) =>
        {
            // Read directly: an invalid value is reported by validation at start, and must not break building the host.
            var shutdown = new ShutdownOptions();
            ShutdownOptions.Bind(new SettingsReader(configuration), shutdown);
            host.ShutdownTimeout = shutdown.Timeout + (4 * ShutdownDrain.Grace);
        });
        services.AddHealthChecks().AddCheck<DrainHealthCheck>("accepting", tags: [HealthServiceCollectionExtensions.ReadyTag]);
        return services;
    }
}
