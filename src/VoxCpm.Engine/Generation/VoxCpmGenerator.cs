using System.Diagnostics;
using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine.Generation;

/// <summary>
/// VoxCPM's generation loop (model doc §4) over batched modules: a prefill for the requests that start together, then
/// one decode step for all active requests at a time. Runs only on the scheduler's loop thread.
/// </summary>
internal sealed partial class VoxCpmGenerator : IBatchGenerator<GenerationRequest>, IDisposable
{
    /// <summary>VoxCPM2's reference-audio delimiters (hard-coded in the reference, never tokenized from text).</summary>
    private const long ReferenceStartToken = 103;
    private const long ReferenceEndToken = 104;

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
    private readonly int _patchSamples; // output samples per patch (at the decoder's rate)
    private readonly int _promptContextPatches;
    private readonly bool _isVoxCpm2;
    private readonly BatchStep _step;
    private readonly OverlapWorker _streamDecoding;
    private OverlapGate _overlap = new(OverlapGate.DefaultThreshold);

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
        _patchSamples = config.OutputPatchSamples;
        _promptContextPatches = config.PromptContextPatches;
        _isVoxCpm2 = config.IsVoxCpm2;
        SampleRate = config.OutputSampleRate;
        _step = new BatchStep(this);
        _streamDecoding = new OverlapWorker(_step.DecodeExactStreams, "VoxCPM streaming VAE");
    }

    public int SampleRate { get; }

    /// <summary>How long both the language models' step and the streams' decode must take before they overlap (tests set zero).</summary>
    internal TimeSpan StreamDecodeOverlapThreshold
    {
        init => _overlap = new OverlapGate(value);
    }

    public int SamplesPerStep => _patchSamples;

    public IGenerationState Prepare(GenerationRequest request, CancellationToken cancellationToken)
    {
        var segments = request.MaxSegmentChars > 0 && request.Text.Length > request.MaxSegmentChars
            ? Text.TextSegmenter.Split(request.Text, request.MaxSegmentChars)
            : [request.Text];
        if (request.Reference is not null && !_isVoxCpm2)
        {
            throw new SynthesisException("invalid_request", "reference audio (without a transcript) needs a VoxCPM2 model; the loaded model clones only from prompt audio with its transcript.");
        }

        var state = new GenerationState(request, segments, _patchValues);
        PrepareSegment(state);
        return state;
    }

    public void Prefill(IReadOnlyList<IGenerationState> states, CancellationToken cancellationToken)
    {
        var prepared = new GenerationState[states.Count];
        for (int i = 0; i < prepared.Length; i++)
        {
            prepared[i] = (GenerationState)states[i];
        }

        PrefillPrepared(prepared);
    }

    /// <summary>Prepares and prefills one request, as the scheduler does for a request that starts alone (tools and tests).</summary>
    internal GenerationState Begin(GenerationRequest request)
    {
        var state = (GenerationState)Prepare(request, CancellationToken.None);
        try
        {
            PrefillPrepared([state]);
            return state;
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    public void Advance(IReadOnlyList<IGenerationState> batch, CancellationToken cancellationToken)
    {
        _step.Compute(batch);
        bool decoding = _step.PrepareExactStreams();
        if (decoding && _overlap.Worthwhile)
        {
            StepLanguageModelsWhileDecoding();
        }
        else
        {
            long started = Stopwatch.GetTimestamp();
            _step.StepContinuingLanguageModels();
            var languageModels = Stopwatch.GetElapsedTime(started);
            if (decoding)
            {
                started = Stopwatch.GetTimestamp();
                _step.DecodeExactStreams();
                _overlap.Observe(languageModels, Stopwatch.GetElapsedTime(started));
            }
        }

        _step.Commit();
    }

    /// <summary>
    /// The streams' audio depends only on the new patches, so the VAE decodes it on its own thread while the language
    /// models step. If they fail, the step is repeated (the scheduler isolates the fault), so the decode is taken back.
    /// </summary>
    private void StepLanguageModelsWhileDecoding()
    {
        _streamDecoding.Start();
        long started = Stopwatch.GetTimestamp();
        try
        {
            _step.StepContinuingLanguageModels();
        }
        catch
        {
            _streamDecoding.Join();
            _vae.UndoDecodeStreams(_patch);
            throw;
        }

        var languageModels = Stopwatch.GetElapsedTime(started);
        _streamDecoding.Join();
        _overlap.Observe(languageModels, _streamDecoding.LastWorkTime);
    }

    public void Release(IGenerationState state) => ((GenerationState)state).Dispose();

    public void Dispose()
    {
        _streamDecoding.Dispose();
        (_vae as IDisposable)?.Dispose();
    }

    /// <summary>Starts the current segment: its text input, step cap and prompt, then its first attempt's prefill.</summary>
    private void StartSegment(GenerationState state)
    {
        PrepareSegment(state);
        PrefillPrepared([state]);
    }

    /// <summary>Starts another attempt of the current segment (a retry): its model input again, and its prefill.</summary>
    private void StartAttempt(GenerationState state)
    {
        PrepareAttempt(state);
        PrefillPrepared([state]);
    }

    /// <summary>Prepares the current segment: its text input, step cap and prompt (the voice, or the previous segment).</summary>
    private void PrepareSegment(GenerationState state)
    {
        var request = state.Request;
        state.Prompt = request.Prompt ?? state.Prompt; // zero-shot continuation keeps the previous segment set by FinishSegment
        state.Text = _text.BuildModelInput(state.Prompt?.Text, state.Segments[state.SegmentIndex], request.Normalize);
        state.MaxSteps = Math.Min((int)((state.Text.TargetTextLength * request.RetryBadcaseRatioThreshold) + 10), request.MaxLength);
        int positions = ReferencePositions(request) + state.Text.Ids.Length + (state.Prompt?.PatchCount ?? 0) + state.MaxSteps;
        if (positions >= _modules.Config.MaxLength)
        {
            throw new SynthesisException("invalid_request", $"text segment {state.SegmentIndex + 1} and its prompt need up to {positions} model positions; the model's limit is {_modules.Config.MaxLength} (max_length). Shorten the text or the reference audio.");
        }

        state.SegmentAttempts = 1;
        state.Attempts++;
        PrepareAttempt(state);
    }

    /// <summary>Forgets the previous attempt and builds this one's noise and model input (<see cref="GenerationState.NextPrefill"/>).</summary>
    private void PrepareAttempt(GenerationState state)
    {
        state.ResetAttempt();
        var request = state.Request;
        var noiseFactory = request.Noise ?? GaussianNoiseSource.Factory;

        // Segment 0 draws exactly as the reference does (seed + attempt); later segments get their own streams.
        state.Noise = noiseFactory.Create(request.Seed + (SegmentSeedStride * state.SegmentIndex), state.SegmentAttempts - 1);

        // Model input (model doc §4.1, §9.3): [103, R reference patches, 104] (VoxCPM2), the text ids with 101, then the
        // A prompt patches; audio positions carry token 0 and their latents.
        var prompt = state.Prompt;
        var reference = request.Reference;
        int referenceLength = ReferencePositions(request);
        int textLength = state.Text.Ids.Length;
        int promptPatches = prompt?.PatchCount ?? 0;
        int length = referenceLength + textLength + promptPatches;
        var ids = new long[length];
        var feats = Tensors.HostTensor<float>.Zeros(length, _patch, _featDim);
        var audioMask = new byte[length];
        if (reference is not null)
        {
            ids[0] = ReferenceStartToken;
            ids[referenceLength - 1] = ReferenceEndToken;
            reference.Patches.Data.CopyTo(feats.Data, _patchValues);
            audioMask.AsSpan(1, reference.PatchCount).Fill(1);
        }

        state.Text.Ids.CopyTo(ids, referenceLength);
        if (prompt is not null)
        {
            prompt.Patches.Data.CopyTo(feats.Data, (referenceLength + textLength) * _patchValues);
            audioMask.AsSpan(referenceLength + textLength).Fill(1);
        }

        state.ModelInputIds = ids;
        state.NextPrefill = new PrefillInput(ids, feats, audioMask);
    }

    /// <summary>
    /// Prefills prepared states together (one batch where the modules can) and completes their attempts. When it
    /// throws, every state is as prepared, so each can be prefilled again on its own.
    /// </summary>
    private void PrefillPrepared(GenerationState[] states)
    {
        var inputs = new PrefillInput[states.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            inputs[i] = states[i].NextPrefill ?? throw new InvalidOperationException("A state is prefilled once per prepared attempt.");
        }

        var lmStates = _modules.Prefill(inputs);
        var decoders = new IStreamingAudioDecoder?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            decoders[i] = states[i].StreamDecoder;
        }

        try
        {
            for (int i = 0; i < inputs.Length; i++)
            {
                states[i].Lm = lmStates[i];
                CompleteAttempt(states[i], inputs[i]);
            }
        }
        catch
        {
            foreach (var lm in lmStates)
            {
                lm.Dispose();
            }

            for (int i = 0; i < inputs.Length; i++)
            {
                states[i].TakeBackPrefill(decoders[i]);
            }

            throw;
        }

        foreach (var state in states)
        {
            state.NextPrefill = null;
        }
    }

    /// <summary>What follows the prefill: the first cond, the prompt context the decoder continues from, the stream decoder.</summary>
    private void CompleteAttempt(GenerationState state, PrefillInput input)
    {
        // cond = the last position's features: zeros for zero-shot, the last prompt patch when cloning.
        Transpose(input.Feats.Data.AsSpan((input.Length - 1) * _patchValues, _patchValues), state.Cond, _patch, _featDim);

        var prompt = state.Prompt;
        int promptPatches = prompt?.PatchCount ?? 0;
        int seeded = Math.Min(_promptContextPatches, promptPatches);
        for (int p = promptPatches - seeded; p < promptPatches; p++)
        {
            state.Latents.Add(prompt!.Patches.Data.AsSpan(p * _patchValues, _patchValues));
        }

        state.SeededPatches = seeded;

        // Later segments continue the stream where the previous one ended: no prompt context is decoded again. VoxCPM2's
        // reference streams exactly this way (a stateful decoder fed one patch at a time) but never decodes the context:
        // its decoder state starts at zero.
        if (state.Request.Streaming && (_streamingMode == StreamingDecodeMode.Exact || _isVoxCpm2) && state.StreamDecoder is null)
        {
            state.StreamDecoder = _vae.CreateStreamingDecoder();
            if (!_isVoxCpm2)
            {
                for (int p = 0; p < state.Latents.Count; p++)
                {
                    state.StreamDecoder.DecodeNext(ToChannelMajor(state.Latents[p]), _patch); // context only; the reference trims it
                }
            }
        }
    }

    /// <summary>Positions the reference audio takes: its patches between the two delimiter tokens, or none.</summary>
    private static int ReferencePositions(GenerationRequest request) => request.Reference is { } r ? r.PatchCount + 2 : 0;

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

    private float[] ToChannelMajor(ReadOnlySpan<float> patch)
    {
        var result = new float[_patchValues];
        Transpose(patch, result, _patch, _featDim);
        return result;
    }

    /// <summary>Latent patches [P, feat_dim] each → one [feat_dim, frames] block for the VAE.</summary>
    private float[] ToVaeLatents(LatentPatches patches, int first, int count)
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
