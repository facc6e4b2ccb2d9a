using System.Globalization;
using VoxCpm.Engine.AudioVae;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Parity;

/// <summary>
/// The AudioVAE component cases (<c>vae_encode</c>, <c>vae_decode</c>, <c>vae_decode_stream</c>) of both fixture
/// families: v1 / v1.5 (one rate) and VoxCPM2 (AudioVAE V2: 16 kHz in, 48 kHz out, sample-rate conditions, stateful
/// streaming). Needs only the VAE, so tests can run it on a VAE loaded alone.
/// </summary>
internal static class VaeCaseCheck
{
    private const double Tol = ParityRunner.Tolerance;

    /// <summary>Whether <paramref name="caseName"/> is one of the VAE component cases.</summary>
    public static bool Handles(string caseName) => caseName is "vae_encode" or "vae_decode" or "vae_decode_stream";

    /// <param name="vae">The VAE under test.</param>
    /// <param name="patchSize">Latent frames per patch (<c>patch_size</c>).</param>
    /// <param name="c">The case.</param>
    /// <param name="encodePromptWav">
    /// The engine's prompt path (WAV file → left-padded patches <c>[T, P, latent]</c>), checked against the recorded
    /// prompt feats; null to check the reshape of the VAE's own latents instead.
    /// </param>
    public static IReadOnlyList<ParityMetric> Run(AudioVaeRuntime vae, int patchSize, FixtureCase c, Func<byte[], HostTensor<float>>? encodePromptWav = null)
    {
        ArgumentNullException.ThrowIfNull(vae);
        ArgumentNullException.ThrowIfNull(c);
        return c.Name switch
        {
            "vae_encode" when c.HasTensor("prompt_audio_in") => EncodeV2(vae, patchSize, c, encodePromptWav),
            "vae_encode" => EncodeV1(vae, patchSize, c, encodePromptWav),
            "vae_decode" => Decode(vae, c),
            "vae_decode_stream" => DecodeStream(vae, c),
            _ => throw new NotSupportedException($"'{c.Name}' is not an AudioVAE case."),
        };
    }

    private static List<ParityMetric> EncodeV1(AudioVaeRuntime vae, int patchSize, FixtureCase c, Func<byte[], HostTensor<float>>? encodePromptWav)
    {
        var audio = c.Float("audio_in");
        var latents = vae.Encode(audio.Reshape(1, 1, audio.Shape[^1]));
        var feat = encodePromptWav is not null && c.PromptWavPath is { } wav ? encodePromptWav(File.ReadAllBytes(wav)) : Patches(latents, patchSize);
        return
        [
            ParityMetric.Compare("latents", latents.Data, c.Float("latents").Data, Tol),
            ParityMetric.Compare("prompt_cache_audio_feat", feat.Data, c.Float("prompt_cache_audio_feat").Data, Tol),
        ];
    }

    /// <summary>
    /// V2: the continuation prompt left-padded, the reference right-padded to whole patches at the encode rate; both
    /// encoded and cut into patches.
    /// </summary>
    private static List<ParityMetric> EncodeV2(AudioVaeRuntime vae, int patchSize, FixtureCase c, Func<byte[], HostTensor<float>>? encodePromptWav)
    {
        var metrics = new List<ParityMetric>();
        int patchSamples = patchSize * vae.EncoderHopLength;
        foreach (var (name, padLeft) in new[] { ("prompt", true), ("reference", false) })
        {
            if (!c.HasTensor(name + "_audio_in"))
            {
                continue;
            }

            var padded = PadToMultiple(c.Float(name + "_audio_loaded").Data, patchSamples, padLeft);
            metrics.Add(ParityMetric.Compare(name + "_audio_in", padded, c.Float(name + "_audio_in").Data, 0));
            var latents = vae.Encode(new HostTensor<float>(padded, 1, 1, padded.Length));
            metrics.Add(ParityMetric.Compare(name + "_latents", latents.Data, c.Float(name + "_latents").Data, Tol));
            var feat = padLeft && encodePromptWav is not null && c.PromptWavPath is { } wav ? encodePromptWav(File.ReadAllBytes(wav)) : Patches(latents, patchSize);
            metrics.Add(ParityMetric.Compare(name + "_feat", feat.Data, c.Float(name + "_feat").Data, Tol));
        }

        return metrics;
    }

    /// <summary>One-shot decode at the decode rate, at each other recorded condition rate, and layer by layer (traces).</summary>
    private static List<ParityMetric> Decode(AudioVaeRuntime vae, FixtureCase c)
    {
        var latents = c.Float("latents");
        var metrics = new List<ParityMetric> { ParityMetric.Compare("audio", vae.Decode(latents).Data, c.Float("audio").Data, Tol) };
        const string RatePrefix = "audio_sr";
        foreach (string name in c.TensorNames.Where(n => n.StartsWith(RatePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            int rate = int.Parse(name.AsSpan(RatePrefix.Length), CultureInfo.InvariantCulture);
            metrics.Add(ParityMetric.Compare(name, VaeReferenceDecodes.DecodeWithConditionRate(vae, latents, rate).Data, c.Float(name).Data, Tol));
        }

        if (c.HasTensor("trace_latents"))
        {
            var trace = VaeReferenceDecodes.DecodeTrace(vae, c.Float("trace_latents"));
            double worst = 0;
            int compared = 0;
            foreach (var (module, output) in trace)
            {
                if (TraceTensorName(module) is { } tensor && c.HasTensor(tensor))
                {
                    worst = Math.Max(worst, ParityMetric.MaxAbsDifference(output.Data, c.Float(tensor).Data));
                    compared++;
                }
            }

            metrics.Add(new ParityMetric($"trace({compared} layers)", compared > 0 ? worst : double.PositiveInfinity, Tol));
            metrics.Add(ParityMetric.Compare("trace_audio", trace[vae.Layout.DecoderModules[^1].Key].Data, c.Float("trace_audio").Data, Tol));
        }

        return metrics;
    }

    /// <summary>The fixture's name for a decoder module's output: <c>decoder.model.3</c> → <c>trace_layer03_out</c>.</summary>
    public static string? TraceTensorName(string moduleKey)
    {
        const string Model = "decoder.model.";
        const string Condition = "decoder.sr_cond_model.";
        return moduleKey.StartsWith(Model, StringComparison.Ordinal) ? $"trace_layer{int.Parse(moduleKey.AsSpan(Model.Length), CultureInfo.InvariantCulture):D2}_out"
            : moduleKey.StartsWith(Condition, StringComparison.Ordinal) ? $"trace_srcond{int.Parse(moduleKey.AsSpan(Condition.Length), CultureInfo.InvariantCulture):D2}_out"
            : null;
    }

    /// <summary>Every recorded chunking through one stateful stream decoder: each chunk and their concatenation.</summary>
    private static List<ParityMetric> DecodeStream(AudioVaeRuntime vae, FixtureCase c)
    {
        var latents = c.Float("latents");
        int channels = latents.Shape[1];
        int frames = latents.Shape[2];
        int hop = vae.DecoderHopLength;
        var metrics = new List<ParityMetric>();
        if (c.HasTensor("audio_full"))
        {
            metrics.Add(ParityMetric.Compare("audio_full", vae.Decode(latents).Data, c.Float("audio_full").Data, Tol));
        }

        foreach (var split in c.Root.GetProperty("splits").EnumerateArray())
        {
            string prefix = split.GetProperty("prefix").GetString()!;
            int[] patches = [.. split.GetProperty("patches_per_chunk").EnumerateArray().Select(p => p.GetInt32())];
            int patchFrames = frames / patches.Sum();
            using var stream = vae.CreateStream();
            var joined = new float[frames * hop];
            double worstChunk = 0;
            int start = 0;
            for (int i = 0; i < patches.Length; i++)
            {
                int n = patches[i] * patchFrames;
                var chunk = new float[channels * n];
                for (int ch = 0; ch < channels; ch++)
                {
                    latents.Data.AsSpan((ch * frames) + start, n).CopyTo(chunk.AsSpan(ch * n));
                }

                var audio = joined.AsMemory(start * hop, n * hop);
                stream.Decode(chunk, n, audio);
                string name = $"{prefix}chunk{i:D2}";
                worstChunk = Math.Max(worstChunk, c.HasTensor(name) ? ParityMetric.MaxAbsDifference(audio.Span, c.Float(name).Data) : double.PositiveInfinity);
                start += n;
            }

            metrics.Add(new ParityMetric($"{prefix}chunks", worstChunk, Tol));
            metrics.Add(ParityMetric.Compare(prefix + "concat", joined, c.Float(prefix + "concat").Data, Tol));
        }

        return metrics;
    }

    /// <summary>Zeros in front (<paramref name="padLeft"/>) or behind, up to a multiple of <paramref name="multiple"/>.</summary>
    private static float[] PadToMultiple(float[] samples, int multiple, bool padLeft)
    {
        int padded = (samples.Length + multiple - 1) / multiple * multiple;
        var result = new float[padded];
        samples.CopyTo(result, padLeft ? padded - samples.Length : 0);
        return result;
    }

    /// <summary>Latents <c>[1, D, T·P]</c> as patches <c>[T, P, D]</c> (consecutive frames form a patch).</summary>
    private static HostTensor<float> Patches(HostTensor<float> latents, int patchSize)
    {
        int d = latents.Shape[1];
        int frames = latents.Shape[2];
        var data = new float[d * frames];
        for (int f = 0; f < frames; f++)
        {
            for (int ch = 0; ch < d; ch++)
            {
                data[(f * d) + ch] = latents.Data[(ch * frames) + f];
            }
        }

        return new HostTensor<float>(data, frames / patchSize, patchSize, d);
    }
}
