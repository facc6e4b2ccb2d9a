using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Checkpoints;

/// <summary>
/// Named float32 weights of one module (the main model, or the audio VAE with names relative to it, no
/// <c>audio_vae.</c> prefix). Graph builders <see cref="Take"/> what they use with the shape they expect, so a
/// checkpoint that does not match the config fails by name; <see cref="Unused"/> shows what no builder took.
/// </summary>
/// <remarks>
/// A tensor is either held (<see cref="Add(string, HostTensor{float})"/>) or read on demand
/// (<see cref="Add(string, int[], Action{float[]})"/>): a checkpoint's bf16 tensors are widened one at a time
/// as the sessions are built, and a widened tensor lives only as long as something (a session's weight file, a builder)
/// holds it, so loading never keeps a second full copy of the weights. A tensor asked for again while still alive is
/// the same instance. The arrays of tensors handed back (<see cref="Recycle"/>) are read into again: a transformer's
/// layers repeat the same few shapes, so most of a load reads into memory it has already touched.
/// </remarks>
internal sealed class WeightStore : Model.IWeightSource, IDisposable
{
    private readonly Dictionary<string, Entry> _tensors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);
    private readonly List<IDisposable> _owned = [];
    private readonly RecycledArrays _recycled = new();

    /// <param name="source">Where the weights came from (a file path, or a description such as "random weights").</param>
    public WeightStore(string source)
    {
        Source = source;
    }

    public string Source { get; }

    public IReadOnlyCollection<string> Names => _tensors.Keys;

    public int Count => _tensors.Count;

    public long ParameterCount => _tensors.Values.Sum(e => e.Shape.Aggregate(1L, (a, b) => a * b));

    /// <summary>Names nobody has taken yet, in ordinal order.</summary>
    public IReadOnlyList<string> Unused => _tensors.Keys.Where(n => !_used.Contains(n)).Order(StringComparer.Ordinal).ToList();

    public bool Has(string name) => _tensors.ContainsKey(name);

    public void Add(string name, HostTensor<float> tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        AddEntry(name, new Entry(tensor.Shape, null, _recycled) { Held = tensor });
    }

    /// <summary>A tensor of <paramref name="shape"/> whose values <paramref name="read"/> writes (every element of the array) when it is asked for (see remarks).</summary>
    public void Add(string name, int[] shape, Action<float[]> read)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(read);
        AddEntry(name, new Entry(shape, read, _recycled));
    }

    /// <summary>Takes back the array of a tensor read on demand, to read a later tensor of the same size into.</summary>
    public void Recycle(string name, HostTensor<float> tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (_tensors.TryGetValue(name, out var entry) && entry.Forget(tensor.Data))
        {
            _recycled.Return(tensor.Data);
        }
    }

    /// <summary>Something the on-demand readers need (the open checkpoint file), disposed with the store.</summary>
    public void Own(IDisposable resource) => _owned.Add(resource);

    public void Dispose()
    {
        foreach (var resource in _owned)
        {
            resource.Dispose();
        }

        _owned.Clear();
        _recycled.Clear();
    }

    /// <summary>The tensor called <paramref name="name"/> (its shape was checked against the layout at load); marks it used.</summary>
    public HostTensor<float> Get(string name)
    {
        if (!_tensors.TryGetValue(name, out var entry))
        {
            throw new CheckpointFormatException(Source, $"missing tensor '{name}'");
        }

        _used.Add(name);
        return entry.Value();
    }

    /// <summary>The tensor called <paramref name="name"/>, or null; marks it used when present.</summary>
    public HostTensor<float>? Find(string name) => Has(name) ? Get(name) : null;

    /// <summary>Looks at a tensor without marking it used (diagnostics, tests); prefer <see cref="Take"/> when building.</summary>
    public HostTensor<float> Peek(string name) =>
        _tensors.TryGetValue(name, out var entry) ? entry.Value() : throw new CheckpointFormatException(Source, $"missing tensor '{name}'");

    /// <summary>The tensor called <paramref name="name"/>, which must have exactly <paramref name="expectedShape"/>; marks it used.</summary>
    /// <exception cref="CheckpointFormatException">The tensor is missing or has another shape.</exception>
    public HostTensor<float> Take(string name, params int[] expectedShape)
    {
        ArgumentNullException.ThrowIfNull(expectedShape);
        if (!_tensors.TryGetValue(name, out var entry))
        {
            throw new CheckpointFormatException(Source, $"missing tensor '{name}' (expected {HostTensor<float>.ShapeToText(expectedShape)})");
        }

        if (!entry.Shape.AsSpan().SequenceEqual(expectedShape))
        {
            throw new CheckpointFormatException(Source, $"tensor '{name}' has shape {HostTensor<float>.ShapeToText(entry.Shape)} but the config expects {HostTensor<float>.ShapeToText(expectedShape)}");
        }

        _used.Add(name);
        return entry.Value();
    }

    /// <summary>Throws when some tensor was never taken: a graph that forgot a weight, or a checkpoint with extra ones.</summary>
    public void AssertAllUsed()
    {
        var unused = Unused;
        if (unused.Count > 0)
        {
            string list = string.Join(", ", unused.Take(10).Select(n => $"'{n}'")) + (unused.Count > 10 ? $" and {unused.Count - 10} more" : "");
            throw new CheckpointFormatException(Source, $"{unused.Count} tensor(s) were loaded but never used: {list}");
        }
    }

    private void AddEntry(string name, Entry entry)
    {
        if (!_tensors.TryAdd(name, entry))
        {
            throw new ArgumentException($"Tensor '{name}' is already in the store.", nameof(name));
        }
    }

    /// <summary>One tensor: held, or read on demand and remembered weakly (alive while something still holds it).</summary>
    private sealed class Entry(int[] shape, Action<float[]>? read, RecycledArrays recycled)
    {
        private WeakReference<float[]>? _lastRead;

        public int[] Shape { get; } = shape;

        public HostTensor<float>? Held { get; init; }

        public HostTensor<float> Value()
        {
            if (Held is not null)
            {
                return Held;
            }

            if (_lastRead is not null && _lastRead.TryGetTarget(out var alive))
            {
                return new HostTensor<float>(alive, Shape);
            }

            var data = recycled.Take(checked((int)HostTensor<float>.ElementCount(Shape)));
            read!(data);
            _lastRead = new WeakReference<float[]>(data);
            return new HostTensor<float>(data, Shape);
        }

        /// <summary>Stops handing out <paramref name="data"/>; false when it is not this entry's last read.</summary>
        public bool Forget(float[] data)
        {
            if (_lastRead is null || !_lastRead.TryGetTarget(out var last) || !ReferenceEquals(last, data))
            {
                return false;
            }

            _lastRead = null;
            return true;
        }
    }

    /// <summary>Arrays taken back, by length, up to a bound on the memory they keep.</summary>
    private sealed class RecycledArrays
    {
        private const long MaxBytes = 512L << 20;

        private readonly Dictionary<int, Stack<float[]>> _byLength = [];
        private long _bytes;

        public float[] Take(int length)
        {
            if (_byLength.TryGetValue(length, out var arrays) && arrays.TryPop(out var array))
            {
                _bytes -= (long)length * sizeof(float);
                return array;
            }

            return GC.AllocateUninitializedArray<float>(length);
        }

        public void Return(float[] array)
        {
            long bytes = (long)array.Length * sizeof(float);
            if (_bytes + bytes > MaxBytes)
            {
                return;
            }

            if (!_byLength.TryGetValue(array.Length, out var arrays))
            {
                _byLength[array.Length] = arrays = new Stack<float[]>();
            }

            arrays.Push(array);
            _bytes += bytes;
        }

        public void Clear()
        {
            _byLength.Clear();
            _bytes = 0;
        }
    }
}
