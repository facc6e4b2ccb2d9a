namespace VoxCpm.Hub.Data.Entities;

/// <summary>
/// A named voice for cloning: a recording, its transcript when it has one, and the latents each model computed
/// from them, cached so that a request using the voice skips the audio encoder. With a transcript the voice is a
/// prompt the model continues (every model); without one it is reference audio (VoxCPM2's controllable cloning).
/// </summary>
public sealed class Voice
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string Name { get; set; }

    /// <summary>The transcript of <see cref="ReferenceAudio"/>; null for a voice saved from reference audio alone.</summary>
    public string? PromptText { get; set; }

    /// <summary>The recording as uploaded (any accepted audio format).</summary>
    public required byte[] ReferenceAudio { get; set; }

    public int SampleRate { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>The latents of this voice, one row per model that has used it.</summary>
    public List<VoiceEncoding> Encodings { get; } = [];

    public List<SynthesisRecord> Syntheses { get; } = [];
}
