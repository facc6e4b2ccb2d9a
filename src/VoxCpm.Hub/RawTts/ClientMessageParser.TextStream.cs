using System.Text.Json;
using VoxCpm.Hub.Synthesis.Binding;

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
                throw new RequestFieldException("params", "params must be an object (text is optional here: it arrives in tts_stream_text messages)");
            }

            var fields = parameters is { } given ? JsonRequestFields.Read(given) : [];
            // The text is optional here (it is the stream's first text): the binder, which requires it, gets "" instead.
            fields.TryAdd(RequestFieldNames.SnakeCase.Text, WireValue.OfString(""));
            var request = SynthesisRequestBinder.Bind(fields, RequestFieldNames.SnakeCase);
            return new ClientMessage.StreamStart(OptionalRequestId(root), request);
        }

        var requestId = OptionalRequestId(root) ?? throw new RequestFieldException("request_id", $"{type} needs the request_id of its tts_stream_start");
        var text = root.TryGetProperty("text", out var t) && t.ValueKind != JsonValueKind.Null
            ? (t.ValueKind == JsonValueKind.String ? Text(t, "text") : throw new RequestFieldException("text", $"text must be a string (got {Kind(t)})"))
            : null;
        return type switch
        {
            TextStreamText => new ClientMessage.StreamText(requestId, text ?? throw new RequestFieldException("text", "tts_stream_text needs text (a string)")),
            TextStreamFlush => new ClientMessage.StreamFlush(requestId),
            _ => new ClientMessage.StreamEnd(requestId, text),
        };
    }
}
