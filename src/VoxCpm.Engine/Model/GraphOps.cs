using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>Small recurring node patterns of the VoxCPM graphs.</summary>
internal static class GraphOps
{
    /// <summary>
    /// y = x·Wᵀ (+ b) for a torch Linear named <paramref name="name"/> (weight <c>[out, in]</c>); x is already at
    /// <paramref name="precision"/>, and so are the weights and y.
    /// </summary>
    public static string Linear(this GraphBuilder g, IWeightSource weights, string name, string x, int inDim, int outDim, bool bias = true, float scale = 1f, ComputePrecision precision = ComputePrecision.Float32)
    {
        string y = g.Op("MatMul", [x, g.LinearWeight(name + ".weight", precision, scale, new LinearWeightSource(weights, name + ".weight", outDim, inDim))]);
        if (!bias)
        {
            return y;
        }

        var b = weights.Get(name + ".bias").Expect(name + ".bias", outDim);
        return g.Op("Add", [y, g.Weight(name + ".bias", scale == 1f ? b : LinearWeights.Scaled(b, scale), precision)]);
    }

    public static string Silu(this GraphBuilder g, string x) => g.Op("Mul", [x, g.Op("Sigmoid", [x])]);

    /// <summary>RMSNorm over the last axis (variance in float32, as the reference).</summary>
    public static string RmsNorm(this GraphBuilder g, string x, string weight, float eps) =>
        g.Op("SimplifiedLayerNormalization", [x, weight], OnnxAttribute.Int("axis", -1), OnnxAttribute.Float("epsilon", eps));

    /// <summary>sum = x + skip; returns (RMSNorm(sum)·w, sum) in one fused kernel.</summary>
    public static (string Normed, string Sum) SkipRmsNorm(this GraphBuilder g, string x, string skip, string weight, float eps, string sumName)
    {
        string normed = sumName + "_normed";
        var outputs = g.OpNamed("com.microsoft", "SkipSimplifiedLayerNormalization", [x, skip, weight], [normed, "", "", sumName], OnnxAttribute.Float("epsilon", eps));
        return (outputs[0], outputs[3]);
    }

    /// <summary>The leading (batch) dimension of <paramref name="x"/> as a 1-D int64 tensor of length 1.</summary>
    public static string BatchDim(this GraphBuilder g, string x) =>
        g.Op("Shape", [x], OnnxAttribute.Int("start", 0), OnnxAttribute.Int("end", 1));

    public static string Reshape(this GraphBuilder g, string x, params long[] shape) => g.Op("Reshape", [x, g.Int64s(shape)]);

    public static string Transpose(this GraphBuilder g, string x, params long[] perm) => g.Op("Transpose", [x], OnnxAttribute.Ints("perm", perm));

    public static string Concat(this GraphBuilder g, long axis, params string[] inputs) => g.Op("Concat", inputs, OnnxAttribute.Int("axis", axis));

    public static string Unsqueeze(this GraphBuilder g, string x, params long[] axes) => g.Op("Unsqueeze", [x, g.Int64s(axes)]);

    /// <summary>x[..., start:end, ...] along one axis.</summary>
    public static string Slice(this GraphBuilder g, string x, long axis, long start, long end) =>
        g.Op("Slice", [x, g.Int64s(start), g.Int64s(end), g.Int64s(axis)]);

    public static string[] Split(this GraphBuilder g, string x, long axis, params long[] sizes) =>
        g.Op("Split", [x, g.Int64s(sizes)], sizes.Length, OnnxAttribute.Int("axis", axis));

    public static string Weight(this GraphBuilder g, string name, float[] data, params int[] shape) => g.Weight(name, new HostTensor<float>(data, shape));
}
