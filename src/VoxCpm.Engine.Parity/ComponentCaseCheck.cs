using VoxCpm.Engine.Model;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Parity;

/// <summary>The component cases: one module on recorded inputs.</summary>
internal static class ComponentCaseCheck
{
    private const double Tol = ParityRunner.Tolerance;

    public static IReadOnlyList<ParityMetric> Run(VoxCpmEngine engine, FixtureCase c)
    {
        if (VaeCaseCheck.Handles(c.Name))
        {
            return VaeCaseCheck.Run(engine.AudioVae, engine.Config.PatchSize, c, wav => engine.EncodeVoice(wav, "", denoise: false).Patches);
        }

        var m = engine.Modules.Modules;
        return c.Name switch
        {
            "fsq" => Fsq(m, c),
            "stop_head" => [ParityMetric.Compare("logits", m.StopLogits(c.Float("input")).Data, c.Float("logits").Data, Tol)],
            "locenc" => LocEnc(m, c),
            "lm_prefill" => LmPrefill(m, c),
            "cfm_solve" => CfmSolve(m, c),
            _ => throw new NotSupportedException($"Unknown component case '{c.Name}'."),
        };
    }

    private static ParityMetric[] Fsq(VoxCpmModules m, FixtureCase c)
    {
        var (_, latent) = m.Fsq(c.Float("input"));
        return [ParityMetric.Compare("quantized_latent", latent.Data, c.Float("quantized_latent").Data, Tol)];
    }

    private static ParityMetric[] LocEnc(VoxCpmModules m, FixtureCase c)
    {
        var feat = c.Float("feat");
        var (featEmbed, encoderOut) = m.EncodePatches(feat.Reshape(feat.Shape[1], feat.Shape[2], feat.Shape[3]));
        return
        [
            ParityMetric.Compare("locenc_out", encoderOut.Data, c.Float("locenc_out").Data, Tol),
            ParityMetric.Compare("enc_to_lm_proj_out", featEmbed.Data, c.Float("enc_to_lm_proj_out").Data, Tol),
        ];
    }

    private static ParityMetric[] LmPrefill(VoxCpmModules m, FixtureCase c)
    {
        if (c.HasTensor("audio_mask"))
        {
            return MixedPrefill(m, c);
        }

        long[] ids = c.Int64("ids").Data;
        var embeds = m.TextEmbeddings(ids);
        int h = embeds.Shape[1];
        using var baseCache = m.BaseLm.CreateCache(1);
        var baseOut = VoxCpmModules.Prefill(m.BaseLm, baseCache, embeds.Reshape(1, ids.Length, h));
        using var residualCache = m.ResidualLm.CreateCache(1);
        var residualOut = VoxCpmModules.Prefill(m.ResidualLm, residualCache, baseOut.Hidden);
        return
        [
            ParityMetric.Exact("ids_end_with_audio_start", ids[^1] == 101),
            ParityMetric.Compare("inputs_embeds", embeds.Data, c.Float("inputs_embeds").Data, Tol),
            ParityMetric.Compare("base_lm_out", baseOut.Hidden.Data, c.Float("base_lm_out").Data, Tol),
            ParityMetric.Compare("layer0_k", baseCache.Read(0, keys: true, ids.Length).Data, c.Float("layer0_k").Data, Tol),
            ParityMetric.Compare("layer0_v", baseCache.Read(0, keys: false, ids.Length).Data, c.Float("layer0_v").Data, Tol),
            ParityMetric.Compare("residual_lm_out", residualOut.Hidden.Data, c.Float("residual_lm_out").Data, Tol),
        ];
    }

    /// <summary>
    /// The VoxCPM2 prefill case: a reference-mode prefix (audio patches among the tokens) through LocEnc, the base LM,
    /// the FSQ mix, the residual-input fusion and the residual LM (no RoPE), as the generation prefill runs it.
    /// </summary>
    private static ParityMetric[] MixedPrefill(VoxCpmModules m, FixtureCase c)
    {
        long[] ids = c.Int64("ids").Data;
        int length = ids.Length;
        var mask = c.Int64("audio_mask").Data.Select(v => (byte)(v != 0 ? 1 : 0)).ToArray();
        var feat = c.Float("feat");
        var featEmbed = m.EncodePatches(feat.Reshape(length, feat.Shape[2], feat.Shape[3])).FeatEmbed;
        var embeds = m.TextEmbeddings(ids);
        int h = embeds.Shape[1];
        for (int t = 0; t < length; t++)
        {
            if (mask[t] != 0)
            {
                featEmbed.Data.AsSpan(t * h, h).CopyTo(embeds.Data.AsSpan(t * h));
            }
        }

        using var baseCache = m.BaseLm.CreateCache(1);
        var baseOut = VoxCpmModules.Prefill(m.BaseLm, baseCache, embeds.Reshape(1, length, h));
        var residualIn = m.ResidualPrefillInput(baseOut, featEmbed.Data, mask);
        using var residualCache = m.ResidualLm.CreateCache(1);
        var residualOut = VoxCpmModules.Prefill(m.ResidualLm, residualCache, residualIn.Reshape(1, length, h));
        return
        [
            ParityMetric.Exact("ids_end_with_audio_start", ids[^1] == 101),
            ParityMetric.Compare("feat_embed", featEmbed.Data, c.Float("feat_embed").Data, Tol),
            ParityMetric.Compare("inputs_embeds", embeds.Data, c.Float("inputs_embeds").Data, Tol),
            ParityMetric.Compare("base_lm_out", baseOut.Hidden.Data, c.Float("base_lm_out").Data, Tol),
            ParityMetric.Compare("layer0_k", baseCache.Read(0, keys: true, length).Data, c.Float("layer0_k").Data, Tol),
            ParityMetric.Compare("layer0_v", baseCache.Read(0, keys: false, length).Data, c.Float("layer0_v").Data, Tol),
            ParityMetric.Compare("residual_lm_in", residualIn.Data, c.Float("residual_lm_in").Data, Tol),
            ParityMetric.Compare("residual_lm_out", residualOut.Hidden.Data, c.Float("residual_lm_out").Data, Tol),
            ParityMetric.Compare("residual_layer0_k", residualCache.Read(0, keys: true, length).Data, c.Float("residual_layer0_k").Data, Tol),
            ParityMetric.Compare("residual_layer0_v", residualCache.Read(0, keys: false, length).Data, c.Float("residual_layer0_v").Data, Tol),
        ];
    }

    private static List<ParityMetric> CfmSolve(VoxCpmModules m, FixtureCase c)
    {
        var metrics = new List<ParityMetric>();
        var mu = c.Float("mu");
        var cond = ChannelsLast(c.Float("cond"));
        foreach (var variant in c.Root.GetProperty("variants").EnumerateArray())
        {
            string prefix = variant.GetProperty("prefix").GetString()!;
            int steps = variant.GetProperty("n_timesteps").GetInt32();
            float cfg = variant.GetProperty("cfg_value").GetSingle();
            var result = m.SolveCfm(mu, cond, ChannelsLast(c.Float(prefix + "noise")), steps, cfg);
            metrics.Add(ParityMetric.Compare(prefix + "out", ChannelsLast(result).Data, c.Float(prefix + "out").Data, Tol));
        }

        return metrics;
    }

    /// <summary>Swaps the last two axes: the reference's [N, D, P] patches ↔ the engine's [N, P, D].</summary>
    internal static HostTensor<float> ChannelsLast(HostTensor<float> t)
    {
        int rows = t.Shape[^2];
        int cols = t.Shape[^1];
        int n = t.Data.Length / (rows * cols);
        var data = new float[t.Data.Length];
        for (int b = 0; b < n; b++)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int col = 0; col < cols; col++)
                {
                    data[(b * rows * cols) + (col * rows) + r] = t.Data[(b * rows * cols) + (r * cols) + col];
                }
            }
        }

        var shape = (int[])t.Shape.Clone();
        (shape[^2], shape[^1]) = (cols, rows);
        return new HostTensor<float>(data, shape);
    }
}
