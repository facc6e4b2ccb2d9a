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
internal sealed class RunTap : ISynthesisEventHandler
{
    private readonly ChannelWriter<SynthesisEvent> _output;
    private readonly ISynthesisRecorder? _recorder;
    private readonly RequestScope? _scope;
    private readonly Guid _synthesisId;
    private readonly int _sampleRate;
    private readonly AudioAccumulator? _audio;

    private RunTap(ChannelWriter<SynthesisEvent> output, ISynthesisRecorder? recorder, RequestScope? scope, Guid synthesisId, int sampleRate)
    {
        _output = output;
        _recorder = recorder;
        _scope = scope;
        _synthesisId = synthesisId;
        _sampleRate = sampleRate;
        _audio = recorder is null ? null : new AudioAccumulator();
    }

    public static ChannelReader<SynthesisEvent> Start(ChannelReader<SynthesisEvent> source, ISynthesisRecorder? recorder, RequestScope? scope, Guid synthesisId, int sampleRate)
    {
        var output = Channel.CreateUnbounded<SynthesisEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _ = new RunTap(output.Writer, recorder, scope, synthesisId, sampleRate).PumpAsync(source);
        return output.Reader;
    }

    public ValueTask OnQueuedAsync(QueuedEvent queued) => ForwardAsync(queued);

    public ValueTask OnStartedAsync(StartedEvent started)
    {
        _recorder?.Started(_synthesisId, started.QueueWait);
        return ForwardAsync(started);
    }

    public ValueTask OnAudioAsync(AudioChunkEvent chunk, bool completesNext)
    {
        _audio?.Append(chunk.Samples.Span);
        return ForwardAsync(chunk);
    }

    public ValueTask OnCompletedAsync(CompletedEvent completed)
    {
        // The buffer is handed over: the recorder may keep it until its background writer is done.
        _recorder?.Completed(_synthesisId, completed.Summary, _audio!.Detach(), _sampleRate, DateTimeOffset.UtcNow);
        _scope?.Completed();
        return ForwardAsync(completed);
    }

    public ValueTask OnFailedAsync(FailedEvent failed)
    {
        _recorder?.Failed(_synthesisId, failed.Code, failed.Message, DateTimeOffset.UtcNow);
        _scope?.Ended(failed.Code);
        return ForwardAsync(failed);
    }

    private async Task PumpAsync(ChannelReader<SynthesisEvent> source)
    {
        try
        {
            await SynthesisEvents.DispatchAllAsync(source, this);
        }
        finally
        {
            _output.TryComplete();
        }
    }

    private ValueTask ForwardAsync(SynthesisEvent e)
    {
        _output.TryWrite(e);
        return default;
    }
}
