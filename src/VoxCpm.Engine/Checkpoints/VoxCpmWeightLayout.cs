using VoxCpm.Engine.Model;

namespace VoxCpm.Engine.Checkpoints;

/// <summary>
/// Every tensor a <see cref="VoxCpmConfig"/> implies, with its shape (model doc §1.3 and §1.4), in the names of
/// the official state dicts. The loader checks checkpoints against it and <see cref="RandomWeights"/> fills it.
/// </summary>
internal static partial class VoxCpmWeightLayout
{
    /// <summary>The main model file (<c>model.safetensors</c> / <c>pytorch_model.bin</c>).</summary>
    public static IReadOnlyList<ExpectedTensor> Model(VoxCpmConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var lm = config.LmConfig;
        var enc = config.EncoderConfig;
        var dit = config.DitConfig;
        int h = lm.HiddenSize;
        int feat = config.FeatDim;
        int lmHeadDim = lm.KvChannels ?? (h / lm.NumAttentionHeads);
        var list = new List<ExpectedTensor>();

        list.Add(new("base_lm.embed_tokens.weight", [lm.VocabSize, h], WeightKind.Embedding));
        AddStack(list, "base_lm.", new(h, lm.IntermediateSize, lm.NumAttentionHeads, lm.NumKeyValueHeads, lmHeadDim, lm.NumHiddenLayers));
        AddStack(list, "residual_lm.", new(h, lm.IntermediateSize, lm.NumAttentionHeads, lm.NumKeyValueHeads, lmHeadDim, config.ResidualLmNumLayers));

        list.Add(new("feat_encoder.special_token", [1, 1, 1, enc.HiddenDim], WeightKind.LearnedToken));
        AddLinear(list, "feat_encoder.in_proj", enc.HiddenDim, feat);
        AddStack(list, "feat_encoder.encoder.", LocalStack(enc, lm));

        const string Estimator = "feat_decoder.estimator.";
        AddLinear(list, Estimator + "in_proj", dit.HiddenDim, feat);
        AddLinear(list, Estimator + "cond_proj", dit.HiddenDim, feat);
        AddLinear(list, Estimator + "out_proj", feat, dit.HiddenDim);
        foreach (string mlp in new[] { "time_mlp", "delta_time_mlp" })
        {
            AddLinear(list, $"{Estimator}{mlp}.linear_1", dit.HiddenDim, dit.HiddenDim);
            AddLinear(list, $"{Estimator}{mlp}.linear_2", dit.HiddenDim, dit.HiddenDim);
        }

        AddStack(list, Estimator + "decoder.", LocalStack(dit, lm));

        AddLinear(list, "fsq_layer.in_proj", config.ScalarQuantizationLatentDim, h);
        AddLinear(list, "fsq_layer.out_proj", h, config.ScalarQuantizationLatentDim);
        AddLinear(list, "enc_to_lm_proj", h, enc.HiddenDim);
        AddLinear(list, "lm_to_dit_proj", dit.HiddenDim, h);
        AddLinear(list, "res_to_dit_proj", dit.HiddenDim, h);
        AddLinear(list, "stop_proj", h, h);
        AddLinear(list, "stop_head", 2, h, bias: false);
        if (config.IsVoxCpm2)
        {
            // The residual LM's learned input fusion (model doc §9.2): cat(lm side, audio side) → H.
            AddLinear(list, "fusion_concat_proj", h, 2 * h);
        }

        return list;
    }

    /// <summary>Sizes of one MiniCPM decoder stack.</summary>
    private readonly record struct StackShape(int Hidden, int Ffn, int Heads, int KvHeads, int HeadDim, int Layers);

    /// <summary>LocEnc and LocDiT copy <c>lm_config</c> and override width, depth and heads: the KV head count stays the LM's.</summary>
    private static StackShape LocalStack(LocalStackConfig stack, LmConfig lm) =>
        new(stack.HiddenDim, stack.FfnDim, stack.NumHeads, lm.NumKeyValueHeads, stack.KvChannels ?? (stack.HiddenDim / stack.NumHeads), stack.NumLayers);

    private static void AddStack(List<ExpectedTensor> list, string prefix, StackShape s)
    {
        for (int i = 0; i < s.Layers; i++)
        {
            string layer = $"{prefix}layers.{i}.";
            list.Add(new(layer + "self_attn.q_proj.weight", [s.Heads * s.HeadDim, s.Hidden], WeightKind.LinearWeight));
            list.Add(new(layer + "self_attn.k_proj.weight", [s.KvHeads * s.HeadDim, s.Hidden], WeightKind.LinearWeight));
            list.Add(new(layer + "self_attn.v_proj.weight", [s.KvHeads * s.HeadDim, s.Hidden], WeightKind.LinearWeight));
            list.Add(new(layer + "self_attn.o_proj.weight", [s.Hidden, s.Heads * s.HeadDim], WeightKind.LinearWeight));
            list.Add(new(layer + "mlp.gate_proj.weight", [s.Ffn, s.Hidden], WeightKind.LinearWeight));
            list.Add(new(layer + "mlp.up_proj.weight", [s.Ffn, s.Hidden], WeightKind.LinearWeight));
            list.Add(new(layer + "mlp.down_proj.weight", [s.Hidden, s.Ffn], WeightKind.LinearWeight));
            list.Add(new(layer + "input_layernorm.weight", [s.Hidden], WeightKind.NormWeight));
            list.Add(new(layer + "post_attention_layernorm.weight", [s.Hidden], WeightKind.NormWeight));
        }

        list.Add(new(prefix + "norm.weight", [s.Hidden], WeightKind.NormWeight));
    }

    private static void AddLinear(List<ExpectedTensor> list, string prefix, int outFeatures, int inFeatures, bool bias = true)
    {
        list.Add(new(prefix + ".weight", [outFeatures, inFeatures], WeightKind.LinearWeight));
        if (bias)
        {
            list.Add(new(prefix + ".bias", [outFeatures], WeightKind.LinearBias));
        }
    }
}
