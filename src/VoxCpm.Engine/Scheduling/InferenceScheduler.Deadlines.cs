namespace VoxCpm.Engine.Scheduling;

/// <summary>
/// Playback deadlines: a stream's listener plays audio in real time from its first chunk, so at any moment it has
/// <c>audio sent − time since the first chunk</c> seconds left (before its first chunk the stream is as far behind as
/// it has waited). Steps serve the streams with the least left first when they cannot serve all, admission keeps the
/// running streams ahead of real time, and every chunk sent records how much its listener had left.
/// </summary>
public sealed partial class InferenceScheduler<TRequest>
{
    private readonly StepTimeModel _stepTimes;
    private readonly double _audioSecondsPerStep;
    private double[] _urgency = [];
    private SynthesisTicket[] _byUrgency = [];
    private int _realTimeCapacity;
    private double _serviceSeconds;
    private double _prefillSeconds;

    /// <summary>How many requests may be active now: <see cref="SchedulerOptions.MaxConcurrent"/>, or fewer when real-time admission says so.</summary>
    private int Capacity => _options.RealTimeAdmission ? Math.Max(1, Volatile.Read(ref _realTimeCapacity)) : _options.MaxConcurrent;

    /// <summary>Seconds of audio the ticket's listener has left to play (negative: it ran dry, or waits for its first chunk).</summary>
    private double AudioAhead(SynthesisTicket t, long now) => t.FirstAudioAt == 0
        ? -_time.GetElapsedTime(t.StartedAt, now).TotalSeconds
        : ((double)t.SamplesSent / _generator.SampleRate) - _time.GetElapsedTime(t.FirstAudioAt, now).TotalSeconds;

    /// <summary>Fills <paramref name="batch"/> with the states to step now: all active ones, or the most urgent <see cref="SchedulerOptions.StepRows"/>.</summary>
    private void PickBatch(List<IGenerationState> batch)
    {
        batch.Clear();
        int rows = _options.StepRows;
        if (_active.Count <= rows)
        {
            foreach (var t in _active)
            {
                Step(t);
            }

            return;
        }

        long now = _time.GetTimestamp();
        int count = _active.Count;
        if (_urgency.Length < count)
        {
            _urgency = new double[_options.MaxConcurrent];
            _byUrgency = new SynthesisTicket[_options.MaxConcurrent];
        }

        for (int i = 0; i < count; i++)
        {
            _active[i].SteppedLast = false;
            _urgency[i] = AudioAhead(_active[i], now);
            _byUrgency[i] = _active[i];
        }

        Array.Sort(_urgency, _byUrgency, 0, count);
        for (int i = 0; i < rows; i++)
        {
            Step(_byUrgency[i]);
        }

        Array.Clear(_byUrgency, 0, count);

        void Step(SynthesisTicket t)
        {
            t.SteppedLast = true;
            t.PeakBatchSize = Math.Max(t.PeakBatchSize, Math.Min(_active.Count, rows));
            batch.Add(t.State!);
        }
    }

    /// <summary>After a step: learns its cost and how many streams can stay ahead of real time.</summary>
    private void StepMeasured(int batchSize, TimeSpan elapsed)
    {
        _stepTimes.Record(batchSize, elapsed);
        if (_options.RealTimeAdmission)
        {
            Volatile.Write(ref _realTimeCapacity, _stepTimes.RealTimeCapacity(_options.MaxConcurrent, _options.StepRows, _audioSecondsPerStep, _options.RealTimeHeadroom));
        }
    }

    /// <summary>Counts an underrun when the listener had run dry before this chunk, and records what it had left.</summary>
    private void ChunkSending(SynthesisTicket t, long now)
    {
        if (t.FirstAudioAt == 0)
        {
            return; // the first chunk starts playback: nothing played before it could run dry
        }

        double ahead = AudioAhead(t, now);
        if (ahead < 0)
        {
            t.Underruns++;
        }

        _metrics.ChunkSent(ahead);
    }

    /// <summary>Learns what a request's prefill costs (an exponential moving average per request of a batch), for <see cref="AnotherPrefillFits"/>.</summary>
    private void PrefillMeasured(TimeSpan elapsed, int requests)
    {
        double seconds = elapsed.TotalSeconds / requests;
        _prefillSeconds = _prefillSeconds == 0 ? seconds : _prefillSeconds + (0.2 * (seconds - _prefillSeconds));
    }

    /// <summary>
    /// Whether <paramref name="requests"/> can be prefilled before the next step without a playing listener running dry:
    /// a burst of arrivals is spread over the following steps instead of pausing everyone's audio while all of them
    /// prefill. Every listener that has audio must keep enough for those prefills and the next step, which then has
    /// that many more rows.
    /// </summary>
    private bool AnotherPrefillFits(int requests)
    {
        long now = _time.GetTimestamp();
        double least = double.PositiveInfinity;
        foreach (var t in _active)
        {
            if (t.FirstAudioAt != 0)
            {
                least = Math.Min(least, AudioAhead(t, now));
            }
        }

        if (double.IsPositiveInfinity(least))
        {
            return true; // nobody is listening yet: prefilling everyone first is the fastest way to everyone's first audio
        }

        int rows = Math.Min(_active.Count + requests, _options.StepRows);
        return least > (requests * _prefillSeconds) + _stepTimes.PredictSeconds(rows);
    }

    /// <summary>Learns how long a request holds its slot once started, for the wait estimates of queued ones.</summary>
    private void ServiceMeasured(SynthesisSummary summary)
    {
        double seconds = (summary.Total - summary.QueueWait).TotalSeconds;
        double previous = Volatile.Read(ref _serviceSeconds);
        Volatile.Write(ref _serviceSeconds, previous == 0 ? seconds : previous + (0.2 * (seconds - previous)));
    }

    /// <summary>
    /// A queued request's expected wait: requests start in waves as large as the current capacity, and each wave takes
    /// as long as a request has taken on average. Null until a request has finished.
    /// </summary>
    private TimeSpan? EstimateWait(int position)
    {
        double service = Volatile.Read(ref _serviceSeconds);
        if (service == 0)
        {
            return null;
        }

        int capacity = Capacity;
        int waves = (position + capacity - 1) / capacity;
        return TimeSpan.FromSeconds(waves * service);
    }
}
