using System.Text.Json;
using VoxCpm.Engine.Generation;

namespace VoxCpm.Engine.Parity;

/// <summary>
/// The generation cases: a whole <c>VoxCPM.generate</c> / <c>generate_streaming</c> call replayed with the recorded
/// noise, compared on tokens, decisions (patches, attempts, stop reason), latents, chunks and the waveform.
/// </summary>
internal static class GenerationCaseCheck
{
    private const double Tol = ParityRunner.Tolerance;
    private const int MaxIterations = 100_000;

    public static IReadOnlyList<ParityMetric> Run(VoxCpmEngine engine, FixtureCase c)
    {
        var kwargs = c.Root.GetProperty("call_kwargs");
        bool streaming = c.Root.GetProperty("api").GetString()!.Contains("generate_streaming", StringComparison.Ordinal);
        var metrics = new List<ParityMetric>();
        VoicePrompt? prompt = null;
        if (kwargs.TryGetProperty("prompt_wav_path", out var wav) && wav.ValueKind == JsonValueKind.String)
        {
            prompt = engine.EncodeVoice(File.ReadAllBytes(Path.Combine(c.Directory, wav.GetString()!)), kwargs.GetProperty("prompt_text").GetString()!, denoise: false);
            metrics.Add(ParityMetric.Compare("prompt_latents", prompt.Patches.Data, PromptPatches(c, prompt.PatchCount), Tol));
        }

        VoiceReference? reference = null;
        if (kwargs.TryGetProperty("reference_wav_path", out var referenceWav) && referenceWav.ValueKind == JsonValueKind.String)
        {
            reference = engine.EncodeReference(File.ReadAllBytes(Path.Combine(c.Directory, referenceWav.GetString()!)), denoise: false);
            metrics.Add(ParityMetric.Compare("reference_latents", reference.Patches.Data, c.Float("reference_feat").Data, Tol));
        }

        int patchValues = engine.Config.PatchSize * engine.Config.FeatDim;
        var request = new GenerationRequest
        {
            Text = kwargs.GetProperty("text").GetString()!,
            Prompt = prompt,
            Reference = reference,
            CfgValue = kwargs.GetProperty("cfg_value").GetSingle(),
            InferenceTimesteps = kwargs.GetProperty("inference_timesteps").GetInt32(),
            MinLength = kwargs.GetProperty("min_len").GetInt32(),
            MaxLength = kwargs.GetProperty("max_len").GetInt32(),
            RetryBadcase = kwargs.GetProperty("retry_badcase").GetBoolean() && !streaming,
            RetryBadcaseMaxTimes = kwargs.GetProperty("retry_badcase_max_times").GetInt32(),
            RetryBadcaseRatioThreshold = kwargs.GetProperty("retry_badcase_ratio_threshold").GetSingle(),
            Streaming = streaming,
            Seed = kwargs.GetProperty("seed").GetInt64(),
            Noise = new ReplayNoise(c.Float("noise").Data, c.Int64("noise_attempt").Data, patchValues),

            // The reference's behaviour exactly: one segment, a chunk per step, no guard beyond its step cap.
            MaxSegmentChars = 0,
            FirstChunkPatches = 1,
            ChunkPatches = 1,
            SilenceGuard = false,
            NoiseGuard = false,
        };

        using var generator = engine.CreateGenerator(StreamingDecodeMode.OfficialWindow);
        var state = generator.Begin(request);
        try
        {
            var chunks = new List<float[]>();
            for (int i = 0; !state.IsFinished && i < MaxIterations; i++)
            {
                generator.Advance([state], CancellationToken.None);
                if (!state.PendingAudio.IsEmpty)
                {
                    chunks.Add(state.PendingAudio.ToArray());
                }
            }

            metrics.Add(ParityMetric.Exact("tokens", c.Int64("model_input_text_tokens").Data.AsSpan().SequenceEqual(state.ModelInputIds)));
            metrics.Add(ParityMetric.Exact("attempts", state.Attempts == c.Root.GetProperty("attempts").GetInt32()));
            metrics.Add(ParityMetric.Exact("stopped_by", state.StopReason == c.Root.GetProperty("stopped_by").GetString()));
            metrics.Add(ParityMetric.Exact("patches", state.Latents.Count - state.SeededPatches == c.Root.GetProperty("patches_generated_final").GetInt32()));
            if (streaming)
            {
                var expected = c.Float("stream_chunks");
                metrics.Add(ParityMetric.Exact("chunk_count", chunks.Count == expected.Shape[0]));
                metrics.Add(ParityMetric.Compare("stream_chunks", chunks.SelectMany(x => x).ToArray(), expected.Data, Tol));
            }
            else
            {
                metrics.Add(ParityMetric.Compare("latents_final", state.Latents.Slice(0, state.Latents.Count).ToArray(), c.Float("latents_final").Data, Tol));
            }

            // The final attempt's generated patches (streaming too), checked before the VAE turns them into audio.
            var steps = ComponentCaseCheck.ChannelsLast(c.Float("step_pred_feat"));
            int generated = state.Latents.Count - state.SeededPatches;
            int stepValues = steps.Data.Length / steps.Shape[0];
            var expectedGenerated = steps.Data.AsSpan((steps.Shape[0] - Math.Min(generated, steps.Shape[0])) * stepValues);
            metrics.Add(ParityMetric.Compare("generated_latents", state.Latents.Slice(state.SeededPatches, generated).ToArray(), expectedGenerated, Tol));

            metrics.Add(ParityMetric.Compare("waveform", chunks.SelectMany(x => x).ToArray(), c.Float("waveform").Data, Tol));
            return metrics;
        }
        finally
        {
            generator.Release(state);
        }
    }

    /// <summary>The prompt's latent patches as the reference fed them: the audio rows at the end of <c>model_input_audio_feat</c>.</summary>
    private static float[] PromptPatches(FixtureCase c, int patches)
    {
        var feats = c.Float("model_input_audio_feat");
        int rowValues = feats.Data.Length / feats.Shape[0];
        int available = feats.Shape[0];
        return feats.Data.AsSpan((available - Math.Min(patches, available)) * rowValues).ToArray();
    }
}
