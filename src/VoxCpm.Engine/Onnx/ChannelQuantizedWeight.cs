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
        int k = weights[0].Shape[^1];
        var rowStarts = new int[weights.Length + 1];
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i].Rank != 2 || weights[i].Shape[1] != k)
            {
                throw new InvalidDataException($"Cannot fuse a {weights[i].ShapeText} projection with ones reading {k} inputs.");
            }

            rowStarts[i + 1] = rowStarts[i] + weights[i].Shape[0];
        }

        int n = rowStarts[^1];
        var codes = new sbyte[(long)k * n];
        var scales = new float[n];
        const int rowsPerTask = 64;
        Parallel.For(0, (n + rowsPerTask - 1) / rowsPerTask, task =>
        {
            for (int row = task * rowsPerTask; row < Math.Min(n, (task + 1) * rowsPerTask); row++)
            {
                int source = Array.FindLastIndex(rowStarts, s => s <= row);
                var values = weights[source].Data.AsSpan((row - rowStarts[source]) * k, k);
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
