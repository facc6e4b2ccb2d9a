using System.Diagnostics;
using System.Threading.Channels;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Audio;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Audio;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.SignalR;

/// <summary>Scheduler events → hub stream items (a streaming run; non-streaming requests on the hub are durable jobs).</summary>
internal static class StreamItems
{
    /// <summary>
    /// The run's items in order, ending with <c>complete</c> or <c>error</c>. The run is read to its end whether or
    /// not the caller keeps reading: a cancelled run ends with the scheduler's <c>cancelled</c> event, and the Opus
    /// encoder is released then.
    /// </summary>
    public static IAsyncEnumerable<SynthesisStreamItem> FromRunAsync(SynthesisRun run, SynthesisRequest request)
    {
        var items = Channel.CreateUnbounded<SynthesisStreamItem>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _ = new ItemWriter(run, request, items.Writer).PumpAsync();
        return LendAsync(items.Reader);
    }

    /// <summary>
    /// The items in order; a PCM16 item's bytes go back to <see cref="Pcm16Buffers"/> when the next item is asked for
    /// (SignalR has written this one by then) or the stream ends.
    /// </summary>
    private static async IAsyncEnumerable<SynthesisStreamItem> LendAsync(ChannelReader<SynthesisStreamItem> items)
    {
        await foreach (var item in items.ReadAllAsync())
        {
            try
            {
                yield return item;
            }
            finally
            {
                if (item is { Kind: StreamItemKind.Audio, Format: null, Audio: { } pcm })
                {
                    Pcm16Buffers.Return(pcm);
                }
            }
        }
    }

    public static SynthesisCompletion Completion(SynthesisSummary summary, int chunks, Guid synthesisId) => new()
    {
        SynthesisId = synthesisId,
        Duration = summary.AudioSeconds,
        SampleRate = summary.SampleRate,
        Samples = summary.Samples,
        Chunks = chunks,
        StopReason = summary.StopReason,
        Attempts = summary.Attempts,
        QueueWaitMs = summary.QueueWait.TotalMilliseconds,
        TimeToFirstAudioMs = summary.TimeToFirstAudio?.TotalMilliseconds,
        TotalMs = summary.Total.TotalMilliseconds,
        Rtf = summary.RealTimeFactor,
        Segments = summary.Segments,
        Warnings = summary.Warnings,
    };

    private static SynthesisStreamItem OpusAudio(string id, int sequence, OpusWireEncoder opus, OpusChunk chunk, int step) => new()
    {
        Kind = StreamItemKind.Audio,
        RequestId = id,
        Sequence = sequence,
        SampleRate = opus.SampleRate,
        Audio = chunk.Payload,
        Format = WireAudioFormats.Opus,
        Packets = chunk.PacketSizes,
        PreSkip = opus.PreSkip,
        Samples = chunk.Samples,
        Step = step,
    };

    internal static SynthesisStreamItem Audio(string id, int sequence, int sampleRate, ReadOnlySpan<float> samples, int step)
    {
        var pcm = Pcm16Buffers.Rent(samples.Length * 2); // lent until the item is written (LendAsync)
        WavWriter.ConvertToPcm16(samples, pcm);
        return new SynthesisStreamItem { Kind = StreamItemKind.Audio, RequestId = id, Sequence = sequence, SampleRate = sampleRate, Audio = pcm, Step = step };
    }

    private sealed class ItemWriter(SynthesisRun run, SynthesisRequest request, ChannelWriter<SynthesisStreamItem> items) : ISynthesisEventHandler
    {
        private readonly long _started = Stopwatch.GetTimestamp();

        // Opus is for the real-time stream; a non-streaming result stays PCM16, as on raw /tts.
        private readonly OpusWireEncoder? _opus = request.Mode == SynthesisMode.Streaming ? OpusWireEncoder.For(request, run.SampleRate) : null;
        private int _chunks;
        private long _samples;

        private string Id => run.RequestId;

        public async Task PumpAsync()
        {
            try
            {
                await SynthesisEvents.DispatchAllAsync(run.Events, this);
                items.TryComplete();
            }
            catch (Exception e)
            {
                // The reader sees it as the stream's failure, as when the items were produced while it read.
                items.TryComplete(e);
            }
            finally
            {
                _opus?.Dispose();
            }
        }

        public ValueTask OnQueuedAsync(QueuedEvent queued) =>
            WriteAsync(new SynthesisStreamItem { Kind = StreamItemKind.Queued, RequestId = Id, Position = queued.Position });

        public ValueTask OnStartedAsync(StartedEvent started) =>
            WriteAsync(new SynthesisStreamItem { Kind = StreamItemKind.Started, RequestId = Id, QueueWaitMs = started.QueueWait.TotalMilliseconds });

        public ValueTask OnAudioAsync(AudioChunkEvent chunk, bool completesNext)
        {
            _samples += chunk.Samples.Length;
            // With Opus, the last chunk is not known as such: the flush rides on an item after the last audio.
            items.TryWrite(_opus is null
                ? Audio(Id, _chunks++, run.SampleRate, chunk.Samples.Span, chunk.StepsSoFar)
                : OpusAudio(Id, _chunks++, _opus, _opus.Encode(chunk.Samples.Span, final: false), chunk.StepsSoFar));
            return WriteAsync(new SynthesisStreamItem
            {
                Kind = StreamItemKind.Progress,
                RequestId = Id,
                Step = chunk.StepsSoFar,
                Progress = SynthesisProgress.Estimate(request.Text.Length, chunk.StepsSoFar),
                AudioSeconds = (double)_samples / run.SampleRate,
                ElapsedMs = Stopwatch.GetElapsedTime(_started).TotalMilliseconds,
            });
        }

        public ValueTask OnCompletedAsync(CompletedEvent completed)
        {
            if (_opus is not null)
            {
                items.TryWrite(OpusAudio(Id, _chunks++, _opus, _opus.Encode([], final: true), completed.Summary.Steps));
            }

            return WriteAsync(new SynthesisStreamItem { Kind = StreamItemKind.Complete, RequestId = Id, Summary = Completion(completed.Summary, _chunks, run.SynthesisId) });
        }

        public ValueTask OnFailedAsync(FailedEvent failed) =>
            WriteAsync(new SynthesisStreamItem { Kind = StreamItemKind.Error, RequestId = Id, Error = new ErrorInfo { Code = failed.Code, Message = failed.Message } });

        private ValueTask WriteAsync(SynthesisStreamItem item)
        {
            items.TryWrite(item);
            return default;
        }
    }
}
