using Onnx;
using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Model;

/// <summary>The small graphs between the transformers: token embedding, FSQ, stop head and the DiT condition mu (model doc §3.3, §3.5).</summary>
internal static class HeadGraphs
{
    private const TensorProto.Types.DataType F = TensorProto.Types.DataType.Float;

    /// <summary>FSQ on <c>[.., H]</c>: z = round(tanh(in_proj x)·scale)/scale (Round is half-to-even, as torch.round), out = out_proj z.</summary>
    public static (string Output, string Latent) EmitFsq(GraphBuilder g, VoxCpmConfig config, IWeightSource weights, string x)
    {
        int h = config.LmConfig.HiddenSize;
        int latentDim = config.ScalarQuantizationLatentDim;
        string scale = g.Constant(config.ScalarQuantizationScale);
        string z = g.Op("Tanh", [g.Linear(weights, "fsq_layer.in_proj", x, h, latentDim)]);
        string latent = g.Op("Div", [g.Op("Round", [g.Op("Mul", [z, scale])]), scale]);
        return (g.Linear(weights, "fsq_layer.out_proj", latent, latentDim, h), latent);
    }

    /// <summary><c>hidden [N, H]</c> → <c>output [N, H]</c>, <c>latent [N, latent_dim]</c>.</summary>
    public static OnnxModel Fsq(VoxCpmConfig config, IWeightSource weights)
    {
        var g = new GraphBuilder("fsq");
        string x = g.Input("hidden", F, "batch", config.LmConfig.HiddenSize);
        var (output, latent) = EmitFsq(g, config, weights, x);
        g.Alias(output, "output");
        g.Alias(latent, "latent");
        g.Output("output", F, "batch", config.LmConfig.HiddenSize);
        g.Output("latent", F, "batch", config.ScalarQuantizationLatentDim);
        return g.Build();
    }

    /// <summary><c>lm_hidden [N, H]</c> → <c>logits [N, 2]</c> = stop_head(SiLU(stop_proj(h))); stop when logit 1 &gt; logit 0.</summary>
    public static OnnxModel StopHead(VoxCpmConfig config, IWeightSource weights)
    {
        int h = config.LmConfig.HiddenSize;
        var g = new GraphBuilder("stop_head");
        string x = g.Input("lm_hidden", F, "batch", h);
        string act = g.Silu(g.Linear(weights, "stop_proj", x, h, h));
        g.Alias(g.Linear(weights, "stop_head", act, h, 2, bias: false), "logits");
        g.Output("logits", F, "batch", 2);
        return g.Build();
    }

    /// <summary>
    /// <c>lm_hidden, residual_hidden [N, H]</c> → <c>mu [N, MuWidth]</c>: lm_to_dit_proj(lm) + res_to_dit_proj(res), or
    /// for VoxCPM2 their concatenation (LocDiT V2 reads it as two tokens).
    /// </summary>
    public static OnnxModel Mu(VoxCpmConfig config, IWeightSource weights)
    {
        int h = config.LmConfig.HiddenSize;
        var g = new GraphBuilder("mu");
        string lm = g.Input("lm_hidden", F, "batch", h);
        string res = g.Input("residual_hidden", F, "batch", h);
        g.Alias(EmitMu(g, config, weights, lm, res), "mu");
        g.Output("mu", F, "batch", config.MuWidth);
        return g.Build();
    }

    private static string EmitMu(GraphBuilder g, VoxCpmConfig config, IWeightSource weights, string lm, string res)
    {
        int h = config.LmConfig.HiddenSize;
        int hd = config.DitConfig.HiddenDim;
        string fromLm = g.Linear(weights, "lm_to_dit_proj", lm, h, hd);
        string fromResidual = g.Linear(weights, "res_to_dit_proj", res, h, hd);
        return config.IsVoxCpm2 ? g.Concat(-1, fromLm, fromResidual) : g.Op("Add", [fromLm, fromResidual]);
    }

    /// <summary>
    /// The residual LM's input from the base LM's (mixed) output and the audio embedding, both <c>[.., H]</c>: their sum
    /// (v1), or <c>fusion_concat_proj(cat(hidden, audio))</c> (VoxCPM2, a learned 2H → H projection).
    /// </summary>
    public static string EmitResidualInput(GraphBuilder g, VoxCpmConfig config, IWeightSource weights, string hidden, string audio)
    {
        int h = config.LmConfig.HiddenSize;
        return config.IsVoxCpm2
            ? g.Linear(weights, "fusion_concat_proj", g.Concat(-1, hidden, audio), 2 * h, h)
            : g.Op("Add", [hidden, audio]);
    }

    /// <summary><c>hidden, audio [N, H]</c> → <c>residual_inputs [N, H]</c> (<see cref="EmitResidualInput"/>), for the prefill.</summary>
    public static OnnxModel ResidualInput(VoxCpmConfig config, IWeightSource weights)
    {
        int h = config.LmConfig.HiddenSize;
        var g = new GraphBuilder("residual_input");
        string hidden = g.Input("hidden", F, "batch", h);
        string audio = g.Input("audio", F, "batch", h);
        g.Alias(EmitResidualInput(g, config, weights, hidden, audio), "residual_inputs");
        g.Output("residual_inputs", F, "batch", h);
        return g.Build();
    }

    public const string StepLmHidden = "lm_hidden_slots";
    public const string StepResidualHidden = "residual_hidden_slots";
    public const string StepSlots = "slots";
    public const string StepMu = "mu";
    public const string StepLogits = "logits";

    /// <summary>
    /// Both heads of a decode step over the slot-indexed hidden states the LMs left in device memory:
    /// <c>lm_hidden_slots, residual_hidden_slots [S, H]</c>, <c>slots [B]</c> int64 → <c>mu [B, MuWidth]</c> (as
    /// <see cref="Mu"/>) and <c>logits [B, 2]</c> (as <see cref="StopHead"/>) for the batch's rows in batch order.
    /// </summary>
    public static OnnxModel StepHeads(VoxCpmConfig config, IWeightSource weights)
    {
        int h = config.LmConfig.HiddenSize;
        var g = new GraphBuilder("step_heads");
        string slots = g.Input(StepSlots, TensorProto.Types.DataType.Int64, "batch");
        string lm = g.Op("Gather", [g.Input(StepLmHidden, F, "slots", h), slots], OnnxAttribute.Int("axis", 0));
        string res = g.Op("Gather", [g.Input(StepResidualHidden, F, "slots", h), slots], OnnxAttribute.Int("axis", 0));
        g.Alias(EmitMu(g, config, weights, lm, res), StepMu);
        g.Alias(g.Linear(weights, "stop_head", g.Silu(g.Linear(weights, "stop_proj", lm, h, h)), h, 2, bias: false), StepLogits);
        g.Output(StepMu, F, "batch", config.MuWidth);
        g.Output(StepLogits, F, "batch", 2);
        return g.Build();
    }

    public const string CommitMask = "stepped";

    /// <summary>
    /// Keeps the new hidden states of the rows a decode step advanced: <c>lm_old, res_old [S, H]</c>,
    /// <c>lm_new, res_new [R, H]</c> (R ≤ S rows stepped as one batch), <c>stepped [R]</c> bool →
    /// <c>lm_out, res_out [S, H]</c>, row r taken from new where stepped[r], else from old.
    /// </summary>
    public static OnnxModel CommitHidden(int hidden)
    {
        var g = new GraphBuilder("commit_hidden");
        string mask = g.Unsqueeze(g.Input(CommitMask, TensorProto.Types.DataType.Bool, "rows"), 1);
        foreach (string name in new[] { "lm", "res" })
        {
            string old = g.Input(name + "_old", F, "slots", hidden);
            string fresh = g.Input(name + "_new", F, "rows", hidden);
            string rows = g.Op("Shape", [fresh], OnnxAttribute.Int("start", 0), OnnxAttribute.Int("end", 1));
            string zero = g.Int64s(0);
            string head = g.Op("Slice", [old, zero, rows, zero]);
            string tail = g.Op("Slice", [old, rows, g.Int64s(long.MaxValue), zero]);
            g.Alias(g.Concat(0, g.Op("Where", [mask, fresh, head]), tail), name + "_out");
            g.Output(name + "_out", F, "slots", hidden);
        }

        return g.Build();
    }

    /// <summary>
    /// <c>ids [N]</c> int64 → <c>embeds [N, H]</c> float32, times scale_emb when use_mup (folded into the table). At
    /// Float16 the table is stored in float16 (half of its vocab × H) and the gathered rows are widened.
    /// </summary>
    public static OnnxModel TextEmbedding(VoxCpmConfig config, IWeightSource weights, ComputePrecision precision = ComputePrecision.Float32)
    {
        var lm = config.LmConfig;
        const string name = "base_lm.embed_tokens.weight";
        var table = weights.Get(name).Expect(name, lm.VocabSize, lm.HiddenSize);
        if (lm.UseMup)
        {
            table = LinearWeights.Scaled(table, lm.ScaleEmb);
        }

        var g = new GraphBuilder("embed_tokens");
        string ids = g.Input("ids", TensorProto.Types.DataType.Int64, "tokens");
        g.Alias(g.ToFloat32(g.Op("Gather", [g.Weight(name, table, precision), ids], OnnxAttribute.Int("axis", 0)), precision), "embeds");
        g.Output("embeds", F, "tokens", lm.HiddenSize);
        return g.Build();
    }
}
