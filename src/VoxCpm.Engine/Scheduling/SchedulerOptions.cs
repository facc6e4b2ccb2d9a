namespace VoxCpm.Engine.Scheduling;

/// <summary>
/// Admission limits of the inference scheduler. Messages name these options as <c>SchedulerOptions.X</c>; a host that
/// reads them from its own settings maps those names to its setting names where it reports the messages.
/// </summary>
public sealed record SchedulerOptions
{
    /// <summary>How messages name <see cref="QueueLimit"/>.</summary>
    public const string QueueLimitName = nameof(SchedulerOptions) + "." + nameof(QueueLimit);

    /// <summary>The default share of real time a step may take when <see cref="RealTimeAdmission"/> decides.</summary>
    public const double DefaultRealTimeHeadroom = 0.9;

    /// <summary>Requests generating at once.</summary>
    public int MaxConcurrent { get; init; } = 10;

    /// <summary>Requests allowed to wait; one more is refused as busy at once.</summary>
    public int QueueLimit { get; init; } = 100;

    /// <summary>
    /// Rows one decode step runs; 0 means all active requests. When more requests are active, each step serves those
    /// whose listeners have the least audio left ahead of real time (see Scheduling/README.md).
    /// </summary>
    public int MaxBatchSize { get; init; }

    /// <summary>
    /// Admit a new request only while the measured step time says every running stream, and the new one, still get
    /// audio faster than real time; otherwise it waits in the queue (or is refused as busy when the queue is full).
    /// </summary>
    public bool RealTimeAdmission { get; init; }

    /// <summary>
    /// With <see cref="RealTimeAdmission"/>: the largest share of a stream's audio duration its step may take
    /// (0.9: a step producing 80 ms of audio may take up to 72 ms), leaving room for prefill and jitter.
    /// </summary>
    public double RealTimeHeadroom { get; init; } = DefaultRealTimeHeadroom;

    /// <summary><see cref="MaxBatchSize"/> resolved against <see cref="MaxConcurrent"/>.</summary>
    internal int StepRows => MaxBatchSize > 0 ? Math.Min(MaxBatchSize, MaxConcurrent) : MaxConcurrent;
}
