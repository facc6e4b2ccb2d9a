using Microsoft.Extensions.Logging;

namespace VoxCpm.Engine.Scheduling;

/// <summary>
/// Admission: requests leave the queue in order while there is capacity, are prepared one by one (a bad request fails
/// alone) and prefilled together as one batch, so a burst of arrivals costs one model call rather than one each. A
/// burst is bounded by what playing listeners can wait for (<see cref="AnotherPrefillFits"/>); the rest join after the
/// next step.
/// </summary>
public sealed partial class InferenceScheduler<TRequest>
{
    private readonly List<SynthesisTicket> _starting = [];
    private readonly List<IGenerationState> _startingStates = [];

    private void AdmitWaiting(CancellationToken token)
    {
        while (_active.Count + _starting.Count < Capacity && _starting.Count < _options.StepRows && !token.IsCancellationRequested)
        {
            // One request always starts, so a queue keeps moving; more only while no playing stream would run dry.
            if (_starting.Count > 0 && !AnotherPrefillFits(_starting.Count + 1))
            {
                break;
            }

            SynthesisTicket? next;
            lock (_waiting)
            {
                next = _waiting.First?.Value;
                if (next is null)
                {
                    break;
                }

                _waiting.RemoveFirst();
                PublishPositionsLocked();
            }

            if (next.CancellationToken.IsCancellationRequested)
            {
                next.Finish(new FailedEvent("cancelled", "The request was cancelled while waiting."));
                continue;
            }

            next.StartedAt = _time.GetTimestamp();
            var wait = _time.GetElapsedTime(next.EnqueuedAt, next.StartedAt);
            next.Publish(new StartedEvent(wait));
            _metrics.Started(wait);

            // Counted as active from here, so admission never sees a free slot that is being taken.
            Volatile.Write(ref _activeCount, _active.Count + _starting.Count + 1);
            try
            {
                next.State = _generator.Prepare((TRequest)next.Request, next.CancellationToken);
                _starting.Add(next);
            }
            catch (OperationCanceledException) when (next.CancellationToken.IsCancellationRequested)
            {
                next.Finish(new FailedEvent("cancelled", "The request was cancelled."));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                FailStarting(next, e);
            }
            finally
            {
                Volatile.Write(ref _activeCount, _active.Count + _starting.Count);
            }
        }

        if (_starting.Count > 0)
        {
            PrefillStarting(token);
        }
    }

    /// <summary>Prefills the requests admitted together; if the batch throws, prefills each alone so only the faulty one fails.</summary>
    private void PrefillStarting(CancellationToken token)
    {
        try
        {
            var fault = Prefill(_starting, token);
            if (fault is null)
            {
                return;
            }

            if (_starting.Count == 1)
            {
                FailStarting(_starting[0], fault);
                return;
            }

            LogPrefillBatchFailed(_logger, _starting.Count, fault);
            foreach (var t in _starting)
            {
                if (Prefill([t], token) is { } alone)
                {
                    FailStarting(t, alone);
                }
            }
        }
        finally
        {
            _starting.Clear();
            Volatile.Write(ref _activeCount, _active.Count);
        }
    }

    /// <summary>Prefills <paramref name="tickets"/> as one batch, after which they are active; or returns why it could not (they stay as prepared).</summary>
    private Exception? Prefill(List<SynthesisTicket> tickets, CancellationToken token)
    {
        _startingStates.Clear();
        foreach (var t in tickets)
        {
            _startingStates.Add(t.State!);
        }

        long started = _time.GetTimestamp();
        try
        {
            _generator.Prefill(_startingStates, token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return e;
        }
        finally
        {
            _startingStates.Clear();
        }

        var elapsed = _time.GetElapsedTime(started);
        PrefillMeasured(elapsed, tickets.Count);
        _metrics.Prefilled(tickets.Count, elapsed);
        _active.AddRange(tickets);
        return null;
    }

    private void FailStarting(SynthesisTicket t, Exception e)
    {
        LogRequestFailed(_logger, e);
        ReleaseState(t);
        t.Finish(ToFailure(e));
        _metrics.Failed();
    }

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "A batched prefill of {BatchSize} requests failed; prefilling them one by one to isolate the fault")]
    private static partial void LogPrefillBatchFailed(ILogger logger, int batchSize, Exception exception);
}
