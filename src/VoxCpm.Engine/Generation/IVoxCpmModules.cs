using VoxCpm.Engine.Model;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Generation;

/// <summary>
/// The model's modules as the generation loop drives them. Every batched call takes B rows, one per request; the
/// implementation owns the ONNX Runtime sessions and each request's KV caches.
/// </summary>
internal interface IVoxCpmModules : IDisposable
{
    VoxCpmConfig Config { get; }

    /// <summary>
    /// Runs the prefill of one request (model doc §4.2) and returns its LM state holding the KV caches and the
    /// last position's <c>lm_hidden</c> / <c>residual_hidden</c>.
    /// </summary>
    /// <param name="ids">Text ids per position (0 at audio positions).</param>
    /// <param name="feats">Audio features per position [T, P, feat_dim] (zeros at text positions).</param>
    /// <param name="audioMask">1 at prompt-audio positions, 0 at text positions.</param>
    ILmState Prefill(ReadOnlySpan<long> ids, HostTensor<float> feats, ReadOnlySpan<byte> audioMask);

    /// <summary>mu = lm_to_dit(lm_hidden) + res_to_dit(residual_hidden) for each state, written as rows of <paramref name="mu"/> [B, dit_hidden].</summary>
    void ComputeMu(IReadOnlyList<ILmState> states, Span<float> mu);

    /// <summary>Stop logits [B, 2] from each state's lm_hidden.</summary>
    void ComputeStopLogits(IReadOnlyList<ILmState> states, Span<float> logits);

    /// <summary>
    /// Solves the flow-matching ODE for B rows (model doc §3.7). <paramref name="noise"/> and the result are
    /// [B, feat_dim, P]; <paramref name="cond"/> is [B, feat_dim, P]. Rows may use different CFG values and steps.
    /// </summary>
    void SolveCfm(ReadOnlySpan<float> mu, ReadOnlySpan<float> cond, ReadOnlySpan<float> noise, ReadOnlySpan<float> cfg, ReadOnlySpan<int> steps, Span<float> patches);

    /// <summary>feat_embed = enc_to_lm_proj(LocEnc(patch)) for B patches given as [B, P, feat_dim]; result [B, hidden].</summary>
    void EncodePatches(ReadOnlySpan<float> patches, int count, Span<float> embeddings);

    /// <summary>
    /// One decode step of both LMs for each state: lm_hidden ← FSQ(base_lm.step(e)), residual_hidden ←
    /// residual_lm.step(lm_hidden + e). <paramref name="embeddings"/> is [B, hidden].
    /// </summary>
    void StepLanguageModels(IReadOnlyList<ILmState> states, ReadOnlySpan<float> embeddings);
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
    /// is [B, feat_dim, frames] in the order of <paramref name="streams"/>; returns each stream's frames·hop samples.
    /// </summary>
    float[][] DecodeStreams(IReadOnlyList<IStreamingAudioDecoder> streams, ReadOnlySpan<float> latents, int frames);

    /// <summary>Encodes mono samples (a multiple of hop) to latents [feat_dim, samples / hop].</summary>
    float[] Encode(ReadOnlySpan<float> samples);
}

/// <summary>Incremental VAE decoding for one stream.</summary>
internal interface IStreamingAudioDecoder : IDisposable
{
    /// <summary>Decodes the next <paramref name="frames"/> latent frames [feat_dim, frames] into frames·hop samples.</summary>
    float[] DecodeNext(ReadOnlySpan<float> latents, int frames);
}
