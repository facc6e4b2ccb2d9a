using Microsoft.OpenApi;

namespace VoxCpm.Hub.Http;

/// <summary>
/// The OpenAPI document of the HTTP API at <c>/openapi/v1.json</c> (both ports), generated from the endpoints'
/// metadata: every endpoint carries a name, a summary, its request and response types and its error responses. Its
/// schemas are generated with the API's own JSON options (<see cref="HttpJson"/>), so they spell what is written.
/// </summary>
internal static class ApiDocument
{
    public const string DocumentName = "v1";
    public const string Path = "/openapi/v1.json";

    public const string SynthesisTag = "Synthesis";
    public const string JobsTag = "Jobs";
    public const string HistoryTag = "History";
    public const string VoicesTag = "Voices";
    public const string OpenAiTag = "OpenAI compatible";
    public const string TextTag = "Text";

    public static IServiceCollection AddVoxCpmOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "VoxCpm.Hub HTTP API",
                Version = DocumentName,
                Description = "Text-to-speech with VoxCPM: synthesis, durable jobs, history, saved voices and an OpenAI-compatible speech endpoint. "
                    + "Every JSON name and enum value is snake_case (cfg_value, created_at, \"non_streaming\"), as in the raw protocol. "
                    + "Errors are JSON {\"error\":{\"code\",\"message\",\"field\"}}; field names the offending request field where there is one. "
                    + "Streaming synthesis is on the raw WebSocket /tts and the SignalR hub /hubs/tts (see PROTOCOL.md).",
            };
            return Task.CompletedTask;
        }));

    public static WebApplication MapVoxCpmOpenApi(this WebApplication app)
    {
        app.MapOpenApi(Path);
        return app;
    }

    /// <summary>Declares a 200 response of binary audio (a WAV file unless <paramref name="contentType"/> says otherwise).</summary>
    public static RouteHandlerBuilder ProducesAudio(this RouteHandlerBuilder builder, string contentType = "audio/wav", params string[] additionalContentTypes) =>
        builder.Produces<Stream>(StatusCodes.Status200OK, contentType, additionalContentTypes);

    /// <summary>A stored WAV download that honours HTTP Range: 200 whole, 206 for a range, 416 (no body) for a range outside the file.</summary>
    public static RouteHandlerBuilder ProducesSeekableAudio(this RouteHandlerBuilder builder) =>
        builder.ProducesAudio()
            .Produces<Stream>(StatusCodes.Status206PartialContent, "audio/wav")
            .Produces(StatusCodes.Status416RangeNotSatisfiable);

    /// <summary>Declares the error body <c>{"error":{code,message,field}}</c> for each of <paramref name="statusCodes"/>.</summary>
    public static RouteHandlerBuilder ProducesApiErrors(this RouteHandlerBuilder builder, params int[] statusCodes)
    {
        ArgumentNullException.ThrowIfNull(statusCodes);
        foreach (var status in statusCodes)
        {
            builder.Produces<ApiErrors.ErrorBody>(status, "application/json");
        }

        return builder;
    }
}
