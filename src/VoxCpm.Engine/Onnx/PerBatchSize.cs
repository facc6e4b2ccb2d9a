namespace VoxCpm.Engine.Onnx;

/// <summary>
/// One <typeparamref name="T"/> per batch size, made on first use and kept: the bindings and buffers of a step depend
/// only on how many rows it runs, and the batch takes only a few sizes, so every later step of a size reuses them.
/// </summary>
internal sealed class PerBatchSize<T>(Func<int, T> create) : IDisposable
    where T : class, IDisposable
{
    private T?[] _items = [];

    public T For(int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        if (size >= _items.Length)
        {
            Array.Resize(ref _items, Math.Max(size + 1, _items.Length * 2));
        }

        return _items[size] ??= create(size);
    }

    public void Dispose()
    {
        foreach (var item in _items)
        {
            item?.Dispose();
        }

        Array.Clear(_items);
    }
}
