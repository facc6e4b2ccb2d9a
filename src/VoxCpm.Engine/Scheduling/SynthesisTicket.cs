using System.Threading.Channels;

namespace VoxCpm.Engine.Scheduling;

/// <summary>A submitted request: read its events until a <see cref="CompletedEvent"/> or <see cref="FailedEvent"/>.</summary>
public sealed class SynthesisTicket
{
    private readonly Channel<SynthesisEvent> _events = Channel.CreateUnbounded<SynthesisEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private int _done;

    internal SynthesisTicket(object request, long enqueuedAt, CancellationToken cancellationToken)
    {
        Request = request;
        EnqueuedAt = enqueuedAt;
        CancellationToken = cancellationToken;
    }

    public ChannelReader<SynthesisEvent> Events => _events.Reader;

    public CancellationToken CancellationToken { get; }

    internal object Request { get; }

    internal long EnqueuedAt { get; }

    internal long StartedAt { get; set; }

    internal long FirstAudioAt { get; set; }

    internal int NextSequence { get; set; }

    internal long SamplesSent { get; set; }

    internal int LastPosition { get; set; }

    internal int PeakBatchSize { get; set; }

    /// <summary>Chunks that reached the listener after the audio before them had finished playing.</summary>
    internal int Underruns { get; set; }

    /// <summary>Whether the step that just ran advanced this request (its pending audio is new).</summary>
    internal bool SteppedLast { get; set; }

    internal IGenerationState? State { get; set; }

    /// <summary>Guard events of <see cref="State"/> already counted in the metrics.</summary>
    internal int GuardEventsCounted { get; set; }

    internal bool IsDone => Volatile.Read(ref _done) != 0;

    internal void Publish(SynthesisEvent e)
    {
        if (!IsDone)
        {
            _events.Writer.TryWrite(e);
        }
    }

    /// <summary>Sends the final event once; later calls are ignored.</summary>
    internal bool Finish(SynthesisEvent final)
    {
        if (Interlocked.Exchange(ref _done, 1) != 0)
        {
            return false;
        }

        _events.Writer.TryWrite(final);
        _events.Writer.TryComplete();
        return true;
    }
}
