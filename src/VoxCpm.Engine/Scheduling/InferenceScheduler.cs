using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Scheduling;

/// <summary>
/// The one scheduler per process that owns the model: admits at most <see cref="SchedulerOptions.MaxConcurrent"/>
/// requests (fewer under <see cref="SchedulerOptions.RealTimeAdmission"/>), queues the rest in FIFO order up to
/// <see cref="SchedulerOptions.QueueLimit"/>, and advances active requests by one decode step per iteration as one
/// batch: all of them, or the ones closest to running dry (InferenceScheduler.Deadlines.cs). See Scheduling/README.md.
/// </summary>
public sealed partial class InferenceScheduler<TRequest> : IAsyncDisposable
    where TRequest : notnull
{
    private readonly IBatchGenerator<TRequest> _generator;
    private readonly SchedulerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly SchedulerMetrics _metrics;
    private readonly LinkedList<SynthesisTicket> _waiting = new();
    private readonly List<SynthesisTicket> _active = [];
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public InferenceScheduler(IBatchGenerator<TRequest> generator, SchedulerOptions options, ILogger? logger = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrent, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.QueueLimit);
        _generator = generator;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        _metrics = new SchedulerMetrics(() => QueueLength, () => ActiveCount);
        _stepTimes = new StepTimeModel(options.MaxConcurrent);
        _audioSecondsPerStep = generator.SampleRate > 0 ? (double)generator.SamplesPerStep / generator.SampleRate : 0;
        _realTimeCapacity = options.MaxConcurrent;
        _loop = Task.Factory.StartNew(RunLoopAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Requests waiting for a slot.</summary>
    public int QueueLength
    {
        get
        {
            lock (_waiting)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>Requests generating now (the current batch size).</summary>
    public int ActiveCount => Volatile.Read(ref _activeCount);

    public SchedulerOptions Options => _options;

    /// <summary>Wall time of every step so far and how much of it was outside ONNX Runtime (tools).</summary>
    internal StepTimeTotals StepTotals { get; } = new();

    private int _activeCount;

    /// <summary>
    /// Queues a request. Throws <see cref="SchedulerBusyException"/> at once when the queue is full. The ticket's
    /// first event is its <see cref="QueuedEvent"/> position (or <see cref="StartedEvent"/>).
    /// </summary>
    public SynthesisTicket Submit(TRequest request, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
        var ticket = new SynthesisTicket(request, _time.GetTimestamp(), cancellationToken);
        lock (_waiting)
        {
            if (_waiting.Count >= _options.QueueLimit && Volatile.Read(ref _activeCount) + _waiting.Count >= Capacity)
            {
                _metrics.Rejected();
                throw new SchedulerBusyException(Capacity < _options.MaxConcurrent
                    ? $"The server is busy: {Volatile.Read(ref _activeCount)} streams are running, as many as can stay ahead of real time, and {_waiting.Count} requests are already waiting (queue limit {_options.QueueLimit}, {SchedulerOptions.QueueLimitName}). Retry later."
                    : $"The server is busy: {_waiting.Count} requests are already waiting (queue limit {_options.QueueLimit}, {SchedulerOptions.QueueLimitName}). Retry later.");
            }

            _waiting.AddLast(ticket);
            ticket.LastPosition = _waiting.Count;
            ticket.Publish(new QueuedEvent(_waiting.Count, EstimateWait(_waiting.Count)));
        }

        if (cancellationToken.CanBeCanceled)
        {
            cancellationToken.Register(static state => ((InferenceScheduler<TRequest>)((object[])state!)[0]).CancelWaiting((SynthesisTicket)((object[])state)[1]), new object[] { this, ticket });
        }

        _wake.Release();
        return ticket;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _wake.Release();
        try
        {
#pragma warning disable VSTHRD003 // the loop task was started by this instance, not captured from another context
            await _loop;
#pragma warning restore VSTHRD003
        }
        catch (OperationCanceledException)
        {
        }

        lock (_waiting)
        {
            foreach (var t in _waiting)
            {
                t.Finish(new FailedEvent("shutting_down", "The server is shutting down."));
            }

            _waiting.Clear();
        }

        _stopping.Dispose();
        _wake.Dispose();
        _metrics.Dispose();
    }

    private void CancelWaiting(SynthesisTicket ticket)
    {
        bool removed;
        lock (_waiting)
        {
            removed = _waiting.Remove(ticket);
            if (removed)
            {
                PublishPositionsLocked();
            }
        }

        if (removed)
        {
            ticket.Finish(new FailedEvent("cancelled", "The request was cancelled while waiting."));
        }
        else
        {
            _wake.Release(); // an active request: the loop drops it before its next step
        }
    }

    private async Task RunLoopAsync()
    {
        var token = _stopping.Token;
        var batch = new List<IGenerationState>();
        while (!token.IsCancellationRequested)
        {
            AdmitWaiting(token);
            DropCancelled();
            if (_active.Count == 0)
            {
                try
                {
                    await _wake.WaitAsync(token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }

            // Host time of the step: picking its rows, the decode step and publishing its audio, less the time in ORT.
            long iterationStart = Stopwatch.GetTimestamp();
            var ortBefore = OrtTime.Total;
            PickBatch(batch);
            long stepStart = _time.GetTimestamp();
            StepIsolated(batch, token);
            var stepTime = _time.GetElapsedTime(stepStart);
            StepMeasured(batch.Count, stepTime);
            PublishResults();
            var iteration = Stopwatch.GetElapsedTime(iterationStart);
            var host = iteration - (OrtTime.Total - ortBefore);
            _metrics.StepCompleted(batch.Count, stepTime, host);
            StepTotals.Add(iteration, host);
        }

        foreach (var t in _active)
        {
            t.Finish(new FailedEvent("shutting_down", "The server is shutting down."));
            ReleaseState(t);
        }

        _active.Clear();
        Volatile.Write(ref _activeCount, 0);
    }

    private void DropCancelled()
    {
        for (int i = _active.Count - 1; i >= 0; i--)
        {
            var t = _active[i];
            if (t.CancellationToken.IsCancellationRequested)
            {
                ReleaseState(t);
                _active.RemoveAt(i);
                Volatile.Write(ref _activeCount, _active.Count);
                t.Finish(new FailedEvent("cancelled", "The request was cancelled."));
                _metrics.Cancelled();
            }
        }
    }

    /// <summary>Steps the batch; if the batch throws, steps each request alone so only the faulty one fails.</summary>
    private void StepIsolated(List<IGenerationState> batch, CancellationToken token)
    {
        try
        {
            _generator.Advance(batch, token);
            return;
        }
        catch (Exception e) when (e is not OutOfMemoryException && batch.Count > 1 && !token.IsCancellationRequested)
        {
            LogBatchFailed(_logger, batch.Count, e);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !token.IsCancellationRequested)
        {
            FailActive(_active.Find(t => t.SteppedLast)!, e);
            return;
        }

        for (int i = _active.Count - 1; i >= 0; i--)
        {
            var t = _active[i];
            if (!t.SteppedLast)
            {
                continue;
            }

            try
            {
                _generator.Advance([t.State!], token);
            }
            catch (Exception e) when (e is not OutOfMemoryException && !token.IsCancellationRequested)
            {
                FailActive(t, e);
            }
        }
    }

    private void FailActive(SynthesisTicket t, Exception e)
    {
        LogRequestFailed(_logger, e);
        ReleaseState(t);
        _active.Remove(t);
        Volatile.Write(ref _activeCount, _active.Count);
        t.Finish(ToFailure(e));
        _metrics.Failed();
    }

    private void PublishResults()
    {
        for (int i = _active.Count - 1; i >= 0; i--)
        {
            var t = _active[i];
            if (!t.SteppedLast)
            {
                continue; // not in this step: its pending audio was sent after an earlier one
            }

            var state = t.State!;
            var guardEvents = state.GuardEvents;
            for (int g = t.GuardEventsCounted; g < guardEvents.Count; g++)
            {
                _metrics.GuardEvent(guardEvents[g]);
            }

            t.GuardEventsCounted = guardEvents.Count;
            var audio = state.PendingAudio;
            if (!audio.IsEmpty)
            {
                ChunkSending(t, _time.GetTimestamp());
                if (t.FirstAudioAt == 0)
                {
                    t.FirstAudioAt = _time.GetTimestamp();
                    _metrics.FirstAudio(_time.GetElapsedTime(t.EnqueuedAt, t.FirstAudioAt));
                }

                t.Publish(new AudioChunkEvent(t.NextSequence++, audio.ToArray(), _generator.SampleRate, state.Steps));
                t.SamplesSent += audio.Length;
            }

            if (state.IsFinished)
            {
                // The slot is free before the caller hears of it, so a follow-up request is never refused as busy.
                var summary = Summarize(t, state);
                ReleaseState(t);
                _active.RemoveAt(i);
                Volatile.Write(ref _activeCount, _active.Count);
                t.Finish(new CompletedEvent(summary));
                _metrics.Completed(summary);
                ServiceMeasured(summary);
            }
        }
    }

    private SynthesisSummary Summarize(SynthesisTicket t, IGenerationState state)
    {
        long now = _time.GetTimestamp();
        return new SynthesisSummary(
            _generator.SampleRate,
            t.SamplesSent,
            state.Steps,
            state.Attempts,
            state.StopReason,
            _time.GetElapsedTime(t.EnqueuedAt, t.StartedAt),
            t.FirstAudioAt == 0 ? null : _time.GetElapsedTime(t.EnqueuedAt, t.FirstAudioAt),
            _time.GetElapsedTime(t.EnqueuedAt, now),
            t.PeakBatchSize,
            state.Segments,
            state.Warnings.Count == 0 ? [] : [.. state.Warnings],
            t.Underruns);
    }

    private void ReleaseState(SynthesisTicket t)
    {
        if (t.State is { } state)
        {
            t.State = null;
            try
            {
                _generator.Release(state);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                LogReleaseFailed(_logger, e);
            }
        }
    }

    private void PublishPositionsLocked()
    {
        int position = 1;
        foreach (var t in _waiting)
        {
            if (t.LastPosition != position)
            {
                t.LastPosition = position;
                t.Publish(new QueuedEvent(position, EstimateWait(position)));
            }

            position++;
        }
    }

    private static FailedEvent ToFailure(Exception e) => e switch
    {
        SynthesisException s => new FailedEvent(s.Code, s.Message),
        _ => new FailedEvent("synthesis_failed", "Synthesis failed: " + e.Message),
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "A synthesis request failed")]
    private static partial void LogRequestFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "A batched step of {BatchSize} requests failed; stepping them one by one to isolate the fault")]
    private static partial void LogBatchFailed(ILogger logger, int batchSize, Exception exception);

    [LoggerMessage(EventId = 3, Level = LogLevel.Error, Message = "Releasing a generation state failed")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);
}
