namespace VoxCpm.Engine.Model;

/// <summary>
/// KV caches of both LMs for up to <see cref="Capacity"/> concurrent requests, one row ("slot") each, so every decode
/// step runs all live requests as one batch over a view of rows [0, <see cref="RowsInUse"/>). Slots are handed out
/// lowest-first; a free slot below a live one is stepped with a zero input and its length restored, which costs a
/// little compute but no copies (the same on CPU and GPU memory). Used only from the scheduler's loop thread.
/// </summary>
internal sealed class LmSlotPool : IDisposable
{
    private readonly bool[] _used;

    public LmSlotPool(CausalLm baseLm, CausalLm residualLm, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _used = new bool[capacity];
        Base = baseLm.CreateCache(capacity);
        try
        {
            Residual = residualLm.CreateCache(capacity);
        }
        catch
        {
            Base.Dispose();
            throw;
        }
    }

    public int Capacity { get; }

    public LmKvCache Base { get; }

    public LmKvCache Residual { get; }

    /// <summary>One past the highest slot in use: the batch a decode step runs.</summary>
    public int RowsInUse { get; private set; }

    public int Rent()
    {
        int slot = Array.IndexOf(_used, false);
        if (slot < 0)
        {
            throw new InvalidOperationException($"All {Capacity} KV-cache slots are in use; the scheduler must not admit more requests than that.");
        }

        _used[slot] = true;
        Base.Lengths[slot] = 0;
        Residual.Lengths[slot] = 0;
        RowsInUse = Math.Max(RowsInUse, slot + 1);
        return slot;
    }

    public void Return(int slot)
    {
        _used[slot] = false;
        Base.Lengths[slot] = 0;
        Residual.Lengths[slot] = 0;
        while (RowsInUse > 0 && !_used[RowsInUse - 1])
        {
            RowsInUse--;
        }
    }

    public void Dispose()
    {
        Base.Dispose();
        Residual.Dispose();
    }
}
