using System.Buffers;

namespace VoxCpm.Engine.Generation;

/// <summary>
/// A request's latent patches, <c>[P, feat_dim]</c> each, one after another in a buffer that grows by doubling: a decode
/// step appends its patch in place. The buffers are rented from the shared array pool and go back when they grow and
/// when the request ends (<see cref="Dispose"/>), so a server in steady state allocates none.
/// </summary>
internal sealed class LatentPatches(int patchValues) : IDisposable
{
    private const int InitialPatches = 64;

    private float[] _data = [];

    public int Count { get; private set; }

    public ReadOnlySpan<float> this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return _data.AsSpan(index * patchValues, patchValues);
        }
    }

    /// <summary>Patches [first, first + count) as one span, <c>[count, P, feat_dim]</c>.</summary>
    public ReadOnlySpan<float> Slice(int first, int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)first + (uint)count, (uint)Count, nameof(count));
        return _data.AsSpan(first * patchValues, count * patchValues);
    }

    /// <summary>Room for one more patch at the end, to write in place.</summary>
    public Span<float> Append()
    {
        Reserve(Count + 1);
        return _data.AsSpan(Count++ * patchValues, patchValues);
    }

    public void Add(ReadOnlySpan<float> patch) => patch.CopyTo(Append());

    /// <summary>Appends <paramref name="source"/>'s patches from <paramref name="first"/> on.</summary>
    public void AddRange(LatentPatches source, int first)
    {
        ArgumentNullException.ThrowIfNull(source);
        int count = source.Count - first;
        Reserve(Count + count);
        source.Slice(first, count).CopyTo(_data.AsSpan(Count * patchValues));
        Count += count;
    }

    /// <summary>Drops <paramref name="count"/> patches from <paramref name="first"/>; later ones move up.</summary>
    public void RemoveRange(int first, int count)
    {
        var tail = Slice(first + count, Count - first - count);
        tail.CopyTo(_data.AsSpan(first * patchValues));
        Count -= count;
    }

    public void Clear() => Count = 0;

    /// <summary>Returns the buffer to the pool; the history is empty afterwards.</summary>
    public void Dispose()
    {
        Count = 0;
        var data = _data;
        _data = [];
        if (data.Length > 0)
        {
            ArrayPool<float>.Shared.Return(data);
        }
    }

    private void Reserve(int patches)
    {
        if (patches * patchValues <= _data.Length)
        {
            return;
        }

        var grown = ArrayPool<float>.Shared.Rent(Math.Max(patches, Math.Max(InitialPatches, 2 * (_data.Length / patchValues))) * patchValues);
        _data.AsSpan(0, Count * patchValues).CopyTo(grown);
        var old = _data;
        _data = grown;
        if (old.Length > 0)
        {
            ArrayPool<float>.Shared.Return(old);
        }
    }
}
