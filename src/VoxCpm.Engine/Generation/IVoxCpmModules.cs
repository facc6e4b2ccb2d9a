using VoxCpm.Engine.Model;

namespace VoxCpm.Engine.Generation;

/// <summary>
/// The model's modules as the generation loop drives them. Every batched call takes B rows, one per request; the
/// implementation owns the ONNX Runtime sessions and each request's KV caches.
/// </summary>
internal interface IVoxCpmModules : IDisposable
{
    VoxCpmConfig Config { get; }

    /// <summary>
    /// Runs the prefill (model doc §4.2) of requests that start together and returns one LM state per input, in order,
    /// each holding its KV caches and its last position's <c>lm_hidden</c> / <c>residual_hidden</c>. Inputs may be
    /// prefilled as one batch: the result is the same as prefilling each alone. When it throws, no state is left.
    /// </summary>
    IReadOnlyList<ILmState> Prefill(IReadOnlyList<PrefillInput> inputs);

    /// <summary>
    /// The first half of a decode step for B rows (model doc §4.3): mu and the stop logits from each state's hidden
    /// states, then the flow-matching solve (§3.7). <paramref name="cond"/>, <paramref name="noise"/> and the
    /// resulting <paramref name="patches"/> are [B, feat_dim, P]; <paramref name="stopLogits"/> is [B, 2]. Rows may
    /// use different CFG values and step counts.
    /// </summary>
    void GeneratePatches(IReadOnlyList<ILmState> states, ReadOnlySpan<float> cond, ReadOnlySpan<float> noise, ReadOnlySpan<float> cfg, ReadOnlySpan<int> steps, Span<float> patches, Span<float> stopLogits);

    /// <summary>
    /// The second half for the states that continue: e = enc_to_lm_proj(LocEnc(patch)), lm_hidden ←
    /// FSQ(base_lm.step(e)), residual_hidden ← residual_lm.step(lm_hidden + e). <paramref name="patches"/> is
    /// [B, P, feat_dim], one per state.
    /// </summary>
    void StepLanguageModels(IReadOnlyList<ILmState> states, ReadOnlySpan<float> patches);
}

/// <summary>One request's LM state: KV caches, position and the last hidden states.</summary>
internal interface ILmState : IDisposable
{
    /// <summary>Positions written to the KV caches so far.</summary>
    int Length { get; }
}

/// <summary>The audio VAE as the generation loop drives it (float32).</summary>
internal interface IAudioVae
{
    /// <summary>Decodes latents [feat_dim, frames] (channel-major, one request) to frames·hop samples.</summary>
    float[] Decode(ReadOnlySpan<float> latents, int frames);

    /// <summary>A decoder that keeps each causal layer's history, so chunks join sample-identically.</summary>
    IStreamingAudioDecoder CreateStreamingDecoder();

    /// <summary>
    /// Decodes the next <paramref name="frames"/> frames of several streams in one batch: <paramref name="latents"/>
    /// is [B, feat_dim, frames] in the order of <paramref name="streams"/>; <paramref name="audio"/> receives each
    /// stream's frames·hop samples, [B, frames·hop] in the same order.
    /// </summary>
    void DecodeStreams(IReadOnlyList<IStreamingAudioDecoder> streams, ReadOnlySpan<float> latents, int frames, Span<float> audio);

    /// <summary>
    /// Takes back the last <see cref="DecodeStreams"/> of <paramref name="frames"/> frames: every stream's history is as
    /// before it (a step that failed after its audio was decoded is stepped again).
    /// </summary>
    void UndoDecodeStreams(int frames);

    /// <summary>Encodes mono samples (a multiple of hop) to latents [feat_dim, samples / hop].</summary>
    float[] Encode(ReadOnlySpan<float> samples);
}

/// <summary>Incremental VAE decoding for one stream.</summary>
internal interface IStreamingAudioDecoder : IDisposable
{
    /// <summary>Decodes the next <paramref name="frames"/> latent frames [feat_dim, frames] into frames·hop samples.</summary>
    float[] DecodeNext(ReadOnlySpan<float> latents, int frames);
}
