namespace VoxCpm.Engine.Tensors;

/// <summary>A dense row-major tensor in host memory.</summary>
/// <remarks>Used for weights on their way to ONNX Runtime, fixture tensors and small per-step values.</remarks>
public sealed class HostTensor<T> where T : unmanaged
{
    public HostTensor(T[] data, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(shape);
        long count = ElementCount(shape);
        if (count != data.Length)
        {
            throw new ArgumentException($"Shape [{string.Join(", ", shape)}] needs {count} elements but the buffer holds {data.Length}.", nameof(data));
        }

        Data = data;
        Shape = shape;
    }

    public T[] Data { get; }

    public int[] Shape { get; }

    public int Rank => Shape.Length;

    public long[] LongShape => Array.ConvertAll(Shape, d => (long)d);

    public Span<T> Span => Data;

    public static HostTensor<T> Zeros(params int[] shape) => new(new T[checked((int)ElementCount(shape))], shape);

    public static long ElementCount(ReadOnlySpan<int> shape)
    {
        long n = 1;
        foreach (int d in shape)
        {
            if (d < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(shape), "Tensor dimensions must not be negative.");
            }

            n = checked(n * d);
        }

        return n;
    }

    public HostTensor<T> Reshape(params int[] shape) => new(Data, shape);

    public string ShapeText => ShapeToText(Shape);

    public static string ShapeToText(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";
}
