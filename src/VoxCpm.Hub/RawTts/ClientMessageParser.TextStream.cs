using System.Text.Json;

namespace VoxCpm.Hub.RawTts;

/// <summary>The text-stream messages' shapes; their limits are the text stream's (TTS_TEXT_STREAM_*).</summary>
internal static partial class ClientMessageParser
{
    private const string TextStreamStart = "tts_stream_start";
    private const string TextStreamText = "tts_stream_text";
    private const string TextStreamFlush = "tts_stream_flush";
    private const string TextStreamEnd = "tts_stream_end";

    private static ClientMessage ParseTextStream(string type, JsonElement root)
    {
        if (type == TextStreamStart)
        {
            var parameters = root.TryGetProperty("params", out var p) && p.ValueKind != JsonValueKind.Null ? p : (JsonElement?)null;
            if (parameters is { ValueKind: not JsonValueKind.Object })
            {
                throw new FieldException("params", "params must be an object (text is optional here: it arrives in tts_stream_text messages)");
            }

            var request = parameters is { } given ? ParseParams(given, requireText: false) : new Contracts.SynthesisRequest();
            return new ClientMessage.StreamStart(OptionalRequestId(root), request);
        }

        var requestId = OptionalRequestId(root) ?? throw new FieldException("request_id", $"{type} needs the request_id of its tts_stream_start");
        var text = OptionalString(root, "text");
        return type switch
        {
            TextStreamText => new ClientMessage.StreamText(requestId, text ?? throw new FieldException("text", "tts_stream_text needs text (a string)")),
            TextStreamFlush => new ClientMessage.StreamFlush(requestId),
            _ => new ClientMessage.StreamEnd(requestId, text),
        };
    }
}
