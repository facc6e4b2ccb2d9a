using VoxCpm.Engine.Generation;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Scheduling;

namespace VoxCpm.Engine;

/// <summary>How an engine is built and scheduled.</summary>
public sealed record EngineOptions
{
    /// <summary>Requested device; CUDA falls back to CPU (with a warning) when no usable GPU is found.</summary>
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;

    /// <summary>Intra-op threads of the CPU provider; 0 = per module: one per core for the large ones, one for the small.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>
    /// Block-quantized projection weights for the transformer stacks (faster on CPU, not bit-exact); None keeps the
    /// float32 reference numerics.
    /// </summary>
    public WeightQuantization WeightQuantization { get; init; } = WeightQuantization.None;

    /// <summary>
    /// What the transformer graphs compute in. Auto (the default) is Float16 on CUDA, whose GroupQueryAttention kernel
    /// has no float32 version, and Float32 on the CPU provider, which has no float16 GEMM on x64 (ORT would cast every
    /// MatMul back to float32: slower and less exact). Either can be forced; only Float32 meets the 1e-4 parity.
    /// </summary>
    public ComputePrecision Precision { get; init; } = ComputePrecision.Auto;

    /// <summary>On CUDA, replay the CFM solver's Euler steps from captured CUDA graphs (default on).</summary>
    public bool CudaGraphs { get; init; } = true;

    public SchedulerOptions Scheduler { get; init; } = new();

    public StreamingDecodeMode StreamingDecodeMode { get; init; } = StreamingDecodeMode.Exact;
}
