using Microsoft.Extensions.DependencyInjection.Extensions;
using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Inference;

internal static class InferenceServiceCollectionExtensions
{
    /// <summary>The model and synthesis options (TTS_MAX_CONCURRENT, TTS_QUEUE_LIMIT, ...), the engine lifecycle (also the engine accessor) and the background load at start.</summary>
    public static IServiceCollection AddVoxCpmInference(this IServiceCollection services)
    {
        services.AddSettings<ModelOptions>();
        services.AddSettings<SynthesisOptions>();
        services.TryAddSingleton<EngineModelLifecycle>();
        services.TryAddSingleton<IModelLifecycle>(provider => provider.GetRequiredService<EngineModelLifecycle>());
        services.TryAddSingleton<IEngineAccessor>(provider => provider.GetRequiredService<EngineModelLifecycle>());
        services.AddHostedService<ModelLoadingService>();
        return services;
    }
}
