using MessagePack;

namespace VoxCpm.Hub.Contracts.Hub;

/// <summary>What the UI shows about the server.</summary>
[MessagePackObject]
public sealed record ServerStatus
{
    [Key("model")]
    public string Model { get; init; } = "";

    [Key("device")]
    public string Device { get; init; } = "";

    [Key("modelState")]
    public string ModelState { get; init; } = "";

    [Key("sampleRate")]
    public int SampleRate { get; init; }

    [Key("activeStreams")]
    public int ActiveStreams { get; init; }

    [Key("queueLength")]
    public int QueueLength { get; init; }

    [Key("maxConcurrent")]
    public int MaxConcurrent { get; init; }
}

/// <summary>A job's status change, sent to every connection watching it.</summary>
[MessagePackObject]
public sealed record JobUpdate
{
    [Key("jobId")]
    public string JobId { get; init; } = "";

    [Key("synthesisId")]
    public Guid? SynthesisId { get; init; }

    /// <summary>queued | running | completed | failed | cancelled.</summary>
    [Key("status")]
    public string Status { get; init; } = "";

    [Key("progress")]
    public double? Progress { get; init; }

    [Key("summary")]
    public SynthesisCompletion? Summary { get; init; }

    [Key("error")]
    public ErrorInfo? Error { get; init; }
}
