using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>
/// Bidirectional attention for the local stacks (LocEnc: P+1 tokens, LocDiT: 2P+1 tokens). Sequences are tiny and of a
/// fixed length, so this is plain MatMul → Softmax → MatMul with RoPE from constant cos/sin tables for positions
/// 0..S−1 (positions restart at 0 for every sequence). GQA without copying K/V: the queries of the
/// heads/kv_heads heads that share a KV head (q head h → kv head h / group, i.e. repeat-interleave) are stacked along
/// the sequence axis, so one batched MatMul per KV head serves the whole group.
/// </summary>
internal sealed class LocalAttention
{
    private readonly GraphBuilder _g;
    private readonly MiniCpmStackSpec _spec;
    private readonly int _seq;
    private readonly string _cos;
    private readonly string _sin;

    public LocalAttention(GraphBuilder g, VoxCpmConfig config, MiniCpmStackSpec spec, int sequenceLength)
    {
        _g = g;
        _spec = spec;
        _seq = sequenceLength;
        int hd = spec.HeadDim;
        int half = hd / 2;
        int slots = spec.Heads + (2 * spec.KvHeads);
        var (cosHalf, sinHalf) = spec.Rope ? LongRope.HalfTables(config.LmConfig, hd, sequenceLength) : LongRope.IdentityTables(hd, sequenceLength);

        // One rotation for the whole packed QKV: tables [S, heads + 2·kv, hd] broadcast over the batch. rotate_half(x) =
        // [-x2, x1], so with the halves swapped ([x2, x1]) the sine table carries the sign: [-sin, sin]. Query slots
        // also carry the 1/sqrt(hd) scale; value slots get cos 1, sin 0 and pass unchanged (x·1 + y·0 is exact).
        float scale = 1f / MathF.Sqrt(hd);
        var cos = new float[sequenceLength * slots * hd];
        var sin = new float[sequenceLength * slots * hd];
        for (int p = 0; p < sequenceLength; p++)
        {
            for (int slot = 0; slot < slots; slot++)
            {
                bool query = slot < spec.Heads;
                bool value = slot >= spec.Heads + spec.KvHeads;
                for (int j = 0; j < hd; j++)
                {
                    int at = (((p * slots) + slot) * hd) + j;
                    float c = cosHalf[(p * half) + (j % half)];
                    float sn = sinHalf[(p * half) + (j % half)] * (j < half ? -1f : 1f);
                    (cos[at], sin[at]) = value ? (1f, 0f) : query ? (c * scale, sn * scale) : (c, sn);
                }
            }
        }

        string prefix = spec.Prefix + "rope";
        _cos = g.Weight(prefix + "_cos", new HostTensor<float>(cos, sequenceLength, slots, hd), spec.Precision);
        _sin = g.Weight(prefix + "_sin", new HostTensor<float>(sin, sequenceLength, slots, hd), spec.Precision);
    }

    /// <summary>Packed QKV <c>[N, S, (heads + 2·kv)·hd]</c> → attention output <c>[N, S, heads·hd]</c>.</summary>
    public string Emit(int layer, string qkv)
    {
        _ = layer;
        var g = _g;
        int hd = _spec.HeadDim;
        int heads = _spec.Heads;
        int kv = _spec.KvHeads;
        int group = heads / kv;
        string packed = g.Reshape(qkv, 0, _seq, heads + (2 * kv), hd);
        var halves = g.Split(packed, -1, hd / 2, hd / 2);
        string swapped = g.Concat(-1, halves[1], halves[0]);
        string rotated = g.Op("Add", [g.Op("Mul", [packed, _cos]), g.Op("Mul", [swapped, _sin])]);
        var parts = g.Split(rotated, 2, heads, kv, kv);

        // [N, heads, S, hd] → [N, kv, group·S, hd]: heads kv·group .. kv·group+group−1 share KV head kv.
        string qGrouped = g.Reshape(g.Transpose(parts[0], 0, 2, 1, 3), 0, kv, group * _seq, hd);
        string kT = g.Transpose(parts[1], 0, 2, 3, 1);
        string v = g.Transpose(parts[2], 0, 2, 1, 3);
        string probs = g.Op("Softmax", [g.Op("MatMul", [qGrouped, kT])], OnnxAttribute.Int("axis", -1));
        string context = g.Reshape(g.Op("MatMul", [probs, v]), 0, heads, _seq, hd);
        return g.Reshape(g.Transpose(context, 0, 2, 1, 3), 0, _seq, heads * hd);
    }
}
