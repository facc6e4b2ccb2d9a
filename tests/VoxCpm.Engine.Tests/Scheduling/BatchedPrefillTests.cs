using VoxCpm.Engine.Scheduling;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Scheduling;

/// <summary>Requests that start together share one prefill call; a fault in it fails only the request that caused it.</summary>
public class BatchedPrefillTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Each step gives a second of audio, so the first request's listener can wait for the newcomers' prefill. The
    /// tests' clock moves only as the generator says its work costs (nothing), so the gated wait is not a cost.
    /// </summary>
    private const int OneSecond = 16_000;

    [Fact]
    public async Task Requests_that_arrive_during_a_prefill_are_prefilled_together_in_one_call()
    {
        var clock = new ManualTimeProvider();
        var generator = new CountingGenerator { PrefillGate = new SemaphoreSlim(0), StepSamples = OneSecond, Clock = clock };
        await using var scheduler = new InferenceScheduler<CountingRequest>(generator, new SchedulerOptions { MaxConcurrent = 8, QueueLimit = 8 }, time: clock);

        var first = scheduler.Submit(new CountingRequest("first", Steps: 3));
        await WaitUntilAsync(() => generator.PrefillCalls == 1);
        var burst = new[] { "a", "b", "c" }.Select(name => scheduler.Submit(new CountingRequest(name, Steps: 3))).ToList();
        generator.PrefillGate.Release(10);
        var results = await Task.WhenAll(burst.Prepend(first).Select(ReadAllAsync));

        Assert.All(results, events => Assert.Equal(3, Assert.IsType<CompletedEvent>(events[^1]).Summary.Steps));
        Assert.Equal([["first"], ["a", "b", "c"]], generator.Prefills);
    }

    [Fact]
    public async Task A_prefill_batch_is_no_larger_than_a_step_batch()
    {
        var generator = new CountingGenerator { PrefillGate = new SemaphoreSlim(0) };
        await using var scheduler = new InferenceScheduler<CountingRequest>(generator, new SchedulerOptions { MaxConcurrent = 8, QueueLimit = 8, MaxBatchSize = 2 });

        var first = scheduler.Submit(new CountingRequest("first", Steps: 1));
        await WaitUntilAsync(() => generator.PrefillCalls == 1);
        var burst = new[] { "a", "b", "c" }.Select(name => scheduler.Submit(new CountingRequest(name, Steps: 1))).ToList();
        generator.PrefillGate.Release(10);
        await Task.WhenAll(burst.Prepend(first).Select(ReadAllAsync));

        Assert.Equal([["first"], ["a", "b"], ["c"]], generator.Prefills);
    }

    [Fact]
    public async Task A_request_whose_prefill_fails_fails_alone_and_its_batch_mates_start()
    {
        var clock = new ManualTimeProvider();
        var generator = new CountingGenerator { PrefillGate = new SemaphoreSlim(0), StepSamples = OneSecond, Clock = clock };
        await using var scheduler = new InferenceScheduler<CountingRequest>(generator, new SchedulerOptions { MaxConcurrent = 8, QueueLimit = 8 }, time: clock);

        var first = scheduler.Submit(new CountingRequest("first", Steps: 2));
        await WaitUntilAsync(() => generator.PrefillCalls == 1);
        var healthy = scheduler.Submit(new CountingRequest("healthy", Steps: 2));
        var faulty = scheduler.Submit(new CountingRequest("faulty", Steps: 2, FailAtPrefill: true));
        var alsoHealthy = scheduler.Submit(new CountingRequest("also-healthy", Steps: 2));
        generator.PrefillGate.Release(10);
        var results = await Task.WhenAll(new[] { first, healthy, faulty, alsoHealthy }.Select(ReadAllAsync));

        Assert.Equal(2, Assert.IsType<CompletedEvent>(results[1][^1]).Summary.Steps);
        Assert.Equal(2, Assert.IsType<CompletedEvent>(results[3][^1]).Summary.Steps);
        var failure = Assert.IsType<FailedEvent>(results[2][^1]);
        Assert.Equal("synthesis_failed", failure.Code);
        Assert.Contains("prefill of faulty", failure.Message, StringComparison.Ordinal);
        Assert.Equal([["first"], ["healthy", "faulty", "also-healthy"], ["healthy"], ["faulty"], ["also-healthy"]], generator.Prefills);
        Assert.Equal(["first", "healthy", "also-healthy"], generator.Started);
        Assert.Equal(4, generator.Released);
        Assert.Equal(0, scheduler.ActiveCount);
    }

    private static Task<List<SynthesisEvent>> ReadAllAsync(SynthesisTicket ticket) => TicketEvents.ReadAllAsync(ticket, Timeout);

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.UntilAsync(condition, interval: TimeSpan.FromMilliseconds(10));
}
