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

    public SchedulerOptions Scheduler { get; init; } = new();

    public StreamingDecodeMode StreamingDecodeMode { get; init; } = StreamingDecodeMode.Exact;
}
