using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// The rows of one or more torch Linear weights <c>[out_i, K]</c> that read the same input, stacked as one fused
/// projection <c>[Σout_i, K]</c> without copying them: what the weight converters walk row by row.
/// </summary>
internal sealed class FusedRows
{
    /// <summary>Rows handed to one parallel task: enough work per task to outweigh scheduling it.</summary>
    private const int RowsPerTask = 64;

    private readonly HostTensor<float>[] _weights;
    private readonly int[] _rowStarts;

    private FusedRows(HostTensor<float>[] weights, int[] rowStarts, int width)
    {
        _weights = weights;
        _rowStarts = rowStarts;
        Width = width;
    }

    /// <summary>Rows of the fused projection (output features, Σout_i).</summary>
    public int Count => _rowStarts[^1];

    /// <summary>Values per row (input features, K).</summary>
    public int Width { get; }

    /// <summary>Stacks <paramref name="weights"/>; each must be a matrix reading as many inputs as the first.</summary>
    public static FusedRows Of(HostTensor<float>[] weights)
    {
        int width = weights[0].Shape[^1];
        var rowStarts = new int[weights.Length + 1];
        for (int i = 0; i < weights.Length; i++)
        {
            if (weights[i].Rank != 2 || weights[i].Shape[1] != width)
            {
                throw new InvalidDataException($"Cannot fuse a {weights[i].ShapeText} projection with ones reading {width} inputs.");
            }

            rowStarts[i + 1] = rowStarts[i] + weights[i].Shape[0];
        }

        return new FusedRows(weights, rowStarts, width);
    }

    /// <summary>Row <paramref name="row"/> of the fused projection.</summary>
    public ReadOnlySpan<float> Row(int row)
    {
        int source = Array.FindLastIndex(_rowStarts, s => s <= row);
        return _weights[source].Data.AsSpan((row - _rowStarts[source]) * Width, Width);
    }

    /// <summary>
    /// Calls <paramref name="convertRows"/> with consecutive row ranges <c>[start, end)</c> that cover every row, the
    /// ranges in parallel; a converter writes only the outputs of its own rows.
    /// </summary>
    public void ForEachRowRangeInParallel(Action<int, int> convertRows)
    {
        int count = Count;
        Parallel.For(0, (count + RowsPerTask - 1) / RowsPerTask, task => convertRows(task * RowsPerTask, Math.Min(count, (task + 1) * RowsPerTask)));
    }
}
