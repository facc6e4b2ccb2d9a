namespace VoxCpm.Hub.Data.Entities;

/// <summary>
/// A named voice for cloning: the reference recording and its transcript, plus the prompt latents the engine
/// computed from them, cached so that a request using the voice skips the audio encoder.
/// </summary>
public sealed class Voice
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    /// <summary>The transcript of <see cref="ReferenceAudio"/>.</summary>
    public required string PromptText { get; set; }

    /// <summary>The reference recording as uploaded (WAV).</summary>
    public required byte[] ReferenceAudio { get; set; }

    public int SampleRate { get; set; }

    /// <summary>Cached prompt latents (little-endian float32), valid only for <see cref="PromptLatentsModelId"/>.</summary>
    public byte[]? PromptLatents { get; set; }

    public int[]? PromptLatentsShape { get; set; }

    /// <summary>The model the latents were computed with; a different model recomputes them.</summary>
    public string? PromptLatentsModelId { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    public List<SynthesisRecord> Syntheses { get; } = [];
}
