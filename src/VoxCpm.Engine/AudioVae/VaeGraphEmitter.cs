using Onnx;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.AudioVae;

/// <summary>
/// Emits a VAE layer stack into a <see cref="GraphBuilder"/>. One-shot mode zero-pads every causal conv on the left.
/// Streaming mode replaces that padding by a history input per conv (its last <c>(k−1)·d</c> input samples from the
/// previous chunk; zeros at the start, which is exactly the one-shot left padding) and returns the new history as an
/// output, so chunked decoding is sample-identical to one-shot decoding (AudioVAE V2's official
/// <c>StreamingVAEDecoder</c> keeps the same state). Sample-rate conditions are folded for one decode rate: the chosen
/// embedding rows become constants.
/// </summary>
internal sealed class VaeGraphEmitter
{
    private const TensorProto.Types.DataType Float = TensorProto.Types.DataType.Float;

    private readonly GraphBuilder _g;
    private readonly AudioVaeWeights _weights;
    private readonly List<VaeStreamState>? _states;
    private readonly int _conditionRate;

    private VaeGraphEmitter(GraphBuilder g, AudioVaeWeights weights, List<VaeStreamState>? states, int conditionRate)
    {
        _g = g;
        _weights = weights;
        _states = states;
        _conditionRate = conditionRate;
    }

    /// <param name="g">The graph to emit into.</param>
    /// <param name="weights">The VAE's weights.</param>
    /// <param name="conditionRate">The rate that picks V2's sample-rate condition rows (the decode rate; unused by v1).</param>
    public static VaeGraphEmitter OneShot(GraphBuilder g, AudioVaeWeights weights, int conditionRate = 0) => new(g, weights, null, conditionRate);

    public static VaeGraphEmitter Streaming(GraphBuilder g, AudioVaeWeights weights, List<VaeStreamState> states, int conditionRate = 0) => new(g, weights, states, conditionRate);

    public string Emit(IReadOnlyList<VaeLayer> layers, string x)
    {
        foreach (var layer in layers)
        {
            x = layer switch
            {
                VaeConv c => Conv(c, x),
                VaeTransposedConv t => TransposedConv(t, x),
                VaeSnake s => Snake(s, x),
                VaeSampleRateCondition c => SampleRateCondition(c, x),
                VaeResidual r => _g.Op("Add", [x, Emit(r.Body, x)]),
                VaeTanh => _g.Op("Tanh", [x]),
                _ => throw new NotSupportedException($"No ONNX lowering for VAE layer {layer}."),
            };
        }

        return x;
    }

    private string Conv(VaeConv c, string x)
    {
        string w = _g.Weight(c.Key + ".weight", _weights[c.Key + ".weight"]);
        string b = _g.Weight(c.Key + ".bias", _weights[c.Key + ".bias"]);
        int leftPad = c.LeftPad;
        if (_states is not null && c.LeftPad > 0)
        {
            if (c.Stride != 1 || c.LeftPad != c.History)
            {
                throw new NotSupportedException($"Streaming needs stride-1 convs whose left pad equals (k-1)·d; '{c.Key}' has stride {c.Stride}, pad {c.LeftPad}.");
            }

            x = WithHistory(c.Key, c.In, c.History, x);
            leftPad = 0;
        }

        return _g.Op("Conv", [x, w, b],
            OnnxAttribute.Ints("kernel_shape", c.Kernel),
            OnnxAttribute.Ints("strides", c.Stride),
            OnnxAttribute.Ints("dilations", c.Dilation),
            OnnxAttribute.Ints("pads", leftPad, 0),
            OnnxAttribute.Int("group", c.Groups));
    }

    /// <summary>
    /// Output block j (s samples) reads input frames j and j−1: <c>y_j = W[:, :, 0:s]ᵀ·x_j + W[:, :, s:2s]ᵀ·x_{j−1} + b</c>,
    /// with x_{−1} = 0 one-shot and the previous chunk's last frame when streaming. Lowered to one MatMul of
    /// <c>[x_j; x_{j−1}]</c> (frames as rows) with the kernel's two halves stacked, <c>[2·In, Out·s]</c>: ONNX Runtime's
    /// ConvTranspose (GEMM + single-threaded col2im) was the slowest op of the decoder, the MatMul runs on prepacked
    /// weights across all threads. The result equals ConvTranspose(k 2s, stride s) with the trailing half block dropped.
    /// </summary>
    private string TransposedConv(VaeTransposedConv t, string x)
    {
        int s = t.Stride;
        var weight = _weights[t.Key + ".weight"];
        var stacked = new float[2 * t.In * t.Out * s];
        int columns = t.Out * s;
        for (int c = 0; c < t.In; c++)
        {
            for (int o = 0; o < t.Out; o++)
            {
                for (int tap = 0; tap < s; tap++)
                {
                    int from = (((c * t.Out) + o) * 2 * s) + tap;
                    stacked[(c * columns) + (o * s) + tap] = weight.Data[from];
                    stacked[((t.In + c) * columns) + (o * s) + tap] = weight.Data[from + s];
                }
            }
        }

        string w = _g.Weight(t.Key + ".weight", new HostTensor<float>(stacked, 2 * t.In, columns));
        var bias = _weights[t.Key + ".bias"];
        string b = _g.Weight(t.Key + ".bias", bias.Reshape(t.Out, 1));

        // previous[:, :, j] = x_{j−1}: the stream's history or a zero frame in front, the last frame dropped.
        string previous = _states is not null
            ? WithHistory(t.Key, t.In, 1, x)
            : _g.Op("Pad", [x, _g.Int64s(0, 0, 1, 0, 0, 0)]);
        previous = _g.Op("Slice", [previous, _g.Int64s(0), _g.Int64s(-1), _g.Int64s(2)]);
        string frames = _g.Op("Transpose", [_g.Op("Concat", [x, previous], OnnxAttribute.Int("axis", 1))], OnnxAttribute.Ints("perm", 0, 2, 1));
        string blocks = _g.Op("MatMul", [frames, w]); // [B, F, Out·s]
        string split = _g.Op("Reshape", [blocks, _g.Int64s(0, 0, t.Out, s)]);
        string channelsFirst = _g.Op("Transpose", [split], OnnxAttribute.Ints("perm", 0, 2, 1, 3)); // [B, Out, F, s]
        return _g.Op("Add", [_g.Op("Reshape", [channelsFirst, _g.Int64s(0, t.Out, -1)]), b]);
    }

    /// <summary><c>x + sin²(αx) · 1/(α+1e-9)</c> with the reciprocal precomputed (float32, as torch computes it).</summary>
    private string Snake(VaeSnake s, string x)
    {
        var alpha = _weights[s.AlphaKey];
        var inverse = new float[alpha.Data.Length];
        for (int i = 0; i < inverse.Length; i++)
        {
            inverse[i] = 1f / (alpha.Data[i] + 1e-9f);
        }

        string a = _g.Weight(s.AlphaKey, alpha);
        string inv = _g.Weight(s.Key + ".inv_alpha", new HostTensor<float>(inverse, alpha.Shape));
        string sin = _g.Op("Sin", [_g.Op("Mul", [x, a])]);
        return _g.Op("Add", [x, _g.Op("Mul", [_g.Op("Mul", [sin, sin]), inv])]);
    }

    /// <summary>
    /// Row b (picked by the decode rate from the checkpoint's boundaries) of the condition embeddings, as constants.
    /// A per-channel scale and offset is lowered to a depthwise 1×1 Conv rather than Mul + Add: after the decoder's
    /// first 1×1 conv, ONNX Runtime's level-1 rewrite rules would fuse a constant Mul / Add into that conv's weights,
    /// which failed the load while weights arrived through AddInitializer and still costs a copy of those weights.
    /// </summary>
    private string SampleRateCondition(VaeSampleRateCondition c, string x)
    {
        int bucket = AudioVaeLayout.SampleRateBucket(_weights[AudioVaeLayout.BoundariesKey].Data, _conditionRate);
        switch (c.Kind)
        {
            case VaeConditionKind.ScaleBias:
                return ChannelAffine(c.Key, c.Channels, Row(_weights[c.ScaleKey], bucket), Row(_weights[c.BiasKey], bucket), x);
            case VaeConditionKind.Add:
                return ChannelAffine(c.Key, c.Channels, Enumerable.Repeat(1f, c.Channels).ToArray(), Row(_weights[c.EmbedKey], bucket), x);
            default:
                // The embedding row as ConcatDim constant channels over x's batch and length.
                string embed = _g.Weight(c.EmbedKey, new HostTensor<float>(Row(_weights[c.EmbedKey], bucket), 1, c.ConcatDim, 1));
                string shape = _g.Op("Shape", [x]);
                string batch = _g.Op("Slice", [shape, _g.Int64s(0), _g.Int64s(1)]);
                string length = _g.Op("Slice", [shape, _g.Int64s(2), _g.Int64s(3)]);
                string target = _g.Op("Concat", [batch, _g.Int64s(c.ConcatDim), length], OnnxAttribute.Int("axis", 0));
                return _g.Op("Concat", [x, _g.Op("Expand", [embed, target])], OnnxAttribute.Int("axis", 1));
        }
    }

    /// <summary><c>x·scale[c] + offset[c]</c> per channel, as a depthwise 1×1 Conv (see <see cref="SampleRateCondition"/>).</summary>
    private string ChannelAffine(string key, int channels, float[] scale, float[] offset, string x)
    {
        string w = _g.Weight(key + ".scale", new HostTensor<float>(scale, channels, 1, 1));
        string b = _g.Weight(key + ".offset", new HostTensor<float>(offset, channels));
        return _g.Op("Conv", [x, w, b], OnnxAttribute.Ints("kernel_shape", 1), OnnxAttribute.Int("group", channels));
    }

    /// <summary>Row <paramref name="row"/> of a <c>[N, C]</c> embedding.</summary>
    private static float[] Row(HostTensor<float> embedding, int row)
    {
        int channels = embedding.Shape[1];
        return embedding.Data.AsSpan(row * channels, channels).ToArray();
    }

    /// <summary>Prepends the stored history to x and exposes the last <paramref name="length"/> samples as the next history.</summary>
    private string WithHistory(string key, int channels, int length, string x)
    {
        var state = new VaeStreamState(key, $"state_{_states!.Count:D2}", $"next_state_{_states.Count:D2}", channels, length);
        _states.Add(state);
        _g.Input(state.InputName, Float, "batch", channels, length);
        string joined = _g.Op("Concat", [state.InputName, x], OnnxAttribute.Int("axis", 2));
        _g.Alias(_g.Op("Slice", [joined, _g.Int64s(-length), _g.Int64s(long.MaxValue), _g.Int64s(2)]), state.OutputName);
        _g.Output(state.OutputName, Float, "batch", channels, length);
        return joined;
    }
}

/// <summary>One history tensor of the streaming decoder: <c>[B, Channels, Length]</c>, zeros at the start of a stream.</summary>
internal sealed record VaeStreamState(string LayerKey, string InputName, string OutputName, int Channels, int Length);
