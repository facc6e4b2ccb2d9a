using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Scheduling;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Scheduling;

/// <summary>The real engine under the scheduler: batching changes nothing about any request's audio.</summary>
public class BatchedGenerationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static GenerationRequest[] Requests(VoicePrompt voice) =>
    [
        new() { Text = "Hello world, this is a voice test.", Seed = 11, CfgValue = 2.0f, InferenceTimesteps = 10 },
        new() { Text = "你好世界，我们今天测试语音合成。", Seed = 12, CfgValue = 1.5f, InferenceTimesteps = 4 },
        new() { Text = "A cloned voice says something else.", Seed = 13, Prompt = voice, InferenceTimesteps = 6 },
        new() { Text = "Short.", Seed = 14, MaxLength = 30, Streaming = false, RetryBadcase = false },
    ];

    [Theory]
    [InlineData("v05")]
    [InlineData("v15")]
    public async Task Requests_batched_together_sound_exactly_as_when_run_alone(string checkpoint)
    {
        await using var engine = VoxCpmEngine.Load(TinyFixtures.Checkpoint(checkpoint), new EngineOptions { IntraOpThreads = 1, Scheduler = new SchedulerOptions { MaxConcurrent = 4, QueueLimit = 8 } });
        var voice = engine.EncodeVoice(await File.ReadAllBytesAsync(Path.Combine(TinyFixtures.Case(checkpoint, "clone"), "prompt.wav")), "We say hello to the model.", denoise: false);
        var requests = Requests(voice);

        var batched = await AssertBatchedSoundsAsAloneAsync(engine, requests);

        Assert.True(batched.Max(b => b.MaxBatch) > 1, "the requests were expected to share decode steps");
    }

    [Fact]
    public async Task Streams_that_sit_out_steps_because_the_batch_is_full_sound_exactly_as_when_run_alone()
    {
        // Four exact streams, two rows per step: every step leaves two streams out, whose decoder history must wait.
        await using var engine = VoxCpmEngine.Load(TinyFixtures.Checkpoint("v05"), new EngineOptions { IntraOpThreads = 1, Scheduler = new SchedulerOptions { MaxConcurrent = 4, QueueLimit = 8, MaxBatchSize = 2 } });
        GenerationRequest[] requests =
        [
            new() { Text = "Hello world, this is a voice test.", Seed = 31, InferenceTimesteps = 4 },
            new() { Text = "你好世界，我们今天测试语音合成。", Seed = 32, InferenceTimesteps = 4 },
            new() { Text = "A third stream waits its turn.", Seed = 33, InferenceTimesteps = 4 },
            new() { Text = "And a fourth one, too.", Seed = 34, InferenceTimesteps = 4 },
        ];

        var batched = await AssertBatchedSoundsAsAloneAsync(engine, requests);

        Assert.Equal(2, batched.Max(b => b.MaxBatch));
    }

    [Fact]
    public async Task A_request_whose_numbers_blow_up_fails_alone_and_its_batch_mates_sound_as_when_run_alone()
    {
        await using var engine = VoxCpmEngine.Load(TinyFixtures.Checkpoint("v05"), new EngineOptions { IntraOpThreads = 1, Scheduler = new SchedulerOptions { MaxConcurrent = 4, QueueLimit = 8 } });
        var healthy = new GenerationRequest { Text = "Hello world, this is a voice test.", Seed = 21, InferenceTimesteps = 6 };

        // No transport lets a CFG value like this through (the shared validation caps it); the engine must still cope.
        var exploding = new GenerationRequest { Text = "This one overflows.", Seed = 22, CfgValue = float.MaxValue, InferenceTimesteps = 6 };

        var alone = (await CollectAsync(engine.Scheduler.Submit(healthy))).Audio;
        var healthyTicket = engine.Scheduler.Submit(healthy);
        var explodingTicket = engine.Scheduler.Submit(exploding);

        var failure = await FailureAsync(explodingTicket);
        var batched = await CollectAsync(healthyTicket);

        Assert.Equal("synthesis_failed", failure.Code);
        Assert.Contains("non-finite", failure.Message, StringComparison.Ordinal);
        Assert.Equal(alone, batched.Audio);
    }

    private static async Task<FailedEvent> FailureAsync(SynthesisTicket ticket)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await foreach (var e in ticket.Events.ReadAllAsync(cts.Token))
        {
            switch (e)
            {
                case AudioChunkEvent chunk:
                    Assert.All(chunk.Samples.ToArray(), v => Assert.True(float.IsFinite(v), "a non-finite sample was sent"));
                    break;
                case CompletedEvent:
                    Assert.Fail("the overflowing request completed");
                    break;
                case FailedEvent failed:
                    return failed;
            }
        }

        throw new InvalidOperationException("the ticket ended without an outcome");
    }

    /// <summary>Runs each request alone, then all at once, and asserts each request's audio is the same both ways.</summary>
    private static async Task<(float[] Audio, int MaxBatch)[]> AssertBatchedSoundsAsAloneAsync(VoxCpmEngine engine, GenerationRequest[] requests)
    {
        var alone = new List<float[]>();
        foreach (var request in requests)
        {
            alone.Add((await CollectAsync(engine.Scheduler.Submit(request))).Audio);
        }

        var batched = await Task.WhenAll(requests.Select(r => CollectAsync(engine.Scheduler.Submit(r))));
        for (int i = 0; i < requests.Length; i++)
        {
            Assert.Equal(alone[i].Length, batched[i].Audio.Length);
            Assert.True(alone[i].Length > 0);
            float max = 0;
            for (int j = 0; j < alone[i].Length; j++)
            {
                max = MathF.Max(max, MathF.Abs(alone[i][j] - batched[i].Audio[j]));
            }

            Assert.True(max <= 1e-5f, $"request {i}: batched audio differs from solo audio by {max}");
        }

        return batched;
    }

    private static async Task<(float[] Audio, int MaxBatch)> CollectAsync(SynthesisTicket ticket)
    {
        var result = await TicketAudio.CollectAsync(ticket, Timeout);
        return (result.Audio, result.Summary.PeakBatchSize);
    }
}
