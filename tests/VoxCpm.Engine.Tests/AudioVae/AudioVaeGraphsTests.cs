using VoxCpm.Engine.Tensors;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.AudioVae;

/// <summary>The one-shot encoder and decoder graphs compute what the official modules compute (naive reference).</summary>
public class AudioVaeGraphsTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    [Theory]
    [InlineData("tiny05")]
    [InlineData("tiny15")]
    [InlineData("tinyv2")]
    public void Encoder_graph_matches_the_reference_for_every_batch_row(string config)
    {
        using var vae = new RandomVae(RandomVaeWeights.ByName(config));
        const int batch = 2;
        int samples = 3 * vae.EncoderHop;
        var wav = new HostTensor<float>(RandomVaeWeights.Gaussians(batch * samples, seed: 11, std: 0.3), batch, 1, samples);

        var latents = vae.Runtime.Encode(wav);

        Assert.Equal([batch, vae.Latent, 3], latents.Shape);
        for (int b = 0; b < batch; b++)
        {
            var expected = vae.Reference.Encode(wav.Data[(b * samples)..((b + 1) * samples)]).SelectMany(c => c).ToArray();
            double error = RandomVae.MaxAbsDiff(latents.Data.AsSpan(b * expected.Length, expected.Length), expected);
            output.WriteLine($"{config} encode row {b}: max abs error {error:E2} (reference rms {RandomVae.Rms(expected):F3})");
            Assert.True(RandomVae.Rms(expected) > 0.1, "the random weights must give non-trivial latents");
            Assert.InRange(error, 0, Tolerance);
        }
    }

    [Theory]
    [InlineData("tiny05")]
    [InlineData("tiny15")]
    [InlineData("tinyv2")]
    public void Encoder_right_pads_audio_to_a_whole_frame_like_AudioVAE_encode(string config)
    {
        using var vae = new RandomVae(RandomVaeWeights.ByName(config));
        int samples = (2 * vae.EncoderHop) - Math.Min(100, vae.EncoderHop / 2);
        var audio = RandomVaeWeights.Gaussians(samples, seed: 12, std: 0.3);

        var latents = vae.Runtime.Encode(new HostTensor<float>(audio, 1, 1, samples));

        var padded = new float[2 * vae.EncoderHop];
        audio.CopyTo(padded, 0);
        var expected = vae.Reference.Encode(padded).SelectMany(c => c).ToArray();
        double error = RandomVae.MaxAbsDiff(latents.Data, expected);
        output.WriteLine($"{config} encode of {samples} samples (padded to {padded.Length}): max abs error {error:E2}");
        Assert.Equal([1, vae.Latent, 2], latents.Shape);
        Assert.InRange(error, 0, Tolerance);
    }

    [Theory]
    [InlineData("tiny05")]
    [InlineData("tiny15")]
    [InlineData("tinyv2")]
    [InlineData("tinyv2-add")]
    [InlineData("tinyv2-concat")]
    public void Decoder_graph_matches_the_reference_for_every_batch_row(string config)
    {
        using var vae = new RandomVae(RandomVaeWeights.ByName(config));
        const int batch = 2;
        const int frames = 5;
        var latents = vae.RandomLatents(batch, frames, seed: 21);

        var wav = vae.Runtime.Decode(latents);

        int samples = frames * vae.Hop;
        Assert.Equal([batch, 1, samples], wav.Shape);
        for (int b = 0; b < batch; b++)
        {
            var expected = vae.Reference.Decode(RandomVae.Row(latents, b));
            double error = RandomVae.MaxAbsDiff(wav.Data.AsSpan(b * samples, samples), expected);
            output.WriteLine($"{config} decode row {b}: max abs error {error:E2} (reference rms {RandomVae.Rms(expected):F3})");
            Assert.True(RandomVae.Rms(expected) is > 0.05 and < 0.9, "the random weights must give audio that is neither silent nor saturated");
            Assert.InRange(error, 0, Tolerance);
        }
    }

    [Theory]
    [InlineData("tiny05", 2)]
    [InlineData("tiny15", 4)]
    public void Official_window_tail_is_the_end_of_a_fresh_decode_of_the_window(string config, int patch)
    {
        using var vae = new RandomVae(RandomVaeWeights.ByName(config));
        var window = vae.RandomLatents(1, 3 * patch, seed: 31);

        var tail = vae.Runtime.DecodeWindowTail(window, patch * vae.Hop);

        var full = vae.Reference.Decode(RandomVae.Row(window, 0));
        double error = RandomVae.MaxAbsDiff(tail.Data, full.AsSpan(full.Length - (patch * vae.Hop)));
        output.WriteLine($"{config} window tail ({patch * vae.Hop} samples of {full.Length}): max abs error {error:E2}");
        Assert.Equal([1, patch * vae.Hop], tail.Shape);
        Assert.InRange(error, 0, Tolerance);
    }
}
