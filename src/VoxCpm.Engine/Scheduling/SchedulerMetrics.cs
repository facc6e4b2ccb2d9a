using System.Diagnostics.Metrics;

namespace VoxCpm.Engine.Scheduling;

/// <summary>
/// The scheduler's observability hooks as a <see cref="Meter"/> named <see cref="MeterName"/>; the host exports it
/// to Prometheus. Instruments: queue length and active batch size (gauges), step duration, its host time outside ONNX Runtime and batch size,
/// prefill duration and batch size, queue wait, time to first audio, real-time factor and audio ahead per stream (histograms), outcome, step,
/// underrun and guard-event counters.
/// </summary>
internal sealed class SchedulerMetrics : IDisposable
{
    public const string MeterName = EngineMeters.Scheduler;

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _stepSeconds;
    private readonly Histogram<double> _stepHostSeconds;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _queueWait;
    private readonly Histogram<double> _timeToFirstAudio;
    private readonly Histogram<double> _rtf;
    private readonly Counter<double> _audioSeconds;
    private readonly Counter<long> _outcomes;
    private readonly Counter<long> _steps;
    private readonly Counter<long> _guardEvents;
    private readonly Counter<long> _underruns;
    private readonly Histogram<double> _audioAhead;
    private readonly Histogram<int> _prefillBatchSize;
    private readonly Histogram<double> _prefillSeconds;

    public SchedulerMetrics(Func<int> queueLength, Func<int> activeCount)
    {
        _meter.CreateObservableGauge("voxcpm_scheduler_queue_length", queueLength, description: "Requests waiting for a generation slot");
        _meter.CreateObservableGauge("voxcpm_scheduler_active_requests", activeCount, description: "Requests generating now (batch size)");
        _stepSeconds = _meter.CreateHistogram<double>("voxcpm_scheduler_step_seconds", "s", "Wall time of one batched decode step");
        _stepHostSeconds = _meter.CreateHistogram<double>("voxcpm_scheduler_step_host_seconds", "s", "Host time of one step outside ONNX Runtime: picking its rows, the step's own bookkeeping and publishing its audio");
        _batchSize = _meter.CreateHistogram<int>("voxcpm_scheduler_batch_size", description: "Requests per decode step");
        _queueWait = _meter.CreateHistogram<double>("voxcpm_scheduler_queue_wait_seconds", "s", "Time from submission to start");
        _timeToFirstAudio = _meter.CreateHistogram<double>("voxcpm_time_to_first_audio_seconds", "s", "Time from submission to the first audio chunk");
        _rtf = _meter.CreateHistogram<double>("voxcpm_real_time_factor", description: "Generation time per second of audio");
        _audioSeconds = _meter.CreateCounter<double>("voxcpm_audio_seconds_total", "s", "Seconds of audio produced");
        _outcomes = _meter.CreateCounter<long>("voxcpm_scheduler_requests_total", description: "Finished requests by outcome");
        _steps = _meter.CreateCounter<long>("voxcpm_scheduler_steps_total", description: "Decode steps executed");
        _underruns = _meter.CreateCounter<long>("voxcpm_stream_underruns_total", description: "Audio chunks sent after the stream's previous audio would have finished playing");
        _audioAhead = _meter.CreateHistogram<double>("voxcpm_stream_audio_ahead_seconds", "s", "Audio a stream's listener had left to play when its next chunk was sent");
        _prefillBatchSize = _meter.CreateHistogram<int>("voxcpm_scheduler_prefill_batch_size", description: "Requests prefilled together (one model call)");
        _prefillSeconds = _meter.CreateHistogram<double>("voxcpm_scheduler_prefill_seconds", "s", "Wall time of one batched prefill");
        _guardEvents = _meter.CreateCounter<long>("voxcpm_guard_events_total", description: "Runaway guard interventions by what it noticed (kind) and what it did (action)");
    }

    public void StepCompleted(int batchSize, TimeSpan elapsed, TimeSpan host)
    {
        _stepSeconds.Record(elapsed.TotalSeconds);
        _stepHostSeconds.Record(host.TotalSeconds);
        _batchSize.Record(batchSize);
        _steps.Add(1);
    }

    public void Prefilled(int requests, TimeSpan elapsed)
    {
        _prefillBatchSize.Record(requests);
        _prefillSeconds.Record(elapsed.TotalSeconds);
    }

    public void Started(TimeSpan queueWait) => _queueWait.Record(queueWait.TotalSeconds);

    public void FirstAudio(TimeSpan sinceSubmit) => _timeToFirstAudio.Record(sinceSubmit.TotalSeconds);

    public void Completed(SynthesisSummary summary)
    {
        _rtf.Record(summary.RealTimeFactor);
        _audioSeconds.Add(summary.AudioSeconds);
        _outcomes.Add(1, new KeyValuePair<string, object?>("outcome", "completed"));
    }

    public void GuardEvent(GuardEvent e) => _guardEvents.Add(1, new KeyValuePair<string, object?>("kind", e.Kind), new KeyValuePair<string, object?>("action", e.Action));

    /// <summary>A chunk sent with <paramref name="aheadSeconds"/> of the stream's earlier audio still to play (negative: it ran dry).</summary>
    public void ChunkSent(double aheadSeconds)
    {
        _audioAhead.Record(Math.Max(0, aheadSeconds));

        // Zero is added too, so the series exists (at 0) from the first streamed chunk on and a dashboard's rate works.
        _underruns.Add(aheadSeconds < 0 ? 1 : 0);
    }

    public void Failed() => _outcomes.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));

    public void Cancelled() => _outcomes.Add(1, new KeyValuePair<string, object?>("outcome", "cancelled"));

    public void Rejected() => _outcomes.Add(1, new KeyValuePair<string, object?>("outcome", "busy"));

    public void Dispose() => _meter.Dispose();
}
