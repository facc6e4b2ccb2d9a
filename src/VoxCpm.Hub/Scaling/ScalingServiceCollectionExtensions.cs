using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Configuration;
using VoxCpm.Hub.Health;

namespace VoxCpm.Hub.Scaling;

internal static class ScalingServiceCollectionExtensions
{
    /// <summary>
    /// Roles (TTS_ROLES), this node's identity and the <c>capacity</c> readiness check. The SignalR Redis backplane
    /// (TTS_REDIS) is registered by the SignalR feature, which it replaces the lifetime manager of.
    /// </summary>
    public static IServiceCollection AddVoxCpmScaling(this IServiceCollection services)
    {
        services.AddSettings<ScalingOptions>();
        services.TryAddSingleton<NodeIdentity>();
        services.AddHealthChecks().AddCheck<CapacityHealthCheck>("capacity", tags: [HealthServiceCollectionExtensions.ReadyTag]);
        return services;
    }

    /// <summary>Whether this node serves clients (TTS_ROLES includes api); a worker-only node maps only health and metrics.</summary>
    public static bool ServesClients(this WebApplication app) =>
        app.Services.GetRequiredService<IOptions<ScalingOptions>>().Value.ServesClients;
}
