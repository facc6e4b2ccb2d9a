using System.Threading.Channels;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.History;

namespace VoxCpm.Hub.Synthesis;

/// <summary>
/// Forwards a ticket's events to the transport while doing the bookkeeping every transport shares: history (started,
/// completed with its audio, failed or cancelled) and the request's outcome on <c>/metrics</c>. It reads every event
/// to the end even when the transport stopped reading (a cancelled or failed request is still recorded), and it
/// records before it forwards, so a client that has seen <c>complete</c> finds the outcome counted. The recorder
/// never blocks, so the audio path is not slowed.
/// </summary>
internal static class RunTap
{
    public static ChannelReader<SynthesisEvent> Start(ChannelReader<SynthesisEvent> source, ISynthesisRecorder? recorder, RequestScope? scope, Guid synthesisId, int sampleRate)
    {
        var output = Channel.CreateUnbounded<SynthesisEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _ = PumpAsync(source, output.Writer, recorder, scope, synthesisId, sampleRate);
        return output.Reader;
    }

    private static async Task PumpAsync(ChannelReader<SynthesisEvent> source, ChannelWriter<SynthesisEvent> output, ISynthesisRecorder? recorder, RequestScope? scope, Guid synthesisId, int sampleRate)
    {
        var audio = recorder is null ? null : new AudioAccumulator();
        try
        {
            // No token: the scheduler always ends a ticket with Completed or Failed (cancelled, shutting down).
            await foreach (var e in source.ReadAllAsync(CancellationToken.None))
            {
                switch (e)
                {
                    case StartedEvent started:
                        recorder?.Started(synthesisId, started.QueueWait);
                        break;
                    case AudioChunkEvent chunk:
                        audio?.Append(chunk.Samples.Span);
                        break;
                    case CompletedEvent completed:
                        // The buffer is handed over: the recorder may keep it until its background writer is done.
                        recorder?.Completed(synthesisId, completed.Summary, audio!.Detach(), sampleRate, DateTimeOffset.UtcNow);
                        scope?.Completed();
                        break;
                    case FailedEvent failed:
                        recorder?.Failed(synthesisId, failed.Code, failed.Message, DateTimeOffset.UtcNow);
                        scope?.Ended(failed.Code);
                        break;
                }

                output.TryWrite(e);
            }
        }
        finally
        {
            output.TryComplete();
        }
    }
}
