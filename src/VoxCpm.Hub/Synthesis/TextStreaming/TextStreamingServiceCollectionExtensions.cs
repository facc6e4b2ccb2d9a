using Microsoft.Extensions.DependencyInjection.Extensions;
using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Synthesis.TextStreaming;

internal static class TextStreamingServiceCollectionExtensions
{
    /// <summary>Text-in streams (<see cref="ITextStreamSynthesis"/>) and their limits (TTS_TEXT_STREAM_*).</summary>
    public static IServiceCollection AddVoxCpmTextStreaming(this IServiceCollection services)
    {
        services.AddSettings<TextStreamOptions>();
        services.TryAddSingleton<ITextStreamSynthesis, TextStreamSynthesis>();
        return services;
    }
}
