using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Tests.AudioVae;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Generation;

/// <summary>
/// The generator's VAE on an asymmetric AudioVAE V2 (input and output rates differ): batched streaming rows give each
/// stream exactly its one-shot decode at the output rate, whichever rows a step covers and in whatever order.
/// </summary>
public class OnnxAudioVaeTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;
    private const int Patch = 2;
    private const int Patches = 6;

    [Fact]
    public void Batched_stream_rows_of_an_audio_vae_v2_match_each_streams_one_shot_decode()
    {
        using var random = new RandomVae(RandomVaeWeights.TinyV2);
        using var vae = new OnnxAudioVae(random.Runtime, capacity: 3);
        int frames = Patch * Patches;
        int hop = random.Runtime.DecoderHopLength;
        Assert.NotEqual(random.Runtime.EncoderHopLength, hop);
        var latents = Enumerable.Range(0, 4).Select(i => random.RandomLatents(1, frames, seed: 70 + i).Data).ToArray();
        var streams = new IStreamingAudioDecoder?[4];
        var audio = Enumerable.Range(0, 4).Select(_ => new List<float>()).ToArray();
        int[] next = new int[4];

        // Streams 0-2 start together (stream 0 primed alone first, as prompt context is); every step decodes every live
        // stream, listed in a different order each time. Stream 1 ends after three patches and stream 3 takes its row.
        streams[0] = vae.CreateStreamingDecoder();
        audio[0].AddRange(streams[0]!.DecodeNext(PatchOf(latents[0], frames, next[0]++, random.Latent), Patch));
        streams[1] = vae.CreateStreamingDecoder();
        streams[2] = vae.CreateStreamingDecoder();
        for (int step = 0; next.Where((_, s) => streams[s] is not null).Any(n => n < Patches); step++)
        {
            if (step == 3)
            {
                streams[1]!.Dispose();
                streams[1] = null;
                streams[3] = vae.CreateStreamingDecoder();
            }

            var live = Enumerable.Range(0, 4).Where(s => streams[s] is not null && next[s] < Patches).ToArray();
            var batch = step % 2 == 0 ? live : [.. live.Reverse()];
            var input = batch.SelectMany(s => PatchOf(latents[s], frames, next[s], random.Latent)).ToArray();
            var chunks = new float[batch.Length * Patch * hop];
            vae.DecodeStreams([.. batch.Select(s => streams[s]!)], input, Patch, chunks);
            for (int i = 0; i < batch.Length; i++)
            {
                audio[batch[i]].AddRange(chunks.AsSpan(i * Patch * hop, Patch * hop));
                next[batch[i]]++;
            }
        }

        for (int s = 0; s < 4; s++)
        {
            int decoded = next[s] * Patch;
            var oneShot = vae.Decode(latents[s], frames).AsSpan(0, decoded * hop);
            double error = RandomVae.MaxAbsDiff(audio[s].ToArray(), oneShot);
            output.WriteLine($"stream {s}: {next[s]} patches, {audio[s].Count} samples at {random.Config.DecodeSampleRate} Hz, max abs error vs one-shot {error:E2}");
            Assert.InRange(error, 0, Tolerance);
            streams[s]?.Dispose();
        }

        Assert.Equal([Patches, 3, Patches, Patches], next);
    }

    [Fact]
    public void Streams_a_step_leaves_out_keep_their_history_and_still_match_their_one_shot_decode()
    {
        using var random = new RandomVae(RandomVaeWeights.TinyV2);
        using var vae = new OnnxAudioVae(random.Runtime, capacity: 5);
        int frames = Patch * Patches;
        int hop = random.Runtime.DecoderHopLength;
        var latents = Enumerable.Range(0, 5).Select(i => random.RandomLatents(1, frames, seed: 90 + i).Data).ToArray();
        var streams = Enumerable.Range(0, 5).Select(_ => vae.CreateStreamingDecoder()).ToArray();
        var audio = Enumerable.Range(0, 5).Select(_ => new List<float>()).ToArray();
        int[] next = new int[5];

        // Which streams each step decodes: gaps of one and of several rows, at the start, inside and at the end.
        int[][] steps = [[0, 4], [1, 2, 3], [2], [0, 1, 2, 3, 4], [3, 4], [0, 1], [4, 2, 0], [1, 3], [0, 1, 2, 3, 4], [2, 3, 4], [0, 1], [0, 1, 2, 3, 4], [3], [4, 2], [0, 1, 2, 3, 4]];
        foreach (var batch in steps)
        {
            var live = batch.Where(s => next[s] < Patches).ToArray();
            var input = live.SelectMany(s => PatchOf(latents[s], frames, next[s], random.Latent)).ToArray();
            var chunks = new float[live.Length * Patch * hop];
            vae.DecodeStreams([.. live.Select(s => streams[s])], input, Patch, chunks);
            for (int i = 0; i < live.Length; i++)
            {
                audio[live[i]].AddRange(chunks.AsSpan(i * Patch * hop, Patch * hop));
                next[live[i]]++;
            }
        }

        for (int s = 0; s < 5; s++)
        {
            var oneShot = vae.Decode(latents[s], frames).AsSpan(0, next[s] * Patch * hop);
            double error = RandomVae.MaxAbsDiff(audio[s].ToArray(), oneShot);
            output.WriteLine($"stream {s}: {next[s]} patches, max abs error vs one-shot {error:E2}");
            Assert.InRange(error, 0, Tolerance);
            Assert.True(next[s] >= 4, $"stream {s} was expected to be decoded several times");
            streams[s].Dispose();
        }
    }

    /// <summary>Patch <paramref name="index"/> of one stream's latents <c>[latent, frames]</c>, as <c>[latent, P]</c>.</summary>
    private static float[] PatchOf(float[] latents, int frames, int index, int channels)
    {
        var patch = new float[channels * Patch];
        for (int c = 0; c < channels; c++)
        {
            latents.AsSpan((c * frames) + (index * Patch), Patch).CopyTo(patch.AsSpan(c * Patch));
        }

        return patch;
    }
}
