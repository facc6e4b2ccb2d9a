using System.Diagnostics;
using System.Globalization;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine.Cli;

/// <summary>
/// Drives the batching scheduler with N concurrent requests per level and prints aggregate audio seconds per
/// wall second, time to first audio (p50/p95), per-request RTF, the garbage collector's pauses and the time outside ONNX Runtime (the scheduler's
/// and generator's own overhead) as a share of wall time, over the whole level and within its steps (picking the rows,
/// the decode step and publishing its audio, without admission and prefill). Every request is held to the same number of steps.
/// </summary>
internal static class SchedulerBenchCommand
{
    private static readonly string[] Texts =
    [
        "The quick brown fox jumps over the lazy dog.",
        "你好世界，我们今天测试语音合成。",
        "Batching many requests keeps the accelerator busy.",
        "VoxCPM说话很好, the model is speaking!",
    ];

    public static async Task<int> RunAsync(Options options)
    {
        int[] levels = (options.Get("concurrency") ?? "1,4,16,64").Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        int steps = options.Int("steps", 20);
        int repeat = options.Int("repeat", 1);
        if (repeat < 1)
        {
            throw new ArgumentException($"--repeat must be at least 1 (got {repeat})");
        }

        var (engine, description) = EngineFactory.Create(options, maxConcurrent: levels.Max(), queueLimit: levels.Max());
        await using (engine)
        {
            await Console.Out.WriteLineAsync($"scheduler bench: {description}; device {engine.Device}; solver {engine.SolverMode}; {steps} steps per request ({steps * 1000.0 * engine.Config.PatchSamples / engine.SampleRate:0} ms of audio); median of {repeat} run(s) per level");
            await Console.Out.WriteLineAsync("concurrency  audio_s/wall_s  ratio_vs_1  ttfa_p50_ms  ttfa_p95_ms  rtf_p50  peak_batch  outside_ort  step_host  gc_pause_ms  alloc_kb_per_request  audio_s/wall_s_range");
            bool warmEachLevel = options.Get("warm-levels") is not "off";
            double? baseline = null;
            foreach (int n in levels)
            {
                // Each level first runs once unmeasured, so the figures are a warmed server's (CUDA captures graphs per
                // batch bucket, and ORT sets up every new shape on first use); --warm-levels off warms the first only.
                if (warmEachLevel || baseline is null)
                {
                    await RunLevelAsync(engine, n, steps);
                }

                // A level lasts a fraction of a second, so one busy moment of a shared machine swings it: the median
                // of several runs (by throughput, with that run's other columns) is the level's figure.
                var runs = new List<LevelResult>(repeat);
                for (int i = 0; i < repeat; i++)
                {
                    runs.Add(await RunLevelAsync(engine, n, steps));
                }

                runs.Sort((a, b) => a.Aggregate.CompareTo(b.Aggregate));
                var r = runs[runs.Count / 2];
                baseline ??= r.Aggregate;
                await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{n,11}  {r.Aggregate,14:0.000}  {r.Aggregate / baseline.Value,10:0.00}x  {r.TtfaP50,11:0.0}  {r.TtfaP95,11:0.0}  {r.RtfP50,7:0.000}  {r.PeakBatch,10}  {r.OutsideOrt,10:0.0%}  {r.StepHost,9:0.0%}  {r.GcPauseMs,11:0.0}  {r.AllocatedKbPerRequest,20:0.0}  {runs[0].Aggregate,8:0.0}-{runs[^1].Aggregate:0.0}"));
            }
        }

        return 0;
    }

    private static async Task<LevelResult> RunLevelAsync(VoxCpmEngine engine, int n, int steps)
    {
        var ortBefore = OrtTime.Total;
        var pauseBefore = GC.GetTotalPauseDuration();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var stepWallBefore = engine.Scheduler.StepTotals.Wall;
        var stepHostBefore = engine.Scheduler.StepTotals.Host;
        var clock = Stopwatch.StartNew();
        var tickets = Enumerable.Range(0, n).Select(i => engine.Scheduler.Submit(new GenerationRequest
        {
            Text = Texts[i % Texts.Length],
            Seed = i,
            MinLength = int.MaxValue - 1,
            MaxLength = steps,
            CfgValue = 2.0f,
            InferenceTimesteps = 10,
        })).ToList();
        var summaries = await Task.WhenAll(tickets.Select(WaitAsync));
        var wall = clock.Elapsed;
        var ort = OrtTime.Total - ortBefore;
        double audio = summaries.Sum(s => s.AudioSeconds);
        var ttfa = summaries.Select(s => s.TimeToFirstAudio?.TotalMilliseconds ?? double.NaN).Order().ToArray();
        var rtf = summaries.Select(s => s.RealTimeFactor).Order().ToArray();
        return new LevelResult(audio / wall.TotalSeconds, Percentile(ttfa, 0.5), Percentile(ttfa, 0.95), Percentile(rtf, 0.5), summaries.Max(s => s.PeakBatchSize), 1 - (ort / wall), (engine.Scheduler.StepTotals.Host - stepHostBefore) / (engine.Scheduler.StepTotals.Wall - stepWallBefore), (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds,
            (GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / 1024.0 / n);
    }

    private static async Task<SynthesisSummary> WaitAsync(SynthesisTicket ticket)
    {
        await foreach (var e in ticket.Events.ReadAllAsync())
        {
            switch (e)
            {
                case CompletedEvent done:
                    return done.Summary;
                case FailedEvent failed:
                    throw new InvalidOperationException($"{failed.Code}: {failed.Message}");
            }
        }

        throw new InvalidOperationException("the request ended without a summary");
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private sealed record LevelResult(double Aggregate, double TtfaP50, double TtfaP95, double RtfP50, int PeakBatch, double OutsideOrt, double StepHost, double GcPauseMs, double AllocatedKbPerRequest);
}
