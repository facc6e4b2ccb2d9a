using MessagePack;

namespace VoxCpm.Hub.Contracts.Hub;

/// <summary>A job's status change, sent to every connection watching it.</summary>
[MessagePackObject]
public sealed record JobUpdate
{
    [Key("jobId")]
    public string JobId { get; init; } = "";

    [Key("synthesisId")]
    public Guid? SynthesisId { get; init; }

    /// <summary>queued | running | completed | failed | cancelled: a <see cref="SynthesisStatus"/> as <see cref="EnumText"/> spells it.</summary>
    [Key("status")]
    public string Status { get; init; } = "";

    [Key("progress")]
    public double? Progress { get; init; }

    [Key("summary")]
    public SynthesisCompletion? Summary { get; init; }

    [Key("error")]
    public ErrorInfo? Error { get; init; }
}
