using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Synthesis.TextStreaming;

internal static class TextStreamingServiceCollectionExtensions
{
    /// <summary>The limits of text-in streams (TTS_TEXT_STREAM_*; <see cref="SynthesisService.SubmitTextStreamAsync"/>).</summary>
    public static IServiceCollection AddVoxCpmTextStreaming(this IServiceCollection services)
    {
        services.AddSettings<TextStreamOptions>();
        return services;
    }
}
