using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine.Tests.Scheduling;

public class StepTimeModelTests
{
    private const double AudioSecondsPerStep = 0.08;
    private const double Headroom = 0.9;

    [Fact]
    public void A_cold_first_step_does_not_hold_admission_down()
    {
        var model = new StepTimeModel(maxBatch: 16);
        model.Record(1, TimeSpan.FromMilliseconds(400)); // JIT and ORT's first use of the shape
        for (int i = 0; i < 5; i++)
        {
            model.Record(1, TimeSpan.FromMilliseconds(2));
        }

        Assert.Equal(0.002, model.PredictSeconds(1), precision: 9);

        // Extrapolated in proportion to the rows from the warm 2 ms: 16 streams take 32 ms per 80 ms of audio.
        Assert.Equal(16, model.RealTimeCapacity(16, 16, AudioSecondsPerStep, Headroom));
    }

    [Fact]
    public void A_step_that_turns_slow_for_good_is_believed_within_half_the_window()
    {
        var model = new StepTimeModel(maxBatch: 4);
        for (int i = 0; i < StepTimeModel.Window; i++)
        {
            model.Record(4, TimeSpan.FromMilliseconds(10));
        }

        for (int i = 0; i < (StepTimeModel.Window / 2) + 1; i++)
        {
            model.Record(4, TimeSpan.FromMilliseconds(100));
        }

        Assert.Equal(0.100, model.PredictSeconds(4), precision: 9);
        Assert.Equal(1, model.RealTimeCapacity(4, 4, AudioSecondsPerStep, Headroom)); // a 100 ms step for 80 ms of audio
    }

    [Fact]
    public void Sizes_never_run_cost_in_proportion_to_the_rows_of_the_largest_smaller_size()
    {
        var model = new StepTimeModel(maxBatch: 8);
        model.Record(2, TimeSpan.FromMilliseconds(10));

        Assert.Equal(0.040, model.PredictSeconds(8), precision: 9);
        Assert.Equal(0.010, model.PredictSeconds(1), precision: 9); // a larger measured size bounds a smaller one
    }
}
