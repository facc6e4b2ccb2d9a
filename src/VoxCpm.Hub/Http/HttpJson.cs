using System.Text.Json;
using System.Text.Json.Serialization;

namespace VoxCpm.Hub.Http;

/// <summary>
/// The one spelling of the HTTP API's JSON (<c>/api/*</c>, its error bodies and its OpenAPI document): snake_case names
/// and enum values, as the raw protocol writes them (<c>cfg_value</c>, <c>"non_streaming"</c>, <c>created_at</c>).
/// Set on the minimal APIs' JSON options, so every typed result and the generated schemas follow it. The SignalR hub
/// keeps its own (camelCase) protocol options, and OpenAI's <c>/v1</c> shapes name their fields explicitly.
/// </summary>
internal static class HttpJson
{
    public static IServiceCollection AddVoxCpmHttpJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options => Apply(options.SerializerOptions));

    public static void Apply(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
    }
}
