using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Tests.Onnx;

public class BlockQuantizedWeightTests
{
    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    public void Every_weight_is_within_half_a_step_of_its_block_scale_or_clamped_by_at_most_one(int bits)
    {
        var w = QuantizedMatMul.Random(1, 48, 96); // K = 96: three blocks per row
        var q = BlockQuantizedWeight.Quantize(bits, 1f, w);
        var back = q.Dequantize();

        Assert.Equal([48, 3, 32 * bits / 8], new[] { q.N, q.BlocksPerRow, q.BlobSize });
        for (int row = 0; row < 48; row++)
        {
            for (int i = 0; i < 96; i++)
            {
                // 4-bit gives the block's extreme value code 0 (−8 steps); the other side ends at +7 steps.
                float step = MathF.Abs(q.Scales[(row * 3) + (i / 32)]);
                float value = w.Data[(row * 96) + i];
                bool clamped = MathF.Abs(value) > step * ((1 << (bits - 1)) - 0.5f);
                float bound = step * (clamped ? 1f : 0.5f);
                float error = MathF.Abs(back.Data[(row * 96) + i] - value);
                Assert.True(error <= bound + 1e-6f, $"row {row}, input {i}: error {error} > {bound}");
            }
        }
    }

    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    public void A_blocks_largest_magnitude_is_exact(int bits)
    {
        var block = new float[32];
        block[5] = -0.75f;
        block[9] = 0.5f;
        var back = BlockQuantizedWeight.Quantize(bits, 1f, new HostTensor<float>(block, 1, 32)).Dequantize();

        Assert.Equal(-0.75f, back.Data[5], 6);
        Assert.Equal(0f, back.Data[0]);
    }

    [Fact]
    public void Fusing_projections_stacks_their_rows_and_scales_them()
    {
        var a = QuantizedMatMul.Random(2, 4, 64);
        var b = QuantizedMatMul.Random(3, 6, 64);
        var fused = BlockQuantizedWeight.Quantize(8, 0.5f, a, b).Dequantize();
        var alone = BlockQuantizedWeight.Quantize(8, 1f, b).Dequantize();

        Assert.Equal([10, 64], fused.Shape);
        for (int i = 0; i < alone.Data.Length; i++)
        {
            Assert.Equal(alone.Data[i] * 0.5f, fused.Data[(4 * 64) + i], 6);
        }
    }

    /// <summary>
    /// The packed layout is the one MatMulNBits reads: its output matches x·dequant(W)ᵀ up to the int8 activation
    /// rounding of accuracy level 4 (a wrong nibble order or block layout would be off by the weights' own size).
    /// </summary>
    [Theory]
    [InlineData(8)]
    [InlineData(4)]
    public void MatMulNBits_multiplies_with_the_dequantized_weights(int bits)
    {
        const int m = 3;
        const int k = 128;
        const int n = 40;
        var w = QuantizedMatMul.Random(4, n, k);
        var q = BlockQuantizedWeight.Quantize(bits, 1f, w);
        var x = QuantizedMatMul.Random(5, m, k);

        double error = QuantizedMatMul.RelativeRmsError((g, input) => g.MatMulNBits(input, "w", q), x, q.Dequantize());

        Assert.True(error < 0.01, $"relative RMS error {error:P2}");
    }
}
