using System.Text.Json;
using System.Text.Json.Serialization;

namespace VoxCpm.Hub.Http;

/// <summary>
/// The JSON of the synthesis endpoints (<c>/api/tts</c>, <c>/api/jobs</c>, a history re-run's answer): snake_case
/// names and enum values, spelled as in the raw protocol (<c>cfg_value</c>, <c>"non_streaming"</c>,
/// <c>queue_wait_ms</c>), so a field is written the same way whichever door a request comes through.
/// </summary>
internal static class SnakeCaseJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The types these endpoints read and write; their OpenAPI schemas are spelled the same way (<see cref="ApiDocument"/>).</summary>
    public static IReadOnlySet<Type> Types { get; } = new HashSet<Type>
    {
        typeof(Contracts.SynthesisRequest),
        typeof(Contracts.Hub.JobUpdate),
        typeof(Contracts.Hub.SynthesisCompletion),
        typeof(JobAccepted),
    };

    /// <summary>A 200 answer with <paramref name="value"/> written in this spelling.</summary>
    public static IResult Ok<T>(T value) => Results.Json(value, Options);
}
