using Onnx;
using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Model;

/// <summary>
/// The local encoder (model doc §3.4): <c>patches [N, P, D]</c> → in_proj → prepend the learned CLS token → bidirectional
/// MiniCPM stack over P+1 tokens → final norm → token 0 = <c>encoder_out [N, H_enc]</c> → enc_to_lm_proj =
/// <c>feat_embed [N, H]</c>.
/// </summary>
internal static class LocEncGraph
{
    public const string Patches = "patches";
    public const string EncoderOut = "encoder_out";
    public const string FeatEmbed = "feat_embed";

    /// <remarks>At Float16 everything between the float32 <c>patches</c> and the two float32 outputs runs in float16.</remarks>
    public static OnnxModel Build(VoxCpmConfig config, IWeightSource weights, WeightQuantization quantization = WeightQuantization.None, ComputePrecision precision = ComputePrecision.Float32)
    {
        var f = TensorProto.Types.DataType.Float;
        var spec = MiniCpmStackSpec.LocalEncoder(config, quantization) with { Precision = precision };
        int p = config.PatchSize;
        int he = spec.Hidden;
        var g = new GraphBuilder("locenc");
        string patches = g.ToPrecision(g.Input(Patches, f, "batch", p, config.FeatDim), precision);
        string tokens = g.Linear(weights, "feat_encoder.in_proj", patches, config.FeatDim, he, precision: precision);

        const string clsName = "feat_encoder.special_token";
        var cls = weights.Get(clsName).Expect(clsName, 1, 1, 1, he).Reshape(1, 1, he);
        string clsShape = g.Concat(0, g.BatchDim(patches), g.Int64s(1, he));
        string clsTokens = g.Op("Expand", [g.Weight(clsName, cls, precision), clsShape]);
        string sequence = g.Concat(1, clsTokens, tokens);

        var attention = new LocalAttention(g, config, spec, p + 1);
        string clsHidden = MiniCpmStack.Emit(g, spec, weights, sequence, attention.Emit, outputTokens: (0, 1));
        string cls0 = g.Op("Gather", [clsHidden, g.ConstantInt64([0])], OnnxAttribute.Int("axis", 1));
        g.Alias(g.ToFloat32(cls0, precision), EncoderOut);
        g.Output(EncoderOut, f, "batch", he);
        g.Alias(g.ToFloat32(g.Linear(weights, "enc_to_lm_proj", cls0, he, config.LmConfig.HiddenSize, precision: precision), precision), FeatEmbed);
        g.Output(FeatEmbed, f, "batch", config.LmConfig.HiddenSize);
        return g.Build();
    }
}
