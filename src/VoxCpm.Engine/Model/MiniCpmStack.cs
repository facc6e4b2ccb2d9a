using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Model;

/// <summary>
/// Emits a MiniCPM-4 decoder stack into a graph (model doc §3.1): pre-norm layers with a fused QKV projection, an
/// attention supplied by the caller (causal GQA with KV cache, or bidirectional local attention), a fused gate|up
/// projection with SiLU gating, and the final RMSNorm. Residual adds are fused into SkipSimplifiedLayerNormalization;
/// the μP residual scale is folded into o_proj and down_proj so the residual path stays a plain add.
/// </summary>
internal static class MiniCpmStack
{
    /// <summary>
    /// Emits the stack on <paramref name="input"/> and returns its normed output. <paramref name="attention"/> maps
    /// (layer index, packed QKV <c>[.., S, QkvWidth]</c>) to the attention output <c>[.., S, Heads·HeadDim]</c>.
    /// </summary>
    /// <remarks>
    /// When only tokens <c>[Start, End)</c> of the output are used (<paramref name="outputTokens"/>: the DiT's x tokens,
    /// the encoder's CLS token), the last layer runs o_proj and the MLP on those tokens alone: every op after its
    /// attention is per token, so the result is the same while the biggest matrices of that layer see fewer rows.
    /// The output is then <c>[.., End − Start, H]</c>.
    /// </remarks>
    public static string Emit(GraphBuilder g, MiniCpmStackSpec spec, IWeightSource weights, string input, Func<int, string, string> attention, (long Start, long End)? outputTokens = null)
    {
        string p = spec.Prefix;
        int attnWidth = spec.Heads * spec.HeadDim;
        int kvWidth = spec.KvHeads * spec.HeadDim;
        string residual = input;
        string normed = g.RmsNorm(input, NormWeight(g, spec, weights, $"{p}layers.0.input_layernorm.weight"), spec.RmsEps);
        string? pendingBranch = null;
        for (int i = 0; i < spec.Layers; i++)
        {
            string l = $"{p}layers.{i}.";
            if (pendingBranch is not null)
            {
                (normed, residual) = g.SkipRmsNorm(pendingBranch, residual, NormWeight(g, spec, weights, l + "input_layernorm.weight"), spec.RmsEps, $"{l}attn_in");
            }

            string qkv = Project(
                g,
                spec,
                l + "self_attn.qkv",
                normed,
                1f,
                new LinearWeightSource(weights, l + "self_attn.q_proj.weight", attnWidth, spec.Hidden),
                new LinearWeightSource(weights, l + "self_attn.k_proj.weight", kvWidth, spec.Hidden),
                new LinearWeightSource(weights, l + "self_attn.v_proj.weight", kvWidth, spec.Hidden));
            string attn = attention(i, qkv);
            if (outputTokens is var (start, end) && i == spec.Layers - 1)
            {
                attn = g.Slice(attn, -2, start, end);
                residual = g.Slice(residual, -2, start, end);
            }

            var oWeight = new LinearWeightSource(weights, l + "self_attn.o_proj.weight", spec.Hidden, attnWidth);
            string attnOut = Project(g, spec, l + "self_attn.o", attn, spec.ResidualScale, oWeight);

            (normed, residual) = g.SkipRmsNorm(attnOut, residual, NormWeight(g, spec, weights, l + "post_attention_layernorm.weight"), spec.RmsEps, $"{l}mlp_in");
            string gateUp = Project(
                g,
                spec,
                l + "mlp.gate_up",
                normed,
                1f,
                new LinearWeightSource(weights, l + "mlp.gate_proj.weight", spec.Ffn, spec.Hidden),
                new LinearWeightSource(weights, l + "mlp.up_proj.weight", spec.Ffn, spec.Hidden));
            var parts = g.Split(gateUp, -1, spec.Ffn, spec.Ffn);
            string gated = g.Op("Mul", [g.Silu(parts[0]), parts[1]]);
            var downWeight = new LinearWeightSource(weights, l + "mlp.down_proj.weight", spec.Hidden, spec.Ffn);
            pendingBranch = Project(g, spec, l + "mlp.down", gated, spec.ResidualScale, downWeight);
        }

        return g.SkipRmsNorm(pendingBranch!, residual, NormWeight(g, spec, weights, p + "norm.weight"), spec.RmsEps, $"{p}out").Normed;
    }

    /// <summary>
    /// <c>x · (scale·[W₁; W₂; ..])ᵀ</c> for torch Linear weights <c>[out_i, in]</c> sharing an input: a float MatMul on the
    /// transposed, fused matrix, or the stack's quantized kernel (<see cref="QuantizedKernel"/>).
    /// </summary>
    /// <remarks>
    /// At float16 the float MatMul and MatMulNBits (float16 scales) run in float16; DynamicQuantizeMatMul has only a
    /// float32 CPU kernel, so its input and output are cast around it.
    /// </remarks>
    private static string Project(GraphBuilder g, MiniCpmStackSpec spec, string name, string x, float scale, params LinearWeightSource[] torchWeights) =>
        (spec.Quantization, spec.Kernel) switch
        {
            (WeightQuantization.None, _) => g.Op("MatMul", [x, g.LinearWeight(name, spec.Precision, scale, torchWeights)]),
            (_, QuantizedKernel.PerChannelInt8) => g.ToPrecision(g.DynamicQuantizeMatMul(g.ToFloat32(x, spec.Precision), name, LinearWeightSource.Convert(torchWeights, values => ChannelQuantizedWeight.Quantize(scale, values))), spec.Precision),
            (WeightQuantization.Int8, _) => g.MatMulNBits(x, name, LinearWeightSource.Convert(torchWeights, values => BlockQuantizedWeight.Quantize(8, scale, values)), spec.Precision),
            (WeightQuantization.Int4, _) => g.MatMulNBits(x, name, LinearWeightSource.Convert(torchWeights, values => BlockQuantizedWeight.Quantize(4, scale, values)), spec.Precision),
            _ => throw new ArgumentOutOfRangeException(nameof(spec), spec.Quantization, "Unknown weight quantization."),
        };

    private static string NormWeight(GraphBuilder g, MiniCpmStackSpec spec, IWeightSource weights, string name) =>
        g.Weight(name, weights.Get(name).Expect(name, spec.Hidden), spec.Precision);
}
