using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Hub.Synthesis;

/// <summary>A run read to its end: the whole audio and its summary, or the failure that ended it.</summary>
internal sealed record WholeAudio(ReadOnlyMemory<float> Samples, int SampleRate, SynthesisSummary? Summary, FailedEvent? Failure)
{
    /// <summary>
    /// Reads every event of <paramref name="run"/> without a token: a cancelled run still ends with the scheduler's own
    /// <c>cancelled</c> failure, so the caller learns how it ended. <paramref name="onEvent"/> sees the other events
    /// (queued, started, audio) as they come, for transports that report progress while they wait.
    /// </summary>
    public static async Task<WholeAudio> CollectAsync(SynthesisRun run, Func<SynthesisEvent, ValueTask>? onEvent = null)
    {
        ArgumentNullException.ThrowIfNull(run);
        var audio = new AudioAccumulator();
        await foreach (var e in run.Events.ReadAllAsync(CancellationToken.None))
        {
            switch (e)
            {
                case CompletedEvent completed:
                    return new(audio.Detach(), run.SampleRate > 0 ? run.SampleRate : completed.Summary.SampleRate, completed.Summary, null);
                case FailedEvent failed:
                    return new(ReadOnlyMemory<float>.Empty, run.SampleRate, null, failed);
                case AudioChunkEvent chunk:
                    audio.Append(chunk.Samples.Span);
                    break;
            }

            if (onEvent is not null)
            {
                await onEvent(e);
            }
        }

        return new(ReadOnlyMemory<float>.Empty, run.SampleRate, null, new FailedEvent(Contracts.ErrorCodes.InternalError, "the synthesis ended without a result"));
    }
}
