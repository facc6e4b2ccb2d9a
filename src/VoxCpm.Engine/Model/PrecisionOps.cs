using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Onnx;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>
/// The pieces a graph needs to compute in a <see cref="ComputePrecision"/>: weights stored at that precision, and casts
/// at the boundaries so inputs and outputs stay float32 whatever runs inside.
/// </summary>
internal static class PrecisionOps
{
    public static TensorProto.Types.DataType ElementType(this ComputePrecision precision) => precision switch
    {
        ComputePrecision.Float32 => TensorProto.Types.DataType.Float,
        ComputePrecision.Float16 => TensorProto.Types.DataType.Float16,
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Resolve Auto against the device first."),
    };

    /// <summary>A weight stored at <paramref name="precision"/>; a float16 copy replaces (never accompanies) the float32 one in the graph.</summary>
    public static string Weight(this GraphBuilder g, string name, HostTensor<float> tensor, ComputePrecision precision) =>
        precision == ComputePrecision.Float16
            ? g.Weight(name, HalfConversion.ToFloat16(tensor.Data), tensor.Shape)
            : g.Weight(name, tensor);

    /// <summary>
    /// Torch Linear weights <c>[out, in]</c> sharing an input as one <c>[in, Σout]</c> matrix at
    /// <paramref name="precision"/>, times <paramref name="scale"/>. The weights are read and converted only when the
    /// session's weight file is written (<see cref="ExternalWeight"/>).
    /// </summary>
    public static string LinearWeight(this GraphBuilder g, string name, ComputePrecision precision, float scale, params LinearWeightSource[] torchWeights)
    {
        int[] shape = [LinearWeightSource.SharedInputs(torchWeights), torchWeights.Sum(w => w.Out)];
        return precision == ComputePrecision.Float16
            ? g.Weight<Float16>(name, TensorProto.Types.DataType.Float16, shape, fused => LinearWeightSource.ConvertInto(torchWeights, MemoryMarshal.Cast<Float16, Half>(fused), (halves, values) => LinearWeights.FuseTransposedInto(halves, scale, values)))
            : g.Weight<float>(name, TensorProto.Types.DataType.Float, shape, fused => LinearWeightSource.ConvertInto(torchWeights, fused, (floats, values) => LinearWeights.FuseTransposedInto(floats, scale, values)));
    }

    /// <summary>A float32 value converted to <paramref name="precision"/> (no node for Float32).</summary>
    public static string ToPrecision(this GraphBuilder g, string x, ComputePrecision precision) =>
        precision == ComputePrecision.Float16 ? g.Cast(x, TensorProto.Types.DataType.Float16) : x;

    /// <summary>A value computed at <paramref name="precision"/> converted back to float32 (no node for Float32).</summary>
    public static string ToFloat32(this GraphBuilder g, string x, ComputePrecision precision) =>
        precision == ComputePrecision.Float16 ? g.Cast(x, TensorProto.Types.DataType.Float) : x;

    public static string Cast(this GraphBuilder g, string x, TensorProto.Types.DataType to) =>
        g.Op("Cast", [x], OnnxAttribute.Int("to", (int)to));
}
