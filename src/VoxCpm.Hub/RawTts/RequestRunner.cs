using System.Threading.Channels;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Synthesis;
using VoxCpm.Hub.Synthesis.TextStreaming;

namespace VoxCpm.Hub.RawTts;

/// <summary>
/// Runs one <c>tts_request</c> of a connection through the one synthesis path and turns its events into protocol
/// messages. Every request ends with exactly one <c>complete</c> or <c>error</c>.
/// </summary>
internal sealed partial class RequestRunner(TtsConnection connection, SynthesisService synthesis, RequestTracking tracking, string? client, ILogger logger)
{
    public async Task RunAsync(string requestId, SynthesisRequest request, CancellationToken cancellationToken, ChannelReader<TextStreamInput>? text = null)
    {
        // Off the receive loop at once: a slow prompt download must not hold up the connection's other messages.
        await Task.Yield();
        using var scope = tracking.Begin(logger, EntryPoint.RawWebSocket, requestId);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, scope.Deadline);
        using var messages = new MessageBuilder();
        Outbound final;
        try
        {
            var context = new SynthesisContext(EntryPoint.RawWebSocket, requestId, client);
            var run = text is null
                ? (await synthesis.SubmitAsync(request, context, scope, cancel.Token)).Run!
                : await synthesis.SubmitTextStreamAsync(request, context, scope, text, cancel.Token);
            scope.Accepted(run.SynthesisId);
            final = await SendEventsAsync(messages, request, run);
        }
        catch (SynthesisRejectedException rejected)
        {
            final = ServerMessages.Error(messages, requestId, ProtocolError.From(rejected));
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            scope.Ended(ErrorCodes.Cancelled);
            final = ServerMessages.Error(messages, requestId, new ProtocolError(ErrorCodes.Cancelled, "the request was cancelled"));
        }
        catch (Exception e)
        {
            LogRequestFailed(logger, requestId, e);
            scope.Ended(ErrorCodes.InternalError);
            final = ServerMessages.Error(messages, requestId, new ProtocolError(ErrorCodes.InternalError, "the request failed unexpectedly; see the server log"));
        }

        connection.Finished(requestId);
        await connection.SendAsync(final);
        LogRequestEnded(logger);
    }

    /// <summary>
    /// Both modes run on the scheduler, so both see real <c>queued</c> positions and stop within one decoding step
    /// when cancelled. Streaming: queued → started → (audio chunk + progress)* → complete. Non-streaming: queued →
    /// started → one type-2 frame with the whole audio → complete.
    /// </summary>
    private async Task<Outbound> SendEventsAsync(MessageBuilder messages, SynthesisRequest request, SynthesisRun run)
    {
        var requestId = run.RequestId;
        using var sender = new EventSender(connection, messages, request, run);
        if (request.Mode == SynthesisMode.NonStreaming)
        {
            var whole = await WholeAudio.CollectAsync(run, progress: sender);
            if (whole.Summary is not { } summary)
            {
                return ServerMessages.Error(messages, requestId, new ProtocolError(whole.Failure!.Code, whole.Failure.Message));
            }

            await connection.SendAsync(messages.AudioFrame(MessageBuilder.CompleteAudio, requestId, 0, whole.SampleRate, whole.Samples.Span, isLast: true, step: null));
            return ServerMessages.Complete(messages, requestId, summary, 1, request.Mode, run.SynthesisId);
        }

        await SynthesisEvents.DispatchAllAsync(run.Events, sender);
        return sender.Final!.Value;
    }

    // The request id, entry point and synthesis id come from the request's log scope (RequestTracking).
    [LoggerMessage(EventId = 3011, EventName = "RawTtsRequestEnded", Level = LogLevel.Debug, Message = "Request on /tts ended")]
    private static partial void LogRequestEnded(ILogger logger);

    [LoggerMessage(EventId = 3010, EventName = "RawTtsRequestFailed", Level = LogLevel.Error, Message = "Request {RequestId} on /tts failed unexpectedly")]
    private static partial void LogRequestFailed(ILogger logger, string requestId, Exception exception);
}
