using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine.Tests.Generation;

/// <summary>
/// The decode step is the server's hot path: once a batch size has run, a step reuses every binding, ORT value and
/// buffer it needs, and appends each request's patch to a pooled history, so it allocates no managed memory, on its
/// own thread or on the thread that decodes the streams beside it. Run alone: it counts the whole process's bytes.
/// </summary>
[Collection(Name)]
public sealed class SteadyStepAllocationTests
{
    public const string Name = "alone: counts the process's allocations";

    [Theory]
    [InlineData(1, false)]
    [InlineData(4, false)]
    [InlineData(4, true)]
    public async Task A_steady_decode_step_allocates_nothing(int batchSize, bool decodeBesideTheLanguageModels)
    {
        await using var engine = VoxCpmEngine.Load(
            Path.Combine(TestKit.TinyFixtures.Root, "v05"),
            new EngineOptions { IntraOpThreads = 1, Scheduler = new SchedulerOptions { MaxConcurrent = batchSize } });
        using var generator = new VoxCpmGenerator(engine.Modules, new OnnxAudioVae(engine.AudioVae, batchSize), new TokenizerFrontEnd(engine.Tokenizer), StreamingDecodeMode.Exact)
        {
            StreamDecodeOverlapThreshold = decodeBesideTheLanguageModels ? TimeSpan.Zero : TimeSpan.MaxValue,
        };
        var batch = Enumerable.Range(0, batchSize).Select(seed => generator.Begin(LongStream(seed))).ToList();
        for (int step = 0; step < 8; step++)
        {
            generator.Advance(batch, CancellationToken.None); // the first steps of a size bind and grow
        }

        const int Steps = 16;
        long before = GC.GetTotalAllocatedBytes(precise: true);
        for (int step = 0; step < Steps; step++)
        {
            generator.Advance(batch, CancellationToken.None);
        }

        long perStep = (GC.GetTotalAllocatedBytes(precise: true) - before) / Steps;
        Assert.All(batch, state => Assert.False(state.IsFinished)); // every measured step was a full batch's
        Assert.True(perStep < 64, $"a steady step at batch {batchSize} allocated {perStep} bytes");
        batch.ForEach(generator.Release);
    }

    private static GenerationRequest LongStream(int seed) => new()
    {
        Text = string.Concat(Enumerable.Repeat("A steady stream keeps going. ", 6)),
        MaxSegmentChars = 0,
        Seed = seed,
        Streaming = true,
        MinLength = int.MaxValue - 1, // no stop head: every step continues
        MaxLength = 1000,
        SilenceGuard = false,
        NoiseGuard = false,
    };
}

/// <summary>Runs <see cref="SteadyStepAllocationTests"/> with no other test beside it.</summary>
[CollectionDefinition(SteadyStepAllocationTests.Name, DisableParallelization = true)]
public sealed class SteadyStepAllocationRunsAlone;
