using System.Threading.Channels;
using Microsoft.Extensions.Options;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Audio;
using VoxCpm.Hub.Requests;

namespace VoxCpm.Hub.History;

/// <summary>
/// Turns each call into a <see cref="HistoryEvent"/> and queues it for <see cref="HistoryWriter"/> without waiting.
/// The queue is bounded (<see cref="HistoryOptions.QueueCapacity"/>); when it is full, or once the writer has
/// stopped, events spill to disk instead (logged), and keep doing so until the writer has replayed the spill, so
/// the order of events is kept. Nothing accepted is dropped unless the disk itself fails, which is logged as an error.
/// </summary>
internal sealed partial class SynthesisRecorder : ISynthesisRecorder
{
    private readonly Channel<HistoryEvent> _queue;
    private readonly HistorySpill _spill;
    private readonly ILogger<SynthesisRecorder> _logger;
    private readonly Lock _spillGate = new();
    private volatile bool _spilling;
    private volatile bool _stopped;

    public SynthesisRecorder(IOptions<HistoryOptions> options, HistorySpill spill, ILogger<SynthesisRecorder> logger)
    {
        _queue = Channel.CreateBounded<HistoryEvent>(new BoundedChannelOptions(options.Value.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then reports "full" instead of dropping anything
        });
        _spill = spill;
        _logger = logger;
        // Events left on disk by an earlier run go first: new events queue behind them.
        _spilling = spill.HasPending;
    }

    internal ChannelReader<HistoryEvent> Queue => _queue.Reader;

    internal HistorySpill Spill => _spill;

    internal bool IsSpilling => _spilling;

    public void Accepted(Guid synthesisId, SynthesisRequest request, SynthesisContext context, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        Enqueue(new HistoryEvent
        {
            Kind = HistoryEventKind.Accepted,
            SynthesisId = synthesisId,
            At = at,
            Request = request,
            Origin = context.Origin,
            RequestId = context.RequestId,
            Client = context.Client,
        });
    }

    public void TextStreamed(Guid synthesisId, string text, IReadOnlyList<string> pieces) =>
        Enqueue(new HistoryEvent
        {
            Kind = HistoryEventKind.TextStreamed,
            SynthesisId = synthesisId,
            At = DateTimeOffset.UtcNow,
            Text = text,
            TextPieces = pieces,
        });

    public void Started(Guid synthesisId, TimeSpan queueWait) =>
        Enqueue(new HistoryEvent
        {
            Kind = HistoryEventKind.Started,
            SynthesisId = synthesisId,
            At = DateTimeOffset.UtcNow,
            QueueWaitMs = queueWait.TotalMilliseconds,
        });

    public void Completed(Guid synthesisId, SynthesisSummary summary, ReadOnlyMemory<float> audio, int sampleRate, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(summary);
        // Converted now: the event no longer refers to the caller's buffer, and PCM16 is half the size of float.
        var wav = sampleRate > 0 ? WavWriter.ToWavBytes(audio.Span, sampleRate) : null;
        Enqueue(new HistoryEvent
        {
            Kind = HistoryEventKind.Completed,
            SynthesisId = synthesisId,
            At = at,
            QueueWaitMs = summary.QueueWait.TotalMilliseconds,
            TimeToFirstAudioMs = summary.TimeToFirstAudio?.TotalMilliseconds,
            TotalMs = summary.Total.TotalMilliseconds,
            AudioSeconds = sampleRate > 0 ? (double)audio.Length / sampleRate : summary.AudioSeconds,
            Rtf = summary.RealTimeFactor,
            SampleRate = sampleRate > 0 ? sampleRate : summary.SampleRate,
            Segments = summary.Segments,
            Attempts = summary.Attempts,
            Warnings = summary.Warnings ?? [],
            Wav = wav,
        });
    }

    public void Failed(Guid synthesisId, string code, string message, DateTimeOffset at) =>
        Enqueue(new HistoryEvent
        {
            Kind = HistoryEventKind.Failed,
            SynthesisId = synthesisId,
            At = at,
            ErrorCode = code,
            ErrorMessage = message,
        });

    /// <summary>Called by the writer when the spill is empty: new events may use the queue again.</summary>
    internal bool TryEndSpilling()
    {
        lock (_spillGate)
        {
            if (_stopped || _spill.HasPending)
            {
                return false;
            }

            _spilling = false;
            return true;
        }
    }

    /// <summary>The writer has stopped: from now on every event goes to disk, for the next start to write.</summary>
    internal void StopQueueing()
    {
        lock (_spillGate)
        {
            _stopped = true;
            _spilling = true;
        }
    }

    internal void SpillNow(HistoryEvent historyEvent)
    {
        lock (_spillGate)
        {
            SpillLocked(historyEvent);
        }
    }

    private void Enqueue(HistoryEvent historyEvent)
    {
        if (!_spilling && _queue.Writer.TryWrite(historyEvent))
        {
            return;
        }

        lock (_spillGate)
        {
            if (!_spilling)
            {
                _spilling = true;
                LogQueueFull(_logger, _queue.Reader.Count, _spill.Folder);
            }

            SpillLocked(historyEvent);
        }
    }

    private void SpillLocked(HistoryEvent historyEvent)
    {
        try
        {
            _spill.Append(historyEvent);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogSpillFailed(_logger, historyEvent.Kind, historyEvent.SynthesisId, _spill.Folder, ex);
        }
    }
}
