using Microsoft.ML.OnnxRuntime;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// A host array and the ONNX Runtime value over it, made once and reused run after run: a step writes
/// <see cref="Span"/> and ORT reads it in place (or writes it, when bound as an output), so nothing is wrapped, pinned
/// or allocated per run.
/// </summary>
internal sealed class PinnedTensor<T> : IDisposable
    where T : unmanaged
{
    private readonly T[] _data;

    public PinnedTensor(params long[] shape)
        : this(new T[checked((int)shape.Aggregate(1L, (a, d) => a * d))], shape)
    {
    }

    /// <summary>Over an array the caller also reads as it is (its length is the shape's element count).</summary>
    public PinnedTensor(T[] data, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        _data = data;
        Value = OrtValue.CreateTensorValueFromMemory(_data, shape);
    }

    public OrtValue Value { get; }

    public Span<T> Span => _data;

    public void Dispose() => Value.Dispose();
}
