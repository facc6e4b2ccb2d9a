using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine.Generation;

/// <summary>
/// VoxCPM's generation loop (model doc §4) over batched modules: prefill per request, then one decode step for all
/// active requests at a time. Runs only on the scheduler's loop thread.
/// </summary>
internal sealed partial class VoxCpmGenerator : IBatchGenerator<GenerationRequest>, IDisposable
{
    /// <summary>Prompt patches kept as decoder context (the reference's streaming_prefix_len − 1).</summary>
    private const int PromptContextPatches = 2;

    /// <summary>Offset between the noise seeds of consecutive text segments.</summary>
    private const long SegmentSeedStride = 7919;

    /// <summary>Audio below this RMS (about −50 dBFS) counts as silence for the guard.</summary>
    private const float SilenceRms = 0.003f;

    /// <summary>Seconds of silence after speech that end a streaming segment.</summary>
    private const double SilenceSeconds = 1.6;

    /// <summary>Seconds of sustained noise (<see cref="AudioBlockFeatures.IsNoise"/>) that end or retry a segment.</summary>
    private const double NoiseSeconds = 1.0;

    /// <summary>Patches the reference decodes per streamed chunk (streaming_prefix_len).</summary>
    private const int OfficialWindowPatches = 3;

    private readonly IVoxCpmModules _modules;
    private readonly IAudioVae _vae;
    private readonly ITextFrontEnd _text;
    private readonly StreamingDecodeMode _streamingMode;
    private readonly int _patch;
    private readonly int _featDim;
    private readonly int _patchValues;
    private readonly int _patchSamples;

    public VoxCpmGenerator(IVoxCpmModules modules, IAudioVae vae, ITextFrontEnd text, StreamingDecodeMode streamingMode)
    {
        _modules = modules;
        _vae = vae;
        _text = text;
        _streamingMode = streamingMode;
        var config = modules.Config;
        _patch = config.PatchSize;
        _featDim = config.FeatDim;
        _patchValues = _patch * _featDim;
        _patchSamples = config.PatchSamples;
        SampleRate = config.SampleRate;
    }

    public int SampleRate { get; }

    public int SamplesPerStep => _patchSamples;

    public IGenerationState Begin(GenerationRequest request, CancellationToken cancellationToken)
    {
        var segments = request.MaxSegmentChars > 0 && request.Text.Length > request.MaxSegmentChars
            ? Text.TextSegmenter.Split(request.Text, request.MaxSegmentChars)
            : [request.Text];
        var state = new GenerationState(request, segments, _patchValues);
        StartSegment(state);
        return state;
    }

    public void Advance(IReadOnlyList<IGenerationState> batch, CancellationToken cancellationToken)
    {
        var states = new GenerationState[batch.Count];
        for (int i = 0; i < states.Length; i++)
        {
            states[i] = (GenerationState)batch[i];
        }

        var step = BatchStep.Compute(this, states);
        step.StepContinuingLanguageModels(this);
        step.Commit(this);
    }

    public void Release(IGenerationState state) => ((GenerationState)state).Dispose();

    public void Dispose() => (_vae as IDisposable)?.Dispose();

    /// <summary>Prepares the current segment: its text input, step cap and prompt (the voice, or the previous segment).</summary>
    private void StartSegment(GenerationState state)
    {
        var request = state.Request;
        state.Prompt = request.Prompt ?? state.Prompt; // zero-shot continuation keeps the previous segment set by FinishSegment
        state.Text = _text.BuildModelInput(state.Prompt?.Text, state.Segments[state.SegmentIndex], request.Normalize);
        state.MaxSteps = Math.Min((int)((state.Text.TargetTextLength * request.RetryBadcaseRatioThreshold) + 10), request.MaxLength);
        int positions = state.Text.Ids.Length + (state.Prompt?.PatchCount ?? 0) + state.MaxSteps;
        if (positions >= _modules.Config.MaxLength)
        {
            throw new SynthesisException("invalid_request", $"text segment {state.SegmentIndex + 1} and its prompt need up to {positions} model positions; the model's limit is {_modules.Config.MaxLength} (max_length). Shorten the text or the reference audio.");
        }

        state.SegmentAttempts = 1;
        state.Attempts++;
        StartAttempt(state);
    }

    private void StartAttempt(GenerationState state)
    {
        state.ResetAttempt();
        var request = state.Request;
        var noiseFactory = request.Noise ?? GaussianNoiseSource.Factory;

        // Segment 0 draws exactly as the reference does (seed + attempt); later segments get their own streams.
        state.Noise = noiseFactory.Create(request.Seed + (SegmentSeedStride * state.SegmentIndex), state.SegmentAttempts - 1);

        var prompt = state.Prompt;
        int textLength = state.Text.Ids.Length;
        int promptPatches = prompt?.PatchCount ?? 0;
        int length = textLength + promptPatches;
        var ids = new long[length];
        state.Text.Ids.CopyTo(ids, 0);
        var feats = Tensors.HostTensor<float>.Zeros(length, _patch, _featDim);
        var audioMask = new byte[length];
        if (prompt is not null)
        {
            prompt.Patches.Data.CopyTo(feats.Data, textLength * _patchValues);
            audioMask.AsSpan(textLength).Fill(1);
        }

        state.Lm = _modules.Prefill(ids, feats, audioMask);

        // cond = the last position's features: zeros for zero-shot, the last prompt patch when cloning.
        Transpose(feats.Data.AsSpan((length - 1) * _patchValues, _patchValues), state.Cond, _patch, _featDim);

        int seeded = Math.Min(PromptContextPatches, promptPatches);
        for (int p = promptPatches - seeded; p < promptPatches; p++)
        {
            state.Latents.Add(prompt!.Patches.Data.AsSpan(p * _patchValues, _patchValues).ToArray());
        }

        state.SeededPatches = seeded;

        // Later segments continue the stream where the previous one ended: no prompt context is decoded again.
        if (request.Streaming && _streamingMode == StreamingDecodeMode.Exact && state.StreamDecoder is null)
        {
            state.StreamDecoder = _vae.CreateStreamingDecoder();
            foreach (var seed in state.Latents)
            {
                state.StreamDecoder.DecodeNext(ToChannelMajor(seed), _patch); // context only; the reference trims it
            }
        }
    }

    /// <summary>[rows, cols] → [cols, rows].</summary>
    private static void Transpose(ReadOnlySpan<float> source, Span<float> destination, int rows, int cols)
    {
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                destination[(c * rows) + r] = source[(r * cols) + c];
            }
        }
    }

    private float[] ToChannelMajor(float[] patch)
    {
        var result = new float[_patchValues];
        Transpose(patch, result, _patch, _featDim);
        return result;
    }

    /// <summary>Latent patches [P, feat_dim] each → one [feat_dim, frames] block for the VAE.</summary>
    private float[] ToVaeLatents(List<float[]> patches, int first, int count)
    {
        int frames = count * _patch;
        var latents = new float[_featDim * frames];
        for (int p = 0; p < count; p++)
        {
            var patch = patches[first + p];
            for (int f = 0; f < _patch; f++)
            {
                int frame = (p * _patch) + f;
                for (int c = 0; c < _featDim; c++)
                {
                    latents[(c * frames) + frame] = patch[(f * _featDim) + c];
                }
            }
        }

        return latents;
    }
}
