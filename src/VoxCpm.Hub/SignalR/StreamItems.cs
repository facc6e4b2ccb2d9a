using System.Diagnostics;
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
    public static async IAsyncEnumerable<SynthesisStreamItem> FromRunAsync(SynthesisRun run, SynthesisRequest request)
    {
        var id = run.RequestId;
        var started = Stopwatch.GetTimestamp();
        var chunks = 0;
        long samples = 0;
        // Opus is for the real-time stream; a non-streaming result stays PCM16, as on raw /tts.
        using var opus = request.Mode == SynthesisMode.Streaming ? OpusWireEncoder.For(request, run.SampleRate) : null;

        // Read to the end without the stream's token: a cancelled run ends with the scheduler's "cancelled" event.
        await foreach (var e in run.Events.ReadAllAsync(CancellationToken.None))
        {
            switch (e)
            {
                case QueuedEvent queued:
                    yield return new SynthesisStreamItem { Kind = StreamItemKind.Queued, RequestId = id, Position = queued.Position };
                    break;
                case StartedEvent start:
                    yield return new SynthesisStreamItem { Kind = StreamItemKind.Started, RequestId = id, QueueWaitMs = start.QueueWait.TotalMilliseconds };
                    break;
                case AudioChunkEvent chunk:
                    samples += chunk.Samples.Length;
                    // With Opus, the last chunk is not known as such: the flush rides on an item after the last audio.
                    yield return opus is null
                        ? Audio(id, chunks++, run.SampleRate, chunk.Samples.Span, chunk.StepsSoFar)
                        : OpusAudio(id, chunks++, opus, opus.Encode(chunk.Samples.Span, final: false), chunk.StepsSoFar);
                    yield return new SynthesisStreamItem
                    {
                        Kind = StreamItemKind.Progress,
                        RequestId = id,
                        Step = chunk.StepsSoFar,
                        Progress = SynthesisProgress.Estimate(request.Text.Length, chunk.StepsSoFar),
                        AudioSeconds = (double)samples / run.SampleRate,
                        ElapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    };
                    break;
                case CompletedEvent completed:
                    if (opus is not null)
                    {
                        yield return OpusAudio(id, chunks++, opus, opus.Encode([], final: true), completed.Summary.Steps);
                    }

                    yield return new SynthesisStreamItem { Kind = StreamItemKind.Complete, RequestId = id, Summary = Completion(completed.Summary, chunks, run.SynthesisId) };
                    yield break;
                case FailedEvent failed:
                    yield return new SynthesisStreamItem { Kind = StreamItemKind.Error, RequestId = id, Error = new ErrorInfo { Code = failed.Code, Message = failed.Message } };
                    yield break;
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
        var pcm = new byte[samples.Length * 2]; // owned by the serializer until the item is written
        WavWriter.ConvertToPcm16(samples, pcm);
        return new SynthesisStreamItem { Kind = StreamItemKind.Audio, RequestId = id, Sequence = sequence, SampleRate = sampleRate, Audio = pcm, Step = step };
    }
}
