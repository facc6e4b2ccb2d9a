using VoxCpm.Engine.Scheduling;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Scheduling;

/// <summary>
/// Playback deadlines on a clock the test owns: each step of the counting generator yields 100 ms of audio and moves
/// the clock by what a step of its batch size costs, so "ahead of real time" is exact and the runs are repeatable.
/// </summary>
public class DeadlineSchedulingTests
{
    private const int SamplesPer100Ms = 1600;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task When_a_step_cannot_serve_every_stream_the_one_closest_to_running_dry_goes_first()
    {
        var clock = new ManualTimeProvider();
        var generator = new CountingGenerator { StepGate = new SemaphoreSlim(0), Clock = clock, StepSamples = SamplesPer100Ms, StepTime = _ => TimeSpan.FromMilliseconds(40) };
        await using var scheduler = new InferenceScheduler<CountingRequest>(generator, new SchedulerOptions { MaxConcurrent = 2, QueueLimit = 2, MaxBatchSize = 1 }, time: clock);

        // "ahead" runs alone for five steps: 500 ms of audio in 200 ms, so its listener is 340 ms ahead.
        var ahead = scheduler.Submit(new CountingRequest("ahead", Steps: 30));
        generator.StepGate.Release(5);
        var aheadEvents = new List<SynthesisEvent>();
        await ReadUntilAsync(ahead, aheadEvents, events => events.OfType<AudioChunkEvent>().Count() == 5);

        var behind = scheduler.Submit(new CountingRequest("behind", Steps: 30));
        generator.StepGate.Release(1000);
        var behindEvents = new List<SynthesisEvent>();
        await Task.WhenAll(ReadUntilAsync(ahead, aheadEvents, IsFinished), ReadUntilAsync(behind, behindEvents, IsFinished));

        // The newcomer has nothing to play yet: from its first step on it is served alone until its listener is as far
        // ahead as the other's. (The step after the fifth may have been picked before it arrived.)
        var steps = generator.Batches.Select(b => Assert.Single(b)).ToList();
        var afterJoin = steps.Skip(steps.IndexOf("behind")).ToList();
        // "ahead" has 340–400 ms left (five or six steps alone); each step takes 40 ms from it and gives "behind" 60 ms,
        // so "behind" goes three times in a row, and "ahead" comes back within six steps.
        Assert.Equal(["behind", "behind", "behind"], afterJoin.Take(3));
        Assert.Contains("ahead", afterJoin.Take(6));

        // Taking turns at 40 ms a step, each stream gains 100 ms of audio per 80 ms: neither listener ever runs dry.
        Assert.Equal(0, Summary(aheadEvents).Underruns);
        Assert.Equal(0, Summary(behindEvents).Underruns);
        Assert.Equal(1, Summary(behindEvents).PeakBatchSize);
    }

    [Fact]
    public async Task Without_real_time_admission_one_stream_too_many_makes_every_stream_run_dry()
    {
        var (summaries, _) = await RunFourStreamsAsync(realTimeAdmission: false, queueLimit: 4);

        Assert.All(summaries, s => Assert.True(s!.Underruns > 0, "a batch of 4 takes 112 ms per 100 ms of audio"));
    }

    [Fact]
    public async Task Real_time_admission_queues_the_stream_that_would_make_the_running_ones_run_dry()
    {
        var (summaries, fourth) = await RunFourStreamsAsync(realTimeAdmission: true, queueLimit: 4);

        // Three streams at 84 ms per 100 ms of audio stay ahead; the fourth waited for a slot instead of slowing them.
        Assert.All(summaries, s => Assert.Equal(0, s!.Underruns));
        Assert.All(summaries, s => Assert.True(s!.PeakBatchSize <= 3));
        Assert.True(fourth.OfType<QueuedEvent>().Any(), "the fourth request was queued");
        Assert.True(Summary(fourth).QueueWait > TimeSpan.Zero);
    }

    [Fact]
    public async Task Real_time_admission_answers_busy_when_the_queue_is_full()
    {
        var clock = new ManualTimeProvider();
        var generator = new CountingGenerator { StepGate = new SemaphoreSlim(0), Clock = clock, StepSamples = SamplesPer100Ms, StepTime = CostOf28MsPerRow };
        await using var scheduler = new InferenceScheduler<CountingRequest>(generator, new SchedulerOptions { MaxConcurrent = 4, QueueLimit = 0, RealTimeAdmission = true }, time: clock);

        var running = await StartThreeAndStepTwiceAsync(scheduler, generator);

        var busy = Assert.Throws<SchedulerBusyException>(() => scheduler.Submit(new CountingRequest("fourth", Steps: 5)));
        Assert.Contains("3 streams are running, as many as can stay ahead of real time", busy.Message, StringComparison.Ordinal);
        generator.StepGate.Release(1000);
        await Task.WhenAll(running.Select(r => ReadUntilAsync(r.Ticket, r.Events, IsFinished)));
    }

    [Fact]
    public async Task A_queued_request_is_told_an_estimated_wait_once_requests_have_finished()
    {
        var clock = new ManualTimeProvider();
        var generator = new CountingGenerator { StepGate = new SemaphoreSlim(0), Clock = clock, StepSamples = SamplesPer100Ms, StepTime = _ => TimeSpan.FromMilliseconds(50) };
        await using var scheduler = new InferenceScheduler<CountingRequest>(generator, new SchedulerOptions { MaxConcurrent = 1, QueueLimit = 4 }, time: clock);

        var first = scheduler.Submit(new CountingRequest("first", Steps: 4));
        generator.StepGate.Release(4);
        var firstEvents = new List<SynthesisEvent>();
        await ReadUntilAsync(first, firstEvents, IsFinished);

        var running = scheduler.Submit(new CountingRequest("running", Steps: 4));
        await WaitUntilAsync(() => scheduler.ActiveCount == 1);
        var waiting = scheduler.Submit(new CountingRequest("waiting", Steps: 1));
        var waitingEvents = new List<SynthesisEvent>();
        await ReadUntilAsync(waiting, waitingEvents, events => events.Count == 1);

        // One request took 4 steps of 50 ms; the next in line waits about one such request.
        var queued = Assert.IsType<QueuedEvent>(waitingEvents[0]);
        Assert.Equal(1, queued.Position);
        Assert.Equal(TimeSpan.FromMilliseconds(200), queued.EstimatedWait);
        generator.StepGate.Release(100);
        await ReadUntilAsync(running, [], IsFinished);
        await ReadUntilAsync(waiting, waitingEvents, IsFinished);
    }

    [Fact]
    public async Task A_burst_of_arrivals_is_prefilled_between_steps_so_playing_streams_keep_their_audio()
    {
        var clock = new ManualTimeProvider();
        var generator = new CountingGenerator { StepGate = new SemaphoreSlim(0), Clock = clock, StepSamples = SamplesPer100Ms, StepTime = _ => TimeSpan.FromMilliseconds(20), PrefillTime = TimeSpan.FromMilliseconds(60) };
        await using var scheduler = new InferenceScheduler<CountingRequest>(generator, new SchedulerOptions { MaxConcurrent = 9, QueueLimit = 9 }, time: clock);

        // "playing" runs alone for three steps: 300 ms of audio out, its listener about 260 ms ahead.
        var playing = (Ticket: scheduler.Submit(new CountingRequest("playing", Steps: 40)), Events: new List<SynthesisEvent>());
        generator.StepGate.Release(3);
        await ReadUntilAsync(playing.Ticket, playing.Events, events => events.OfType<AudioChunkEvent>().Count() == 3);

        // Eight arrive at once: prefilling all of them before the next step would take 480 ms of its listener's 260.
        var burst = Enumerable.Range(0, 8).Select(i => (Ticket: scheduler.Submit(new CountingRequest($"new{i}", Steps: 10)), Events: new List<SynthesisEvent>())).ToList();
        generator.StepGate.Release(10_000);
        await Task.WhenAll(burst.Append(playing).Select(r => ReadUntilAsync(r.Ticket, r.Events, IsFinished)));

        Assert.Equal(0, Summary(playing.Events).Underruns);
        Assert.All(burst, r => Assert.Equal(10 * SamplesPer100Ms, Summary(r.Events).Samples));
        var batchSizes = generator.Batches.Select(b => b.Length).Distinct().Count();
        Assert.True(batchSizes > 2, "the newcomers joined over several steps, not all at once");
    }

    private static TimeSpan CostOf28MsPerRow(int rows) => TimeSpan.FromMilliseconds(28 * rows);

    /// <summary>Three streams step twice together (84 ms per 100 ms of audio), then a fourth arrives; all run to the end.</summary>
    private static async Task<(SynthesisSummary?[] Summaries, List<SynthesisEvent> Fourth)> RunFourStreamsAsync(bool realTimeAdmission, int queueLimit)
    {
        var clock = new ManualTimeProvider();
        var generator = new CountingGenerator { StepGate = new SemaphoreSlim(0), Clock = clock, StepSamples = SamplesPer100Ms, StepTime = CostOf28MsPerRow };
        await using var scheduler = new InferenceScheduler<CountingRequest>(generator, new SchedulerOptions { MaxConcurrent = 4, QueueLimit = queueLimit, RealTimeAdmission = realTimeAdmission }, time: clock);

        var running = await StartThreeAndStepTwiceAsync(scheduler, generator);
        var fourth = (Ticket: scheduler.Submit(new CountingRequest("fourth", Steps: 40)), Events: new List<SynthesisEvent>());
        running.Add(fourth);
        generator.StepGate.Release(10_000);
        await Task.WhenAll(running.Select(r => ReadUntilAsync(r.Ticket, r.Events, IsFinished)));
        return (running.Take(3).Select(r => Summary(r.Events)).ToArray(), fourth.Events);
    }

    private static async Task<List<(SynthesisTicket Ticket, List<SynthesisEvent> Events)>> StartThreeAndStepTwiceAsync(InferenceScheduler<CountingRequest> scheduler, CountingGenerator generator)
    {
        // The three start together: admission is held until all are submitted (else the loop could start "a" alone and
        // wait in its first step, which no one releases yet).
        var running = new List<(SynthesisTicket Ticket, List<SynthesisEvent> Events)>();
        generator.PrepareGate = new SemaphoreSlim(0);
        foreach (var name in new[] { "a", "b", "c" })
        {
            running.Add((scheduler.Submit(new CountingRequest(name, Steps: 40)), []));
        }

        generator.PrepareGate.Release(1000);
        await WaitUntilAsync(() => scheduler.ActiveCount == 3);
        generator.StepGate!.Release(2);
        foreach (var (ticket, events) in running)
        {
            await ReadUntilAsync(ticket, events, e => e.OfType<AudioChunkEvent>().Count() == 2);
        }

        return running;
    }

    private static bool IsFinished(List<SynthesisEvent> events) => events.Count > 0 && events[^1] is CompletedEvent or FailedEvent;

    private static SynthesisSummary Summary(List<SynthesisEvent> events) => Assert.IsType<CompletedEvent>(events[^1]).Summary;

    private static async Task ReadUntilAsync(SynthesisTicket ticket, List<SynthesisEvent> events, Func<List<SynthesisEvent>, bool> done)
    {
        using var cts = new CancellationTokenSource(Timeout);
        while (!done(events))
        {
            events.Add(await ticket.Events.ReadAsync(cts.Token));
        }
    }

    private static Task WaitUntilAsync(Func<bool> condition) => Eventually.UntilAsync(condition, Timeout, TimeSpan.FromMilliseconds(5));
}
