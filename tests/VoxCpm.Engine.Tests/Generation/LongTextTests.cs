using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Scheduling;
using VoxCpm.Engine.Tests.Scheduling;
using VoxCpm.Engine.Text;
using VoxCpm.TestKit;

namespace VoxCpm.Engine.Tests.Generation;

/// <summary>Long input, the runaway guard and chunking, on the tiny v05 model.</summary>
public sealed class LongTextTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private VoxCpmEngine _engine = null!;

    public Task InitializeAsync()
    {
        _engine = VoxCpmEngine.Load(TinyFixtures.Checkpoint("v05"), new EngineOptions { IntraOpThreads = 1, Scheduler = new SchedulerOptions { MaxConcurrent = 4, QueueLimit = 8 } });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    public static TheoryData<string, string> LongTexts() => new()
    {
        { "zh", Repeat("今天天气很好，我们一起去公园散步。你觉得怎么样？语音合成的效果越来越自然了！", 2000) },
        { "en", Repeat("The quick brown fox jumps over the lazy dog. Mr. Smith paid $3.50, e.g. for coffee; then he left! ", 2000) },
    };

    [Theory]
    [MemberData(nameof(LongTexts))]
    public async Task Two_thousand_characters_finish_with_the_planned_segments(string language, string text)
    {
        var plan = TextSegmenter.Split(text);
        var (audio, summary) = await RunAsync(new GenerationRequest { Text = text, Seed = 3 });

        Assert.True(plan.Count >= 10, $"{language}: expected a multi-segment plan, got {plan.Count}");
        Assert.Equal(plan.Count, summary.Segments);
        Assert.Equal(summary.Samples, audio.Length);
        Assert.True(audio.Length >= plan.Count * (_engine.Config.PatchSamples * 3), "every segment speaks at least its minimum length");
    }

    [Fact]
    public async Task A_stop_head_that_never_fires_is_ended_by_the_step_cap_of_each_segment()
    {
        string text = "One sentence here. Another sentence there. And a third one to finish.";
        var request = new GenerationRequest { Text = text, Seed = 5, MinLength = int.MaxValue - 1, MaxSegmentChars = 30 };
        var (_, summary) = await RunAsync(request);

        var plan = TextSegmenter.Split(text, 30);
        int cap = plan.Sum(segment => (int)(_engine.Tokenizer.BuildModelInput(null, segment).TargetTextLength * request.RetryBadcaseRatioThreshold) + 10);
        Assert.Equal("max_len", summary.StopReason);
        Assert.Equal(cap, summary.Steps);
        Assert.Contains(summary.Warnings!, w => w.Contains("step cap", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_first_chunk_is_small_and_later_chunks_grow_to_the_steady_size_never_beyond_what_was_sent()
    {
        var chunks = new List<int>();
        await RunAsync(new GenerationRequest { Text = "Hello world, this is a voice test.", Seed = 8, MinLength = 12, FirstChunkPatches = 1, ChunkPatches = 3 }, chunks);

        // 1 patch, then 1 (1 sent), 2 (2 sent), then 3 from 4 sent on: a chunk never holds more than its listener has.
        int patch = _engine.Config.PatchSamples;
        Assert.Equal([patch, patch, 2 * patch], chunks.Take(3));
        Assert.True(chunks.Count >= 5, $"at least 12 steps make at least five chunks, got {chunks.Count}"); // so the steady ones below exist
        Assert.All(chunks.Skip(3).SkipLast(1), c => Assert.Equal(3 * patch, c));
        Assert.InRange(chunks[^1], patch, 3 * patch);
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(40, 2)]
    [InlineData(40, 1)] // every step ends a chunk, so a segment's last step does too
    public async Task Streamed_chunks_join_into_exactly_the_one_shot_decode(int maxSegmentChars, int chunkPatches)
    {
        string text = "Hello world, this is a voice test. And here is a second sentence to say.";
        var streamed = await RunAsync(new GenerationRequest { Text = text, Seed = 21, MaxSegmentChars = maxSegmentChars, SilenceGuard = false, ChunkPatches = chunkPatches });
        var oneShot = await RunAsync(new GenerationRequest { Text = text, Seed = 21, MaxSegmentChars = maxSegmentChars, SilenceGuard = false, Streaming = false, RetryBadcase = false });

        Assert.Equal(oneShot.Audio.Length, streamed.Audio.Length);
        float max = 0;
        for (int i = 0; i < oneShot.Audio.Length; i++)
        {
            max = MathF.Max(max, MathF.Abs(oneShot.Audio[i] - streamed.Audio[i]));
        }

        Assert.True(max <= 1e-5f, $"streamed audio differs from the one-shot decode by {max}");
    }

    private async Task<(float[] Audio, SynthesisSummary Summary)> RunAsync(GenerationRequest request, List<int>? chunkSizes = null)
    {
        var result = await TicketAudio.CollectAsync(_engine.Scheduler.Submit(request), Timeout);
        chunkSizes?.AddRange(result.ChunkSizes);
        return (result.Audio, result.Summary);
    }

    private static string Repeat(string unit, int length) => string.Concat(Enumerable.Repeat(unit, (length / unit.Length) + 1))[..length];
}
