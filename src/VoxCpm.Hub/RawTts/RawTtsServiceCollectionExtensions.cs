using Microsoft.Extensions.DependencyInjection.Extensions;

namespace VoxCpm.Hub.RawTts;

internal static class RawTtsServiceCollectionExtensions
{
    /// <summary>What the raw <c>/tts</c> endpoint hands each connection (<see cref="RawTtsServices"/>).</summary>
    public static IServiceCollection AddVoxCpmRawTts(this IServiceCollection services)
    {
        services.TryAddSingleton<RawTtsServices>();
        return services;
    }
}
