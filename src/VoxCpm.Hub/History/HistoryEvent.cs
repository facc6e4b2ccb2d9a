using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.History;

internal enum HistoryEventKind
{
    Accepted,
    Started,
    Completed,
    Failed,

    /// <summary>A text stream ended: the text as received and the phrases it was spoken in.</summary>
    TextStreamed,
}

/// <summary>
/// One thing that happened to a synthesis, queued for the history writer. Self-contained and JSON-serializable
/// (the audio is already a WAV file), so it can be spilled to disk when the queue is full or the hub stops.
/// </summary>
internal sealed record HistoryEvent
{
    public required HistoryEventKind Kind { get; init; }

    public required Guid SynthesisId { get; init; }

    public DateTimeOffset At { get; init; }

    public SynthesisRequest? Request { get; init; }

    public EntryPoint Origin { get; init; }

    public string? RequestId { get; init; }

    public string? Client { get; init; }

    public double? QueueWaitMs { get; init; }

    public double? TimeToFirstAudioMs { get; init; }

    public double? TotalMs { get; init; }

    public double? AudioSeconds { get; init; }

    public double? Rtf { get; init; }

    public int? SampleRate { get; init; }

    public int? Segments { get; init; }

    public int? Attempts { get; init; }

    public IReadOnlyList<string>? Warnings { get; init; }

    /// <summary>The finished audio as a PCM16 WAV file.</summary>
    public byte[]? Wav { get; init; }

    /// <summary>A text stream's text as received (<see cref="HistoryEventKind.TextStreamed"/>).</summary>
    public string? Text { get; init; }

    /// <summary>A text stream's phrases, in the order spoken.</summary>
    public IReadOnlyList<string>? TextPieces { get; init; }

    public string? ErrorCode { get; init; }

    public string? ErrorMessage { get; init; }
}
