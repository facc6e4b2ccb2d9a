using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Model;

/// <summary>
/// Shape and numerics of one MiniCPM-4 decoder stack. All four stacks (base LM, residual LM, local encoder, local DiT)
/// copy lm_config and override only their widths and depth, so head dim, KV heads, eps, RoPE and μP come from lm_config.
/// </summary>
/// <remarks>
/// Prefix is the state-dict prefix ending in '.' (e.g. <c>feat_encoder.encoder.</c>). ResidualScale is
/// scale_depth/√Layers when use_mup (THIS stack's depth), else 1; it is folded into o_proj and down_proj.
/// </remarks>
internal sealed record MiniCpmStackSpec(
    string Prefix,
    int Hidden,
    int Ffn,
    int Heads,
    int KvHeads,
    int HeadDim,
    int Layers,
    float RmsEps,
    float ResidualScale)
{
    public int QkvWidth => (Heads + (2 * KvHeads)) * HeadDim;

    /// <summary>Storage of the four projections per layer (QKV, o, gate|up, down); norms stay float32.</summary>
    public WeightQuantization Quantization { get; init; } = WeightQuantization.None;

    /// <summary>What the stack computes in (weights, activations, attention, KV cache); its caller casts at the boundaries.</summary>
    public ComputePrecision Precision { get; init; } = ComputePrecision.Float32;

    /// <summary>
    /// Whether attention rotates queries and keys (LongRoPE). False for VoxCPM2's residual LM
    /// (<c>residual_lm_no_rope</c>) and for every stack when <c>lm_config.no_rope</c> is set.
    /// </summary>
    public bool Rope { get; init; } = true;

    /// <summary>The causal LMs' attention operator; Auto picks GroupQueryAttention where it applies (<see cref="CausalAttention.Resolve"/>).</summary>
    public CausalAttentionKernel AttentionKernel { get; init; } = CausalAttentionKernel.Auto;

    /// <summary>The operator of quantized projections (unused for None).</summary>
    public QuantizedKernel Kernel { get; init; } = QuantizedKernel.Blockwise;

    public static MiniCpmStackSpec BaseLm(VoxCpmConfig c, WeightQuantization quantization = WeightQuantization.None) =>
        Create(c, "base_lm.", c.LmConfig.HiddenSize, c.LmConfig.IntermediateSize, c.LmConfig.NumAttentionHeads, c.LmConfig.NumHiddenLayers) with { Quantization = quantization };

    public static MiniCpmStackSpec ResidualLm(VoxCpmConfig c, WeightQuantization quantization = WeightQuantization.None) =>
        Create(c, "residual_lm.", c.LmConfig.HiddenSize, c.LmConfig.IntermediateSize, c.LmConfig.NumAttentionHeads, c.ResidualLmNumLayers) with { Quantization = quantization, Rope = !c.LmConfig.NoRope && !c.ResidualLmNoRope };

    public static MiniCpmStackSpec LocalEncoder(VoxCpmConfig c, WeightQuantization quantization = WeightQuantization.None) =>
        Create(c, "feat_encoder.encoder.", c.EncoderConfig.HiddenDim, c.EncoderConfig.FfnDim, c.EncoderConfig.NumHeads, c.EncoderConfig.NumLayers) with { Quantization = quantization, Kernel = QuantizedKernel.PerChannelInt8 };

    public static MiniCpmStackSpec LocalDit(VoxCpmConfig c, WeightQuantization quantization = WeightQuantization.None) =>
        Create(c, "feat_decoder.estimator.decoder.", c.DitConfig.HiddenDim, c.DitConfig.FfnDim, c.DitConfig.NumHeads, c.DitConfig.NumLayers) with { Quantization = quantization, Kernel = QuantizedKernel.PerChannelInt8 };

    /// <summary>
    /// The quantization the local encoder and DiT get: their <see cref="QuantizedKernel.PerChannelInt8"/> operator is a
    /// CPU kernel, so on CUDA they stay float32 (plenty fast there) while the LMs keep MatMulNBits.
    /// </summary>
    public static WeightQuantization LocalStackQuantization(OnnxRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Device == ExecutionDevice.Cpu ? options.WeightQuantization : WeightQuantization.None;
    }

    private static MiniCpmStackSpec Create(VoxCpmConfig c, string prefix, int hidden, int ffn, int heads, int layers)
    {
        var lm = c.LmConfig;
        float scale = lm.UseMup ? (float)(lm.ScaleDepth / Math.Sqrt(layers)) : 1f;
        return new MiniCpmStackSpec(prefix, hidden, ffn, heads, lm.NumKeyValueHeads, c.HeadDim, layers, lm.RmsNormEps, scale) { Rope = !lm.NoRope };
    }
}
