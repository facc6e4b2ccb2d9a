using Onnx;
using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Model;

/// <summary>Which operator runs a causal LM's attention (with its KV cache).</summary>
internal enum CausalAttentionKernel
{
    /// <summary>GroupQueryAttention where it applies, otherwise <see cref="Plain"/> (<see cref="CausalAttention.Resolve"/>).</summary>
    Auto,

    /// <summary>com.microsoft GroupQueryAttention: fused rotary, in-place KV append, flash/memory-efficient kernels.</summary>
    GroupQuery,

    /// <summary>Standard ONNX operators only (<see cref="CausalAttention.EmitPlain"/>): any head size, any element type, any provider.</summary>
    Plain,
}

/// <summary>
/// The causal attention of the LMs when GroupQueryAttention cannot run it, built from standard operators with the same
/// inputs, outputs and cache contract (model doc §3.1): rotary on q and k (rotate-half LongRoPE, from the same cos/sin
/// caches), the new keys and values scattered into the BNSH cache at each row's positions, and masked softmax attention
/// over the first <c>total_sequence_length</c> cache slots.
/// </summary>
/// <remarks>
/// GroupQueryAttention needs a head size that is a multiple of 16 (ORT's check, "head_size shall be a multiple of 16")
/// and has no float32 CUDA kernel; a checkpoint of the official layout may have any kv_channels, and a float32 run on
/// CUDA is a legitimate choice, so those take this path. Row b's S new tokens sit at positions
/// <c>seqlens_k[b] − S + 1 .. seqlens_k[b]</c> (GQA's convention), which is also where they are written in the cache and
/// the last key each of them may see. The cache is bound as both past and present (one buffer): ScatterElements writes
/// only the new slots and ORT skips its input copy when input and output share memory.
/// </remarks>
internal static class CausalAttention
{
    /// <summary>The kernel for a stack on a device: GroupQueryAttention only where its constraints hold.</summary>
    public static CausalAttentionKernel Resolve(MiniCpmStackSpec spec, OnnxRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        if (spec.AttentionKernel != CausalAttentionKernel.Auto)
        {
            return spec.AttentionKernel;
        }

        bool headSizeOk = spec.HeadDim % 16 == 0;
        bool typeOk = options.Device != ExecutionDevice.Cuda || spec.Precision == ComputePrecision.Float16;
        return headSizeOk && typeOk ? CausalAttentionKernel.GroupQuery : CausalAttentionKernel.Plain;
    }

    /// <summary>
    /// Packed QKV <c>[B, S, (heads + 2·kv)·hd]</c> → attention output <c>[B, S, heads·hd]</c>; writes the present
    /// key/value (the updated cache) to the outputs named <paramref name="presentKey"/> / <paramref name="presentValue"/>.
    /// </summary>
    public static string EmitPlain(GraphBuilder g, MiniCpmStackSpec spec, string qkv, string pastKey, string pastValue, string seqLensK, string totalLength, string cosCache, string sinCache, string presentKey, string presentValue)
    {
        int hd = spec.HeadDim;
        int heads = spec.Heads;
        int kv = spec.KvHeads;
        int group = heads / kv;
        var i64 = TensorProto.Types.DataType.Int64;

        // Positions [B, S] = seqlens_k[b] − S + 1 + s.
        string s = g.Op("Shape", [qkv], OnnxAttribute.Int("start", 1), OnnxAttribute.Int("end", 2));
        string steps = g.Op("Range", [g.ConstantInt64([0]), g.Op("Squeeze", [s, g.Int64s(0)]), g.ConstantInt64([1])]);
        string last = g.Unsqueeze(g.Cast(seqLensK, i64), 1);
        string first = g.Op("Add", [g.Op("Sub", [last, s]), g.Int64s(1)]);
        string positions = g.Op("Add", [first, g.Unsqueeze(steps, 0)]);

        var parts = g.Split(g.Reshape(qkv, 0, 0, heads + (2 * kv), hd), 2, heads, kv, kv);
        string q = parts[0];
        string k = parts[1];
        if (spec.Rope)
        {
            string cos = g.Unsqueeze(g.Op("Gather", [cosCache, positions], OnnxAttribute.Int("axis", 0)), 2); // [B, S, 1, hd/2]
            string sin = g.Unsqueeze(g.Op("Gather", [sinCache, positions], OnnxAttribute.Int("axis", 0)), 2);
            q = Rotate(g, q, cos, sin, hd);
            k = Rotate(g, k, cos, sin, hd);
        }

        // Into the cache: [B, kv, S, hd] at slots positions[b, s] along axis 2.
        string kNew = g.Transpose(k, 0, 2, 1, 3);
        string vNew = g.Transpose(parts[2], 0, 2, 1, 3);
        string slots = g.Op("Expand", [g.Unsqueeze(g.Unsqueeze(positions, 1), 3), g.Op("Shape", [kNew])]);
        g.OpNamed("", "ScatterElements", [pastKey, slots, kNew], [presentKey], OnnxAttribute.Int("axis", 2));
        g.OpNamed("", "ScatterElements", [pastValue, slots, vNew], [presentValue], OnnxAttribute.Int("axis", 2));

        // Attend over the first total_sequence_length slots; query (b, s) sees keys 0..positions[b, s].
        string total = g.Cast(totalLength, i64);
        string keys = g.Op("Slice", [presentKey, g.Int64s(0), total, g.Int64s(2)]);
        string values = g.Op("Slice", [presentValue, g.Int64s(0), total, g.Int64s(2)]);
        string scale = g.ToPrecision(g.Constant(1f / MathF.Sqrt(hd)), spec.Precision);

        // GQA without copying K/V, as LocalAttention: the heads sharing a KV head stack along the sequence axis.
        string qGrouped = g.Reshape(g.Transpose(g.Op("Mul", [q, scale]), 0, 2, 1, 3), 0, kv, -1, hd); // [B, kv, group·S, hd]
        string scores = g.Op("MatMul", [qGrouped, g.Transpose(keys, 0, 1, 3, 2)]); // [B, kv, group·S, T]
        string keyIndex = g.Op("Range", [g.ConstantInt64([0]), g.Op("Squeeze", [total, g.Int64s(0)]), g.ConstantInt64([1])]);
        string queryLimit = g.Unsqueeze(g.Unsqueeze(g.Op("Tile", [positions, g.Int64s(1, group)]), 1), 3); // [B, 1, group·S, 1]
        string visible = g.Op("LessOrEqual", [keyIndex, queryLimit]);
        string masked = g.Op("Where", [visible, scores, g.ToPrecision(g.Constant(float.NegativeInfinity), spec.Precision)]);
        string probs = g.Op("Softmax", [masked], OnnxAttribute.Int("axis", -1));
        string context = g.Reshape(g.Op("MatMul", [probs, values]), 0, heads, -1, hd); // [B, heads, S, hd]
        return g.Reshape(g.Transpose(context, 0, 2, 1, 3), 0, 0, heads * hd);
    }

    /// <summary>Rotate-half rotary on <c>[B, S, N, hd]</c> with cos/sin <c>[B, S, 1, hd/2]</c>.</summary>
    private static string Rotate(GraphBuilder g, string x, string cos, string sin, int hd)
    {
        var halves = g.Split(x, -1, hd / 2, hd / 2);
        string x1 = halves[0];
        string x2 = halves[1];
        string a = g.Op("Sub", [g.Op("Mul", [x1, cos]), g.Op("Mul", [x2, sin])]);
        string b = g.Op("Add", [g.Op("Mul", [x2, cos]), g.Op("Mul", [x1, sin])]);
        return g.Concat(-1, a, b);
    }
}
