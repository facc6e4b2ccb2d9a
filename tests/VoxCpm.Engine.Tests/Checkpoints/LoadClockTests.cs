using VoxCpm.Engine.Checkpoints;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Checkpoints;

public class LoadClockTests
{
    [Fact]
    public void A_nested_phase_is_not_counted_in_its_parent_and_the_phases_add_up()
    {
        LoadTimings timings;
        var wall = System.Diagnostics.Stopwatch.StartNew();
        using (LoadClock.Start(LoadPhase.GraphBuild, out var clock))
        {
            SpinFor(TimeSpan.FromMilliseconds(20));
            using (LoadClock.Measure(LoadPhase.SessionCreation))
            {
                SpinFor(TimeSpan.FromMilliseconds(40));
                using (LoadClock.Measure(LoadPhase.WeightConversion))
                {
                    SpinFor(TimeSpan.FromMilliseconds(20));
                }
            }

            timings = clock.Snapshot();
        }

        wall.Stop();
        // Lower bounds only: on a busy machine a spin may overrun, but each phase holds at least its own spin, and the
        // parent's 20 ms does not include the children's 60 ms only if nesting is exclusive (checked by the total).
        Assert.True(timings[LoadPhase.SessionCreation] >= TimeSpan.FromMilliseconds(40));
        Assert.True(timings[LoadPhase.WeightConversion] >= TimeSpan.FromMilliseconds(20));
        Assert.True(timings[LoadPhase.GraphBuild] >= TimeSpan.FromMilliseconds(20));
        Assert.Equal(TimeSpan.Zero, timings[LoadPhase.CheckpointRead]);
        Assert.InRange(timings.Total, TimeSpan.FromMilliseconds(80), wall.Elapsed);
        Assert.True(timings.Cpu(LoadPhase.SessionCreation) > TimeSpan.Zero, "a busy phase uses CPU time");
    }

    [Fact]
    public void Without_a_load_being_timed_a_phase_is_a_no_op()
    {
        using (LoadClock.Measure(LoadPhase.WeightConversion))
        {
        }

        using (LoadClock.Start(LoadPhase.GraphBuild, out var clock))
        {
            Assert.Equal(TimeSpan.Zero, clock.Snapshot()[LoadPhase.WeightConversion]);
        }
    }

    [Fact]
    public async Task An_engine_load_reports_every_phase_it_went_through()
    {
        await using var engine = VoxCpmEngine.Load(TinyFixtures.Checkpoint("v05"), new EngineOptions { IntraOpThreads = 1 });

        var timings = engine.LoadTimings;
        Assert.All(
            new[] { LoadPhase.CheckpointRead, LoadPhase.WeightConversion, LoadPhase.GraphBuild, LoadPhase.SessionCreation },
            phase => Assert.True(timings[phase] > TimeSpan.Zero, $"{phase} was timed"));
        Assert.Equal(TimeSpan.Zero, timings[LoadPhase.WarmUp]);
        Assert.InRange(timings.Total, TimeSpan.Zero, engine.LoadTime);
        Assert.Contains("session creation", timings.ToString(), StringComparison.Ordinal);
        Assert.Contains("warm-up 1.50 s", timings.WithWarmUp(TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(1)).ToString(), StringComparison.Ordinal);
    }

    private static void SpinFor(TimeSpan duration)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (started.Elapsed < duration)
        {
            Thread.SpinWait(100);
        }
    }
}
