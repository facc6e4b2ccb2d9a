using VoxCpm.Engine;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Hub.Inference;

/// <summary>
/// Short syntheses through the real scheduler before the model is reported ready: the first run pays for ONNX
/// Runtime's lazy initialisation (kernels, arena growth), which a user's first request should not. On CUDA every
/// power-of-two batch size up to TTS_MAX_CONCURRENT runs once as well: the solver captures its CUDA graphs per
/// batch bucket and ORT sets up each new shape on first use (on an H200 the scheduler bench saw first audio of
/// 0.4–0.9 s for the first batch of each new size, against 15–20 ms for a warmed single request).
/// </summary>
internal static class ModelWarmUp
{
    private const string Text = "Hello.";

    // A few decode steps exercise prefill, the batched step and the streaming VAE decode; more only cost time.
    private const int Steps = 6;

    public static async Task RunAsync(VoxCpmEngine engine, CancellationToken cancellationToken)
    {
        foreach (int batch in BatchSizes(engine.Device, engine.Options.Scheduler.MaxConcurrent))
        {
            var tickets = Enumerable.Range(0, batch)
                .Select(i => engine.Scheduler.Submit(new GenerationRequest { Text = Text, Seed = i, Streaming = true, RetryBadcase = false, MaxLength = Steps }, cancellationToken))
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

    /// <summary>The batch sizes warmed: 1 on the CPU; on CUDA 1, 2, 4, … up to and including the bucket of <paramref name="maxConcurrent"/>.</summary>
    internal static IReadOnlyList<int> BatchSizes(ExecutionDevice device, int maxConcurrent)
    {
        if (device != ExecutionDevice.Cuda)
        {
            return [1];
        }

        var sizes = new List<int>();
        for (int size = 1; size < maxConcurrent; size *= 2)
        {
            sizes.Add(size);
        }

        sizes.Add(maxConcurrent);
        return sizes;
    }
}
