using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.AudioVae;

/// <summary>Chunked decoding with per-layer causal history is sample-identical to decoding all frames at once.</summary>
public class StreamingVaeDecoderTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    /// <summary>More frames than the decoder's receptive field (~20 frames), so histories cross many chunk boundaries.</summary>
    private const int Frames = 26;

    [Theory]
    [InlineData("tiny05", new[] { 2 })]
    [InlineData("tiny15", new[] { 4 })]
    [InlineData("tinyv2", new[] { 1 })]
    [InlineData("tinyv2", new[] { 2, 1, 3 })]
    [InlineData("tiny05", new[] { 1, 3, 2, 5, 1, 7, 4, 3 })]
    [InlineData("tiny15", new[] { 5, 1, 1, 9, 2, 8 })]
    public void Concatenated_chunks_equal_the_one_shot_decode(string config, int[] chunkPattern)
    {
        using var vae = new RandomVae(RandomVaeWeights.ByName(config));
        const int batch = 2;
        var latents = vae.RandomLatents(batch, Frames, seed: 41);
        var oneShot = vae.Runtime.Decode(latents);
        int total = Frames * vae.Hop;

        using var stream = vae.Runtime.CreateStream(batch);
        var streamed = new float[batch * total];
        var independent = new float[batch * total];
        int start = 0;
        for (int chunk = 0; start < Frames; chunk++)
        {
            int n = Math.Min(chunkPattern[chunk % chunkPattern.Length], Frames - start);
            var audio = new float[batch * n * vae.Hop];
            var chunkLatents = Slice(latents.Data, batch, vae.Latent, Frames, start, n);
            stream.Decode(chunkLatents, n, audio);
            var withoutHistory = vae.Runtime.Decode(new(chunkLatents, batch, vae.Latent, n));
            for (int b = 0; b < batch; b++)
            {
                audio.AsSpan(b * n * vae.Hop, n * vae.Hop).CopyTo(streamed.AsSpan((b * total) + (start * vae.Hop)));
                withoutHistory.Data.AsSpan(b * n * vae.Hop, n * vae.Hop).CopyTo(independent.AsSpan((b * total) + (start * vae.Hop)));
            }

            start += n;
        }

        double error = RandomVae.MaxAbsDiff(streamed, oneShot.Data);
        double withoutHistoryError = RandomVae.MaxAbsDiff(independent, oneShot.Data);
        output.WriteLine($"{config} chunks [{string.Join(",", chunkPattern)}] x {Frames} frames, batch {batch}: max abs error vs one-shot {error:E2} (chunks decoded without history: {withoutHistoryError:E2})");
        Assert.Equal(Frames, stream.FramesDecoded);
        Assert.InRange(error, 0, Tolerance);
        Assert.True(withoutHistoryError > 1e-2, "the chunk boundaries must matter, or this test proves nothing");
    }

    [Fact]
    public void A_reset_row_starts_a_new_stream_while_the_other_row_continues()
    {
        using var vae = new RandomVae(RandomVaeWeights.Tiny05);
        const int chunk = 2;
        var first = vae.RandomLatents(2, 4 * chunk, seed: 51);
        var fresh = vae.RandomLatents(1, 2 * chunk, seed: 52);
        var firstOneShot = vae.Runtime.Decode(first);
        var freshOneShot = vae.Runtime.Decode(fresh);
        int hop = vae.Hop;
        using var stream = vae.Runtime.CreateStream(batchSize: 2);
        var audio = new float[2 * chunk * hop];

        for (int c = 0; c < 2; c++)
        {
            stream.Decode(Slice(first.Data, 2, vae.Latent, 4 * chunk, c * chunk, chunk), chunk, audio);
        }

        stream.ResetRow(1);
        double rowZero = 0;
        double rowOne = 0;
        for (int c = 0; c < 2; c++)
        {
            // Row 0 continues its stream at chunk 2; row 1 starts the fresh stream.
            var rows = Slice(first.Data, 2, vae.Latent, 4 * chunk, (c + 2) * chunk, chunk);
            Slice(fresh.Data, 1, vae.Latent, 2 * chunk, c * chunk, chunk).CopyTo(rows.AsSpan(vae.Latent * chunk));
            stream.Decode(rows, chunk, audio);
            rowZero = Math.Max(rowZero, RandomVae.MaxAbsDiff(audio.AsSpan(0, chunk * hop), firstOneShot.Data.AsSpan(((c + 2) * chunk * hop), chunk * hop)));
            rowOne = Math.Max(rowOne, RandomVae.MaxAbsDiff(audio.AsSpan(chunk * hop, chunk * hop), freshOneShot.Data.AsSpan(c * chunk * hop, chunk * hop)));
        }

        output.WriteLine($"after ResetRow(1): continuing row max abs error {rowZero:E2}, restarted row {rowOne:E2}");
        Assert.InRange(rowZero, 0, Tolerance);
        Assert.InRange(rowOne, 0, Tolerance);
    }

    [Fact]
    public void Reset_forgets_the_history()
    {
        using var vae = new RandomVae(RandomVaeWeights.Tiny05);
        var latents = vae.RandomLatents(1, 4, seed: 61);
        using var stream = vae.Runtime.CreateStream();
        var firstPass = new float[4 * vae.Hop];
        var secondPass = new float[4 * vae.Hop];

        stream.Decode(latents.Data, 4, firstPass);
        stream.Reset();
        stream.Decode(latents.Data, 4, secondPass);

        Assert.Equal(firstPass, secondPass);
        Assert.Equal(4, stream.FramesDecoded);
    }

    [Fact]
    public void Mismatched_buffer_sizes_are_rejected_with_the_expected_shape()
    {
        using var vae = new RandomVae(RandomVaeWeights.Tiny05);
        using var stream = vae.Runtime.CreateStream();

        var error = Assert.Throws<ArgumentException>(() => stream.Decode(new float[64 * 3], 2, new float[2 * vae.Hop]));
        Assert.Contains("[1, 64, 2]", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Frames [start, start+n) of every row of a [batch, channels, frames] buffer, as [batch, channels, n].</summary>
    private static float[] Slice(float[] data, int batch, int channels, int frames, int start, int n)
    {
        var result = new float[batch * channels * n];
        for (int row = 0; row < batch * channels; row++)
        {
            data.AsSpan((row * frames) + start, n).CopyTo(result.AsSpan(row * n));
        }

        return result;
    }
}
