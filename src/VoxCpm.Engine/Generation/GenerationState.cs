using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine.Generation;

/// <summary>One request inside the decode loop (model doc §4.3): its LM state, latents so far and audio out.</summary>
internal sealed class GenerationState : IGenerationState, IDisposable
{
    public GenerationState(GenerationRequest request, TextInput text, int patchValues)
    {
        Request = request;
        Text = text;
        Cond = new float[patchValues];
        MaxSteps = Math.Min((int)((text.TargetTextLength * request.RetryBadcaseRatioThreshold) + 10), request.MaxLength);
    }

    public GenerationRequest Request { get; }

    public TextInput Text { get; }

    /// <summary>Step cap: min(floor(target_len · ratio + 10), max_len), as the reference computes it.</summary>
    public int MaxSteps { get; }

    public ILmState? Lm { get; set; }

    public INoiseSource Noise { get; set; } = null!;

    public IStreamingAudioDecoder? StreamDecoder { get; set; }

    /// <summary>The previous patch, [feat_dim, P] (channel-major, as the CFM takes it).</summary>
    public float[] Cond { get; }

    /// <summary>Every latent patch of the current attempt, [P, feat_dim] each, seeded prompt patches first.</summary>
    public List<float[]> Latents { get; } = [];

    /// <summary>Prompt patches at the head of <see cref="Latents"/> (0..2).</summary>
    public int SeededPatches { get; set; }

    public ReadOnlyMemory<float> PendingAudio { get; set; }

    public bool IsFinished { get; set; }

    public int Steps { get; set; }

    public int Attempts { get; set; }

    public string StopReason { get; set; } = "";

    /// <summary>The noise of the next patch, drawn once and reused until a step commits (so a failed batch replays it).</summary>
    public ReadOnlySpan<float> PeekNoise(int patchValues)
    {
        if (_pendingNoise is null)
        {
            _pendingNoise = new float[patchValues];
            Noise.NextPatch(_pendingNoise);
        }

        return _pendingNoise;
    }

    public void ConsumeNoise() => _pendingNoise = null;

    private float[]? _pendingNoise;

    public void ResetAttempt()
    {
        Lm?.Dispose();
        Lm = null;
        StreamDecoder?.Dispose();
        StreamDecoder = null;
        Latents.Clear();
        SeededPatches = 0;
        Steps = 0;
        PendingAudio = default;
        _pendingNoise = null;
    }

    public void Dispose() => ResetAttempt();
}
