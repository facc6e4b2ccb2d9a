namespace VoxCpm.Engine.Onnx;

/// <summary>
/// The element type the transformer graphs (base LM, residual LM, local encoder, local DiT and the token embedding)
/// compute in. Graph inputs and outputs stay float32 either way, and so do the small heads (FSQ, stop head, mu), the
/// CFM solver's arithmetic and the AudioVAE.
/// </summary>
public enum ComputePrecision
{
    /// <summary>Float16 on CUDA, Float32 on the CPU provider (see <see cref="ComputePrecisions.Resolve"/>).</summary>
    Auto,

    /// <summary>float32 weights, activations and KV caches: the reference numerics (parity within 1e-4).</summary>
    Float32,

    /// <summary>
    /// float16 weights, activations and KV caches (half the bytes per step). Needed on CUDA, whose GroupQueryAttention
    /// kernel takes only float16/bfloat16; not bit-exact against the float32 reference.
    /// </summary>
    Float16,
}

/// <summary>Resolving <see cref="ComputePrecision.Auto"/> against the device the graphs run on.</summary>
public static class ComputePrecisions
{
    /// <summary>
    /// Auto becomes Float16 on CUDA (GroupQueryAttention has no float32 CUDA kernel, and at batch 1 a step is bound by
    /// reading weights, so 16-bit halves it) and Float32 on the CPU provider (x64 MLAS has no float16 GEMM: ORT wraps
    /// those nodes in casts to float32, which is slower than float32 throughout and less exact).
    /// </summary>
    public static ComputePrecision Resolve(ComputePrecision requested, ExecutionDevice device) => requested switch
    {
        ComputePrecision.Auto => device == ExecutionDevice.Cuda ? ComputePrecision.Float16 : ComputePrecision.Float32,
        _ => requested,
    };

    /// <summary>Bytes per element of activations, weights and KV caches at this (resolved) precision.</summary>
    public static int ElementSize(this ComputePrecision precision) => precision switch
    {
        ComputePrecision.Float32 => sizeof(float),
        ComputePrecision.Float16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Resolve Auto against the device first."),
    };
}
