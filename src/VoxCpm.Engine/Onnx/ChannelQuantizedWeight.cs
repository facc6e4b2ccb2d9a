using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// A weight matrix for com.microsoft DynamicQuantizeMatMul: int8 codes <c>[K, N]</c> (inputs × outputs, the MatMul
/// layout) with one symmetric scale per output column, w ≈ code·scale[n].
/// </summary>
internal sealed class ChannelQuantizedWeight
{
    private ChannelQuantizedWeight(int n, int k, sbyte[] codes, float[] scales)
    {
        N = n;
        K = k;
        Codes = codes;
        Scales = scales;
    }

    /// <summary>Output features.</summary>
    public int N { get; }

    /// <summary>Input features.</summary>
    public int K { get; }

    public sbyte[] Codes { get; }

    public float[] Scales { get; }

    /// <summary>
    /// Quantizes the row-wise concatenation of torch Linear weights <c>[out_i, K]</c> (a fused projection), times
    /// <paramref name="scale"/>: each output feature maps ±max|w| to ±127. Rows are quantized in parallel.
    /// </summary>
    public static ChannelQuantizedWeight Quantize(float scale, params HostTensor<float>[] weights)
    {
        using var phase = Checkpoints.LoadClock.Measure(Checkpoints.LoadPhase.WeightConversion);
        var rows = FusedRows.Of(weights);
        int n = rows.Count;
        int k = rows.Width;
        var codes = new sbyte[(long)k * n];
        var scales = new float[n];
        rows.ForEachRowRangeInParallel((start, end) =>
        {
            for (int row = start; row < end; row++)
            {
                var values = rows.Row(row);
                float max = 0;
                foreach (float v in values)
                {
                    max = MathF.Max(max, MathF.Abs(v));
                }

                float step = max / 127f;
                float inverse = step == 0 ? 0 : 1 / step;
                for (int i = 0; i < k; i++)
                {
                    codes[((long)i * n) + row] = (sbyte)Math.Clamp((int)MathF.Round(values[i] * inverse), -127, 127);
                }

                scales[row] = step * scale;
            }
        });

        return new ChannelQuantizedWeight(n, k, codes, scales);
    }

    /// <summary>The weights the operator multiplies with, as torch's <c>[N, K]</c>.</summary>
    public HostTensor<float> Dequantize()
    {
        var result = new float[N * K];
        for (int row = 0; row < N; row++)
        {
            for (int i = 0; i < K; i++)
            {
                result[(row * K) + i] = Codes[((long)i * N) + row] * Scales[row];
            }
        }

        return new HostTensor<float>(result, N, K);
    }
}
