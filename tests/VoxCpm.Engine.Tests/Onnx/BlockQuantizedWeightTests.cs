using Microsoft.ML.OnnxRuntime;
using Onnx;
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
        var w = Random(1, 48, 96); // K = 96: three blocks per row
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
        var a = Random(2, 4, 64);
        var b = Random(3, 6, 64);
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
        var w = Random(4, n, k);
        var q = BlockQuantizedWeight.Quantize(bits, 1f, w);
        var x = Random(5, m, k);

        var g = new GraphBuilder("nbits");
        string input = g.Input("x", TensorProto.Types.DataType.Float, "rows", k);
        g.Alias(g.MatMulNBits(input, "w", q), "y");
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

        Assert.True(Math.Sqrt(diff / norm) < 0.01, $"relative RMS error {Math.Sqrt(diff / norm):P2}");
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
