namespace VoxCpm.Engine.Scheduling;

/// <summary>What a request learns while it waits, runs and finishes, in order.</summary>
public abstract record SynthesisEvent;

/// <summary>
/// The request waits; <paramref name="Position"/> is 1 for the next to start. Re-sent when it moves up.
/// <paramref name="EstimatedWait"/> is the scheduler's guess from the requests it has finished (null before the first).
/// </summary>
public sealed record QueuedEvent(int Position, TimeSpan? EstimatedWait = null) : SynthesisEvent;

/// <summary>The request left the queue and is generating.</summary>
public sealed record StartedEvent(TimeSpan QueueWait) : SynthesisEvent;

/// <summary>A chunk of mono float audio in (−1, 1). Sequence numbers start at 0 and have no gaps.</summary>
public sealed record AudioChunkEvent(int Sequence, ReadOnlyMemory<float> Samples, int SampleRate, int StepsSoFar) : SynthesisEvent;

/// <summary>The request finished; the summary holds its timings.</summary>
public sealed record CompletedEvent(SynthesisSummary Summary) : SynthesisEvent;

/// <summary>The request failed or was cancelled; no further events follow.</summary>
public sealed record FailedEvent(string Code, string Message) : SynthesisEvent;

/// <summary>
/// Timings and sizes of a finished synthesis; <c>PeakBatchSize</c> is the largest batch it shared a step with;
/// <c>Underruns</c> counts chunks sent after the audio before them would have finished playing (from the first chunk on).
/// </summary>
public sealed record SynthesisSummary(
    int SampleRate,
    long Samples,
    int Steps,
    int Attempts,
    string StopReason,
    TimeSpan QueueWait,
    TimeSpan? TimeToFirstAudio,
    TimeSpan Total,
    int PeakBatchSize,
    int Segments = 1,
    IReadOnlyList<string>? Warnings = null,
    int Underruns = 0)
{
    public double AudioSeconds => (double)Samples / SampleRate;

    /// <summary>Real-time factor: generation time (excluding queue wait) per second of audio.</summary>
    public double RealTimeFactor => AudioSeconds > 0 ? (Total - QueueWait).TotalSeconds / AudioSeconds : 0;
}
