using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;
using VoxCpm.Hub.Contracts;
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
    public async IAsyncEnumerable<SynthesisStreamItem> SynthesizeTextStreamAsync(SynthesisArgument argument, IAsyncEnumerable<string> text, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var requestId = Guid.NewGuid().ToString("N");
        if (argument?.Request is not { } request)
        {
            var problem = argument?.Problem ?? new Synthesis.Binding.RequestFieldException("request", "the request is required");
            LogUnbindableArgument(logger, Context.ConnectionId, problem.Field, problem.Message);
            yield return new SynthesisStreamItem
            {
                Kind = StreamItemKind.Error,
                RequestId = requestId,
                Error = new ErrorInfo { Code = ErrorCodes.InvalidRequest, Message = problem.Message, Field = problem.Field },
            };
            yield break;
        }

        using var scope = tracking.Begin(logger, EntryPoint.SignalR, requestId);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, scope.Deadline);
        var input = Channel.CreateUnbounded<TextStreamInput>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        if (request.Text.Length > 0)
        {
            input.Writer.TryWrite(TextStreamInput.Append(request.Text)); // the request's text is the stream's first text
        }

        var context = new SynthesisContext(EntryPoint.SignalR, requestId, Context.UserIdentifier ?? Context.ConnectionId);
        var run = await Refusals.GuardAsync(async () =>
        {
            try
            {
                scope.ThrowIfRefused();
                return await textStreams.StartAsync(request, context, input.Reader, cancel.Token);
            }
            catch (SynthesisRejectedException rejected)
            {
                scope.Rejected(rejected.Code);
                throw;
            }
        });
        scope.Accepted(run.SynthesisId);
        _ = PumpTextAsync(text, input.Writer, cancel.Token);
        await foreach (var item in StreamItems.FromRunAsync(run, request))
        {
            if (item.Kind == StreamItemKind.Complete)
            {
                scope.Completed();
            }
            else if (item.Kind == StreamItemKind.Error)
            {
                scope.Ended(item.Error?.Code ?? ErrorCodes.InternalError);
            }

            yield return item;
        }
    }

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
