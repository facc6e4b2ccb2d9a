namespace VoxCpm.Engine.Onnx;

/// <summary>Where ONNX Runtime runs the graphs.</summary>
public enum ExecutionDevice
{
    Cpu,

    /// <summary>The CUDA execution provider; loading fails, naming the missing library, when CUDA is not usable.</summary>
    Cuda,

    /// <summary>CUDA when usable, otherwise the CPU provider (with a warning). Only a request, never a resolved device.</summary>
    Auto,
}

/// <summary>How sessions are created. One instance is shared by every graph of a model.</summary>
public sealed record OnnxRuntimeOptions
{
    public ExecutionDevice Device { get; init; } = ExecutionDevice.Cpu;

    public int CudaDeviceId { get; init; }

    /// <summary>Intra-op threads for the CPU provider; 0 picks per module (<see cref="IntraOpThreads"/>): one per core for the large ones, one for the small.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Storage of the transformer stacks' projection weights; anything but None trades exactness for speed.</summary>
    public WeightQuantization WeightQuantization { get; init; } = WeightQuantization.None;

    /// <summary>What the transformer graphs compute in: Float32 or Float16 (already resolved, never Auto).</summary>
    public ComputePrecision Precision { get; init; } = ComputePrecision.Float32;

    /// <summary>On CUDA, replay the CFM solver's Euler steps from captured CUDA graphs (a kernel launch per step instead of hundreds).</summary>
    public bool CudaGraphs { get; init; } = true;
}
