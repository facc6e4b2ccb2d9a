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
    {
        ArgumentNullException.ThrowIfNull(shape);
        long count = shape.Aggregate(1L, (a, d) => a * d);
        _data = new T[checked((int)count)];
        Value = OrtValue.CreateTensorValueFromMemory(_data, shape);
    }

    public OrtValue Value { get; }

    public Span<T> Span => _data;

    public void Dispose() => Value.Dispose();
}
