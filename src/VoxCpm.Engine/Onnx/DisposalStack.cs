namespace VoxCpm.Engine.Onnx;

/// <summary>
/// What one owner made, disposed in the reverse order of making: bindings go before the values they bind, views before
/// the buffers they view.
/// </summary>
internal sealed class DisposalStack : IDisposable
{
    private readonly List<IDisposable> _items = [];

    /// <summary>Takes <paramref name="item"/> into this stack's care and returns it.</summary>
    public T Own<T>(T item)
        where T : IDisposable
    {
        _items.Add(item);
        return item;
    }

    public void Dispose()
    {
        for (int i = _items.Count - 1; i >= 0; i--)
        {
            _items[i].Dispose();
        }

        _items.Clear();
    }
}
