using Microsoft.Extensions.DependencyInjection.Extensions;

namespace VoxCpm.Hub.Http;

internal static class HttpServiceCollectionExtensions
{
    /// <summary>
    /// The HTTP API: its JSON spelling (<see cref="HttpJson"/>), its OpenAPI document and the synchronous synthesis
    /// behind /api/tts and /v1/audio/speech, and the streamed speech body.
    /// </summary>
    public static IServiceCollection AddVoxCpmHttp(this IServiceCollection services)
    {
        services.TryAddSingleton<WholeSynthesis>();
        services.TryAddSingleton<OpenAiSpeechStreaming>();
        return services.AddVoxCpmHttpJson().AddVoxCpmOpenApi();
    }
}
