using VoxCpm.Engine.Model;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Checkpoints;

/// <summary>
/// Weights of the exact layout a config implies, drawn at random with O(1) activations (the fixtures' init):
/// for timing the real model sizes (<c>--random-weights CONFIG.json</c>) without the real checkpoint. Deterministic
/// in the seed, independent of thread scheduling, and fast: the 0.5B layout (652 M values) fills in seconds.
/// </summary>
internal static class RandomWeights
{
    public const string SourceName = "random weights";

    /// <summary>Values per independently seeded block: large tensors fill in parallel.</summary>
    private const int BlockSize = 1 << 20;

    /// <summary>
    /// Stores that draw each tensor when a graph builder takes it (the same values on every take): a load never holds
    /// the whole random checkpoint beside the converted weights, as with a real checkpoint (see <see cref="WeightStore"/>).
    /// </summary>
    public static (WeightStore Model, WeightStore AudioVae) Create(VoxCpmConfig config, int seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        var model = VoxCpmWeightLayout.Model(config);
        var vae = VoxCpmWeightLayout.AudioVae(config.AudioVaeConfig).Where(t => !t.TrainingOnly).ToList();
        var modelStore = new WeightStore(SourceName);
        var vaeStore = new WeightStore(SourceName);
        int index = 0;
        foreach (var tensor in model.Concat(vae))
        {
            int tensorIndex = index++;
            (tensorIndex < model.Count ? modelStore : vaeStore).Add(tensor.Name, tensor.Shape, () => Draw(tensor, tensorIndex, seed));
        }

        return (modelStore, vaeStore);
    }

    /// <summary>One tensor's values; blocks are seeded independently, so large tensors fill in parallel and the values do not depend on thread scheduling.</summary>
    private static HostTensor<float> Draw(ExpectedTensor tensor, int index, int seed)
    {
        using var phase = LoadClock.Measure(LoadPhase.CheckpointRead);
        var values = GC.AllocateUninitializedArray<float>(checked((int)tensor.ElementCount));
        int blocks = (values.Length + BlockSize - 1) / BlockSize;
        Parallel.For(0, blocks, block =>
        {
            int start = block * BlockSize;
            var span = values.AsSpan(start, Math.Min(BlockSize, values.Length - start));
            var rng = new Xoshiro256StarStar(((ulong)(uint)seed << 32) ^ ((ulong)(uint)index << 20) ^ (uint)block ^ 0x9E3779B97F4A7C15UL);
            Fill(tensor, span, ref rng);
        });
        return new HostTensor<float>(values, tensor.Shape);
    }

    private static void Fill(ExpectedTensor t, Span<float> values, ref Xoshiro256StarStar rng)
    {
        var s = t.Shape;
        switch (t.Kind)
        {
            case WeightKind.LinearWeight:
                FillNormal(values, 0, 1 / MathF.Sqrt(s[1]), ref rng);
                break;
            case WeightKind.LinearBias:
                FillNormal(values, 0, 0.1f, ref rng);
                break;
            case WeightKind.NormWeight:
                FillNormal(values, 1, 0.1f, ref rng);
                break;
            case WeightKind.Embedding:
            case WeightKind.LearnedToken:
                FillNormal(values, 0, 1, ref rng);
                break;
            case WeightKind.ConvWeight:
                FillNormal(values, 0, 1 / MathF.Sqrt(s[1] * s[2]), ref rng);
                break;
            case WeightKind.TransposedConvWeight:
                // [in, out, 2·stride]: each output sample sums in × 2 taps.
                FillNormal(values, 0, 1 / MathF.Sqrt(s[0] * 2), ref rng);
                break;
            case WeightKind.ConvBias:
                FillNormal(values, 0, 0.05f, ref rng);
                break;
            case WeightKind.SnakeAlpha:
                foreach (ref float v in values)
                {
                    v = 0.5f + ((rng.Next() >> 40) * (1f / (1 << 24)));
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(t), t.Kind, "no initializer for this weight kind");
        }
    }

    /// <summary>
    /// Approximately normal values: the sum of four 16-bit uniforms from one 64-bit draw (Irwin–Hall, n = 4), which
    /// has the right mean and variance and a bell shape within ±3.5σ at a fraction of Box–Muller's cost.
    /// </summary>
    private static void FillNormal(Span<float> values, float mean, float std, ref Xoshiro256StarStar rng)
    {
        const float SumMean = 4 * 32767.5f;
        float scale = std / (65536f / MathF.Sqrt(3));
        var local = rng; // keeps the generator state in registers for the loop
        foreach (ref float v in values)
        {
            ulong r = local.Next();
            uint sum = (uint)(r & 0xFFFF) + (uint)((r >> 16) & 0xFFFF) + (uint)((r >> 32) & 0xFFFF) + (uint)(r >> 48);
            v = mean + ((sum - SumMean) * scale);
        }

        rng = local;
    }
}
