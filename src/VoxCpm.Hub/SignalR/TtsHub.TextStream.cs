using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Synthesis;
using VoxCpm.Hub.Synthesis.TextStreaming;

namespace VoxCpm.Hub.SignalR;

/// <summary>Text-in streaming: the text arrives as a client-to-server stream, the audio leaves as Synthesize's items.</summary>
internal sealed partial class TtsHub
{
    /// <summary>
    /// Speaks <paramref name="text"/> (after the request's own <c>text</c>, which may be empty) while it is being written: the same items as <see cref="SynthesizeAsync"/>
    /// (queued, started, audio/progress in one gap-free sequence, one complete or error) for the whole stream.
    /// </summary>
    [HubMethodName(TtsHubMethods.SynthesizeTextStream)]
    public IAsyncEnumerable<SynthesisStreamItem> SynthesizeTextStreamAsync(SynthesisArgument argument, IAsyncEnumerable<string> text, CancellationToken cancellationToken) =>
        StreamAsync(
            argument,
            async (request, context, scope, token) =>
            {
                var input = Channel.CreateUnbounded<TextStreamInput>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
                if (request.Text.Length > 0)
                {
                    input.Writer.TryWrite(TextStreamInput.Append(request.Text)); // the request's text is the stream's first text
                }

                var run = await synthesis.SubmitTextStreamAsync(request, context, scope, input.Reader, token);
                _ = PumpTextAsync(text, input.Writer, token);
                return new SynthesisStart(run, null);
            },
            cancellationToken);

    /// <summary>The client's text stream → the session's input; its end (or its failure) ends the input.</summary>
    private static async Task PumpTextAsync(IAsyncEnumerable<string> text, ChannelWriter<TextStreamInput> input, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var piece in text.WithCancellation(cancellationToken))
            {
                input.TryWrite(piece == TtsHubMethods.TextStreamFlush ? TextStreamInput.FlushNow : TextStreamInput.Append(piece ?? ""));
            }

            input.TryComplete();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            input.TryComplete(new ChannelClosedException(e.Message, e));
        }
        catch (OperationCanceledException)
        {
            input.TryComplete();
        }
    }
}
