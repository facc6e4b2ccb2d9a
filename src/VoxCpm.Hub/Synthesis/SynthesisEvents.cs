using System.Threading.Channels;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.Synthesis;

/// <summary>
/// What a consumer of a run does with each kind of scheduler event (history, the whole-audio collector, each
/// transport). The progress events default to nothing; the audio and the two endings must be handled. A new kind of
/// event is one method here and one case in <see cref="SynthesisEvents.DispatchAsync"/>, both in this file.
/// </summary>
internal interface ISynthesisEventHandler
{
    ValueTask OnQueuedAsync(QueuedEvent queued) => default;

    ValueTask OnStartedAsync(StartedEvent started) => default;

    /// <param name="chunk">The audio, with its sequence number and the steps so far.</param>
    /// <param name="completesNext">The run's completion is already waiting behind this chunk: it is the last audio.</param>
    ValueTask OnAudioAsync(AudioChunkEvent chunk, bool completesNext);

    ValueTask OnCompletedAsync(CompletedEvent completed);

    ValueTask OnFailedAsync(FailedEvent failed);
}

/// <summary>The one switch over <see cref="SynthesisEvent"/>, and the one loop that reads a run to its end.</summary>
internal static class SynthesisEvents
{
    /// <summary>
    /// Dispatches every event of <paramref name="events"/> to <paramref name="handler"/> until the run completes or
    /// fails. Reads without a token: a cancelled run still ends with the scheduler's own <c>cancelled</c> failure, so
    /// the handler learns how it ended. A reader that ends without either is reported as an internal error.
    /// </summary>
    public static async Task DispatchAllAsync(ChannelReader<SynthesisEvent> events, ISynthesisEventHandler handler)
    {
        ArgumentNullException.ThrowIfNull(events);
        while (await events.WaitToReadAsync(CancellationToken.None))
        {
            while (events.TryRead(out var e))
            {
                if (await DispatchAsync(e, events, handler))
                {
                    return;
                }
            }
        }

        await handler.OnFailedAsync(new FailedEvent(ErrorCodes.InternalError, "the synthesis ended without a result"));
    }

    /// <summary>Calls the handler's method for <paramref name="e"/>; true when it ended the run.</summary>
    private static async ValueTask<bool> DispatchAsync(SynthesisEvent e, ChannelReader<SynthesisEvent> rest, ISynthesisEventHandler handler)
    {
        switch (e)
        {
            case QueuedEvent queued:
                await handler.OnQueuedAsync(queued);
                return false;
            case StartedEvent started:
                await handler.OnStartedAsync(started);
                return false;
            case AudioChunkEvent chunk:
                await handler.OnAudioAsync(chunk, rest.TryPeek(out var next) && next is CompletedEvent);
                return false;
            case CompletedEvent completed:
                await handler.OnCompletedAsync(completed);
                return true;
            case FailedEvent failed:
                await handler.OnFailedAsync(failed);
                return true;
            default:
                throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "a scheduler event this hub does not know");
        }
    }
}
