using VoxCpm.Engine.Parity;
using VoxCpm.Engine.Tensors;
using VoxCpm.Engine.Tests.Model;
using VoxCpm.TestKit;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Sampling;

[Collection(ModulesGroup.Name)]
public class CfmSolverTests(ModulesFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("v15")]
    public void Every_estimator_call_matches_the_reference(string checkpoint)
    {
        var modules = fixture.Modules(checkpoint);
        using var fixtureCase = FixtureCase.Open(TinyFixtures.Case(checkpoint, "cfm_solve"));
        int calls = 0;
        foreach (var variant in fixtureCase.Root.GetProperty("variants").EnumerateArray())
        {
            string prefix = variant.GetProperty("prefix").GetString()!;
            int steps = variant.GetProperty("n_timesteps").GetInt32();
            var schedule = modules.Dit.Schedule(steps).Schedule;
            int expectedCalls = variant.GetProperty("estimator_calls").GetInt32();
            Assert.Equal(expectedCalls, steps - schedule.ZeroVelocitySteps);
            for (int call = 0; call < expectedCalls; call++)
            {
                string name = $"{prefix}est{call:D2}_";
                var t = fixtureCase.Float(name + "t");
                Assert.All(fixtureCase.Float(name + "dt").Data, dt => Assert.Equal(0f, dt));

                // The solver's own time for this call must be the one the reference used.
                float scheduleError = MathF.Abs(schedule.Times[schedule.ZeroVelocitySteps + call] - t.Data[0]);
                Assert.True(scheduleError <= 1e-6f, $"{name}t: schedule time off by {scheduleError:E2}");

                var velocity = fixture.Estimator(checkpoint).Estimate(
                    ParityAssert.SwapLastTwo(fixtureCase.Float(name + "x")),
                    fixtureCase.Float(name + "mu"),
                    ParityAssert.SwapLastTwo(fixtureCase.Float(name + "cond")),
                    modules.Dit.TimeEmbeddings(t.Data));
                ParityAssert.AssertClose(output, name + "out", fixtureCase.Float(name + "out"), ParityAssert.SwapLastTwo(velocity));
                calls++;
            }
        }

        Assert.Equal(12, calls);
    }

    [Theory]
    [InlineData("v15")]
    public void Solves_replaying_the_reference_noise_match_every_variant(string checkpoint)
    {
        var modules = fixture.Modules(checkpoint);
        using var fixtureCase = FixtureCase.Open(TinyFixtures.Case(checkpoint, "cfm_solve"));
        var mu = fixtureCase.Float("mu");
        var cond = ParityAssert.SwapLastTwo(fixtureCase.Float("cond"));
        foreach (var variant in fixtureCase.Root.GetProperty("variants").EnumerateArray())
        {
            string prefix = variant.GetProperty("prefix").GetString()!;
            int steps = variant.GetProperty("n_timesteps").GetInt32();
            float cfg = variant.GetProperty("cfg_value").GetSingle();

            var patch = modules.SolveCfm(mu, cond, ParityAssert.SwapLastTwo(fixtureCase.Float(prefix + "noise")), steps, cfg);

            ParityAssert.AssertClose(output, $"{prefix}out (N={steps}, cfg={cfg})", fixtureCase.Float(prefix + "out"), ParityAssert.SwapLastTwo(patch));
        }
    }

    [Theory]
    [InlineData("v15")]
    public void Batched_rows_solve_independently(string checkpoint)
    {
        var modules = fixture.Modules(checkpoint);
        using var fixtureCase = FixtureCase.Open(TinyFixtures.Case(checkpoint, "cfm_solve"));
        var mu = fixtureCase.Float("mu");
        var cond = ParityAssert.SwapLastTwo(fixtureCase.Float("cond"));
        var noiseA = ParityAssert.SwapLastTwo(fixtureCase.Float("v0_noise"));
        var noiseB = ParityAssert.SwapLastTwo(fixtureCase.Float("v1_noise"));
        var zeros = new float[mu.Data.Length];

        // Row 1 has mu = 0 and other noise: CFG-Zero* must scale each row by its own s*, not by a batch-wide one.
        var batch = modules.SolveCfm(
            new HostTensor<float>([.. mu.Data, .. zeros], 2, mu.Shape[1]),
            new HostTensor<float>([.. cond.Data, .. cond.Data], 2, cond.Shape[1], cond.Shape[2]),
            new HostTensor<float>([.. noiseA.Data, .. noiseB.Data], 2, noiseA.Shape[1], noiseA.Shape[2]),
            10,
            2f);
        var single = modules.SolveCfm(new HostTensor<float>(zeros, 1, mu.Shape[1]), cond, noiseB, 10, 2f);

        ParityAssert.AssertClose(output, "row 0 of a batch vs v0_out", fixtureCase.Float("v0_out"), ParityAssert.SwapLastTwo(ParityAssert.Rows(batch, 0, 1)), 1e-5f);
        ParityAssert.AssertClose(output, "row 1 of a batch vs alone", single, ParityAssert.Rows(batch, 1, 1), 1e-5f);
    }
}
