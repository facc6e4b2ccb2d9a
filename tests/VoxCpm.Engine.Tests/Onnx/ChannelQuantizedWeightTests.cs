using Microsoft.ML.OnnxRuntime;
using Onnx;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Tests.Onnx;

public class ChannelQuantizedWeightTests
{
    [Fact]
    public void Every_weight_is_within_half_a_step_of_its_output_features_scale()
    {
        var w = Random(1, 24, 80);
        var q = ChannelQuantizedWeight.Quantize(1f, w);
        var back = q.Dequantize();

        for (int row = 0; row < 24; row++)
        {
            for (int i = 0; i < 80; i++)
            {
                float error = MathF.Abs(back.Data[(row * 80) + i] - w.Data[(row * 80) + i]);
                Assert.True(error <= (q.Scales[row] * 0.5f) + 1e-6f, $"row {row}, input {i}: error {error} > half step {q.Scales[row] / 2}");
            }
        }
    }

    [Fact]
    public void Fusing_projections_stacks_their_outputs_and_scales_them()
    {
        var a = Random(2, 3, 40);
        var b = Random(3, 5, 40);
        var fused = ChannelQuantizedWeight.Quantize(2f, a, b).Dequantize();
        var alone = ChannelQuantizedWeight.Quantize(1f, b).Dequantize();

        Assert.Equal([8, 40], fused.Shape);
        for (int i = 0; i < alone.Data.Length; i++)
        {
            Assert.Equal(alone.Data[i] * 2f, fused.Data[(3 * 40) + i], 6);
        }
    }

    /// <summary>The <c>[K, N]</c> code layout is the one DynamicQuantizeMatMul reads (up to its uint8 rounding of x).</summary>
    [Fact]
    public void DynamicQuantizeMatMul_multiplies_with_the_dequantized_weights()
    {
        const int m = 5;
        const int k = 96;
        const int n = 1100; // large enough for the codes to be an external initializer
        var q = ChannelQuantizedWeight.Quantize(1f, Random(4, n, k));
        var x = Random(5, m, k);

        var g = new GraphBuilder("dqmm");
        string input = g.Input("x", TensorProto.Types.DataType.Float, "rows", k);
        g.Alias(g.DynamicQuantizeMatMul(input, "w", q), "y");
        g.Output("y", TensorProto.Types.DataType.Float, "rows", n);
        using var model = g.Build();
        using var session = SessionFactory.Create(model, new OnnxRuntimeOptions { IntraOpThreads = 1 });
        using var xValue = OrtValue.CreateTensorValueFromMemory(x.Data, [m, k]);
        using var outputs = session.Run(new RunOptions(), ["x"], [xValue], ["y"]);
        var y = outputs[0].GetTensorDataAsSpan<float>();

        var reference = q.Dequantize();
        double diff = 0;
        double norm = 0;
        for (int r = 0; r < m; r++)
        {
            for (int c = 0; c < n; c++)
            {
                double expected = 0;
                for (int i = 0; i < k; i++)
                {
                    expected += x.Data[(r * k) + i] * reference.Data[(c * k) + i];
                }

                diff += Math.Pow(y[(r * n) + c] - expected, 2);
                norm += expected * expected;
            }
        }

        Assert.True(Math.Sqrt(diff / norm) < 0.02, $"relative RMS error {Math.Sqrt(diff / norm):P2}");
    }

    private static HostTensor<float> Random(int seed, int rows, int cols)
    {
        var rng = new Random(seed);
        var data = new float[rows * cols];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = (float)((rng.NextDouble() * 2) - 1);
        }

        return new HostTensor<float>(data, rows, cols);
    }
}
