using VoxCpm.Engine.Onnx;

namespace VoxCpm.Engine.Tests.Onnx;

public class ChannelQuantizedWeightTests
{
    [Fact]
    public void Every_weight_is_within_half_a_step_of_its_output_features_scale()
    {
        var w = QuantizedMatMul.Random(1, 24, 80);
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
        var a = QuantizedMatMul.Random(2, 3, 40);
        var b = QuantizedMatMul.Random(3, 5, 40);
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
        var q = ChannelQuantizedWeight.Quantize(1f, QuantizedMatMul.Random(4, n, k));
        var x = QuantizedMatMul.Random(5, m, k);

        double error = QuantizedMatMul.RelativeRmsError((g, input) => g.DynamicQuantizeMatMul(input, "w", q), x, q.Dequantize());

        Assert.True(error < 0.02, $"relative RMS error {error:P2}");
    }
}
