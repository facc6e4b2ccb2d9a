using System.Diagnostics;
using System.Threading.Channels;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Audio;
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
            final = await SendEventsAsync(messages, request, run, scope);
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
    private async Task<Outbound> SendEventsAsync(MessageBuilder messages, SynthesisRequest request, SynthesisRun run, RequestScope scope)
    {
        var requestId = run.RequestId;
        if (request.Mode == SynthesisMode.NonStreaming)
        {
            var whole = await WholeAudio.CollectAsync(run, e => SendProgressAsync(messages, requestId, e));
            if (whole.Summary is not { } summary)
            {
                return ServerMessages.Error(messages, requestId, new ProtocolError(whole.Failure!.Code, whole.Failure.Message));
            }

            await connection.SendAsync(messages.AudioFrame(MessageBuilder.CompleteAudio, requestId, 0, whole.SampleRate, whole.Samples.Span, isLast: true, step: null));
            return ServerMessages.Complete(messages, requestId, summary, 1, request.Mode, run.SynthesisId);
        }

        var started = Stopwatch.GetTimestamp();
        var chunks = 0;
        var lastFlagged = false;
        long samples = 0;
        var reader = run.Events;
        // Opus is for the real-time stream; a non_streaming result (above) stays one PCM16 frame.
        using var opus = OpusWireEncoder.For(request, run.SampleRate);

        // Read to the end without the token: a cancelled request ends with the scheduler's own "cancelled" event.
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (reader.TryRead(out var e))
            {
                switch (e)
                {
                    case AudioChunkEvent chunk:
                        // Flag the last chunk when completion is already known; otherwise an empty last frame follows.
                        lastFlagged = reader.TryPeek(out var next) && next is CompletedEvent;
                        samples += chunk.Samples.Length;
                        await connection.SendAsync(opus is null
                            ? messages.AudioFrame(MessageBuilder.StreamingChunk, requestId, chunks++, run.SampleRate, chunk.Samples.Span, lastFlagged, chunk.StepsSoFar)
                            : messages.OpusFrame(MessageBuilder.StreamingChunk, requestId, chunks++, opus, opus.Encode(chunk.Samples.Span, lastFlagged), lastFlagged, chunk.StepsSoFar));
                        await connection.SendAsync(ServerMessages.Progress(messages, requestId, SynthesisProgress.Estimate(request.Text.Length, chunk.StepsSoFar), chunk.StepsSoFar, (double)samples / run.SampleRate, Stopwatch.GetElapsedTime(started)));
                        break;
                    case CompletedEvent completed:
                        if (!lastFlagged)
                        {
                            await connection.SendAsync(opus is null
                                ? messages.AudioFrame(MessageBuilder.StreamingChunk, requestId, chunks++, run.SampleRate, [], isLast: true, completed.Summary.Steps)
                                : messages.OpusFrame(MessageBuilder.StreamingChunk, requestId, chunks++, opus, opus.Encode([], final: true), isLast: true, completed.Summary.Steps));
                        }

                        return ServerMessages.Complete(messages, requestId, completed.Summary, chunks, request.Mode, run.SynthesisId);
                    case FailedEvent failed:
                        return ServerMessages.Error(messages, requestId, new ProtocolError(failed.Code, failed.Message));
                    default:
                        await SendProgressAsync(messages, requestId, e);
                        break;
                }
            }
        }

        scope.Ended(ErrorCodes.InternalError);
        return ServerMessages.Error(messages, requestId, new ProtocolError(ErrorCodes.InternalError, "the synthesis ended without a result"));
    }

    /// <summary>The messages a request gets before its audio: its place in the queue, then its start.</summary>
    private async ValueTask SendProgressAsync(MessageBuilder messages, string requestId, SynthesisEvent e)
    {
        switch (e)
        {
            case QueuedEvent queued:
                await connection.SendAsync(ServerMessages.Queued(messages, requestId, queued.Position));
                break;
            case StartedEvent start:
                await connection.SendAsync(ServerMessages.Started(messages, requestId, start.QueueWait));
                break;
        }
    }

    // The request id, entry point and synthesis id come from the request's log scope (RequestTracking).
    [LoggerMessage(EventId = 3011, EventName = "RawTtsRequestEnded", Level = LogLevel.Debug, Message = "Request on /tts ended")]
    private static partial void LogRequestEnded(ILogger logger);

    [LoggerMessage(EventId = 3010, EventName = "RawTtsRequestFailed", Level = LogLevel.Error, Message = "Request {RequestId} on /tts failed unexpectedly")]
    private static partial void LogRequestFailed(ILogger logger, string requestId, Exception exception);
}
