using Microsoft.Extensions.DependencyInjection.Extensions;
using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Inference;

internal static class InferenceServiceCollectionExtensions
{
    /// <summary>The model options, the model lifecycle and the background load at start.</summary>
    public static IServiceCollection AddVoxCpmInference(this IServiceCollection services)
    {
        services.AddSettings<ModelOptions>();
        services.TryAddSingleton(_ => new ModelDirectoryResolver());
        services.TryAddSingleton<IModelLifecycle, EngineNotWiredModelLifecycle>();
        services.AddHostedService<ModelLoadingService>();
        return services;
    }
}
