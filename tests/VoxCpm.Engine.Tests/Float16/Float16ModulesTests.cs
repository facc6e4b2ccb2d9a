using Microsoft.ML.OnnxRuntime.Tensors;
using VoxCpm.Engine.Model;
using VoxCpm.Engine.Parity;
using VoxCpm.Engine.Tensors;
using VoxCpm.Engine.Tests.Model;
using VoxCpm.TestKit;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Float16;

/// <summary>
/// The float16 graphs on the CPU provider against the float32 reference tensors (which the float32 engine meets within
/// 1e-4): every transformer module stays within <see cref="RelativeTolerance"/> of the largest reference magnitude.
/// </summary>
[Collection(Float16ModulesGroup.Name)]
public class Float16ModulesTests(Float16ModulesFixture fixture, ITestOutputHelper output)
{
    /// <summary>Max abs error over max |reference|. Float16 has an 11-bit mantissa (relative step 4.9e-4).</summary>
    private const float RelativeTolerance = 1e-2f;

    [Fact]
    public void Lm_prefill_keys_values_and_both_lms_stay_close_to_the_reference()
    {
        var modules = fixture.Modules("v15");
        using var c = FixtureCase.Open(TinyFixtures.Case("v15", "lm_prefill"));
        long[] ids = c.Int64("ids").Data;
        var embeds = modules.TextEmbeddings(ids);
        AssertRelativeClose("inputs_embeds (float16 table)", c.Float("inputs_embeds"), embeds);

        using var baseCache = modules.BaseLm.CreateCache(1);
        var baseOut = VoxCpmModules.Prefill(modules.BaseLm, baseCache, c.Float("inputs_embeds"));
        AssertRelativeClose("base_lm_out", c.Float("base_lm_out"), baseOut.Hidden);
        AssertRelativeClose("layer0_k", c.Float("layer0_k"), baseCache.Read(0, keys: true, ids.Length));
        AssertRelativeClose("layer0_v", c.Float("layer0_v"), baseCache.Read(0, keys: false, ids.Length));

        using var residualCache = modules.ResidualLm.CreateCache(1);
        var residualOut = VoxCpmModules.Prefill(modules.ResidualLm, residualCache, c.Float("base_lm_out"));
        AssertRelativeClose("residual_lm_out", c.Float("residual_lm_out"), residualOut.Hidden);
    }

    [Fact]
    public void Kv_caches_hold_float16_and_a_sliced_batch_decodes_like_one_prefill()
    {
        var modules = fixture.Modules("v15");
        using var c = FixtureCase.Open(TinyFixtures.Case("v15", "lm_prefill"));
        var embeds = c.Float("inputs_embeds");
        int length = embeds.Shape[1];
        int hidden = embeds.Shape[2];

        using var pool = modules.BaseLm.CreateCache(3);
        Assert.Equal(TensorElementType.Float16, pool.ElementType);
        Assert.Equal(TensorElementType.Float16, pool.Keys(0).GetTensorTypeAndShape().ElementDataType);

        // Rows 1 and 2 of a 3-row pool, as the scheduler runs the live rows of its slot pool.
        using var rows = pool.Slice(1, 2);
        Assert.Equal(TensorElementType.Float16, rows.Keys(0).GetTensorTypeAndShape().ElementDataType);
        var stepped = new float[length * hidden];
        for (int t = 0; t < length; t++)
        {
            var token = ParityAssert.Rows(embeds.Reshape(length, hidden), t, 1);
            var pair = new HostTensor<float>([.. token.Data, .. token.Data], 2, hidden);
            var result = VoxCpmModules.DecodeStep(modules.BaseLm, rows, pair).Hidden;
            Assert.Equal(result.Data.AsSpan(0, hidden).ToArray(), result.Data.AsSpan(hidden, hidden).ToArray());
            result.Data.AsSpan(0, hidden).CopyTo(stepped.AsSpan(t * hidden));
        }

        Assert.Equal([0, length, length], pool.Lengths.ToArray());
        AssertRelativeClose("decode steps in a sliced float16 cache vs the reference prefill", c.Float("base_lm_out"), new HostTensor<float>(stepped, 1, length, hidden));

        // The slice wrote into the pool's memory at rows 1 and 2, at the float16 row stride.
        var keys = pool.Read(0, keys: true, length);
        int rowValues = keys.Data.Length / 3;
        Assert.Equal(keys.Data.AsSpan(rowValues, rowValues).ToArray(), keys.Data.AsSpan(2 * rowValues, rowValues).ToArray());
        AssertRelativeClose("layer0_k written through the slice", c.Float("layer0_k"), new HostTensor<float>(keys.Data.AsSpan(rowValues, rowValues).ToArray(), c.Float("layer0_k").Shape));
    }

    [Fact]
    public void Local_encoder_stays_close_to_the_reference()
    {
        var modules = fixture.Modules("v15");
        using var c = FixtureCase.Open(TinyFixtures.Case("v15", "locenc"));
        var feat = c.Float("feat");
        var (featEmbed, encoderOut) = modules.EncodePatches(feat.Reshape(feat.Shape[1], feat.Shape[2], feat.Shape[3]));
        AssertRelativeClose("locenc_out", c.Float("locenc_out"), encoderOut);
        AssertRelativeClose("enc_to_lm_proj_out", c.Float("enc_to_lm_proj_out"), featEmbed);
    }

    [Fact]
    public void Every_dit_estimator_call_and_every_cfm_solve_stay_close_to_the_reference()
    {
        var modules = fixture.Modules("v15");
        using var c = FixtureCase.Open(TinyFixtures.Case("v15", "cfm_solve"));
        var mu = c.Float("mu");
        var cond = ParityAssert.SwapLastTwo(c.Float("cond"));
        int calls = 0;
        foreach (var variant in c.Root.GetProperty("variants").EnumerateArray())
        {
            string prefix = variant.GetProperty("prefix").GetString()!;
            int steps = variant.GetProperty("n_timesteps").GetInt32();
            for (int call = 0; call < variant.GetProperty("estimator_calls").GetInt32(); call++)
            {
                string name = $"{prefix}est{call:D2}_";
                var velocity = fixture.Estimator("v15").Estimate(
                    ParityAssert.SwapLastTwo(c.Float(name + "x")),
                    c.Float(name + "mu"),
                    ParityAssert.SwapLastTwo(c.Float(name + "cond")),
                    modules.Dit.TimeEmbeddings(c.Float(name + "t").Data));
                AssertRelativeClose(name + "out", c.Float(name + "out"), ParityAssert.SwapLastTwo(velocity));
                calls++;
            }

            var solved = modules.SolveCfm(mu, cond, ParityAssert.SwapLastTwo(c.Float(prefix + "noise")), steps, variant.GetProperty("cfg_value").GetSingle());
            AssertRelativeClose(prefix + "out (whole solve)", c.Float(prefix + "out"), ParityAssert.SwapLastTwo(solved));
        }

        Assert.Equal(12, calls);
    }

    [Fact]
    public void The_stop_head_and_fsq_stay_float32_and_exact()
    {
        var modules = fixture.Modules("v15");
        using var stop = FixtureCase.Open(TinyFixtures.Case("v15", "stop_head"));
        ParityAssert.AssertClose(output, "stop logits", stop.Float("logits"), modules.StopLogits(stop.Float("input")));
        using var fsq = FixtureCase.Open(TinyFixtures.Case("v15", "fsq"));
        ParityAssert.AssertClose(output, "fsq quantized_latent", fsq.Float("quantized_latent"), modules.Fsq(fsq.Float("input")).Latent);
    }

    private void AssertRelativeClose(string label, HostTensor<float> expected, HostTensor<float> actual)
    {
        Assert.True(expected.Data.Length == actual.Data.Length, $"{label}: expected {expected.ShapeText} but got {actual.ShapeText}");
        Assert.All(actual.Data, v => Assert.True(float.IsFinite(v), $"{label}: non-finite value {v}"));
        float scale = expected.Data.Max(MathF.Abs);
        float error = ParityAssert.MaxAbsError(expected.Data, actual.Data);
        float relative = error / scale;
        output.WriteLine($"{label}: max abs error {error:E2} (max |reference| {scale:0.###}, relative {relative:E2})");
        Assert.True(relative <= RelativeTolerance, $"{label}: relative error {relative:E2} exceeds {RelativeTolerance:E1}");
    }
}
