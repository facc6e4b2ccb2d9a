using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.Data.Entities;

/// <summary>
/// One synthesis request as it went through the hub: every parameter the client sent, how it went, how long each
/// stage took and, when kept, the audio it produced. Rows are written by every entry point (raw WebSocket,
/// SignalR, HTTP, background jobs) so the history shows all traffic in one place.
/// </summary>
public sealed class SynthesisRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The id the client chose (raw protocol <c>request_id</c>); not unique across clients.</summary>
    public required string RequestId { get; set; }

    public required string Text { get; set; }

    public SynthesisMode Mode { get; set; } = SynthesisMode.Streaming;

    public float CfgValue { get; set; }

    public int InferenceTimesteps { get; set; }

    public bool Normalize { get; set; }

    public bool Denoise { get; set; }

    public bool RetryBadcase { get; set; }

    public long? Seed { get; set; }

    /// <summary>The reference audio URL the request gave (not fetched again from history).</summary>
    public string? PromptWavUrl { get; set; }

    public string? PromptText { get; set; }

    public Guid? VoiceId { get; set; }

    /// <summary>VoxCPM2 voice design: the description the request put ahead of its text, without the parentheses.</summary>
    public string? VoiceDescription { get; set; }

    /// <summary>VoxCPM2 reference audio (cloning without a transcript): the URL the request gave.</summary>
    public string? ReferenceWavUrl { get; set; }

    public Voice? Voice { get; set; }

    public EntryPoint EntryPoint { get; set; }

    public SynthesisStatus Status { get; set; } = SynthesisStatus.Queued;

    public int? QueueWaitMs { get; set; }

    public int? TimeToFirstAudioMs { get; set; }

    public int? TotalMs { get; set; }

    public double? AudioSeconds { get; set; }

    /// <summary>Real-time factor: synthesis time divided by audio duration (lower is faster).</summary>
    public double? Rtf { get; set; }

    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    /// <summary>Who asked: the API key name or user when authenticated, else the remote address.</summary>
    public string? Client { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>The Hangfire job that runs this synthesis, for non-streaming requests accepted as jobs.</summary>
    public string? JobId { get; set; }

    public DateTimeOffset? FinishedAt { get; set; }

    public int? SampleRate { get; set; }

    /// <summary>
    /// A text stream's phrases, in the order they were spoken (<see cref="Text"/> is then the text as received);
    /// null for a request that came with its whole text.
    /// </summary>
    public string[]? TextPieces { get; set; }

    /// <summary>Text segments spoken one after another (long text is split at sentence and clause boundaries).</summary>
    public int? Segments { get; set; }

    /// <summary>Generation attempts over all segments: more than <see cref="Segments"/> when the runaway guard retried.</summary>
    public int? Attempts { get; set; }

    /// <summary>What the runaway guard noticed (a segment ended on silence, noise or its step cap, retries); empty when nothing.</summary>
    public string[]? Warnings { get; set; }

    /// <summary>The result as a complete WAV file, when the request asked to keep it.</summary>
    public byte[]? Audio { get; set; }
}
