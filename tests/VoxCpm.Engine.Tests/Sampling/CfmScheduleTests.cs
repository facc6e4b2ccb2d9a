using VoxCpm.Engine.Sampling;

namespace VoxCpm.Engine.Tests.Sampling;

public class CfmScheduleTests
{
    [Fact]
    public void Float32_schedule_is_the_swayed_linspace()
    {
        // Model doc §3.7: 1, .95643, .90902, .85399, .78779, .70711, .60902, .49101, .35106, .18769 (then 0).
        float[] expected = [1f, 0.95643f, 0.90902f, 0.85399f, 0.78779f, 0.70711f, 0.60902f, 0.49101f, 0.35106f, 0.18769f];
        var schedule = CfmSchedule.Create(10, bf16: false);

        for (int k = 0; k < 10; k++)
        {
            Assert.Equal(expected[k], schedule.Times[k], 5e-6f);
        }

        // The last step lands on t = 0, and the steps add up to the whole interval.
        Assert.Equal(schedule.Times[9], schedule.Dts[9], 1e-7f);
        Assert.Equal(1f, schedule.Dts.Sum(), 1e-6f);
        Assert.Equal(1, schedule.ZeroVelocitySteps);
    }

    [Fact]
    public void Bf16_schedule_rounds_like_the_reference()
    {
        // Model doc §3.7: 1, .95312, .91016, .85156, .78906, .70703, .60938, .49219, .34961, .18848 in bfloat16.
        float[] expected = [1f, 0.95312f, 0.91016f, 0.85156f, 0.78906f, 0.70703f, 0.60938f, 0.49219f, 0.34961f, 0.18848f];
        var schedule = CfmSchedule.Create(10, bf16: true);

        for (int k = 0; k < 10; k++)
        {
            Assert.Equal(expected[k], schedule.Times[k], 1e-5f);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 1)]
    [InlineData(48, 1)]
    [InlineData(49, 2)]
    public void Zero_velocity_steps_follow_the_four_percent_rule(int steps, int zeroSteps) =>
        Assert.Equal(zeroSteps, CfmSchedule.Create(steps, bf16: false).ZeroVelocitySteps);

    [Fact]
    public void Sinusoid_puts_sine_first_and_is_all_cosine_at_zero()
    {
        var at0 = new float[32];
        TimestepSinusoid.Compute(0f, bf16: false, at0);
        Assert.All(at0.AsSpan(0, 16).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(at0.AsSpan(16).ToArray(), v => Assert.Equal(1f, v));

        var at = new float[32];
        TimestepSinusoid.Compute(0.5f, bf16: false, at);
        Assert.Equal(MathF.Sin(500f), at[0], 1e-6f);
        Assert.Equal(MathF.Cos(500f * MathF.Exp(-15 * MathF.Log(10000) / 15)), at[31], 1e-5f);
    }

    [Fact]
    public void Bf16_rounding_is_round_to_nearest_even()
    {
        Assert.Equal(256f, Bf16.Round(257f));
        Assert.Equal(260f, Bf16.Round(259f));
        Assert.Equal(1f, Bf16.Round(1.001f));
    }
}
