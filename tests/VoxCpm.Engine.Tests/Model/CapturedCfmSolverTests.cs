using VoxCpm.Engine.Checkpoints;
using VoxCpm.Engine.Model;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Parity;
using VoxCpm.Engine.Sampling;
using VoxCpm.Engine.Tensors;
using VoxCpm.TestKit;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Model;

/// <summary>
/// The planned solver that CUDA replays from captured graphs, run here as ordinary CPU sessions: its buffer
/// plans (x alternating between two buffers, per-step time embeddings, padded batch buckets, plans reused across
/// solves) must give what the host-loop solver gives.
/// </summary>
[Collection(ModulesGroup.Name)]
public class CapturedCfmSolverTests(ModulesFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("v15", 1, 2f)]
    [InlineData("v15", 3, 1.5f)]
    [InlineData("v2", 3, 1.5f)]
    public void Planned_solves_equal_the_host_loop_for_every_batch_and_on_reuse(string checkpoint, int batch, float cfgValue)
    {
        var modules = fixture.Modules(checkpoint);
        using var fixtureCase = FixtureCase.Open(TinyFixtures.Case(checkpoint, "cfm_solve"));
        var mu = fixtureCase.Float("mu");
        var cond = ParityAssert.SwapLastTwo(fixtureCase.Float("cond"));
        var noise = ParityAssert.SwapLastTwo(fixtureCase.Float("v0_noise"));
        var (muRows, condRows, noiseRows) = (Rows(mu, batch, 0.5f), Rows(cond, batch, 0.25f), Rows(noise, batch, -0.5f));
        var cfg = Enumerable.Repeat(cfgValue, batch).ToArray();
        var expected = new CfmSolver(modules.Dit).Solve(muRows, condRows, noiseRows, cfg, Enumerable.Repeat(10, batch).ToArray());

        using var solver = CreateSolver(checkpoint);
        for (int round = 0; round < 2; round++)
        {
            var actual = solver.Solve(modules.Dit, muRows, condRows, noiseRows, cfg, 10);
            ParityAssert.AssertClose(output, $"batch {batch}, round {round}", expected, new HostTensor<float>(actual, noiseRows.Shape), 1e-6f);
        }
    }

    [Fact]
    public void Rows_solved_in_groups_by_step_count_equal_one_mixed_batch()
    {
        var modules = fixture.Modules("v15");
        using var fixtureCase = FixtureCase.Open(TinyFixtures.Case("v15", "cfm_solve"));
        var mu = Rows(fixtureCase.Float("mu"), 3, 0.5f);
        var cond = Rows(ParityAssert.SwapLastTwo(fixtureCase.Float("cond")), 3, 0.25f);
        var noise = Rows(ParityAssert.SwapLastTwo(fixtureCase.Float("v0_noise")), 3, -0.5f);
        float[] cfg = [2f, 1.5f, 3f];
        int[] steps = [10, 4, 10];
        var solver = new CfmSolver(modules.Dit);

        var mixed = solver.Solve(mu, cond, noise, cfg, steps);
        var grouped = solver.SolveByStepCount(mu, cond, noise, cfg, steps);

        ParityAssert.AssertClose(output, "grouped by step count vs one mixed batch", mixed, grouped, 1e-6f);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 4)]
    [InlineData(4, 4)]
    [InlineData(33, 64)]
    public void Batches_are_planned_in_power_of_two_buckets(int batch, int bucket) =>
        Assert.Equal(bucket, CapturedCfmSolver.Bucket(batch));

    private static CapturedCfmSolver CreateSolver(string checkpoint)
    {
        string dir = TinyFixtures.Checkpoint(checkpoint);
        var config = VoxCpmConfig.Load(Path.Combine(dir, "config.json"));
        using var file = SafeTensorsFile.Open(Path.Combine(dir, "model.safetensors"));
        var options = new OnnxRuntimeOptions { IntraOpThreads = 1 };
        return new CapturedCfmSolver(DitGraphs.Step(config, new SafeTensorsWeightSource(file)), options);
    }

    /// <summary>Row r = the fixture's row + r·<paramref name="shift"/>, so every row differs.</summary>
    private static HostTensor<float> Rows(HostTensor<float> one, int batch, float shift)
    {
        var data = new float[one.Data.Length * batch];
        for (int r = 0; r < batch; r++)
        {
            for (int i = 0; i < one.Data.Length; i++)
            {
                data[(r * one.Data.Length) + i] = one.Data[i] + (r * shift);
            }
        }

        int[] shape = [.. one.Shape];
        shape[0] = batch;
        return new HostTensor<float>(data, shape);
    }
}
