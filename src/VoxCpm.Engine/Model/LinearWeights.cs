using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>
/// Host-side weight preparation: torch Linear weights are <c>[out, in]</c>; graphs want <c>[in, out]</c> so that
/// <c>MatMul(x, W)</c> needs no transpose at run time. Fusing several projections concatenates their output columns.
/// </summary>
internal static class LinearWeights
{
    // The transposes walk 32×32 tiles: a row-by-row transpose writes each value to a new cache line (a stride of the
    // whole output width), which made weight conversion the largest part of a float32 load.
    private const int Tile = 32;

    /// <summary>
    /// Writes the <c>[out, in]</c> weights of one or more projections sharing an input, times <paramref name="scale"/>,
    /// as one <c>[in, Σout]</c> matrix into <paramref name="fused"/>.
    /// </summary>
    public static void FuseTransposedInto(Span<float> fused, float scale, HostTensor<float>[] weights)
    {
        using var phase = Checkpoints.LoadClock.Measure(Checkpoints.LoadPhase.WeightConversion);
        var rows = FusedRows.Of(weights);
        FuseTransposedInto<float, AsFloat32>(fused, scale, weights, rows.Width, rows.Count);
    }

    /// <summary><see cref="FuseTransposedInto(Span{float}, float, HostTensor{float}[])"/> rounded to float16 as it is written.</summary>
    public static void FuseTransposedInto(Span<Half> fused, float scale, HostTensor<float>[] weights)
    {
        using var phase = Checkpoints.LoadClock.Measure(Checkpoints.LoadPhase.WeightConversion);
        var rows = FusedRows.Of(weights);
        FuseTransposedInto<Half, AsHalf>(fused, scale, weights, rows.Width, rows.Count);
    }

    public static HostTensor<float> Scaled(HostTensor<float> tensor, float scale)
    {
        using var phase = Checkpoints.LoadClock.Measure(Checkpoints.LoadPhase.WeightConversion);
        var data = new float[tensor.Data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = tensor.Data[i] * scale;
        }

        return new HostTensor<float>(data, tensor.Shape);
    }

    /// <summary>
    /// Writes the scaled transposes of <paramref name="weights"/> side by side into <paramref name="fused"/>
    /// <c>[inDim, outTotal]</c>, converting each value with <typeparamref name="TConvert"/> (a struct, so the JIT
    /// specializes the loop for each element type and the conversion costs no call).
    /// </summary>
    private static void FuseTransposedInto<T, TConvert>(Span<T> fused, float scale, HostTensor<float>[] weights, int inDim, int outTotal)
        where TConvert : struct, IElementConversion<T>
    {
        int column = 0;
        foreach (var w in weights)
        {
            int outDim = w.Shape[0];
            for (int o0 = 0; o0 < outDim; o0 += Tile)
            {
                int o1 = Math.Min(o0 + Tile, outDim);
                for (int i0 = 0; i0 < inDim; i0 += Tile)
                {
                    int i1 = Math.Min(i0 + Tile, inDim);
                    for (int i = i0; i < i1; i++)
                    {
                        for (int o = o0; o < o1; o++)
                        {
                            fused[(i * outTotal) + column + o] = TConvert.From(w.Data[(o * inDim) + i] * scale);
                        }
                    }
                }
            }

            column += outDim;
        }
    }

    private interface IElementConversion<T>
    {
        static abstract T From(float value);
    }

    private readonly struct AsFloat32 : IElementConversion<float>
    {
        public static float From(float value) => value;
    }

    private readonly struct AsHalf : IElementConversion<Half>
    {
        public static Half From(float value) => (Half)value;
    }

    /// <summary>Checks a tensor's shape, naming the tensor when it does not match.</summary>
    public static HostTensor<float> Expect(this HostTensor<float> tensor, string name, params int[] shape)
    {
        if (!tensor.Shape.AsSpan().SequenceEqual(shape))
        {
            throw new InvalidDataException($"Checkpoint tensor '{name}' is {tensor.ShapeText}; the config implies {HostTensor<float>.ShapeToText(shape)}.");
        }

        return tensor;
    }
}
