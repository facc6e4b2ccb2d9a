using Microsoft.Extensions.DependencyInjection.Extensions;
using VoxCpm.Hub.Configuration;
using VoxCpm.Hub.Metrics;
using VoxCpm.Hub.Synthesis.PromptAudio;
using VoxCpm.Hub.Synthesis.TextStreaming;

namespace VoxCpm.Hub.Synthesis;

internal static class SynthesisServiceCollectionExtensions
{
    /// <summary>The one synthesis path (<see cref="ISynthesisService"/>) and the SSRF-safe reference audio fetcher.</summary>
    public static IServiceCollection AddVoxCpmSynthesis(this IServiceCollection services)
    {
        services.AddSettings<PromptAudioOptions>();
        services.TryAddSingleton<PromptAudioFetcher>();
        services.TryAddSingleton<RequestTracking>();
        services.TryAddSingleton<HubMeters>();
        services.TryAddSingleton<OpenConnections>();
        services.TryAddSingleton<SynthesisService>();
        services.TryAddSingleton<ISynthesisService>(provider => provider.GetRequiredService<SynthesisService>());
        services.AddVoxCpmTextStreaming();
        return services;
    }
}
