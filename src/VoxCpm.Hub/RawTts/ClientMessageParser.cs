using System.Text.Json;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Synthesis.Binding;

namespace VoxCpm.Hub.RawTts;

/// <summary>
/// Reads one client text message. Only shapes and types are checked here (a field of the wrong JSON type is
/// refused naming the field); ranges and limits are the one validator's job, in the synthesis service.
/// </summary>
internal static partial class ClientMessageParser
{
    public static ClientMessage Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            return new ClientMessage.Invalid(null, new ProtocolError(ErrorCodes.InvalidJson, $"the message is not valid JSON: {e.Message}"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new ClientMessage.Invalid(null, new ProtocolError(ErrorCodes.InvalidJson, "the message must be a JSON object with a \"type\" field"));
            }

            try
            {
                return ParseObject(root);
            }
            catch (RequestFieldException e)
            {
                return new ClientMessage.Invalid(TryRequestId(root), new ProtocolError(ErrorCodes.InvalidRequest, e.Message, e.Field));
            }
        }
    }

    private static ClientMessage ParseObject(JsonElement root)
    {
        var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? Text(t, "type") : null;
        switch (type)
        {
            case "tts_request":
                var requestId = OptionalRequestId(root);
                if (!root.TryGetProperty("params", out var parameters) || parameters.ValueKind != JsonValueKind.Object)
                {
                    throw new RequestFieldException("params", "params must be an object holding at least \"text\"");
                }

                return new ClientMessage.TtsRequest(requestId, ParseParams(parameters));
            case "cancel":
                return new ClientMessage.Cancel(OptionalRequestId(root) ?? throw new RequestFieldException("request_id", "cancel needs the request_id of the request to cancel"));
            case "ping":
                return new ClientMessage.Ping(root.TryGetProperty("timestamp", out var timestamp) ? timestamp.Clone() : null);
            case TextStreamStart or TextStreamText or TextStreamFlush or TextStreamEnd:
                return ParseTextStream(type, root);
            default:
                var described = type is null ? "missing or not a string" : $"'{Truncate(type)}'";
                return new ClientMessage.Invalid(TryRequestId(root), new ProtocolError(ErrorCodes.UnknownMessageType, $"unknown message type ({described}); expected tts_request, cancel or ping", "type"));
        }
    }

    private static SynthesisRequest ParseParams(JsonElement p) =>
        SynthesisRequestBinder.Bind(JsonRequestFields.Read(p), RequestFieldNames.SnakeCase);

    private static string? OptionalRequestId(JsonElement root)
    {
        if (!root.TryGetProperty("request_id", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new RequestFieldException("request_id", $"request_id must be a string (got {Kind(value)})");
        }

        var id = Text(value, "request_id");
        return id.Length is 0 or > SynthesisDefaults.MaxRequestIdLength
            ? throw new RequestFieldException("request_id", $"request_id must be 1 to {SynthesisDefaults.MaxRequestIdLength} characters long (got {id.Length})")
            : id;
    }

    private static string? TryRequestId(JsonElement root) =>
        root.TryGetProperty("request_id", out var value) && value.ValueKind == JsonValueKind.String && TryText(value) is { Length: > 0 and <= SynthesisDefaults.MaxRequestIdLength } id
            ? id
            : null;

    // JSON may escape half a surrogate pair (\ud800); such a string has no UTF-16 form, and GetString throws.
    private static string Text(JsonElement value, string name) =>
        TryText(value) ?? throw new RequestFieldException(name, $"{name} must be valid Unicode text: it contains an unpaired surrogate escape such as \\ud800");

    private static string? TryText(JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string Kind(JsonElement value) => value.ValueKind.ToString().ToLowerInvariant();

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";
}
