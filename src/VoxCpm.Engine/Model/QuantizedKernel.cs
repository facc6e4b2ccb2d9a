namespace VoxCpm.Engine.Model;

/// <summary>Which operator a quantized stack's projections use; each suits a different shape of work on CPU.</summary>
internal enum QuantizedKernel
{
    /// <summary>
    /// MatMulNBits with the configured bits, block 32: the LMs decode one token per row, so a step is bound by reading
    /// the weights and fewer bits are faster; blockwise scales keep the error low.
    /// </summary>
    Blockwise,

    /// <summary>
    /// DynamicQuantizeMatMul with int8 per-channel weights, whatever the configured bits: the local encoder and DiT
    /// multiply P+1 and 2·(2P+1) tokens per call, which is bound by arithmetic, and the integer GEMM does it about twice
    /// as fast as MatMulNBits (4-bit weights would only add error there).
    /// </summary>
    PerChannelInt8,
}
