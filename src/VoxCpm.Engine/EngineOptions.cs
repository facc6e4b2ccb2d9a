using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine;

/// <summary>How an engine is built and scheduled.</summary>
public sealed record EngineOptions
{
    /// <summary>Requested device; CUDA falls back to CPU (with a warning) when no usable GPU is found.</summary>
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;

    /// <summary>Intra-op threads of the CPU provider; 0 = one per physical core.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Block-quantized projection weights for the transformer stacks (faster on CPU, not bit-exact); None keeps the
    /// float32 reference numerics.
    /// </summary>
    public WeightQuantization WeightQuantization { get; init; } = WeightQuantization.None;

    public SchedulerOptions Scheduler { get; init; } = new();

    public StreamingDecodeMode StreamingDecodeMode { get; init; } = StreamingDecodeMode.Exact;
}
