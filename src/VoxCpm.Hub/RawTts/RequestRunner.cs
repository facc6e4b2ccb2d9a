using System.Diagnostics;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Audio;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Jobs;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.RawTts;

/// <summary>
/// Runs one <c>tts_request</c> of a connection through the one synthesis path and turns its events into protocol
/// messages. Every request ends with exactly one <c>complete</c> or <c>error</c>.
/// </summary>
internal sealed partial class RequestRunner(TtsConnection connection, ISynthesisService synthesis, IServiceProvider services, string? client, ILogger logger)
{
    // Engineer C's durable jobs; null until registered, then non-streaming requests go through them.
    private readonly ISynthesisJobs? _jobs = services.GetService<ISynthesisJobs>();
    private readonly RequestTracking _tracking = services.GetRequiredService<RequestTracking>();

    public async Task RunAsync(string requestId, SynthesisRequest request, CancellationToken cancellationToken)
    {
        // Off the receive loop at once: a slow prompt download must not hold up the connection's other messages.
        await Task.Yield();
        using var scope = _tracking.Begin(logger, EntryPoint.RawWebSocket, requestId);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, scope.Deadline);
        using var messages = new MessageBuilder();
        Outbound final;
        try
        {
            scope.ThrowIfRefused();
            var context = new SynthesisContext(EntryPoint.RawWebSocket, requestId, client);
            final = request.Mode == SynthesisMode.NonStreaming && _jobs is not null
                ? await NonStreamingJob.RunAsync(connection, _jobs, messages, request, context, scope, cancel.Token)
                : await StreamEventsAsync(messages, request, context, scope, cancel.Token);
        }
        catch (SynthesisRejectedException rejected)
        {
            scope.Rejected(rejected.Code);
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
    /// Streaming: queued → started → (audio chunk + progress)* → complete. Non-streaming without the job service
    /// (the stop-gap until ISynthesisJobs is registered): the same run with streaming off, the audio collected and
    /// sent as one type-2 frame before complete.
    /// </summary>
    private async Task<Outbound> StreamEventsAsync(MessageBuilder messages, SynthesisRequest request, SynthesisContext context, RequestScope scope, CancellationToken cancellationToken)
    {
        var run = await synthesis.StartAsync(request, context, cancellationToken);
        scope.Accepted(run.SynthesisId);
        var requestId = context.RequestId;
        var streaming = request.Mode == SynthesisMode.Streaming;
        var whole = streaming ? null : new AudioAccumulator();
        var started = Stopwatch.GetTimestamp();
        var chunks = 0;
        var lastFlagged = false;
        long samples = 0;
        var reader = run.Events;
        // Opus is for the real-time stream; a non_streaming result stays one PCM16 frame (the HTTP API encodes whole files).
        using var opus = streaming ? OpusWireEncoder.For(request, run.SampleRate) : null;

        // Read to the end without the token: a cancelled request ends with the scheduler's own "cancelled" event.
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (reader.TryRead(out var e))
            {
                switch (e)
                {
                    case QueuedEvent queued:
                        await connection.SendAsync(ServerMessages.Queued(messages, requestId, queued.Position));
                        break;
                    case StartedEvent start:
                        await connection.SendAsync(ServerMessages.Started(messages, requestId, start.QueueWait));
                        break;
                    case AudioChunkEvent chunk when whole is not null:
                        whole.Append(chunk.Samples.Span);
                        break;
                    case AudioChunkEvent chunk:
                        // Flag the last chunk when completion is already known; otherwise an empty last frame follows.
                        lastFlagged = reader.TryPeek(out var next) && next is CompletedEvent;
                        samples += chunk.Samples.Length;
                        await connection.SendAsync(opus is null
                            ? messages.AudioFrame(MessageBuilder.StreamingChunk, requestId, chunks++, run.SampleRate, chunk.Samples.Span, lastFlagged, chunk.StepsSoFar)
                            : messages.OpusFrame(MessageBuilder.StreamingChunk, requestId, chunks++, opus, opus.Encode(chunk.Samples.Span, lastFlagged), lastFlagged, chunk.StepsSoFar));
                        await connection.SendAsync(ServerMessages.Progress(messages, requestId, SynthesisProgress.Estimate(request.Text.Length, chunk.StepsSoFar), chunk.StepsSoFar, (double)samples / run.SampleRate, Stopwatch.GetElapsedTime(started)));
                        break;
                    case CompletedEvent completed when whole is not null:
                        scope.Completed();
                        var audio = whole.Detach();
                        await connection.SendAsync(messages.AudioFrame(MessageBuilder.CompleteAudio, requestId, 0, run.SampleRate, audio.Span, isLast: true, step: null));
                        return ServerMessages.Complete(messages, requestId, completed.Summary, 1, request.Mode, run.SynthesisId);
                    case CompletedEvent completed:
                        scope.Completed();
                        if (!lastFlagged)
                        {
                            await connection.SendAsync(opus is null
                                ? messages.AudioFrame(MessageBuilder.StreamingChunk, requestId, chunks++, run.SampleRate, [], isLast: true, completed.Summary.Steps)
                                : messages.OpusFrame(MessageBuilder.StreamingChunk, requestId, chunks++, opus, opus.Encode([], final: true), isLast: true, completed.Summary.Steps));
                        }

                        return ServerMessages.Complete(messages, requestId, completed.Summary, chunks, request.Mode, run.SynthesisId);
                    case FailedEvent failed:
                        scope.Ended(failed.Code);
                        return ServerMessages.Error(messages, requestId, new ProtocolError(failed.Code, failed.Message));
                }
            }
        }

        scope.Ended(ErrorCodes.InternalError);
        return ServerMessages.Error(messages, requestId, new ProtocolError(ErrorCodes.InternalError, "the synthesis ended without a result"));
    }

    // The request id, entry point and synthesis id come from the request's log scope (RequestTracking).
    [LoggerMessage(EventId = 3011, EventName = "RawTtsRequestEnded", Level = LogLevel.Debug, Message = "Request on /tts ended")]
    private static partial void LogRequestEnded(ILogger logger);

    [LoggerMessage(EventId = 3010, EventName = "RawTtsRequestFailed", Level = LogLevel.Error, Message = "Request {RequestId} on /tts failed unexpectedly")]
    private static partial void LogRequestFailed(ILogger logger, string requestId, Exception exception);
}
