namespace VoxCpm.Engine.Generation;

/// <summary>One synthesis as the engine sees it: text, an optional encoded voice prompt and the sampler settings.</summary>
public sealed record GenerationRequest
{
    public required string Text { get; init; }

    /// <summary>An encoded voice prompt (reference audio latents plus its transcript); null for zero-shot.</summary>
    public VoicePrompt? Prompt { get; init; }

    /// <summary>
    /// VoxCPM2 only: reference audio that sets the voice without being continued (controllable / ultimate cloning),
    /// isolated by the reference-audio tokens ahead of the text; may be combined with <see cref="Prompt"/>.
    /// </summary>
    public VoiceReference? Reference { get; init; }

    public float CfgValue { get; init; } = 2.0f;

    public int InferenceTimesteps { get; init; } = 10;

    /// <summary>Steps before the stop head may end generation (the stop test is <c>step &gt; MinLength</c>).</summary>
    public int MinLength { get; init; } = 2;

    /// <summary>Hard cap on decode steps; the effective cap also depends on the text length.</summary>
    public int MaxLength { get; init; } = 4096;

    public bool Normalize { get; init; }

    /// <summary>Non-streaming only: re-run an attempt whose patch count reaches the text-length ratio.</summary>
    public bool RetryBadcase { get; init; } = true;

    public int RetryBadcaseMaxTimes { get; init; } = 3;

    public float RetryBadcaseRatioThreshold { get; init; } = 6.0f;

    public bool Streaming { get; init; } = true;

    public long Seed { get; init; }

    /// <summary>Longest text segment in characters; longer text is split (<see cref="VoxCpm.Engine.Text.TextSegmenter"/>). 0 = never split.</summary>
    public int MaxSegmentChars { get; init; } = VoxCpm.Engine.Text.TextSegmenter.DefaultMaxChars;

    /// <summary>Patches in the first streamed chunk (small, so audio starts early).</summary>
    public int FirstChunkPatches { get; init; } = 1;

    /// <summary>Patches in every later streamed chunk (larger, fewer messages).</summary>
    public int ChunkPatches { get; init; } = 2;

    /// <summary>
    /// Streaming only: end a segment early (with a warning) when it turns silent after speech, instead of
    /// running to its step cap; the cap itself (text length · ratio + 10) always applies.
    /// </summary>
    public bool SilenceGuard { get; init; } = true;

    /// <summary>
    /// End (streaming) or regenerate (non-streaming, within <see cref="RetryBadcaseMaxTimes"/> when
    /// <see cref="RetryBadcase"/> is on) a segment whose audio turns into sustained loud, spectrally flat noise.
    /// </summary>
    public bool NoiseGuard { get; init; } = true;

    /// <summary>Where noise comes from; seeded Gaussian noise when null.</summary>
    public INoiseSourceFactory? Noise { get; init; }
}

/// <summary>
/// A reference voice, encoded once and reusable: its transcript and its VAE latents as patches [A, P, feat_dim]
/// (the audio was left-padded to whole patches before encoding).
/// </summary>
public sealed record VoicePrompt(string Text, Tensors.HostTensor<float> Patches)
{
    public int PatchCount => Patches.Shape[0];
}

/// <summary>
/// VoxCPM2 reference audio, encoded once and reusable: its VAE latents as patches [R, P, feat_dim] (the audio was
/// right-padded to whole patches before encoding). No transcript: the model reads it as a voice, not as speech to continue.
/// </summary>
public sealed record VoiceReference(Tensors.HostTensor<float> Patches)
{
    public int PatchCount => Patches.Shape[0];
}
