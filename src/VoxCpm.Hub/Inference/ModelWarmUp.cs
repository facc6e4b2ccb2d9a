using VoxCpm.Engine;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Hub.Inference;

/// <summary>
/// Short syntheses through the real scheduler before the model is reported ready: the first run pays for ONNX
/// Runtime's lazy initialisation (kernels, arena growth), which a user's first request should not. Every power-of-two
/// batch size up to TTS_MAX_CONCURRENT runs once as well, because ORT sets up each new shape on first use: on CUDA
/// the solver also captures its graphs per batch bucket (on an H200 the scheduler bench saw first audio of 0.4–0.9 s
/// for the first batch of each new size, against 15–20 ms for a warmed single request), and on the CPU the first
/// step of 16 streams stalled long enough that every one of them ran dry right after its first chunk.
/// </summary>
internal static class ModelWarmUp
{
    private const string Text = "Hello.";

    // A few decode steps exercise prefill, the batched step and the streaming VAE decode; more only cost time. Larger
    // batches only need their shapes set up once, which two steps do (a full-size model's step is slow on a CPU).
    private const int Steps = 6;
    private const int BatchSteps = 2;

    public static async Task RunAsync(VoxCpmEngine engine, CancellationToken cancellationToken)
    {
        foreach (int batch in BatchSizes(engine.Options.Scheduler.MaxConcurrent))
        {
            var tickets = Enumerable.Range(0, batch)
                .Select(i => engine.Scheduler.Submit(new GenerationRequest { Text = Text, Seed = i, Streaming = true, RetryBadcase = false, MaxLength = batch == 1 ? Steps : BatchSteps }, cancellationToken))
                .ToList();
            foreach (var ticket in tickets)
            {
                await foreach (var e in ticket.Events.ReadAllAsync(cancellationToken))
                {
                    if (e is FailedEvent failed)
                    {
                        throw new SynthesisException(failed.Code, $"the warm-up synthesis failed: {failed.Message}");
                    }
                }
            }
        }
    }

    /// <summary>The batch sizes warmed: 1, 2, 4, … up to and including <paramref name="maxConcurrent"/>, on every device.</summary>
    internal static IReadOnlyList<int> BatchSizes(int maxConcurrent)
    {
        var sizes = new List<int>();
        for (int size = 1; size < maxConcurrent; size *= 2)
        {
            sizes.Add(size);
        }

        sizes.Add(maxConcurrent);
        return sizes;
    }
}
