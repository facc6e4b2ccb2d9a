using VoxCpm.Engine;
using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Hub.Inference;

/// <summary>
/// One short synthesis through the real scheduler before the model is reported ready: the first run pays for
/// ONNX Runtime's lazy initialisation (kernels, CUDA graphs, arena growth), which a user's first request should not.
/// </summary>
internal static class ModelWarmUp
{
    private const string Text = "Hello.";

    // A few decode steps exercise prefill, the batched step and the streaming VAE decode; more only cost time.
    private const int Steps = 6;

    public static async Task RunAsync(VoxCpmEngine engine, CancellationToken cancellationToken)
    {
        var request = new GenerationRequest { Text = Text, Seed = 0, Streaming = true, RetryBadcase = false, MaxLength = Steps };
        var ticket = engine.Scheduler.Submit(request, cancellationToken);
        await foreach (var e in ticket.Events.ReadAllAsync(cancellationToken))
        {
            if (e is FailedEvent failed)
            {
                throw new SynthesisException(failed.Code, $"the warm-up synthesis failed: {failed.Message}");
            }
        }
    }
}
