using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>
/// The KV cache of one causal LM for a batch of rows: per layer one key and one value buffer
/// <c>[batch, kv_heads, max_length, head_dim]</c> owned by ONNX Runtime (device memory on CUDA), bound as both past and
/// present so GroupQueryAttention appends in place. <see cref="Lengths"/> is how many positions each row holds. Elements
/// are float32 or float16 as the LM's <see cref="MiniCpmStackSpec.Precision"/>.
/// </summary>
internal sealed class LmKvCache : IDisposable
{
    private readonly OrtValue[] _keys;
    private readonly OrtValue[] _values;
    private readonly OrtAllocator? _deviceAllocator;
    private readonly OrtMemoryInfo? _deviceMemory;
    private readonly int[] _lengths;
    private readonly int _firstRow;
    private readonly MiniCpmStackSpec _spec;
    private readonly bool _ownsBuffers;
    private readonly OnnxRuntimeOptions? _deviceOptions;

    internal LmKvCache(MiniCpmStackSpec spec, int batch, int maxLength, InferenceSession session, OnnxRuntimeOptions options)
    {
        Batch = batch;
        MaxLength = maxLength;
        _spec = spec;
        _lengths = new int[batch];
        _ownsBuffers = true;
        var allocator = OrtAllocator.DefaultInstance;
        if (options.Device == ExecutionDevice.Cuda)
        {
            _deviceMemory = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, options.CudaDeviceId, OrtMemType.Default);
            _deviceAllocator = new OrtAllocator(session, _deviceMemory);
            allocator = _deviceAllocator;
            _deviceOptions = options;
        }

        long[] shape = [batch, spec.KvHeads, maxLength, spec.HeadDim];
        _keys = new OrtValue[spec.Layers];
        _values = new OrtValue[spec.Layers];
        for (int i = 0; i < spec.Layers; i++)
        {
            _keys[i] = OrtValue.CreateAllocatedTensorValue(allocator, ElementType, shape);
            _values[i] = OrtValue.CreateAllocatedTensorValue(allocator, ElementType, shape);
            if (_deviceAllocator is null)
            {
                // Never-written slots must hold finite values: the plain-operator attention masks a shorter row's
                // unwritten positions by its scores, and a NaN or infinity left there by the allocator would survive
                // the zero weight (0 × ∞ = NaN). Once written, a slot only ever holds real keys and values.
                _keys[i].GetTensorMutableRawData().Clear();
                _values[i].GetTensorMutableRawData().Clear();
            }
        }
    }

    /// <summary>A view of rows [firstRow, firstRow + rows) of <paramref name="parent"/>: same memory, same lengths.</summary>
    private LmKvCache(LmKvCache parent, int firstRow, int rows)
    {
        Batch = rows;
        MaxLength = parent.MaxLength;
        _spec = parent._spec;
        _lengths = parent._lengths;
        _firstRow = parent._firstRow + firstRow;
        _deviceMemory = null;
        _ownsBuffers = false;
        _deviceOptions = parent._deviceOptions;
        var memory = parent._deviceMemory ?? OrtMemoryInfo.DefaultInstance;
        long rowBytes = (long)parent._spec.KvHeads * parent.MaxLength * parent._spec.HeadDim * parent._spec.Precision.ElementSize();
        long[] shape = [rows, _spec.KvHeads, MaxLength, _spec.HeadDim];
        _keys = parent._keys.Select(v => View(v, memory, ElementType, firstRow * rowBytes, rows * rowBytes, shape)).ToArray();
        _values = parent._values.Select(v => View(v, memory, ElementType, firstRow * rowBytes, rows * rowBytes, shape)).ToArray();
    }

    public int Batch { get; }

    public int MaxLength { get; }

    /// <summary>Float or Float16: what the LM graph's past/present inputs take.</summary>
    public TensorElementType ElementType => _spec.Precision == ComputePrecision.Float16 ? TensorElementType.Float16 : TensorElementType.Float;

    /// <summary>Positions already in the cache, per row (the next token of row b goes to position Lengths[b]).</summary>
    public Span<int> Lengths => _lengths.AsSpan(_firstRow, Batch);

    /// <summary>
    /// Rows [firstRow, firstRow + rows) as a cache of their own, sharing this cache's memory and lengths, so a
    /// batch can run over the live rows of a larger pool. Dispose the view; the memory stays with this cache.
    /// </summary>
    public LmKvCache Slice(int firstRow, int rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstRow);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(firstRow + rows, Batch);
        return new LmKvCache(this, firstRow, rows);
    }

    public int Layers => _keys.Length;

    internal OrtValue Keys(int layer) => _keys[layer];

    internal OrtValue Values(int layer) => _values[layer];

    /// <summary>Forgets every row's history (the buffers are reused as they are).</summary>
    public void Reset() => Lengths.Clear();

    /// <summary>Copies the first <paramref name="length"/> positions of one layer's keys or values to the host as float32, <c>[batch, kv, length, hd]</c>.</summary>
    public HostTensor<float> Read(int layer, bool keys, int length)
    {
        var value = keys ? _keys[layer] : _values[layer];
        var shape = value.GetTensorTypeAndShape().Shape;
        int heads = (int)shape[1];
        int headDim = (int)shape[3];
        float[] all = ReadAll(value);
        var result = new float[Batch * heads * length * headDim];
        for (int bh = 0; bh < Batch * heads; bh++)
        {
            all.AsSpan(bh * MaxLength * headDim, length * headDim).CopyTo(result.AsSpan(bh * length * headDim));
        }

        return new HostTensor<float>(result, Batch, heads, length, headDim);
    }

    private float[] ReadAll(OrtValue value)
    {
        long[] shape = value.GetTensorTypeAndShape().Shape;
        int count = checked((int)shape.Aggregate(1L, (a, d) => a * d));
        var result = new float[count];
        if (ElementType == TensorElementType.Float16)
        {
            var half = new Float16[count];
            CopyToHost(value, OrtValue.CreateTensorValueFromMemory(half, shape));
            HalfConversion.ToFloat32(half, result);
        }
        else
        {
            CopyToHost(value, OrtValue.CreateTensorValueFromMemory(result, shape));
        }

        return result;
    }

    private void CopyToHost(OrtValue source, OrtValue hostTarget)
    {
        using (hostTarget)
        {
            if (_deviceOptions is null)
            {
                source.GetTensorDataAsSpan<byte>().CopyTo(hostTarget.GetTensorMutableDataAsSpan<byte>());
                return;
            }

            using var memory = new DeviceMemory(_deviceOptions);
            memory.Copy((source, hostTarget));
        }
    }

    private static unsafe OrtValue View(OrtValue buffer, OrtMemoryInfo memory, TensorElementType type, long offset, long bytes, long[] shape)
    {
        // The raw data span is only used for its address (it may point at device memory).
        var raw = buffer.GetTensorMutableRawData();
        nint address = (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(raw));
        return OrtValue.CreateTensorValueWithData(memory, type, shape, address + (nint)offset, bytes);
    }

    public void Dispose()
    {
        foreach (var v in _keys.Concat(_values))
        {
            v.Dispose();
        }

        if (_ownsBuffers)
        {
            _deviceAllocator?.Dispose();
            _deviceMemory?.Dispose();
        }
    }
}
