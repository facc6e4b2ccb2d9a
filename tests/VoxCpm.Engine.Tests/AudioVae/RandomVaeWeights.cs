using VoxCpm.Engine.AudioVae;
using VoxCpm.Engine.Model;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Tests.AudioVae;

/// <summary>Random AudioVAE weights of the fixture recipe (activations O(1)) and the configs the tests run.</summary>
internal static class RandomVaeWeights
{
    /// <summary>The v05 fixture's tiny VAE: VoxCPM-0.5B rates (hop 640).</summary>
    public static AudioVaeConfig Tiny05 { get; } = new() { EncoderDim = 8, EncoderRates = [2, 5, 8, 8], DecoderDim = 32, DecoderRates = [8, 8, 5, 2], SampleRate = 16000 };

    /// <summary>The v15 fixture's tiny VAE: VoxCPM1.5 rates (hop 1764, odd strides).</summary>
    public static AudioVaeConfig Tiny15 { get; } = new() { EncoderDim = 8, EncoderRates = [2, 3, 6, 7, 7], DecoderDim = 64, DecoderRates = [7, 7, 6, 3, 2], SampleRate = 44100 };

    /// <summary>Full-size VoxCPM-0.5B VAE (for timing).</summary>
    public static AudioVaeConfig Full05 { get; } = new() { EncoderDim = 128, EncoderRates = [2, 5, 8, 8], DecoderDim = 1536, DecoderRates = [8, 8, 5, 2], SampleRate = 16000 };

    /// <summary>Full-size VoxCPM1.5 VAE (for timing).</summary>
    public static AudioVaeConfig Full15 { get; } = new() { EncoderDim = 64, EncoderRates = [2, 3, 6, 7, 7], DecoderDim = 2048, DecoderRates = [7, 7, 6, 3, 2], SampleRate = 44100 };

    /// <summary>
    /// A tiny AudioVAE V2 with odd strides in both stacks (the V2 encoder pads them differently from v1), 16 kHz in and
    /// 24 kHz out, and an output rate equal to a boundary (bucketize with right=False counts only boundaries below it).
    /// </summary>
    public static AudioVaeConfig TinyV2 { get; } = new AudioVaeConfig
    {
        EncoderDim = 8,
        EncoderRates = [2, 5, 4],
        DecoderDim = 32,
        DecoderRates = [5, 3, 2, 2],
        SampleRate = 16000,
        OutSampleRate = 24000,
        SrBinBoundaries = [20000, 24000, 40000],
    }.ForArchitecture("voxcpm2");

    /// <summary><see cref="TinyV2"/> with the other official condition kinds (<c>add</c>, <c>concat</c>) and the condition out layer.</summary>
    public static AudioVaeConfig TinyV2Add { get; } = TinyV2 with { CondType = "add", CondOutLayer = true };

    public static AudioVaeConfig TinyV2Concat { get; } = TinyV2 with { CondType = "concat", CondDim = 6, CondOutLayer = true };

    public static AudioVaeConfig ByName(string name) => name switch
    {
        "tiny05" => Tiny05,
        "tiny15" => Tiny15,
        "tinyv2" => TinyV2,
        "tinyv2-add" => TinyV2Add,
        "tinyv2-concat" => TinyV2Concat,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown test config"),
    };

    /// <summary>
    /// The fixtures' recipe: folded weight-norm weights g·v/‖v‖ with v ~ N(0, 1) and g = 0.7 per dim-0 slice, biases
    /// N(0, 0.05²), Snake α ~ U(0.5, 1.5).
    /// </summary>
    public static Dictionary<string, HostTensor<float>> Create(AudioVaeLayout layout, int seed)
    {
        var random = new Random(seed);
        var tensors = new Dictionary<string, HostTensor<float>>(StringComparer.Ordinal);
        foreach (var (key, shape) in layout.ExpectedWeights().OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var data = new float[HostTensor<float>.ElementCount(shape)];
            if (key == AudioVaeLayout.BoundariesKey)
            {
                data = Array.ConvertAll(layout.Config.SrBinBoundaries!, v => (float)v);
            }
            else if (key.EndsWith(".scale_embed.weight", StringComparison.Ordinal))
            {
                Fill(data, () => 1 + (0.1 * Gaussian(random)));
            }
            else if (key.EndsWith("_embed.weight", StringComparison.Ordinal))
            {
                Fill(data, () => 0.1 * Gaussian(random));
            }
            else if (key.EndsWith(".alpha", StringComparison.Ordinal))
            {
                Fill(data, () => 0.5 + random.NextDouble());
            }
            else if (key.EndsWith(".bias", StringComparison.Ordinal))
            {
                Fill(data, () => 0.05 * Gaussian(random));
            }
            else
            {
                Fill(data, () => Gaussian(random));
                NormalizeSlices(data, shape[0], 0.7f);
            }

            tensors.Add(key, new HostTensor<float>(data, shape));
        }

        return tensors;
    }

    public static float[] Gaussians(int count, int seed, double std = 1)
    {
        var random = new Random(seed);
        var data = new float[count];
        Fill(data, () => std * Gaussian(random));
        return data;
    }

    private static void NormalizeSlices(float[] data, int slices, float gain)
    {
        int size = data.Length / slices;
        for (int s = 0; s < slices; s++)
        {
            var slice = data.AsSpan(s * size, size);
            double norm = 0;
            foreach (float v in slice)
            {
                norm += v * v;
            }

            float scale = (float)(gain / Math.Sqrt(norm));
            foreach (ref float v in slice)
            {
                v *= scale;
            }
        }
    }

    private static void Fill(float[] data, Func<double> next)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)next();
        }
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
