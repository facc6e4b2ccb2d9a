using Microsoft.Extensions.DependencyInjection.Extensions;

namespace VoxCpm.Hub.Voices;

internal static class VoicesServiceCollectionExtensions
{
    /// <summary>Saved voices: the store (also the <see cref="IVoiceStore"/> synthesis uses) behind /api/voices.</summary>
    public static IServiceCollection AddVoxCpmVoices(this IServiceCollection services)
    {
        services.TryAddSingleton<VoiceStore>();
        services.TryAddSingleton<IVoiceStore>(provider => provider.GetRequiredService<VoiceStore>());
        return services;
    }
}
