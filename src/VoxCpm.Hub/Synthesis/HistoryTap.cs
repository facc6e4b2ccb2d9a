using System.Threading.Channels;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.History;

namespace VoxCpm.Hub.Synthesis;

/// <summary>
/// Forwards a ticket's events to the transport while telling history what happened. It reads every event to the end
/// even when the transport stopped reading (a cancelled or failed request is still recorded), and it keeps the audio
/// for the Completed record. The recorder never blocks, so the audio path is not slowed.
/// </summary>
internal static class HistoryTap
{
    public static ChannelReader<SynthesisEvent> Start(ChannelReader<SynthesisEvent> source, ISynthesisRecorder recorder, Guid synthesisId, int sampleRate)
    {
        var output = Channel.CreateUnbounded<SynthesisEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _ = PumpAsync(source, output.Writer, recorder, synthesisId, sampleRate);
        return output.Reader;
    }

    private static async Task PumpAsync(ChannelReader<SynthesisEvent> source, ChannelWriter<SynthesisEvent> output, ISynthesisRecorder recorder, Guid synthesisId, int sampleRate)
    {
        var audio = new AudioAccumulator();
        try
        {
            // No token: the scheduler always ends a ticket with Completed or Failed (cancelled, shutting down).
            await foreach (var e in source.ReadAllAsync(CancellationToken.None))
            {
                switch (e)
                {
                    case StartedEvent started:
                        recorder.Started(synthesisId, started.QueueWait);
                        break;
                    case AudioChunkEvent chunk:
                        audio.Append(chunk.Samples.Span);
                        break;
                    case CompletedEvent completed:
                        // The buffer is handed over: the recorder may keep it until its background writer is done.
                        recorder.Completed(synthesisId, completed.Summary, audio.Detach(), sampleRate, DateTimeOffset.UtcNow);
                        break;
                    case FailedEvent failed:
                        recorder.Failed(synthesisId, failed.Code, failed.Message, DateTimeOffset.UtcNow);
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
