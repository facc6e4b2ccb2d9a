namespace VoxCpm.Engine.Scheduling;

/// <summary>Admission limits of the inference scheduler.</summary>
public sealed record SchedulerOptions
{
    /// <summary>Requests generating at once (TTS_MAX_CONCURRENT).</summary>
    public int MaxConcurrent { get; init; } = 10;

    /// <summary>Requests allowed to wait; one more is refused as busy at once (TTS_QUEUE_LIMIT).</summary>
    public int QueueLimit { get; init; } = 100;
}
