using BenchmarkDotNet.Attributes;
using VoxCpm.Engine;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Benchmarks;

/// <summary>
/// One decode step of the tiny fixture model for a batch of streaming requests, as the scheduler runs it
/// (<c>IBatchGenerator.Advance</c>): time and managed bytes allocated per step in steady state.
/// </summary>
[MemoryDiagnoser]
public class BatchStepBenchmark
{
    private VoxCpmEngine _engine = null!;
    private VoxCpmGenerator _generator = null!;
    private List<IGenerationState> _batch = [];

    [Params(1, 16)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _engine = VoxCpmEngine.Load(FixturePaths.Checkpoint("v05"), new EngineOptions { IntraOpThreads = 1, Scheduler = new SchedulerOptions { MaxConcurrent = Batch } });
        _generator = _engine.CreateGenerator(StreamingDecodeMode.Exact);
        _batch = [.. Enumerable.Range(0, Batch).Select(Begin)];
        for (int i = 0; i < 8; i++)
        {
            Step(); // past the first chunk and the allocator's growth
        }
    }

    [Benchmark]
    public void Step()
    {
        _generator.Advance(_batch, CancellationToken.None);
        for (int i = 0; i < _batch.Count; i++)
        {
            if (_batch[i].IsFinished)
            {
                _generator.Release(_batch[i]);
                _batch[i] = Begin(i);
            }
        }
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        foreach (var state in _batch)
        {
            _generator.Release(state);
        }

        _generator.Dispose();
        await _engine.DisposeAsync();
    }

    private IGenerationState Begin(int seed) => _generator.Begin(
        new GenerationRequest
        {
            // Long enough (one segment, over a thousand steps) that no request ends within a run: every step measured
            // is a steady-state step, not a request's start.
            Text = string.Concat(Enumerable.Repeat("Benchmarks measure the steady state of a long stream. ", 8)),
            MaxSegmentChars = 0,
            Seed = seed,
            Streaming = true,
            MinLength = int.MaxValue - 1, // the stop head is held off: every step is a steady-state step
            MaxLength = 4000,
            SilenceGuard = false,
            NoiseGuard = false,
        });
}
