using VoxCpm.Engine.Model;
using VoxCpm.Engine.Parity;
using VoxCpm.Engine.Tensors;
using VoxCpm.TestKit;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Model;

/// <summary>
/// Teacher-forced replay of the generation cases: every module call of the reference loop (prefill, mu, stop logits,
/// CFM solve with the recorded noise, LocEnc of the new patch, LM decode steps) is fed the recorded inputs and must
/// reproduce the recorded outputs. The full loop lives elsewhere; this pins each module inside it.
/// </summary>
[Collection(ModulesGroup.Name)]
public class GenerationStepTests(ModulesFixture fixture, ITestOutputHelper output)
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (string checkpoint in new[] { "v15" })
        {
            foreach (string dir in FixtureCase.CaseDirectories(TinyFixtures.Checkpoint(checkpoint)))
            {
                using var c = FixtureCase.Open(dir);
                if (c.HasTensor("step_dit_mu"))
                {
                    data.Add(checkpoint, c.Name);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_module_call_of_the_generation_loop_matches(string checkpoint, string caseName)
    {
        var m = fixture.Modules(checkpoint);
        using var c = FixtureCase.Open(TinyFixtures.Case(checkpoint, caseName));
        var ledger = new ErrorLedger();
        var prefill = CheckPrefill(m, c, ledger);
        CheckSteps(m, c, prefill, ledger);
        CheckDecode(m, c, ledger);
        ledger.ReportAndAssert(output);
    }

    private static (HostTensor<float> LmHidden, HostTensor<float> ResidualHidden) CheckPrefill(VoxCpmModules m, FixtureCase c, ErrorLedger ledger)
    {
        long[] tokens = c.Int64("model_input_text_tokens").Data;
        long[] textMask = c.Int64("model_input_text_mask").Data;
        long[] audioMask = c.Int64("model_input_audio_mask").Data;
        int length = tokens.Length;
        int h = m.Config.LmConfig.HiddenSize;

        var (featEmbed, encoderOut) = m.EncodePatches(c.Float("prefill_feat_encoder_in"));
        ledger.Compare("prefill_feat_encoder_out", c.Float("prefill_feat_encoder_out"), encoderOut);

        var text = m.TextEmbeddings(tokens);
        var combined = Mix(text, textMask, featEmbed, audioMask);
        ledger.Compare("prefill_base_lm_in", c.Float("prefill_base_lm_in"), combined);

        using var baseCache = m.BaseLm.CreateCache(1);
        var baseOut = VoxCpmModules.Prefill(m.BaseLm, baseCache, c.Float("prefill_base_lm_in").Reshape(1, length, h));
        ledger.Compare("prefill_base_lm_out", c.Float("prefill_base_lm_out"), baseOut.Hidden);
        ledger.Compare("prefill_fsq_out", c.Float("prefill_fsq_out"), baseOut.HiddenFsq!);

        // h = fsq(h)·audio_mask + h·text_mask; residual input = h + audio_mask·feat_embed.
        var mixed = Mix(c.Float("prefill_fsq_out"), audioMask, c.Float("prefill_base_lm_out"), textMask);
        var residualIn = Mix(mixed, Ones(length), featEmbed, audioMask);
        ledger.Compare("prefill_residual_lm_in", c.Float("prefill_residual_lm_in"), residualIn);

        using var residualCache = m.ResidualLm.CreateCache(1);
        var residualOut = VoxCpmModules.Prefill(m.ResidualLm, residualCache, c.Float("prefill_residual_lm_in").Reshape(1, length, h));
        ledger.Compare("prefill_residual_lm_out", c.Float("prefill_residual_lm_out"), residualOut.Hidden);

        return (ParityAssert.Rows(mixed, length - 1, 1), ParityAssert.Rows(c.Float("prefill_residual_lm_out"), length - 1, 1));
    }

    private static void CheckSteps(VoxCpmModules m, FixtureCase c, (HostTensor<float> Lm, HostTensor<float> Residual) prefill, ErrorLedger ledger)
    {
        long[] stepAttempt = c.Int64("step_attempt").Data;
        long[] fwdAttempt = c.Int64("fwd_attempt").Data;
        long[] timesteps = c.Int64("step_n_timesteps").Data;
        float cfg = c.Root.GetProperty("call_kwargs").GetProperty("cfg_value").GetSingle();
        var noise = c.Float("noise");
        Assert.Equal(stepAttempt.Length, noise.Shape[0]);

        int fwd = 0;
        int indexInAttempt = 0;
        for (int s = 0; s < stepAttempt.Length; s++)
        {
            if (s > 0 && stepAttempt[s] != stepAttempt[s - 1])
            {
                // A retry starts over from the (deterministic) prefill; skip what the last attempt did not use.
                indexInAttempt = 0;
                while (fwd < fwdAttempt.Length && fwdAttempt[fwd] < stepAttempt[s])
                {
                    fwd++;
                }
            }

            var (lm, residual) = indexInAttempt == 0
                ? prefill
                : (ParityAssert.Rows(c.Float("fwd_fsq_out"), fwd - 1, 1), ParityAssert.Rows(c.Float("fwd_residual_lm_out"), fwd - 1, 1));
            ledger.Compare("step_dit_mu", ParityAssert.Rows(c.Float("step_dit_mu"), s, 1), m.Mu(lm, residual));
            ledger.Compare("step_stop_logits", ParityAssert.Rows(c.Float("step_stop_logits"), s, 1), m.StopLogits(lm));

            var patch = m.SolveCfm(
                ParityAssert.Rows(c.Float("step_dit_mu"), s, 1),
                ParityAssert.SwapLastTwo(ParityAssert.Rows(c.Float("step_cfm_cond"), s, 1)),
                ParityAssert.SwapLastTwo(ParityAssert.Rows(noise, s, 1)).Reshape(1, m.Config.PatchSize, m.Config.FeatDim),
                checked((int)timesteps[s]),
                cfg);
            ledger.Compare("step_pred_feat", ParityAssert.Rows(c.Float("step_pred_feat"), s, 1), ParityAssert.SwapLastTwo(patch));

            if (fwd < fwdAttempt.Length && fwdAttempt[fwd] == stepAttempt[s])
            {
                var (featEmbed, _) = m.EncodePatches(ParityAssert.SwapLastTwo(ParityAssert.Rows(c.Float("step_pred_feat"), s, 1)));
                ledger.Compare("fwd_base_lm_in (LocEnc of the patch)", ParityAssert.Rows(c.Float("fwd_base_lm_in"), fwd, 1), featEmbed);
                fwd++;
            }

            indexInAttempt++;
        }
    }

    private static void CheckDecode(VoxCpmModules m, FixtureCase c, ErrorLedger ledger)
    {
        long[] fwdAttempt = c.Int64("fwd_attempt").Data;
        long[] basePos = c.Int64("fwd_base_lm_pos").Data;
        long[] residualPos = c.Int64("fwd_residual_lm_pos").Data;
        var prefillBase = c.Float("prefill_base_lm_in");
        var prefillResidual = c.Float("prefill_residual_lm_in");
        int length = prefillBase.Shape[0];
        int h = prefillBase.Shape[1];
        using var baseCache = m.BaseLm.CreateCache(1);
        using var residualCache = m.ResidualLm.CreateCache(1);
        for (int f = 0; f < fwdAttempt.Length; f++)
        {
            if (f == 0 || fwdAttempt[f] != fwdAttempt[f - 1])
            {
                baseCache.Reset();
                residualCache.Reset();
                VoxCpmModules.Prefill(m.BaseLm, baseCache, prefillBase.Reshape(1, length, h));
                VoxCpmModules.Prefill(m.ResidualLm, residualCache, prefillResidual.Reshape(1, length, h));
            }

            Assert.Equal(basePos[f], baseCache.Lengths[0]);
            Assert.Equal(residualPos[f], residualCache.Lengths[0]);
            var baseOut = VoxCpmModules.DecodeStep(m.BaseLm, baseCache, ParityAssert.Rows(c.Float("fwd_base_lm_in"), f, 1));
            ledger.Compare("fwd_base_lm_out", ParityAssert.Rows(c.Float("fwd_base_lm_out"), f, 1), baseOut.Hidden);
            ledger.Compare("fwd_fsq_out", ParityAssert.Rows(c.Float("fwd_fsq_out"), f, 1), baseOut.HiddenFsq!);
            var residualOut = VoxCpmModules.DecodeStep(m.ResidualLm, residualCache, ParityAssert.Rows(c.Float("fwd_residual_lm_in"), f, 1));
            ledger.Compare("fwd_residual_lm_out", ParityAssert.Rows(c.Float("fwd_residual_lm_out"), f, 1), residualOut.Hidden);
        }
    }

    /// <summary>a·maskA + b·maskB per row, as the reference mixes text and audio rows.</summary>
    private static HostTensor<float> Mix(HostTensor<float> a, long[] maskA, HostTensor<float> b, long[] maskB)
    {
        int width = a.Data.Length / maskA.Length;
        var data = new float[a.Data.Length];
        for (int r = 0; r < maskA.Length; r++)
        {
            for (int i = 0; i < width; i++)
            {
                int k = (r * width) + i;
                data[k] = (maskA[r] * a.Data[k]) + (maskB[r] * b.Data[k]);
            }
        }

        return new HostTensor<float>(data, maskA.Length, width);
    }

    private static long[] Ones(int n) => Enumerable.Repeat(1L, n).ToArray();
}
