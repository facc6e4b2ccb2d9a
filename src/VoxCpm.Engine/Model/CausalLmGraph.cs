using Onnx;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>
/// A causal MiniCPM LM (base or residual) as one graph for prefill (S = T) and decode (S = 1).
/// Attention is com.microsoft GroupQueryAttention on packed QKV with rotary applied inside (LongRoPE caches of
/// max_length rows) and a BNSH KV cache whose past and present are meant to be the same buffer, or the same contract
/// in standard operators where GroupQueryAttention does not apply (<see cref="CausalAttention"/>).
/// </summary>
/// <remarks>
/// Inputs: <c>inputs_embeds [B, S, H]</c>, <c>seqlens_k [B]</c> int32 (total length − 1 per row),
/// <c>total_sequence_length [1]</c> int32, <c>past_key_i</c>/<c>past_value_i [B, kv, max_length, hd]</c>.
/// Outputs: <c>hidden [B, S, H]</c> (after the final norm), optionally <c>hidden_fsq</c> (FSQ of hidden) with
/// <c>residual_inputs</c> (hidden_fsq + inputs_embeds, what the residual LM takes at a decode step), and
/// <c>present_key_i</c>/<c>present_value_i</c>. Embeddings and hidden states are float32 at the boundary; the stack,
/// the rotary caches and the KV cache are at <see cref="MiniCpmStackSpec.Precision"/>. The fused FSQ reads the float32
/// hidden state, so its rounding decisions do not depend on the stack's precision beyond the hidden state itself.
/// </remarks>
internal static class CausalLmGraph
{
    public const string InputsEmbeds = "inputs_embeds";
    public const string SeqLensK = "seqlens_k";
    public const string TotalSequenceLength = "total_sequence_length";
    public const string Hidden = "hidden";
    public const string HiddenFsq = "hidden_fsq";

    /// <summary>
    /// With FSQ: the residual LM's input at a decode step (float32): <c>hidden_fsq + inputs_embeds</c>, or for VoxCPM2
    /// <c>fusion_concat_proj(cat(hidden_fsq, inputs_embeds))</c>.
    /// </summary>
    public const string ResidualInputs = "residual_inputs";

    public static string PastKey(int layer) => $"past_key_{layer}";

    public static string PastValue(int layer) => $"past_value_{layer}";

    public static string PresentKey(int layer) => $"present_key_{layer}";

    public static string PresentValue(int layer) => $"present_value_{layer}";

    public static OnnxModel Build(VoxCpmConfig config, MiniCpmStackSpec spec, IWeightSource weights, bool withFsq)
    {
        var f = TensorProto.Types.DataType.Float;
        var kv = spec.Precision.ElementType();
        var i32 = TensorProto.Types.DataType.Int32;
        var g = new GraphBuilder(spec.Prefix.TrimEnd('.'));
        string embeds = g.Input(InputsEmbeds, f, "batch", "seq", spec.Hidden);
        string x = g.ToPrecision(embeds, spec.Precision);
        string seqLens = g.Input(SeqLensK, i32, "batch");
        string total = g.Input(TotalSequenceLength, i32, 1);
        int half = spec.HeadDim / 2;
        string cosCache = "";
        string sinCache = "";
        if (spec.Rope)
        {
            var (cos, sin) = LongRope.HalfTables(config.LmConfig, spec.HeadDim, config.MaxLength);
            cosCache = g.Weight("rope_cos", new HostTensor<float>(cos, config.MaxLength, half), spec.Precision);
            sinCache = g.Weight("rope_sin", new HostTensor<float>(sin, config.MaxLength, half), spec.Precision);
        }

        string Attention(int layer, string qkv)
        {
            string pastK = g.Input(PastKey(layer), kv, "batch", spec.KvHeads, "max_length", spec.HeadDim);
            string pastV = g.Input(PastValue(layer), kv, "batch", spec.KvHeads, "max_length", spec.HeadDim);
            if (spec.AttentionKernel == CausalAttentionKernel.Plain)
            {
                string output = CausalAttention.EmitPlain(g, spec, qkv, pastK, pastV, seqLens, total, cosCache, sinCache, PresentKey(layer), PresentValue(layer));
                g.Output(PresentKey(layer), kv, "batch", spec.KvHeads, "max_length", spec.HeadDim);
                g.Output(PresentValue(layer), kv, "batch", spec.KvHeads, "max_length", spec.HeadDim);
                return output;
            }

            var outputs = g.OpNamed(
                "com.microsoft",
                "GroupQueryAttention",
                [qkv, "", "", pastK, pastV, seqLens, total, cosCache, sinCache],
                [$"attn_{layer}", PresentKey(layer), PresentValue(layer)],
                OnnxAttribute.Int("num_heads", spec.Heads),
                OnnxAttribute.Int("kv_num_heads", spec.KvHeads),
                OnnxAttribute.Float("scale", 1f / MathF.Sqrt(spec.HeadDim)),
                OnnxAttribute.Int("do_rotary", spec.Rope ? 1 : 0),
                OnnxAttribute.Int("rotary_interleaved", 0));
            g.Output(PresentKey(layer), kv, "batch", spec.KvHeads, "max_length", spec.HeadDim);
            g.Output(PresentValue(layer), kv, "batch", spec.KvHeads, "max_length", spec.HeadDim);
            return outputs[0];
        }

        string hidden = g.ToFloat32(MiniCpmStack.Emit(g, spec, weights, x, Attention), spec.Precision);
        g.Alias(hidden, Hidden);
        g.Output(Hidden, f, "batch", "seq", spec.Hidden);
        if (withFsq)
        {
            string fsq = HeadGraphs.EmitFsq(g, config, weights, hidden).Output;
            g.Alias(fsq, HiddenFsq);
            g.Output(HiddenFsq, f, "batch", "seq", spec.Hidden);
            g.Alias(HeadGraphs.EmitResidualInput(g, config, weights, fsq, embeds), ResidualInputs);
            g.Output(ResidualInputs, f, "batch", "seq", spec.Hidden);
        }

        return g.Build();
    }
}
