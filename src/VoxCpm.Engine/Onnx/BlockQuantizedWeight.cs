using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// A weight matrix in com.microsoft MatMulNBits layout: for each output row n (torch Linear row, i.e. output feature),
/// K inputs cut into blocks of <see cref="BlockSize"/>; each block stores one float scale and integer codes q with
/// w ≈ (q − 2^(bits−1))·scale (the operator's default zero point, so no zero-point input is needed).
/// <see cref="Codes"/> is <c>[N, blocks, BlockSize·bits/8]</c> packed low bits first; <see cref="Scales"/> is <c>[N, blocks]</c>.
/// </summary>
internal sealed class BlockQuantizedWeight
{
    public const int BlockSize = 32;

    private BlockQuantizedWeight(int bits, int n, int k, byte[] codes, float[] scales)
    {
        Bits = bits;
        N = n;
        K = k;
        Codes = codes;
        Scales = scales;
    }

    public int Bits { get; }

    /// <summary>Output features (rows of the torch weight).</summary>
    public int N { get; }

    /// <summary>Input features (reduction length).</summary>
    public int K { get; }

    public int BlocksPerRow => (K + BlockSize - 1) / BlockSize;

    public int BlobSize => BlockSize * Bits / 8;

    public byte[] Codes { get; }

    public float[] Scales { get; }

    /// <summary>
    /// Quantizes the row-wise concatenation of torch Linear weights <c>[out_i, K]</c> (a fused projection), times
    /// <paramref name="scale"/>. Symmetric per block: 8-bit maps ±max|w| to codes 128 ± 127; 4-bit gives the largest
    /// magnitude code 0 (−8 steps) so all 16 codes are used. Rows are quantized in parallel.
    /// </summary>
    public static BlockQuantizedWeight Quantize(int bits, float scale, params HostTensor<float>[] weights)
    {
        using var phase = Checkpoints.LoadClock.Measure(Checkpoints.LoadPhase.WeightConversion);
        if (bits is not (4 or 8))
        {
            throw new ArgumentOutOfRangeException(nameof(bits), bits, "MatMulNBits weights are 4 or 8 bits here.");
        }

        var rows = FusedRows.Of(weights);
        int n = rows.Count;
        int k = rows.Width;
        int blocks = (k + BlockSize - 1) / BlockSize;
        int blob = BlockSize * bits / 8;
        var codes = new byte[(long)n * blocks * blob];
        var scales = new float[n * blocks];
        rows.ForEachRowRangeInParallel((start, end) =>
        {
            Span<float> block = stackalloc float[BlockSize];
            for (int row = start; row < end; row++)
            {
                var values = rows.Row(row);
                for (int b = 0; b < blocks; b++)
                {
                    int first = b * BlockSize;
                    int count = Math.Min(BlockSize, k - first);
                    block.Clear();
                    values.Slice(first, count).CopyTo(block);
                    int at = (row * blocks) + b;
                    scales[at] = QuantizeBlock(bits, block, codes.AsSpan(at * blob, blob)) * scale;
                }
            }
        });

        return new BlockQuantizedWeight(bits, n, k, codes, scales);
    }

    /// <summary>The weights the operator actually multiplies with, as torch's <c>[N, K]</c>.</summary>
    public HostTensor<float> Dequantize()
    {
        var result = new float[N * K];
        int zero = 1 << (Bits - 1);
        for (int row = 0; row < N; row++)
        {
            for (int i = 0; i < K; i++)
            {
                int b = i / BlockSize;
                int j = i % BlockSize;
                int at = (((row * BlocksPerRow) + b) * BlobSize) + (j * Bits / 8);
                int code = Bits == 8 ? Codes[at] : (j % 2 == 0 ? Codes[at] & 0xF : Codes[at] >> 4);
                result[(row * K) + i] = (code - zero) * Scales[(row * BlocksPerRow) + b];
            }
        }

        return new HostTensor<float>(result, N, K);
    }

    /// <summary>Writes one block's codes and returns its scale.</summary>
    private static float QuantizeBlock(int bits, ReadOnlySpan<float> block, Span<byte> codes)
    {
        int zero = 1 << (bits - 1);
        int maxCode = (1 << bits) - 1;
        float extreme = 0;
        foreach (float v in block)
        {
            if (MathF.Abs(v) > MathF.Abs(extreme))
            {
                extreme = v;
            }
        }

        // 8-bit: ±127 steps around the zero point; 4-bit: the extreme value takes the −8 end of the range.
        float blockScale = bits == 8 ? MathF.Abs(extreme) / 127f : extreme / -zero;
        float inverse = blockScale == 0 ? 0 : 1 / blockScale;
        for (int j = 0; j < block.Length; j++)
        {
            int code = Math.Clamp((int)MathF.Round(block[j] * inverse) + zero, 0, maxCode);
            if (bits == 8)
            {
                codes[j] = (byte)code;
            }
            else if (j % 2 == 0)
            {
                codes[j / 2] = (byte)code;
            }
            else
            {
                codes[j / 2] |= (byte)(code << 4);
            }
        }

        return blockScale;
    }
}
