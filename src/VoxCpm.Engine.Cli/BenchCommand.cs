using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine.Cli;

/// <summary>
/// Single-request speed through the production path (scheduler, exact streaming decode): load time, time to first
/// audio, real-time factor, decode steps per second and peak memory. The run is forced to a fixed number of steps
/// (the stop head is held off) so random weights and real weights do the same work.
/// </summary>
internal static class BenchCommand
{
    private const string DefaultText = "The quick brown fox jumps over the lazy dog, and then it runs far away.";

    public static async Task<int> RunAsync(Options options)
    {
        int steps = options.Int("steps", 25);
        int runs = options.Int("runs", 3);
        var clock = Stopwatch.StartNew();
        var (engine, description) = EngineFactory.Create(options, maxConcurrent: 1, queueLimit: 4);
        await using (engine)
        {
            double loadSeconds = clock.Elapsed.TotalSeconds;
            var c = engine.Config;
            string threads = engine.Options.IntraOpThreads > 0
                ? $"{engine.Options.IntraOpThreads} intra-op threads"
                : $"intra-op threads per module ({Onnx.IntraOpThreads.CountCores()} for large modules, 1 for small)";
            await Console.Out.WriteLineAsync($"engine: {description}; device {engine.Device}; precision {engine.Precision}; solver {engine.SolverMode}; {threads}; {c.SampleRate} Hz, patch {c.PatchSize} ({1000.0 * c.PatchSamples / c.SampleRate:0} ms of audio per step)");
            await Console.Out.WriteLineAsync($"load: {loadSeconds:0.00} s, cpu {engine.LoadTimings.TotalCpu.TotalSeconds:0.00} s ({engine.LoadTimings})");

            var request = new GenerationRequest
            {
                Text = options.Get("text") ?? DefaultText,
                InferenceTimesteps = options.Int("timesteps", 10),
                MinLength = int.MaxValue - 1, // hold off the stop head: every run does exactly `steps` steps
                MaxLength = steps,
                Streaming = true,
                Seed = 1,
                FirstChunkPatches = options.Int("first-chunk", 1),
                ChunkPatches = options.Int("chunk", 2),
                SilenceGuard = false,
                NoiseGuard = false, // fixed work per run: random weights may sound like noise and would end early
            };
            await Console.Out.WriteLineAsync($"chunks: first {request.FirstChunkPatches} patch(es), then {request.ChunkPatches}");

            // The first run warms up (session prepacking, allocator growth) and is reported separately.
            for (int run = 0; run <= runs; run++)
            {
                var cpuBefore = Environment.CpuUsage.TotalTime;
                var result = await MeasureAsync(engine, request);
                string label = run == 0 ? "warm-up" : $"run {run}";
                if (run == 0)
                {
                    await Console.Out.WriteLineAsync($"load and warm-up: {loadSeconds + result.Total.TotalSeconds:0.00} s ({engine.LoadTimings.WithWarmUp(result.Total, Environment.CpuUsage.TotalTime - cpuBefore)})");
                }

                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{label,-8} steps {result.Steps,3}  audio {result.AudioSeconds:0.00} s  first audio {result.FirstAudio.TotalMilliseconds,7:0.0} ms  total {result.Total.TotalSeconds:0.000} s  RTF {result.Rtf:0.000}  steps/s {result.Steps / result.Total.TotalSeconds:0.00}"));
            }

            await Console.Out.WriteLineAsync($"peak working set: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024 * 1024):0.00} GiB");

            // What a server holds while serving: load-time copies are garbage by now; a compacting collection returns them.
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            await Console.Out.WriteLineAsync($"working set after a full GC: {Process.GetCurrentProcess().WorkingSet64 / (1024.0 * 1024 * 1024):0.00} GiB (managed heap {GC.GetTotalMemory(false) / (1024.0 * 1024 * 1024):0.00} GiB)");
        }

        return 0;
    }

    private static async Task<Measurement> MeasureAsync(VoxCpmEngine engine, GenerationRequest request)
    {
        var started = Stopwatch.StartNew();
        var ticket = engine.Scheduler.Submit(request);
        TimeSpan firstAudio = TimeSpan.Zero;
        long samples = 0;
        SynthesisSummary? summary = null;
        await foreach (var e in ticket.Events.ReadAllAsync())
        {
            switch (e)
            {
                case AudioChunkEvent chunk:
                    if (samples == 0)
                    {
                        firstAudio = started.Elapsed;
                    }

                    samples += chunk.Samples.Length;
                    break;
                case CompletedEvent done:
                    summary = done.Summary;
                    break;
                case FailedEvent failed:
                    throw new InvalidOperationException($"synthesis failed: {failed.Code}: {failed.Message}");
            }
        }

        var total = started.Elapsed;
        double audioSeconds = (double)samples / engine.SampleRate;
        return new Measurement(summary!.Steps, audioSeconds, firstAudio, total, total.TotalSeconds / audioSeconds);
    }

    private sealed record Measurement(int Steps, double AudioSeconds, TimeSpan FirstAudio, TimeSpan Total, double Rtf);
}
