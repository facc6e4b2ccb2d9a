namespace VoxCpm.Engine.Onnx;

/// <summary>Emits the com.microsoft operators that multiply with quantized weights: <c>y = x · dequant(W)ᵀ</c>.</summary>
internal static class QuantizedMatMulOps
{
    /// <summary>
    /// On CPU, accuracy level 4 quantizes the activations to int8 per block and runs integer dot products: for 8-bit
    /// weights the float-activation path (level 0) is two orders of magnitude slower, and 4-bit is about twice as fast.
    /// </summary>
    public const int AccuracyLevel = 4;

    /// <summary><c>x [.., K]</c> → <c>[.., N]</c>; the weight's codes and scales become initializers named after <paramref name="name"/>.</summary>
    /// <remarks>The scales take x's element type (the operator's rule): float16 when <paramref name="precision"/> is Float16.</remarks>
    public static string MatMulNBits(this GraphBuilder g, string x, string name, BlockQuantizedWeight weight, ComputePrecision precision = ComputePrecision.Float32)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(weight);
        string codes = g.Weight(name + ".codes", weight.Codes, weight.N, weight.BlocksPerRow, weight.BlobSize);
        string scales = precision == ComputePrecision.Float16
            ? g.Weight(name + ".scales", HalfConversion.ToFloat16(weight.Scales), weight.N, weight.BlocksPerRow)
            : g.Weight(name + ".scales", new Tensors.HostTensor<float>(weight.Scales, weight.N, weight.BlocksPerRow));
        return g.MsOp(
            "MatMulNBits",
            [x, codes, scales],
            1,
            OnnxAttribute.Int("K", weight.K),
            OnnxAttribute.Int("N", weight.N),
            OnnxAttribute.Int("bits", weight.Bits),
            OnnxAttribute.Int("block_size", BlockQuantizedWeight.BlockSize),
            OnnxAttribute.Int("accuracy_level", AccuracyLevel))[0];
    }

    /// <summary>
    /// <c>x [.., K]</c> → <c>[.., N]</c> with com.microsoft DynamicQuantizeMatMul: x is quantized to uint8 over the whole
    /// tensor at run time and multiplied with int8 per-column weights by the integer GEMM (VNNI on CPU). For many rows
    /// per call (the local DiT's 2·(2P+1) tokens) this is about twice as fast as MatMulNBits.
    /// </summary>
    public static string DynamicQuantizeMatMul(this GraphBuilder g, string x, string name, ChannelQuantizedWeight weight)
    {
        ArgumentNullException.ThrowIfNull(g);
        ArgumentNullException.ThrowIfNull(weight);
        string codes = g.Weight(name + ".codes", weight.Codes, weight.K, weight.N);
        string scales = g.Weight(name + ".scales", new Tensors.HostTensor<float>(weight.Scales, weight.N));
        return g.MsOp("DynamicQuantizeMatMul", [x, codes, scales], 1)[0];
    }
}
