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
