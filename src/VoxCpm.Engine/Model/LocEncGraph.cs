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

    public static OnnxModel Build(VoxCpmConfig config, IWeightSource weights, WeightQuantization quantization = WeightQuantization.None)
    {
        var f = TensorProto.Types.DataType.Float;
        var spec = MiniCpmStackSpec.LocalEncoder(config, quantization);
        int p = config.PatchSize;
        int he = spec.Hidden;
        var g = new GraphBuilder("locenc");
        string patches = g.Input(Patches, f, "batch", p, config.FeatDim);
        string tokens = g.Linear(weights, "feat_encoder.in_proj", patches, config.FeatDim, he);

        const string clsName = "feat_encoder.special_token";
        var cls = weights.Get(clsName).Expect(clsName, 1, 1, 1, he).Reshape(1, 1, he);
        string clsShape = g.Concat(0, g.BatchDim(patches), g.Int64s(1, he));
        string clsTokens = g.Op("Expand", [g.Weight(clsName, cls), clsShape]);
        string sequence = g.Concat(1, clsTokens, tokens);

        var attention = new LocalAttention(g, config, spec, p + 1);
        string clsHidden = MiniCpmStack.Emit(g, spec, weights, sequence, attention.Emit, outputTokens: (0, 1));
        string cls0 = g.Op("Gather", [clsHidden, g.ConstantInt64([0])], OnnxAttribute.Int("axis", 1));
        g.Alias(cls0, EncoderOut);
        g.Output(EncoderOut, f, "batch", he);
        g.Alias(g.Linear(weights, "enc_to_lm_proj", cls0, he, config.LmConfig.HiddenSize), FeatEmbed);
        g.Output(FeatEmbed, f, "batch", config.LmConfig.HiddenSize);
        return g.Build();
    }
}
