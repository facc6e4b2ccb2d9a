using System.Text.Json;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Synthesis.Binding;

namespace VoxCpm.Hub.Http;

/// <summary>
/// The JSON body of <c>POST /api/tts</c> and <c>POST /api/jobs</c>, read through the binder of the raw protocol's
/// <c>params</c>: the same snake_case names, <c>10.0</c> read as the integer 10 and <c>10.5</c> refused, <c>mode</c>
/// spelled <c>"streaming"</c> / <c>"non_streaming"</c>, unknown fields ignored. A body that does not bind is 400
/// <c>invalid_json</c>, naming the field where there is one; ranges and limits are left to the synthesis path.
/// </summary>
internal static class SynthesisRequestBody
{
    private static readonly JsonDocumentOptions s_document = new() { MaxDepth = 16 };

    /// <summary>The bound request, or the 400 that refuses the body (never both).</summary>
    public static async Task<(SynthesisRequest? Request, IResult? Refusal)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, s_document, cancellationToken);
        }
        catch (JsonException e)
        {
            return (null, Refuse($"the body is not valid JSON: {e.Message}", null));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, Refuse($"the body must be a JSON object with at least \"text\" (got {JsonRequestFields.Value(document.RootElement).KindName})", "text"));
            }

            try
            {
                return (SynthesisRequestBinder.Bind(JsonRequestFields.Read(document.RootElement), RequestFieldNames.SnakeCase), null);
            }
            catch (RequestFieldException e)
            {
                return (null, Refuse($"the body is not a valid request: {e.Message}", e.Field));
            }
        }
    }

    private static IResult Refuse(string message, string? field) =>
        ApiErrors.Error(StatusCodes.Status400BadRequest, ErrorCodes.InvalidJson, message, field);
}
