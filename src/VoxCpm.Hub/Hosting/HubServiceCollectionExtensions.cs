using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Audio;
using VoxCpm.Hub.Configuration;
using VoxCpm.Hub.Database;
using VoxCpm.Hub.Health;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Http;
using VoxCpm.Hub.Inference;
using VoxCpm.Hub.Jobs;
using VoxCpm.Hub.Metrics;
using VoxCpm.Hub.RawTts;
using VoxCpm.Hub.Shutdown;
using VoxCpm.Hub.Security;
using VoxCpm.Hub.Scaling;
using VoxCpm.Hub.SignalR;
using VoxCpm.Hub.Synthesis;
using VoxCpm.Hub.Voices;

namespace VoxCpm.Hub.Hosting;

internal static class HubServiceCollectionExtensions
{
    /// <summary>
    /// Everything the hub needs, feature by feature. Program.cs and the tests' loopback host both call this, so
    /// tests run the real composition.
    /// </summary>
    public static WebApplicationBuilder AddVoxCpmHub(this WebApplicationBuilder builder)
    {
        builder.AddVoxCpmLogging();
        builder.Services.AddVoxCpmListeners();
        builder.Services.AddVoxCpmDatabase();
        builder.Services.AddVoxCpmInference();
        builder.Services.AddVoxCpmSynthesis();
        builder.Services.AddVoxCpmAudioFormats();
        builder.Services.AddVoxCpmSignalR();
        builder.Services.AddVoxCpmRawTts();
        builder.Services.AddVoxCpmHealthChecks();
        builder.Services.AddVoxCpmHistory();
        builder.Services.AddVoxCpmVoices();
        builder.Services.AddVoxCpmJobs();
        builder.AddVoxCpmScaling();
        builder.Services.AddVoxCpmHistoryRetention();
        builder.Services.AddVoxCpmHttp();
        builder.Services.AddVoxCpmSecurity();
        builder.Services.AddSettings<SynthesisOptions>();
        builder.Services.AddSettings<MetricsOptions>();
        builder.Services.TryAddSingleton(_ => new EngineMetricsBridge(Prometheus.Metrics.DefaultRegistry));
        builder.Services.AddSettings<AdminOptions>();
        builder.Services.AddHostedService<StartupBanner>();
        builder.Services.AddVoxCpmShutdown();
        return builder;
    }

    private static IServiceCollection AddVoxCpmListeners(this IServiceCollection services)
    {
        services.AddSettings<ServerOptions>();
        services.AddSettings<LoggingOptions>();
        services.TryAddSingleton<HubListeners>();
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<ServerOptions>, HubListeners>((kestrel, server, listeners) =>
            {
                // Building the WebApplication already resolves Kestrel's options, before ValidateConfiguration runs.
                // Invalid server settings are reported there (and by the host's own start-up validation), so here they
                // only mean: configure no listener.
                try
                {
                    listeners.Configure(kestrel, server.Value);
                }
                catch (OptionsValidationException)
                {
                }
            });
        return services;
    }
}
