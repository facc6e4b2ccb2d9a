using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.RawTts;

/// <summary>The text-stream messages (PROTOCOL.md, "Text streams"): open, append, flush, end.</summary>
internal abstract partial record ClientMessage
{
    /// <summary><c>tts_stream_start</c>: the request's parameters; <c>params.text</c>, when given, is the first text.</summary>
    public sealed record StreamStart(string? RequestId, SynthesisRequest Request) : ClientMessage;

    /// <summary><c>tts_stream_text</c>: more text for the stream.</summary>
    public sealed record StreamText(string RequestId, string Text) : ClientMessage;

    /// <summary><c>tts_stream_flush</c>: speak the pending text now.</summary>
    public sealed record StreamFlush(string RequestId) : ClientMessage;

    /// <summary><c>tts_stream_end</c>: no more text (an optional last <c>text</c>); what is left is spoken.</summary>
    public sealed record StreamEnd(string RequestId, string? Text) : ClientMessage;
}
