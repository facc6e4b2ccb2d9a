using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;
using VoxCpm.Hub.Configuration;
using VoxCpm.Hub.Health;
using VoxCpm.Hub.Jobs;
using VoxCpm.Hub.SignalR;

namespace VoxCpm.Hub.Scaling;

internal static class ScalingServiceCollectionExtensions
{
    /// <summary>
    /// Roles (TTS_ROLES), the SignalR Redis backplane when TTS_REDIS is set (cross-node job updates through it, and a
    /// <c>backplane</c> readiness check), and the <c>capacity</c> readiness check. Reads the settings off the builder: the backplane replaces SignalR's
    /// lifetime manager, which is chosen at registration. Invalid values are reported by the start-up validation.
    /// </summary>
    public static WebApplicationBuilder AddVoxCpmScaling(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSettings<ScalingOptions>();
        services.TryAddSingleton<NodeIdentity>();
        services.AddHealthChecks().AddCheck<CapacityHealthCheck>("capacity", tags: [HealthServiceCollectionExtensions.ReadyTag]);

        var scaling = new ScalingOptions();
        ScalingOptions.Bind(new SettingsReader(builder.Configuration), scaling);
        if (scaling.Redis is { } redis)
        {
            services.AddSignalR().AddStackExchangeRedis(redis, options =>
            {
                options.Configuration.ChannelPrefix = RedisChannel.Literal(scaling.RedisChannelPrefix);
                // Keep retrying in the background when Redis is not up yet (compose starts everything at once).
                options.Configuration.AbortOnConnectFail = false;
            });
            services.Replace(ServiceDescriptor.Singleton<IJobUpdatePublisher, BackplaneJobUpdatePublisher>());
            services.TryAddSingleton<BackplaneHealthCheck>();
            services.AddHealthChecks().AddCheck<BackplaneHealthCheck>(
                "backplane", HealthStatus.Degraded, [HealthServiceCollectionExtensions.ReadyTag], TimeSpan.FromSeconds(10));
        }

        return builder;
    }

    /// <summary>Whether this node serves clients (TTS_ROLES includes api); a worker-only node maps only health and metrics.</summary>
    public static bool ServesClients(this WebApplication app) =>
        app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ScalingOptions>>().Value.ServesClients;
}
