using VoxCpm.Engine.Scheduling;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Scheduling;

public class InferenceSchedulerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private static Task<List<SynthesisEvent>> ReadAllAsync(SynthesisTicket ticket) => TicketEvents.ReadAllAsync(ticket, Timeout);

    [Fact]
    public async Task A_request_gets_queued_started_every_chunk_in_order_and_a_summary()
    {
        var generator = new CountingGenerator();
        await using var scheduler = new InferenceScheduler<CountingRequest>(generator, new SchedulerOptions { MaxConcurrent = 2, QueueLimit = 4 });

        var events = await ReadAllAsync(scheduler.Submit(new CountingRequest("a", Steps: 5)));

        Assert.IsType<QueuedEvent>(events[0]);
        Assert.IsType<StartedEvent>(events[1]);
        var chunks = events.OfType<AudioChunkEvent>().ToList();
        Assert.Equal([0, 1, 2, 3, 4], chunks.Select(c => c.Sequence));
        var summary = Assert.IsType<CompletedEvent>(events[^1]).Summary;
        Assert.Equal(5 * CountingGenerator.SamplesPerStep, summary.Samples);
        Assert.Equal(5, summary.Steps);
        Assert.Equal(1, generator.Released);
    }

    [Fact]
    public async Task Requests_share_batches_and_join_and_leave_between_steps()
    {
        var generator = new CountingGenerator { StepGate = new SemaphoreSlim(0) };
        await using var scheduler = new InferenceScheduler<CountingRequest>(generator, new SchedulerOptions { MaxConcurrent = 4, QueueLimit = 4 });

        var shortOne = scheduler.Submit(new CountingRequest("short", Steps: 2, Value: 0.1f));
        var longOne = scheduler.Submit(new CountingRequest("long", Steps: 6, Value: 0.2f));
        generator.StepGate.Release(100);
        var results = await Task.WhenAll(ReadAllAsync(shortOne), ReadAllAsync(longOne));

        Assert.Contains(2, generator.BatchSizes);
        Assert.Equal(1, generator.BatchSizes[^1]);
        Assert.All(results[0].OfType<AudioChunkEvent>(), c => Assert.Equal(0.1f, c.Samples.Span[0]));
        Assert.All(results[1].OfType<AudioChunkEvent>(), c => Assert.Equal(0.2f, c.Samples.Span[0]));
        Assert.Equal(6, results[1].OfType<AudioChunkEvent>().Count());
    }

    [Fact]
    public async Task Waiting_requests_learn_their_position_and_a_full_queue_is_busy_at_once()
    {
        var generator = new CountingGenerator { StepGate = new SemaphoreSlim(0) };
        await using var scheduler = new InferenceScheduler<CountingRequest>(generator, new SchedulerOptions { MaxConcurrent = 1, QueueLimit = 2 });

        var running = scheduler.Submit(new CountingRequest("running", Steps: 3));
        await WaitUntilAsync(() => scheduler.ActiveCount == 1);
        var second = scheduler.Submit(new CountingRequest("second", Steps: 1));
        var third = scheduler.Submit(new CountingRequest("third", Steps: 1));

        var busy = Assert.Throws<SchedulerBusyException>(() => scheduler.Submit(new CountingRequest("fourth", Steps: 1)));
        Assert.Contains("queue limit 2", busy.Message, StringComparison.Ordinal);

        generator.StepGate.Release(100);
        var thirdEvents = await ReadAllAsync(third);
        await ReadAllAsync(running);
        await ReadAllAsync(second);
        Assert.Equal([2, 1], thirdEvents.OfType<QueuedEvent>().Select(q => q.Position));
        Assert.Equal(["running", "second", "third"], generator.Started);
    }

    [Fact]
    public async Task Cancelling_a_running_request_frees_its_slot_within_one_step()
    {
        var generator = new CountingGenerator { StepGate = new SemaphoreSlim(0) };
        await using var scheduler = new InferenceScheduler<CountingRequest>(generator, new SchedulerOptions { MaxConcurrent = 1, QueueLimit = 2 });
        using var cts = new CancellationTokenSource();

        var endless = scheduler.Submit(new CountingRequest("endless", Steps: int.MaxValue), cts.Token);
        var next = scheduler.Submit(new CountingRequest("next", Steps: 1));
        generator.StepGate.Release(3);
        await WaitUntilAsync(() => generator.BatchSizes.Count >= 3);
        await cts.CancelAsync();
        int stepsAtCancel = generator.BatchSizes.Count;
        generator.StepGate.Release(100);

        var endlessEvents = await ReadAllAsync(endless);
        var nextEvents = await ReadAllAsync(next);
        Assert.Equal("cancelled", Assert.IsType<FailedEvent>(endlessEvents[^1]).Code);
        Assert.IsType<CompletedEvent>(nextEvents[^1]);
        Assert.True(generator.BatchSizes.Count <= stepsAtCancel + 2, "the cancelled request must leave within one step");
        Assert.Equal(2, generator.Released);
    }

    [Fact]
    public async Task Cancelling_a_waiting_request_removes_it_from_the_queue()
    {
        var generator = new CountingGenerator { StepGate = new SemaphoreSlim(0) };
        await using var scheduler = new InferenceScheduler<CountingRequest>(generator, new SchedulerOptions { MaxConcurrent = 1, QueueLimit = 2 });
        using var cts = new CancellationTokenSource();

        var running = scheduler.Submit(new CountingRequest("running", Steps: 1));
        await WaitUntilAsync(() => scheduler.ActiveCount == 1);
        var waiting = scheduler.Submit(new CountingRequest("waiting", Steps: 1), cts.Token);
        await cts.CancelAsync();

        var events = await ReadAllAsync(waiting);
        Assert.Equal("cancelled", Assert.IsType<FailedEvent>(events[^1]).Code);
        Assert.Equal(0, scheduler.QueueLength);
        generator.StepGate.Release(10);
        await ReadAllAsync(running);
        Assert.DoesNotContain("waiting", generator.Started);
    }

    [Fact]
    public async Task A_failing_request_fails_alone()
    {
        var generator = new CountingGenerator();
        await using var scheduler = new InferenceScheduler<CountingRequest>(generator, new SchedulerOptions { MaxConcurrent = 4, QueueLimit = 4 });

        var healthy = scheduler.Submit(new CountingRequest("healthy", Steps: 4));
        var blowsUp = scheduler.Submit(new CountingRequest("blows-up", Steps: 4, FailAtStep: 2));
        var badPrompt = scheduler.Submit(new CountingRequest("bad-prompt", Steps: 4, FailAtBegin: true));
        var results = await Task.WhenAll(ReadAllAsync(healthy), ReadAllAsync(blowsUp), ReadAllAsync(badPrompt));

        Assert.Equal(4, Assert.IsType<CompletedEvent>(results[0][^1]).Summary.Steps);
        Assert.Equal(4, results[0].OfType<AudioChunkEvent>().Count());
        var failure = Assert.IsType<FailedEvent>(results[1][^1]);
        Assert.Equal("synthesis_failed", failure.Code);
        Assert.Contains("numerical blow-up", failure.Message, StringComparison.Ordinal);
        Assert.Equal("prompt_audio_invalid", Assert.IsType<FailedEvent>(results[2][^1]).Code);
    }

    [Fact]
    public async Task A_request_in_its_prefill_holds_its_slot_so_the_next_one_is_busy()
    {
        var generator = new CountingGenerator { PrefillGate = new SemaphoreSlim(0) };
        await using var scheduler = new InferenceScheduler<CountingRequest>(generator, new SchedulerOptions { MaxConcurrent = 1, QueueLimit = 0 });

        var first = scheduler.Submit(new CountingRequest("first", Steps: 1));
        await WaitUntilAsync(() => generator.PrefillCalls == 1);

        Assert.Throws<SchedulerBusyException>(() => scheduler.Submit(new CountingRequest("second", Steps: 1)));
        generator.PrefillGate.Release();
        Assert.IsType<CompletedEvent>((await ReadAllAsync(first))[^1]);
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.UntilAsync(condition, interval: TimeSpan.FromMilliseconds(10));
}
