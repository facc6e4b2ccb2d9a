using VoxCpm.Engine.Model;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Parity;
using VoxCpm.Engine.Tensors;
using VoxCpm.TestKit;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Model;

/// <summary>The generation loop's interface over the ONNX modules, driven through the reference's final attempt.</summary>
[Collection(ModulesGroup.Name)]
public class OnnxVoxCpmModulesTests(ModulesFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("v15", "zs_en")]
    [InlineData("v15", "clone")]
    [InlineData("v2", "zs_en")]
    [InlineData("v2", "ref_cont_clone")]
    public void Prefill_then_steps_reproduce_mu_stop_logits_and_patches(string checkpoint, string caseName)
    {
        var modules = fixture.Adapter(checkpoint);
        using var c = FixtureCase.Open(TinyFixtures.Case(checkpoint, caseName));
        var config = modules.Config;
        int patchValues = config.PatchSize * config.FeatDim;
        long[] stepAttempt = c.Int64("step_attempt").Data;
        long[] timesteps = c.Int64("step_n_timesteps").Data;
        float cfg = c.Root.GetProperty("call_kwargs").GetProperty("cfg_value").GetSingle();
        int finalAttempt = (int)stepAttempt[^1];
        int firstStep = Array.IndexOf(stepAttempt, finalAttempt);
        int firstFwd = Array.IndexOf(c.Int64("fwd_attempt").Data, finalAttempt);
        var ledger = new ErrorLedger();

        byte[] audioMask = Array.ConvertAll(c.Int64("model_input_audio_mask").Data, v => (byte)v);
        using var state = modules.Prefill(new PrefillInput(c.Int64("model_input_text_tokens").Data, c.Float("model_input_audio_feat"), audioMask));
        Assert.Equal(audioMask.Length, state.Length);
        for (int s = firstStep; s < stepAttempt.Length; s++)
        {
            var mu = new float[config.MuWidth];
            modules.ComputeMu([state], mu);
            ledger.Compare("step_dit_mu", ParityAssert.Rows(c.Float("step_dit_mu"), s, 1), new HostTensor<float>(mu, 1, mu.Length));
            var logits = new float[2];
            modules.ComputeStopLogits([state], logits);
            ledger.Compare("step_stop_logits", ParityAssert.Rows(c.Float("step_stop_logits"), s, 1), new HostTensor<float>(logits, 1, 2));

            var patch = new float[patchValues];
            modules.SolveCfm(
                ParityAssert.Rows(c.Float("step_dit_mu"), s, 1).Data,
                ParityAssert.Rows(c.Float("step_cfm_cond"), s, 1).Data,
                ParityAssert.Rows(c.Float("noise"), s, 1).Data,
                [cfg],
                [(int)timesteps[s]],
                patch);
            var expectedPatch = ParityAssert.Rows(c.Float("step_pred_feat"), s, 1);
            ledger.Compare("step_pred_feat", expectedPatch, new HostTensor<float>(patch, expectedPatch.Shape));

            int f = firstFwd + (s - firstStep);
            if (f < c.Int64("fwd_attempt").Data.Length)
            {
                var embedding = new float[config.LmConfig.HiddenSize];
                modules.EncodePatches(ParityAssert.SwapLastTwo(expectedPatch).Data, 1, embedding);
                ledger.Compare("fwd_base_lm_in", ParityAssert.Rows(c.Float("fwd_base_lm_in"), f, 1), new HostTensor<float>(embedding, 1, embedding.Length));
                modules.StepLanguageModelsFromEmbeddings([state], ParityAssert.Rows(c.Float("fwd_base_lm_in"), f, 1).Data);
            }
        }

        ledger.ReportAndAssert(output);
    }

    [Fact]
    public void A_step_advances_only_its_own_rows_and_the_others_keep_their_hidden_states()
    {
        var modules = fixture.Adapter("v15");
        using var c = FixtureCase.Open(TinyFixtures.Case("v15", "zs_en"));
        var config = modules.Config;
        int patchValues = config.PatchSize * config.FeatDim;
        byte[] audioMask = Array.ConvertAll(c.Int64("model_input_audio_mask").Data, v => (byte)v);
        long[] ids = c.Int64("model_input_text_tokens").Data;
        var feats = c.Float("model_input_audio_feat");
        using var first = modules.Prefill(new PrefillInput(ids, feats, audioMask));
        using var second = modules.Prefill(new PrefillInput(ids, feats, audioMask));
        var (firstLm, firstResidual) = modules.ReadHidden(first);
        var (secondLm, secondResidual) = modules.ReadHidden(second);
        Assert.Equal(firstLm, secondLm); // same prompt, same state
        Assert.Equal(firstResidual, secondResidual);

        var patch = ParityAssert.SwapLastTwo(ParityAssert.Rows(c.Float("step_pred_feat"), 0, 1)).Data;
        Assert.Equal(patchValues, patch.Length);
        modules.StepLanguageModels([second], patch);

        var untouched = modules.ReadHidden(first);
        Assert.Equal(firstLm, untouched.LmHidden);
        Assert.Equal(firstResidual, untouched.ResidualHidden);
        Assert.Equal(ids.Length, first.Length);
        Assert.Equal(ids.Length + 1, second.Length);
        Assert.NotEqual(secondLm, modules.ReadHidden(second).LmHidden);

        // The row left behind steps later to exactly where the other went.
        var stepped = modules.ReadHidden(second);
        modules.StepLanguageModels([first], patch);
        var caughtUp = modules.ReadHidden(first);
        Assert.Equal(stepped.LmHidden, caughtUp.LmHidden);
        Assert.Equal(stepped.ResidualHidden, caughtUp.ResidualHidden);
    }

    [Theory]
    [InlineData("v15", "zs_en", "clone", "zs_zh")]
    [InlineData("v2", "zs_en", "ref_cont_clone", "zs_mixed")]
    public void Prompts_prefilled_together_leave_every_row_as_its_prefill_alone_does(string checkpoint, string first, string cloned, string last)
    {
        var modules = fixture.Adapter(checkpoint);
        var inputs = new[] { first, cloned, last }.Select(name => PrefillInputOf(checkpoint, name)).ToArray();
        Assert.True(inputs[1].HasAudio, "the middle request clones a voice");
        Assert.True(inputs[1].Length != inputs[2].Length, "the rows that share a batch differ in length, so one is padded");
        var alone = inputs.Select(input =>
        {
            using var state = modules.Prefill(input);
            return PrefillAndStep(modules, [state]).Single();
        }).ToArray();

        // A request holding slot 1 splits the three slots (0, 2, 3) into two runs: one alone, two batched.
        using var holder = modules.Prefill(inputs[0]);
        using (modules.Prefill(inputs[0]))
        {
        }

        var together = modules.Prefill(inputs);
        try
        {
            Assert.Equal(inputs.Select(i => i.Length), together.Select(s => s.Length));
            var batched = PrefillAndStep(modules, together);
            for (int i = 0; i < inputs.Length; i++)
            {
                AssertClose($"row {i} after its prefill", alone[i].AfterPrefill, batched[i].AfterPrefill);
                AssertClose($"row {i} after one step", alone[i].AfterStep, batched[i].AfterStep);
            }
        }
        finally
        {
            foreach (var state in together)
            {
                state.Dispose();
            }
        }
    }

    /// <summary>Each state's hidden states after its prefill, and after one step on the same patch (which reads its KV caches).</summary>
    private static (float[] AfterPrefill, float[] AfterStep)[] PrefillAndStep(OnnxVoxCpmModules modules, IReadOnlyList<ILmState> states)
    {
        var afterPrefill = states.Select(s => Hidden(modules, s)).ToArray();
        int patchValues = modules.Config.PatchSize * modules.Config.FeatDim;
        var patches = Enumerable.Range(0, states.Count * patchValues).Select(i => MathF.Sin((i % patchValues) * 0.37f)).ToArray();
        modules.StepLanguageModels(states, patches);
        return states.Select((s, i) => (afterPrefill[i], Hidden(modules, s))).ToArray();
    }

    private static float[] Hidden(OnnxVoxCpmModules modules, ILmState state)
    {
        var (lm, residual) = modules.ReadHidden(state);
        return [.. lm, .. residual];
    }

    private static PrefillInput PrefillInputOf(string checkpoint, string caseName)
    {
        using var c = FixtureCase.Open(TinyFixtures.Case(checkpoint, caseName));
        return new PrefillInput(c.Int64("model_input_text_tokens").Data, c.Float("model_input_audio_feat"), Array.ConvertAll(c.Int64("model_input_audio_mask").Data, v => (byte)v));
    }

    private void AssertClose(string what, float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        float max = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            max = MathF.Max(max, MathF.Abs(expected[i] - actual[i]));
        }

        output.WriteLine($"{what}: max abs difference {max}");
        Assert.True(max <= 1e-5f, $"{what}: batched prefill differs from a prefill alone by {max}");
    }

    [Fact]
    public void One_cfm_batch_serves_rows_with_different_steps_and_cfg()
    {
        var modules = fixture.Adapter("v15");
        var rows = new[] { "zs_en", "zs_zh", "zs_mixed" }.Select(name => FixtureCase.Open(TinyFixtures.Case("v15", name))).ToArray();
        try
        {
            var mu = rows.SelectMany(c => ParityAssert.Rows(c.Float("step_dit_mu"), 1, 1).Data).ToArray();
            var cond = rows.SelectMany(c => ParityAssert.Rows(c.Float("step_cfm_cond"), 1, 1).Data).ToArray();
            var noise = rows.SelectMany(c => ParityAssert.Rows(c.Float("noise"), 1, 1).Data).ToArray();
            var cfg = rows.Select(c => c.Root.GetProperty("call_kwargs").GetProperty("cfg_value").GetSingle()).ToArray();
            var steps = rows.Select(c => (int)c.Int64("step_n_timesteps").Data[1]).ToArray();
            Assert.Equal(3, steps.Distinct().Count());
            var patches = new float[noise.Length];

            modules.SolveCfm(mu, cond, noise, cfg, steps, patches);

            int n = patches.Length / rows.Length;
            for (int i = 0; i < rows.Length; i++)
            {
                var expected = ParityAssert.Rows(rows[i].Float("step_pred_feat"), 1, 1);
                ParityAssert.AssertClose(output, $"{rows[i].Name} (N={steps[i]}, cfg={cfg[i]}) in a mixed batch", expected, new HostTensor<float>(patches.AsSpan(i * n, n).ToArray(), expected.Shape));
            }
        }
        finally
        {
            foreach (var c in rows)
            {
                c.Dispose();
            }
        }
    }
}
