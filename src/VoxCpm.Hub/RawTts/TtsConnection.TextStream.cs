using System.Collections.Concurrent;
using System.Threading.Channels;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Synthesis.TextStreaming;

namespace VoxCpm.Hub.RawTts;

/// <summary>
/// Text streams on a raw connection (PROTOCOL.md, "Text streams"): <c>tts_stream_start</c> is a request like
/// <c>tts_request</c> (same in-flight limit, same answers, same <c>cancel</c>) whose text comes in later messages.
/// </summary>
internal sealed partial class TtsConnection
{
    private readonly ConcurrentDictionary<string, ChannelWriter<TextStreamInput>> _textStreams = new(StringComparer.Ordinal);

    private async ValueTask DispatchTextStreamAsync(ClientMessage message)
    {
        if (message is ClientMessage.StreamStart start)
        {
            var text = Channel.CreateUnbounded<TextStreamInput>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
            if (!string.IsNullOrEmpty(start.Request.Text))
            {
                text.Writer.TryWrite(TextStreamInput.Append(start.Request.Text));
            }

            await StartRequestAsync(start.RequestId, start.Request, text);
            return;
        }

        var (requestId, input, end) = message switch
        {
            ClientMessage.StreamText append => (append.RequestId, TextStreamInput.Append(append.Text), false),
            ClientMessage.StreamFlush flush => (flush.RequestId, TextStreamInput.FlushNow, false),
            ClientMessage.StreamEnd last => (last.RequestId, last.Text is { Length: > 0 } tail ? TextStreamInput.Append(tail) : (TextStreamInput?)null, true),
            _ => throw new ArgumentOutOfRangeException(nameof(message)),
        };
        if (!_textStreams.TryGetValue(requestId, out var writer))
        {
            await SendErrorAsync(requestId, new ProtocolError(ErrorCodes.NotFound, $"no text stream '{requestId}' is open on this connection (open one with tts_stream_start)", "request_id"));
            return;
        }

        if (input is { } value)
        {
            writer.TryWrite(value);
        }

        if (end)
        {
            _textStreams.TryRemove(requestId, out _);
            writer.TryComplete();
        }
    }

    /// <summary>The request ended: later text for it is answered with not_found.</summary>
    private void EndTextStream(string requestId)
    {
        if (_textStreams.TryRemove(requestId, out var writer))
        {
            writer.TryComplete();
        }
    }
}
