using Onnx;
using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Model;

/// <summary>
/// The local DiT (model doc §3.6) and one Euler step of its CFM solver (§3.7). Patches are patch-major
/// <c>[N, P, D]</c> (the layout LocEnc reads and the latent list stores); the reference's <c>[N, D, P]</c> is its transpose.
/// The time embedding arrives precomputed per row (<see cref="TimeEmbedding"/>), so rows at different solver steps can
/// share a batch. At <see cref="ComputePrecision.Float16"/> the estimator (projections and stack) runs in float16 while
/// inputs, outputs and the solver arithmetic (CFG-Zero*, the Euler update) stay float32.
/// </summary>
internal static class DitGraphs
{
    public const string X = "x";
    public const string Mu = "mu";
    public const string Cond = "cond";
    public const string TimeEmbed = "temb";
    public const string Dt = "dt";
    public const string Cfg = "cfg";
    public const string Velocity = "velocity";
    public const string XNext = "x_next";
    public const string SinusT = "sinus_t";
    public const string SinusDt = "sinus_dt";

    private const TensorProto.Types.DataType F = TensorProto.Types.DataType.Float;
    private const string Prefix = "feat_decoder.estimator.";

    /// <summary><c>sinus_t, sinus_dt [N, H_dit]</c> → <c>temb [N, H_dit]</c> = time_mlp(sinus_t) + delta_time_mlp(sinus_dt).</summary>
    public static OnnxModel TimeEmbedding(VoxCpmConfig config, IWeightSource weights)
    {
        int h = config.DitConfig.HiddenDim;
        var g = new GraphBuilder("dit_time_embedding");
        string t = g.Input(SinusT, F, "batch", h);
        string dt = g.Input(SinusDt, F, "batch", h);
        string Mlp(string name, string x) =>
            g.Linear(weights, name + ".linear_2", g.Silu(g.Linear(weights, name + ".linear_1", x, h, h)), h, h);
        g.Alias(g.Op("Add", [Mlp(Prefix + "time_mlp", t), Mlp(Prefix + "delta_time_mlp", dt)]), TimeEmbed);
        g.Output(TimeEmbed, F, "batch", h);
        return g.Build();
    }

    /// <summary>The estimator alone: <c>x, cond [N, P, D]</c>, <c>mu [N, MuWidth]</c>, <c>temb [N, H_dit]</c> → <c>velocity [N, P, D]</c>.</summary>
    public static OnnxModel Estimator(VoxCpmConfig config, IWeightSource weights, WeightQuantization quantization = WeightQuantization.None, ComputePrecision precision = ComputePrecision.Float32)
    {
        var g = new GraphBuilder("dit_estimator");
        var (x, mu, cond, temb) = DeclareInputs(g, config);
        var (condTokens, xTokens) = PatchTokens(g, config, weights, g.ToPrecision(x, precision), g.ToPrecision(cond, precision), precision);
        string prefix = PrefixTokens(g, config, g.ToPrecision(mu, precision), g.ToPrecision(temb, precision));
        g.Alias(g.ToFloat32(EmitVelocity(g, config, weights, quantization, precision, g.Concat(1, prefix, condTokens, xTokens)), precision), Velocity);
        g.Output(Velocity, F, "batch", config.PatchSize, config.FeatDim);
        return g.Build();
    }

    /// <summary>
    /// One Euler step with classifier-free guidance: the estimator runs once on the doubled batch (rows 0..B−1 with mu,
    /// rows B..2B−1 with mu = 0; x, cond and time are shared), CFG-Zero* scales per row over the whole patch, and
    /// <c>x_next = x − dt·v</c>. Inputs <c>x, cond [B, P, D]</c>, <c>mu [B, MuWidth]</c>, <c>temb [B, H_dit]</c>, <c>dt, cfg [B]</c>.
    /// The time inputs may also be one row (<c>temb [1, H_dit]</c>, <c>dt [1]</c>) shared by every row: a solve where all
    /// rows follow one schedule then binds the schedule's own rows instead of copying them per row and step.
    /// </summary>
    public static OnnxModel Step(VoxCpmConfig config, IWeightSource weights, WeightQuantization quantization = WeightQuantization.None, ComputePrecision precision = ComputePrecision.Float32)
    {
        var g = new GraphBuilder("dit_step");
        var (x, mu, cond, temb) = DeclareInputs(g, config, timeRows: "time_rows");
        string dt = g.Input(Dt, F, "time_rows");
        string cfg = g.Input(Cfg, F, "batch");

        // The patch tokens are the same for both halves; only the mu tokens differ (zero in the unconditional half).
        var (condTokens, xTokens) = PatchTokens(g, config, weights, g.ToPrecision(x, precision), g.ToPrecision(cond, precision), precision);
        string time = g.ToPrecision(g.Op("Expand", [temb, g.Concat(0, g.BatchDim(x), g.Int64s(config.DitConfig.HiddenDim))]), precision);
        string conditional = g.Concat(1, PrefixTokens(g, config, g.ToPrecision(mu, precision), time), condTokens, xTokens);
        string unconditional = g.Concat(1, PrefixTokens(g, config, null, time, precision), condTokens, xTokens);
        string velocity = g.ToFloat32(EmitVelocity(g, config, weights, quantization, precision, g.Concat(0, conditional, unconditional)), precision);
        var halves = g.Op("Split", [velocity], 2, OnnxAttribute.Int("axis", 0), OnnxAttribute.Int("num_outputs", 2));
        string vc = halves[0];
        string vu = halves[1];

        // CFG-Zero*: s* = <v_c, v_u> / (|v_u|² + 1e-8) per row; v = s*·v_u + cfg·(v_c − s*·v_u).
        string axes = g.Int64s(1, 2);
        string dot = g.Op("ReduceSum", [g.Op("Mul", [vc, vu]), axes], OnnxAttribute.Int("keepdims", 1));
        string norm = g.Op("Add", [g.Op("ReduceSum", [g.Op("Mul", [vu, vu]), axes], OnnxAttribute.Int("keepdims", 1)), g.Constant(1e-8f)]);
        string scaledU = g.Op("Mul", [vu, g.Op("Div", [dot, norm])]);
        string guided = g.Op("Add", [scaledU, g.Op("Mul", [g.Reshape(cfg, -1, 1, 1), g.Op("Sub", [vc, scaledU])])]);
        g.Alias(g.Op("Sub", [x, g.Op("Mul", [g.Reshape(dt, -1, 1, 1), guided])]), XNext);
        g.Output(XNext, F, "batch", config.PatchSize, config.FeatDim);
        return g.Build();
    }

    /// <summary>Tokens ahead of the patch tokens in the estimator's sequence: v1 one (mu + t), VoxCPM2 <c>MuTokens + 1</c>.</summary>
    public static int PrefixTokenCount(VoxCpmConfig config) => config.IsVoxCpm2 ? config.MuTokens + 1 : 1;

    /// <summary>
    /// The tokens ahead of the patches, <c>[N, PrefixTokenCount, H_dit]</c>: v1 <c>[mu + t]</c>; VoxCPM2 (LocDiT V2)
    /// <c>[mu₀, mu₁, t]</c> with mu <c>[N, 2·H_dit]</c> read as two tokens. A null <paramref name="mu"/> is CFG's
    /// unconditional row: v1 <c>[t]</c>, V2 <c>[0, 0, t]</c>.
    /// </summary>
    private static string PrefixTokens(GraphBuilder g, VoxCpmConfig config, string? mu, string time, ComputePrecision precision = ComputePrecision.Float32)
    {
        string timeToken = g.Unsqueeze(time, 1);
        if (!config.IsVoxCpm2)
        {
            return mu is null ? timeToken : g.Unsqueeze(g.Op("Add", [mu, time]), 1);
        }

        int h = config.DitConfig.HiddenDim;
        string muTokens;
        if (mu is null)
        {
            string shape = g.Concat(0, g.BatchDim(time), g.Int64s(config.MuTokens, h));
            muTokens = g.Op("Expand", [g.Weight("dit_zero_mu", new Tensors.HostTensor<float>([0f], 1, 1, 1), precision), shape]);
        }
        else
        {
            muTokens = g.Reshape(mu, 0, config.MuTokens, h);
        }

        return g.Concat(1, muTokens, timeToken);
    }

    /// <param name="g">The graph.</param>
    /// <param name="config">The model's config.</param>
    /// <param name="timeRows">The first dimension of the time inputs: "batch", or its own name where one row may serve every row.</param>
    private static (string X, string Mu, string Cond, string Temb) DeclareInputs(GraphBuilder g, VoxCpmConfig config, string timeRows = "batch")
    {
        int h = config.DitConfig.HiddenDim;
        return (
            g.Input(X, F, "batch", config.PatchSize, config.FeatDim),
            g.Input(Mu, F, "batch", config.MuWidth),
            g.Input(Cond, F, "batch", config.PatchSize, config.FeatDim),
            g.Input(TimeEmbed, F, timeRows, h));
    }

    private static (string Cond, string X) PatchTokens(GraphBuilder g, VoxCpmConfig config, IWeightSource weights, string x, string cond, ComputePrecision precision)
    {
        int h = config.DitConfig.HiddenDim;
        return (
            g.Linear(weights, Prefix + "cond_proj", cond, config.FeatDim, h, precision: precision),
            g.Linear(weights, Prefix + "in_proj", x, config.FeatDim, h, precision: precision));
    }

    /// <summary>Tokens <c>[M, prefix + 2P, H_dit]</c> ([prefix, cond ×P, x ×P]) → velocity of the last P tokens <c>[M, P, D]</c>.</summary>
    private static string EmitVelocity(GraphBuilder g, VoxCpmConfig config, IWeightSource weights, WeightQuantization quantization, ComputePrecision precision, string tokens)
    {
        var spec = MiniCpmStackSpec.LocalDit(config, quantization) with { Precision = precision };
        int p = config.PatchSize;
        int prefix = PrefixTokenCount(config);
        var attention = new LocalAttention(g, config, spec, prefix + (2 * p));
        string xPart = MiniCpmStack.Emit(g, spec, weights, tokens, attention.Emit, outputTokens: (prefix + p, prefix + (2 * p)));
        return g.Linear(weights, Prefix + "out_proj", xPart, spec.Hidden, config.FeatDim, precision: precision);
    }
}
