using System.Diagnostics;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Audio;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.RawTts;

internal sealed partial class RequestRunner
{
    /// <summary>
    /// A request's scheduler events as protocol messages: <c>queued</c> and <c>started</c> in both modes, and for a
    /// streaming request each audio chunk as a type-1 frame (PCM16 or Opus) followed by <c>progress</c>, ending in
    /// <see cref="Final"/> (<c>complete</c> or <c>error</c>), which the runner sends after the request is finished.
    /// </summary>
    private sealed class EventSender(TtsConnection connection, MessageBuilder messages, SynthesisRequest request, SynthesisRun run)
        : ISynthesisEventHandler, IDisposable
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        // Opus is for the real-time stream; a non_streaming result stays one PCM16 frame.
        private readonly OpusWireEncoder? _opus = request.Mode == SynthesisMode.Streaming ? OpusWireEncoder.For(request, run.SampleRate) : null;
        private int _chunks;
        private bool _lastFlagged;
        private long _samples;

        public Outbound? Final { get; private set; }

        private string RequestId => run.RequestId;

        public async ValueTask OnQueuedAsync(QueuedEvent queued) =>
            await connection.SendAsync(ServerMessages.Queued(messages, RequestId, queued.Position));

        public async ValueTask OnStartedAsync(StartedEvent started) =>
            await connection.SendAsync(ServerMessages.Started(messages, RequestId, started.QueueWait));

        public async ValueTask OnAudioAsync(AudioChunkEvent chunk, bool completesNext)
        {
            // Flag the last chunk when completion is already known; otherwise an empty last frame follows.
            _lastFlagged = completesNext;
            _samples += chunk.Samples.Length;
            await connection.SendAsync(_opus is null
                ? messages.AudioFrame(MessageBuilder.StreamingChunk, RequestId, _chunks++, run.SampleRate, chunk.Samples.Span, _lastFlagged, chunk.StepsSoFar)
                : messages.OpusFrame(MessageBuilder.StreamingChunk, RequestId, _chunks++, _opus, _opus.Encode(chunk.Samples.Span, _lastFlagged), _lastFlagged, chunk.StepsSoFar));
            await connection.SendAsync(ServerMessages.Progress(messages, RequestId, SynthesisProgress.Estimate(request.Text.Length, chunk.StepsSoFar), chunk.StepsSoFar, (double)_samples / run.SampleRate, Stopwatch.GetElapsedTime(_started)));
        }

        public async ValueTask OnCompletedAsync(CompletedEvent completed)
        {
            if (!_lastFlagged)
            {
                await connection.SendAsync(_opus is null
                    ? messages.AudioFrame(MessageBuilder.StreamingChunk, RequestId, _chunks++, run.SampleRate, [], isLast: true, completed.Summary.Steps)
                    : messages.OpusFrame(MessageBuilder.StreamingChunk, RequestId, _chunks++, _opus, _opus.Encode([], final: true), isLast: true, completed.Summary.Steps));
            }

            Final = ServerMessages.Complete(messages, RequestId, completed.Summary, _chunks, request.Mode, run.SynthesisId);
        }

        public ValueTask OnFailedAsync(FailedEvent failed)
        {
            Final = ServerMessages.Error(messages, RequestId, new ProtocolError(failed.Code, failed.Message));
            return default;
        }

        public void Dispose() => _opus?.Dispose();
    }
}
