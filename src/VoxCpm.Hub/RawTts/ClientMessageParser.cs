using System.Text.Json;
using VoxCpm.Hub.Contracts;

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
            catch (FieldException e)
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
                    throw new FieldException("params", "params must be an object holding at least \"text\"");
                }

                return new ClientMessage.TtsRequest(requestId, ParseParams(parameters));
            case "cancel":
                return new ClientMessage.Cancel(OptionalRequestId(root) ?? throw new FieldException("request_id", "cancel needs the request_id of the request to cancel"));
            case "ping":
                return new ClientMessage.Ping(root.TryGetProperty("timestamp", out var timestamp) ? timestamp.Clone() : null);
            case TextStreamStart or TextStreamText or TextStreamFlush or TextStreamEnd:
                return ParseTextStream(type, root);
            default:
                var described = type is null ? "missing or not a string" : $"'{Truncate(type)}'";
                return new ClientMessage.Invalid(TryRequestId(root), new ProtocolError(ErrorCodes.UnknownMessageType, $"unknown message type ({described}); expected tts_request, cancel or ping", "type"));
        }
    }

    private static SynthesisRequest ParseParams(JsonElement p, bool requireText = true)
    {
        var text = p.TryGetProperty("text", out var t)
            ? (t.ValueKind == JsonValueKind.String ? Text(t, "text") : throw new FieldException("text", $"text must be a string (got {Kind(t)})"))
            : requireText ? throw new FieldException("text", "text is required") : "";
        var defaults = new SynthesisRequest();
        return new SynthesisRequest
        {
            Text = text,
            Mode = ParseMode(p),
            PromptWavUrl = OptionalString(p, "prompt_wav_url"),
            PromptText = OptionalString(p, "prompt_text"),
            VoiceId = OptionalString(p, "voice_id") is { } voice
                ? (Guid.TryParse(voice, out var id) ? id : throw new FieldException("voice_id", "voice_id must be the id (a UUID) of a saved voice"))
                : null,
            CfgValue = OptionalNumber(p, "cfg_value") ?? defaults.CfgValue,
            InferenceTimesteps = OptionalInteger(p, "inference_timesteps") is { } steps
                ? (int)Math.Clamp(steps, int.MinValue, int.MaxValue)
                : defaults.InferenceTimesteps,
            Normalize = OptionalBool(p, "normalize") ?? defaults.Normalize,
            Denoise = OptionalBool(p, "denoise") ?? defaults.Denoise,
            RetryBadcase = OptionalBool(p, "retry_badcase") ?? defaults.RetryBadcase,
            Seed = OptionalInteger(p, "seed"),
        };
    }

    private static SynthesisMode ParseMode(JsonElement p) => OptionalString(p, "mode") switch
    {
        null or "streaming" => SynthesisMode.Streaming,
        "non_streaming" => SynthesisMode.NonStreaming,
        var other => throw new FieldException("mode", $"mode must be 'streaming' or 'non_streaming' (got '{Truncate(other)}')"),
    };

    private static string? OptionalRequestId(JsonElement root)
    {
        if (!root.TryGetProperty("request_id", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new FieldException("request_id", $"request_id must be a string (got {Kind(value)})");
        }

        var id = Text(value, "request_id");
        return id.Length is 0 or > SynthesisDefaults.MaxRequestIdLength
            ? throw new FieldException("request_id", $"request_id must be 1 to {SynthesisDefaults.MaxRequestIdLength} characters long (got {id.Length})")
            : id;
    }

    private static string? TryRequestId(JsonElement root) =>
        root.TryGetProperty("request_id", out var value) && value.ValueKind == JsonValueKind.String && TryText(value) is { Length: > 0 and <= SynthesisDefaults.MaxRequestIdLength } id
            ? id
            : null;

    private static string? OptionalString(JsonElement p, string name) => Optional(p, name) is { } value
        ? (value.ValueKind == JsonValueKind.String ? Text(value, name) : throw new FieldException(name, $"{name} must be a string or null (got {Kind(value)})"))
        : null;

    private static double? OptionalNumber(JsonElement p, string name) => Optional(p, name) is { } value
        ? (value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw new FieldException(name, $"{name} must be a number (got {Kind(value)})"))
        : null;

    private static long? OptionalInteger(JsonElement p, string name) => Optional(p, name) is { } value
        ? (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var integer) ? integer : throw new FieldException(name, $"{name} must be an integer (got {Describe(value)})"))
        : null;

    private static bool? OptionalBool(JsonElement p, string name) => Optional(p, name) is { } value
        ? (value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : throw new FieldException(name, $"{name} must be true or false (got {Kind(value)})"))
        : null;

    private static JsonElement? Optional(JsonElement p, string name) =>
        p.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    // JSON may escape half a surrogate pair (\ud800); such a string has no UTF-16 form, and GetString throws.
    private static string Text(JsonElement value, string name) =>
        TryText(value) ?? throw new FieldException(name, $"{name} must be valid Unicode text: it contains an unpaired surrogate escape such as \\ud800");

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

    private static string Describe(JsonElement value) => value.ValueKind == JsonValueKind.Number ? Truncate(value.GetRawText()) : Kind(value);

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "…";

    private sealed class FieldException(string field, string message) : Exception(message)
    {
        public string Field { get; } = field;
    }
}
