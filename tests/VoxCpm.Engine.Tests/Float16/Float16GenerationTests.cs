using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Parity;
using VoxCpm.Engine.Tests.Scheduling;
using VoxCpm.TestKit;
using Xunit.Abstractions;

namespace VoxCpm.Engine.Tests.Float16;

/// <summary>Whole generations with float16 transformer graphs on the CPU provider (what CUDA runs by default).</summary>
public class Float16GenerationTests(ITestOutputHelper output)
{
    private static readonly string[] Decisions = ["tokens", "attempts", "stopped_by", "patches", "chunk_count"];

    [Theory]
    [InlineData(ExecutionDevice.Cpu, ComputePrecision.Float32)]
    [InlineData(ExecutionDevice.Cuda, ComputePrecision.Float16)]
    public void Auto_precision_is_float16_on_cuda_and_float32_on_the_cpu(ExecutionDevice device, ComputePrecision expected)
    {
        Assert.Equal(expected, ComputePrecisions.Resolve(ComputePrecision.Auto, device));
        Assert.Equal(ComputePrecision.Float16, ComputePrecisions.Resolve(ComputePrecision.Float16, ExecutionDevice.Cpu));
        Assert.Equal(ComputePrecision.Float32, ComputePrecisions.Resolve(ComputePrecision.Float32, ExecutionDevice.Cuda));
    }

    [Fact]
    public async Task A_float16_engine_speaks_the_requested_number_of_patches_with_finite_samples()
    {
        await using var engine = VoxCpmEngine.Load(TinyFixtures.Checkpoint("v05"), new EngineOptions { IntraOpThreads = 1, Precision = ComputePrecision.Float16 });
        Assert.Equal(ComputePrecision.Float16, engine.Precision);
        const int steps = 9;

        // The stop head is held off, so the length is exactly the step cap: 9 patches of audio.
        var request = new GenerationRequest { Text = "Hello from a half precision model.", Seed = 4, MinLength = int.MaxValue - 1, MaxLength = steps, SilenceGuard = false };
        var (audio, _, summary) = await TicketAudio.CollectAsync(engine.Scheduler.Submit(request), TimeSpan.FromMinutes(2));

        Assert.Equal(steps, summary.Steps);
        Assert.Equal(steps * engine.Config.PatchSamples, audio.Length);
        Assert.All(audio, s => Assert.True(float.IsFinite(s), $"sample {s} is not finite"));
        Assert.Contains(audio, s => s != 0f);
    }

    [Fact]
    public async Task Every_reference_case_runs_in_float16_and_the_text_front_end_is_unchanged()
    {
        var results = new List<ParityResult>();
        await foreach (var result in ParityRunner.RunAsync(TinyFixtures.Root, new EngineOptions { IntraOpThreads = 1, Precision = ComputePrecision.Float16 }))
        {
            output.WriteLine(result.Describe());
            results.Add(result);
        }

        Assert.Equal(33, results.Count);

        // Decisions (stop step, retries, patch count) may flip where the reference's margin is below float16's error.
        // A generation that stops later than the reference runs out of its recorded noise: that is a flipped decision
        // too, and the only error allowed. The token ids never depend on the precision.
        const string outOfNoise = "drew more noise than the reference";
        Assert.All(results, r => Assert.True(r.Error is null || r.Error.Contains(outOfNoise, StringComparison.Ordinal), r.Describe()));
        var generations = results.Where(r => r.Error is not null || r.Metrics.Any(m => m.Name == "stopped_by")).ToList();
        Assert.All(generations.Where(r => r.Error is null), r => Assert.True(r.Metrics.Single(m => m.Name == "tokens").Passed, r.Describe()));
        int same = generations.Count(r => r.Error is null && r.Metrics.Where(m => Decisions.Contains(m.Name)).All(m => m.Passed));
        output.WriteLine($"{same}/{generations.Count} generation cases take exactly the reference's decisions in float16");
        Assert.Equal(17, generations.Count);

        // Component cases: every compared value is finite and near the reference (FSQ and the VAE stay float32).
        var continuous = results.Except(generations).SelectMany(r => r.Metrics.Select(m => (r.Case, Metric: m)));
        Assert.All(continuous, x => Assert.True(x.Metric.MaxAbsError < 0.1, $"{x.Case}/{x.Metric.Name}: {x.Metric.MaxAbsError}"));
    }
}
