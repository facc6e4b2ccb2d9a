using VoxCpm.Engine.AudioVae;
using VoxCpm.Engine.Model;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Tests.AudioVae;

/// <summary>An AudioVAE runtime with random weights, plus the naive reference over the same weights.</summary>
internal sealed class RandomVae : IDisposable
{
    public RandomVae(AudioVaeConfig config, int seed = 7, int threads = 1)
    {
        Config = config;
        Layout = AudioVaeLayout.Create(config);
        Weights = RandomVaeWeights.Create(Layout, seed);
        Runtime = AudioVaeRuntime.Create(config, key => Weights.GetValueOrDefault(key), new OnnxRuntimeOptions { IntraOpThreads = threads });
        Reference = new ReferenceAudioVae(config, key => Weights[key]);
    }

    public AudioVaeConfig Config { get; }

    public AudioVaeLayout Layout { get; }

    public Dictionary<string, HostTensor<float>> Weights { get; }

    public AudioVaeRuntime Runtime { get; }

    public ReferenceAudioVae Reference { get; }

    /// <summary>Output samples per latent frame.</summary>
    public int Hop => Layout.DecoderHopLength;

    /// <summary>Input samples per latent frame.</summary>
    public int EncoderHop => Layout.EncoderHopLength;

    public int Latent => Layout.LatentDim;

    /// <summary>Standard-normal latents [batch, latent, frames], as the vae_decode fixture uses.</summary>
    public HostTensor<float> RandomLatents(int batch, int frames, int seed) =>
        new(RandomVaeWeights.Gaussians(batch * Latent * frames, seed), batch, Latent, frames);

    /// <summary>Row b of a [B, C, T] tensor as [C][T] doubles.</summary>
    public static double[][] Row(HostTensor<float> tensor, int b)
    {
        int channels = tensor.Shape[1];
        int length = tensor.Shape[2];
        var rows = new double[channels][];
        for (int c = 0; c < channels; c++)
        {
            rows[c] = Array.ConvertAll(tensor.Data[(((b * channels) + c) * length)..(((b * channels) + c + 1) * length)], v => (double)v);
        }

        return rows;
    }

    public static double MaxAbsDiff(ReadOnlySpan<float> actual, ReadOnlySpan<double> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            max = Math.Max(max, Math.Abs(actual[i] - expected[i]));
        }

        return max;
    }

    public static double MaxAbsDiff(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double max = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            max = Math.Max(max, Math.Abs(actual[i] - expected[i]));
        }

        return max;
    }

    public static double Rms(ReadOnlySpan<double> values)
    {
        double sum = 0;
        foreach (double v in values)
        {
            sum += v * v;
        }

        return Math.Sqrt(sum / values.Length);
    }

    public void Dispose() => Runtime.Dispose();
}
