using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Parity;
using VoxCpm.Engine.Tensors;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Checkpoints;

/// <summary>Loaded values reproduce what the official model computed with them (reference tensors of the fixtures).</summary>
public class LoadedWeightValueTests
{
    [Theory]
    [InlineData("v05")]
    [InlineData("v05bf16")]
    [InlineData("v15")]
    public void Prefill_inputs_are_embedding_rows_of_the_token_ids_scaled_when_mup_is_on(string checkpoint)
    {
        var loaded = CheckpointLoader.Load(TinyFixtures.Checkpoint(checkpoint));
        using var c = FixtureCase.Open(TinyFixtures.Case(checkpoint, "lm_prefill"));
        var lm = loaded.Config.LmConfig;
        var embed = loaded.Model.Take("base_lm.embed_tokens.weight", lm.VocabSize, lm.HiddenSize);
        float scale = lm.UseMup ? lm.ScaleEmb : 1f;
        var ids = c.Int64("ids").Data;
        var expected = c.Float("inputs_embeds").Data;
        int h = lm.HiddenSize;

        for (int t = 0; t < ids.Length; t++)
        {
            for (int j = 0; j < h; j++)
            {
                // Exact: a row lookup (and one float32 multiply under μP) is what torch did too.
                Assert.Equal(expected[(t * h) + j], embed.Data[(ids[t] * h) + j] * scale);
            }
        }
    }

    [Theory]
    [InlineData("v05")]
    [InlineData("v05bf16")]
    [InlineData("v15")]
    public void Layer0_values_are_v_proj_of_the_rms_normed_inputs(string checkpoint)
    {
        var loaded = CheckpointLoader.Load(TinyFixtures.Checkpoint(checkpoint));
        using var c = FixtureCase.Open(TinyFixtures.Case(checkpoint, "lm_prefill"));
        var lm = loaded.Config.LmConfig;
        int h = lm.HiddenSize, hd = loaded.Config.HeadDim, kv = lm.NumKeyValueHeads;
        var norm = loaded.Model.Take("base_lm.layers.0.input_layernorm.weight", h).Data;
        var vProj = loaded.Model.Take("base_lm.layers.0.self_attn.v_proj.weight", kv * hd, h);
        var x = c.Float("inputs_embeds").Data;
        var reference = c.Float("layer0_v"); // [1, kv, L, hd]
        int length = x.Length / h;

        double maxError = 0;
        for (int t = 0; t < length; t++)
        {
            var row = x.AsSpan(t * h, h);
            double meanSquare = 0;
            foreach (float value in row)
            {
                meanSquare += (double)value * value;
            }

            double inv = 1 / Math.Sqrt((meanSquare / h) + lm.RmsNormEps);
            var normed = new float[h];
            for (int j = 0; j < h; j++)
            {
                normed[j] = (float)(row[j] * inv * norm[j]);
            }

            var v = Linear(vProj, null, normed);
            for (int o = 0; o < v.Length; o++)
            {
                float r = reference.Data[((o / hd) * length * hd) + (t * hd) + (o % hd)];
                maxError = Math.Max(maxError, Math.Abs(r - v[o]));
            }
        }

        Assert.True(maxError < 1e-5, $"max abs error {maxError}");
    }

    [Theory]
    [InlineData("v05")]
    [InlineData("v15")]
    public void Stop_logits_are_stop_head_of_silu_stop_proj(string checkpoint)
    {
        var loaded = CheckpointLoader.Load(TinyFixtures.Checkpoint(checkpoint));
        using var c = FixtureCase.Open(TinyFixtures.Case(checkpoint, "stop_head"));
        int h = loaded.Config.LmConfig.HiddenSize;
        var proj = loaded.Model.Take("stop_proj.weight", h, h);
        var bias = loaded.Model.Take("stop_proj.bias", h).Data;
        var head = loaded.Model.Take("stop_head.weight", 2, h);
        var input = c.Float("input").Data;
        var logits = c.Float("logits").Data;

        double maxError = 0;
        for (int t = 0; t < input.Length / h; t++)
        {
            var hidden = Linear(proj, bias, input.AsSpan(t * h, h));
            for (int j = 0; j < h; j++)
            {
                hidden[j] /= 1 + MathF.Exp(-hidden[j]);
            }

            var l = Linear(head, null, hidden);
            maxError = Math.Max(maxError, Math.Max(Math.Abs(l[0] - logits[2 * t]), Math.Abs(l[1] - logits[(2 * t) + 1])));
        }

        Assert.True(maxError < 1e-5, $"max abs error {maxError}");
    }

    [Theory]
    [InlineData("v05")]
    [InlineData("v15")]
    public void Enc_to_lm_proj_maps_the_local_encoder_output(string checkpoint)
    {
        var loaded = CheckpointLoader.Load(TinyFixtures.Checkpoint(checkpoint));
        using var c = FixtureCase.Open(TinyFixtures.Case(checkpoint, "locenc"));
        int h = loaded.Config.LmConfig.HiddenSize, e = loaded.Config.EncoderConfig.HiddenDim;
        var w = loaded.Model.Take("enc_to_lm_proj.weight", h, e);
        var b = loaded.Model.Take("enc_to_lm_proj.bias", h).Data;
        var input = c.Float("locenc_out").Data;
        var output = c.Float("enc_to_lm_proj_out").Data;

        double maxError = 0;
        for (int t = 0; t < input.Length / e; t++)
        {
            var y = Linear(w, b, input.AsSpan(t * e, e));
            for (int j = 0; j < h; j++)
            {
                maxError = Math.Max(maxError, Math.Abs(y[j] - output[(t * h) + j]));
            }
        }

        Assert.True(maxError < 1e-5, $"max abs error {maxError}");
    }

    /// <summary>y = x·Wᵀ + b with W stored [out, in], accumulated in double.</summary>
    private static float[] Linear(HostTensor<float> w, float[]? bias, ReadOnlySpan<float> x)
    {
        int outFeatures = w.Shape[0], inFeatures = w.Shape[1];
        var y = new float[outFeatures];
        for (int o = 0; o < outFeatures; o++)
        {
            double sum = bias?[o] ?? 0;
            for (int i = 0; i < inFeatures; i++)
            {
                sum += (double)w.Data[(o * inFeatures) + i] * x[i];
            }

            y[o] = (float)sum;
        }

        return y;
    }
}
