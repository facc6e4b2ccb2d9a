using VoxCpm.Engine.Onnx;

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
    private readonly string _cosQ;
    private readonly string _sinQ;
    private readonly string _cosK;
    private readonly string _sinK;

    public LocalAttention(GraphBuilder g, VoxCpmConfig config, MiniCpmStackSpec spec, int sequenceLength)
    {
        _g = g;
        _spec = spec;
        _seq = sequenceLength;
        int hd = spec.HeadDim;
        int half = hd / 2;
        var (cosHalf, sinHalf) = LongRope.HalfTables(config.LmConfig, hd, sequenceLength);

        // Full-width tables [S, 1, hd] broadcasting over heads. rotate_half(x) = [-x2, x1], so with the halves swapped
        // ([x2, x1]) the sine table carries the sign: [-sin, sin]. The query tables also carry the 1/sqrt(hd) scale.
        float scale = 1f / MathF.Sqrt(hd);
        var cos = new float[sequenceLength * hd];
        var sin = new float[sequenceLength * hd];
        var cosQ = new float[sequenceLength * hd];
        var sinQ = new float[sequenceLength * hd];
        for (int p = 0; p < sequenceLength; p++)
        {
            for (int j = 0; j < hd; j++)
            {
                float c = cosHalf[(p * half) + (j % half)];
                float s = sinHalf[(p * half) + (j % half)] * (j < half ? -1f : 1f);
                cos[(p * hd) + j] = c;
                sin[(p * hd) + j] = s;
                cosQ[(p * hd) + j] = c * scale;
                sinQ[(p * hd) + j] = s * scale;
            }
        }

        string prefix = spec.Prefix + "rope";
        _cosK = g.Weight(prefix + "_cos_k", cos, sequenceLength, 1, hd);
        _sinK = g.Weight(prefix + "_sin_k", sin, sequenceLength, 1, hd);
        _cosQ = g.Weight(prefix + "_cos_q", cosQ, sequenceLength, 1, hd);
        _sinQ = g.Weight(prefix + "_sin_q", sinQ, sequenceLength, 1, hd);
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
        var parts = g.Split(qkv, -1, heads * hd, kv * hd, kv * hd);
        string q = Rotate(g.Reshape(parts[0], 0, _seq, heads, hd), _cosQ, _sinQ);
        string k = Rotate(g.Reshape(parts[1], 0, _seq, kv, hd), _cosK, _sinK);
        string v = g.Reshape(parts[2], 0, _seq, kv, hd);

        // [N, heads, S, hd] → [N, kv, group·S, hd]: heads kv·group .. kv·group+group−1 share KV head kv.
        string qGrouped = g.Reshape(g.Transpose(q, 0, 2, 1, 3), 0, kv, group * _seq, hd);
        string kT = g.Transpose(k, 0, 2, 3, 1);
        string vT = g.Transpose(v, 0, 2, 1, 3);
        string probs = g.Op("Softmax", [g.Op("MatMul", [qGrouped, kT])], OnnxAttribute.Int("axis", -1));
        string context = g.Reshape(g.Op("MatMul", [probs, vT]), 0, heads, _seq, hd);
        return g.Reshape(g.Transpose(context, 0, 2, 1, 3), 0, _seq, heads * hd);
    }

    private string Rotate(string x, string cos, string sin)
    {
        var g = _g;
        int half = _spec.HeadDim / 2;
        var halves = g.Split(x, -1, half, half);
        string swapped = g.Concat(-1, halves[1], halves[0]);
        return g.Op("Add", [g.Op("Mul", [x, cos]), g.Op("Mul", [swapped, sin])]);
    }
}
