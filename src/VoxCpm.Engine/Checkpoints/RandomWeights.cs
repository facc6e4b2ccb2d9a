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

    /// <remarks>
    /// The main model's tensors are drawn when a graph builder asks for them (as a checkpoint's are read), so a
    /// full-size model never exists twice in memory while its sessions are built; the VAE's are drawn at once.
    /// </remarks>
    public static (WeightStore Model, WeightStore AudioVae) Create(VoxCpmConfig config, int seed)
    {
        ArgumentNullException.ThrowIfNull(config);
        var model = VoxCpmWeightLayout.Model(config);
        var vae = VoxCpmWeightLayout.AudioVae(config.AudioVaeConfig).Where(t => !t.TrainingOnly).ToList();

        var modelStore = new WeightStore(SourceName);
        var vaeStore = new WeightStore(SourceName);
        for (int i = 0; i < model.Count; i++)
        {
            var (tensor, index) = (model[i], i);
            modelStore.Add(tensor.Name, tensor.Shape, values => Draw(tensor, index, seed, values));
        }

        for (int i = 0; i < vae.Count; i++)
        {
            // Integer buffers are not drawn: they hold what the config says (AudioVAE V2's rate boundaries).
            float[] values;
            if (vae[i] is { Kind: WeightKind.IntegerBuffer, Name: "decoder.sr_bin_boundaries" })
            {
                values = Array.ConvertAll(config.AudioVaeConfig.SrBinBoundaries!, v => (float)v);
            }
            else
            {
                values = GC.AllocateUninitializedArray<float>(checked((int)vae[i].ElementCount));
                Draw(vae[i], model.Count + i, seed, values);
            }

            vaeStore.Add(vae[i].Name, new HostTensor<float>(values, vae[i].Shape));
        }

        return (modelStore, vaeStore);
    }

    /// <summary>Tensor number <paramref name="index"/> of the layout into <paramref name="values"/>, block by block in parallel (each block seeded on its own).</summary>
    private static void Draw(ExpectedTensor tensor, int index, int seed, float[] values)
    {
        using var phase = LoadClock.Measure(LoadPhase.CheckpointRead);
        int blocks = (values.Length + BlockSize - 1) / BlockSize;
        Parallel.For(0, blocks, block =>
        {
            int start = block * BlockSize;
            var span = values.AsSpan(start, Math.Min(BlockSize, values.Length - start));
            var rng = new Xoshiro256StarStar(((ulong)(uint)seed << 32) ^ ((ulong)(uint)index << 20) ^ (uint)block ^ 0x9E3779B97F4A7C15UL);
            Fill(tensor, span, ref rng);
        });
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
            case WeightKind.SampleRateScale:
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
            case WeightKind.SampleRateBias:
                FillNormal(values, 0, 0.05f, ref rng);
                break;
            case WeightKind.IntegerBuffer:
                values.Clear(); // replaced by the config's values once every tensor is drawn
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
