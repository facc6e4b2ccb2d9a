using MessagePack;

namespace VoxCpm.Hub.Contracts.Hub;

/// <summary>
/// One item of the SignalR synthesis stream (<see cref="TtsHubMethods.Synthesize"/>). <see cref="Kind"/> says which
/// fields are set; every stream ends with exactly one <c>complete</c> or <c>error</c> item.
/// </summary>
[MessagePackObject]
public sealed record SynthesisStreamItem
{
    [Key("kind")]
    public string Kind { get; init; } = "";

    [Key("requestId")]
    public string RequestId { get; init; } = "";

    /// <summary>queued: 1 = next to start.</summary>
    [Key("position")]
    public int? Position { get; init; }

    /// <summary>started: time spent waiting.</summary>
    [Key("queueWaitMs")]
    public double? QueueWaitMs { get; init; }

    /// <summary>audio: 0, 1, 2, … without gaps.</summary>
    [Key("sequence")]
    public int? Sequence { get; init; }

    [Key("sampleRate")]
    public int? SampleRate { get; init; }

    /// <summary>audio: mono PCM, signed 16-bit little-endian; with <see cref="Format"/> "opus", Opus packets end to end.</summary>
    [Key("audio")]
    public byte[]? Audio { get; init; }

    /// <summary>audio: "opus" when the request asked for <c>audioFormat</c> "opus"; absent for PCM16.</summary>
    [Key("format")]
    public string? Format { get; init; }

    /// <summary>audio (opus): the byte length of each packet in <see cref="Audio"/>, in order.</summary>
    [Key("packets")]
    public int[]? Packets { get; init; }

    /// <summary>audio (opus): decoded samples to drop at the start of the stream (the encoder's look-ahead).</summary>
    [Key("preSkip")]
    public int? PreSkip { get; init; }

    /// <summary>audio (opus): samples at <see cref="SampleRate"/> these packets complete; their sum is the audio's length.</summary>
    [Key("samples")]
    public int? Samples { get; init; }

    /// <summary>audio / progress: decoding steps so far.</summary>
    [Key("step")]
    public int? Step { get; init; }

    /// <summary>progress: 0..1, estimated from the text-length step cap.</summary>
    [Key("progress")]
    public double? Progress { get; init; }

    [Key("audioSeconds")]
    public double? AudioSeconds { get; init; }

    [Key("elapsedMs")]
    public double? ElapsedMs { get; init; }

    /// <summary>job_accepted: the durable job running a non-streaming request.</summary>
    [Key("jobId")]
    public string? JobId { get; init; }

    [Key("summary")]
    public SynthesisCompletion? Summary { get; init; }

    [Key("error")]
    public ErrorInfo? Error { get; init; }
}

/// <summary>The final figures of a synthesis (the raw protocol's <c>complete</c> message).</summary>
[MessagePackObject]
public sealed record SynthesisCompletion
{
    [Key("synthesisId")]
    public Guid? SynthesisId { get; init; }

    [Key("duration")]
    public double Duration { get; init; }

    [Key("sampleRate")]
    public int SampleRate { get; init; }

    [Key("samples")]
    public long Samples { get; init; }

    [Key("chunks")]
    public int Chunks { get; init; }

    [Key("stopReason")]
    public string StopReason { get; init; } = "";

    [Key("attempts")]
    public int Attempts { get; init; }

    [Key("queueWaitMs")]
    public double QueueWaitMs { get; init; }

    [Key("timeToFirstAudioMs")]
    public double? TimeToFirstAudioMs { get; init; }

    [Key("totalMs")]
    public double TotalMs { get; init; }

    [Key("rtf")]
    public double Rtf { get; init; }

    /// <summary>Text segments spoken one after another (long text is split at sentence and clause boundaries).</summary>
    [Key("segments")]
    public int Segments { get; init; } = 1;

    /// <summary>What the runaway guard noticed (a segment ended on silence or at its step cap, bad-case retries).</summary>
    [Key("warnings")]
    public IReadOnlyList<string>? Warnings { get; init; }
}

/// <summary>A failure: a stable code (see <see cref="ErrorCodes"/>), a message and the field at fault.</summary>
[MessagePackObject]
public sealed record ErrorInfo
{
    [Key("code")]
    public string Code { get; init; } = ErrorCodes.InternalError;

    [Key("message")]
    public string Message { get; init; } = "";

    [Key("field")]
    public string? Field { get; init; }
}
