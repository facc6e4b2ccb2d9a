using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Model;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Parity;
using VoxCpm.Engine.Tensors;
using VoxCpm.TestKit;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Model;

/// <summary>
/// What block-quantized stack weights cost against the float32 reference of the fixtures: the relative RMS error
/// (‖actual − expected‖ / ‖expected‖) of the LM hidden states, the encoder output and a whole 10-step CFM solve.
/// The tiny checkpoints are a hard case (K = 32..64: one or two blocks per row, nothing averages out), so the LM bound
/// is loose for 4-bit; the local encoder and DiT use int8 per-channel weights in both modes and must stay within a few
/// percent, as must everything at 8 bits.
/// </summary>
public class QuantizedModulesTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("v05", WeightQuantization.Int8, 0.05)]
    [InlineData("v15", WeightQuantization.Int8, 0.05)]
    [InlineData("v05", WeightQuantization.Int4, 0.3)]
    [InlineData("v15", WeightQuantization.Int4, 0.3)]
    public void Quantized_stacks_stay_close_to_the_float_reference(string checkpoint, WeightQuantization quantization, double lmBound)
    {
        const double localBound = 0.05;
        using var modules = Load(checkpoint, quantization);

        using (var prefill = FixtureCase.Open(TinyFixtures.Case(checkpoint, "lm_prefill")))
        {
            long[] ids = prefill.Int64("ids").Data;
            var embeds = modules.TextEmbeddings(ids);
            using var baseCache = modules.BaseLm.CreateCache(1);
            var baseOut = VoxCpmModules.Prefill(modules.BaseLm, baseCache, embeds.Reshape(1, ids.Length, embeds.Shape[1]));
            Check("base_lm_out", prefill.Float("base_lm_out"), baseOut.Hidden, lmBound);
            using var residualCache = modules.ResidualLm.CreateCache(1);
            var residualOut = VoxCpmModules.Prefill(modules.ResidualLm, residualCache, prefill.Float("base_lm_out"));
            Check("residual_lm_out", prefill.Float("residual_lm_out"), residualOut.Hidden, lmBound);
        }

        using (var locEnc = FixtureCase.Open(TinyFixtures.Case(checkpoint, "locenc")))
        {
            var feat = locEnc.Float("feat");
            var (featEmbed, _) = modules.EncodePatches(feat.Reshape(feat.Shape[1], feat.Shape[2], feat.Shape[3]));
            Check("enc_to_lm_proj_out", locEnc.Float("enc_to_lm_proj_out"), featEmbed, localBound);
        }

        using (var cfm = FixtureCase.Open(TinyFixtures.Case(checkpoint, "cfm_solve")))
        {
            var result = modules.SolveCfm(cfm.Float("mu"), ComponentCaseCheck.ChannelsLast(cfm.Float("cond")), ComponentCaseCheck.ChannelsLast(cfm.Float("v0_noise")), steps: 10, cfgValue: 2f);
            Check("cfm 10 steps, cfg 2", cfm.Float("v0_out"), ComponentCaseCheck.ChannelsLast(result), localBound);
        }
    }

    private void Check(string label, HostTensor<float> expected, HostTensor<float> actual, double bound)
    {
        Assert.Equal(expected.Data.Length, actual.Data.Length);
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < expected.Data.Length; i++)
        {
            diff += Math.Pow(actual.Data[i] - expected.Data[i], 2);
            norm += Math.Pow(expected.Data[i], 2);
        }

        double relative = Math.Sqrt(diff / norm);
        output.WriteLine($"{label}: relative RMS error {relative:P2}, max abs error {ParityAssert.MaxAbsError(expected.Data, actual.Data):E2}");
        Assert.True(relative <= bound, $"{label}: relative RMS error {relative:P2} exceeds {bound:P0}");
    }

    private static VoxCpmModules Load(string checkpoint, WeightQuantization quantization)
    {
        var loaded = CheckpointLoader.Load(TinyFixtures.Checkpoint(checkpoint));
        return new VoxCpmModules(loaded.Config, loaded.Model, new OnnxRuntimeOptions { IntraOpThreads = 1, WeightQuantization = quantization });
    }
}

/// <summary>Whole generations of the fixture cases with 8-bit stacks: the float reference's decisions survive quantization.</summary>
public class QuantizedGenerationTests(ITestOutputHelper output)
{
    private static readonly string[] Decisions = ["tokens", "attempts", "stopped_by", "patches", "chunk_count"];

    [Fact]
    public async Task Int8_generations_make_the_reference_decisions_with_close_audio()
    {
        int generations = 0;
        await foreach (var result in ParityRunner.RunAsync(TinyFixtures.Root, new EngineOptions { IntraOpThreads = 1, WeightQuantization = WeightQuantization.Int8 }))
        {
            output.WriteLine(result.Describe());
            Assert.Null(result.Error);
            if (!result.Metrics.Any(m => m.Name == "stopped_by"))
            {
                continue; // a component case
            }

            generations++;
            foreach (var decision in result.Metrics.Where(m => Decisions.Contains(m.Name)))
            {
                Assert.True(decision.Passed, $"{result.Checkpoint}/{result.Case}: '{decision.Name}' differs from the float reference");
            }

            double waveform = result.Metrics.Single(m => m.Name == "waveform").MaxAbsError;
            Assert.True(waveform < 0.5, $"{result.Checkpoint}/{result.Case}: waveform max abs error {waveform:0.###}");
        }

        Assert.True(generations >= 10, $"only {generations} generation cases ran");
    }
}
