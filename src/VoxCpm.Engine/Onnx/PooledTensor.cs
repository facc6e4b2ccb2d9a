using System.Buffers;
using Microsoft.ML.OnnxRuntime;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// A float32 host tensor over an array rented from <see cref="ArrayPool{T}.Shared"/>, for one-off runs whose large
/// shapes change from call to call (a burst's prefill). The array goes back to the pool, so a burst of arrivals does
/// not allocate on the large object heap: fresh arrays there cost a full collection every few bursts (pauses of up to
/// 10 ms measured on the tiny model). A rented array holds stale values; <see cref="Span"/> is cleared only on request.
/// </summary>
internal sealed class PooledTensor : IDisposable
{
    private float[]? _array;

    public PooledTensor(bool clear, params long[] shape)
    {
        Length = checked((int)shape.Aggregate(1L, (a, d) => a * d));
        _array = ArrayPool<float>.Shared.Rent(Length);
        if (clear)
        {
            Span.Clear();
        }

        Value = View(shape);
    }

    public int Length { get; }

    /// <summary>The tensor as ONNX Runtime reads and writes it, in place.</summary>
    public OrtValue Value { get; }

    public Span<float> Span => _array.AsSpan(0, Length);

    /// <summary>The same memory under another shape of the same element count (dispose it before this tensor).</summary>
    public OrtValue View(params long[] shape)
    {
        ObjectDisposedException.ThrowIf(_array is null, this);
        return OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _array.AsMemory(0, Length), shape);
    }

    public void Dispose()
    {
        if (_array is not null)
        {
            Value.Dispose();
            ArrayPool<float>.Shared.Return(_array);
            _array = null;
        }
    }
}
