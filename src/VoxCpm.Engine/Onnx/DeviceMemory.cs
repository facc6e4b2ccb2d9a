using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// Float32 buffers in a provider's memory (device memory on CUDA, host memory on the CPU provider), views of their
/// rows, and copies between them and the host (float32 or float16 tensors). Copies run several at once through an
/// Identity graph per list of element types and ranks,
/// with the sources bound as inputs and the destinations as outputs, so ONNX Runtime does the transfers and waits for
/// them (the C# API has no plain device copy outside a session). Buffers come from this object's own arena, apart from
/// any session whose runs are captured as CUDA graphs.
/// </summary>
internal sealed class DeviceMemory : IDisposable
{
    private readonly OnnxRuntimeOptions _options;
    private readonly Dictionary<string, (OnnxModel Model, InferenceSession Session)> _graphs = [];
    private readonly RunOptions _runOptions = new();
    private OrtMemoryInfo? _deviceMemory;
    private OrtAllocator? _deviceAllocator;

    public DeviceMemory(OnnxRuntimeOptions options) => _options = options;

    /// <summary>Copies each source into its destination (same shapes; either side may be host or device memory).</summary>
    public void Copy(params (OrtValue Source, OrtValue Destination)[] pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var session = Session(pairs.Select(p => Signature(p.Source)).ToArray());
        using var binding = session.CreateIoBinding();
        for (int i = 0; i < pairs.Length; i++)
        {
            binding.BindInput($"source{i}", pairs[i].Source);
            binding.BindOutput($"destination{i}", pairs[i].Destination);
        }

        session.RunWithBinding(_runOptions, binding);
        binding.SynchronizeBoundOutputs();
    }

    /// <summary>A float32 tensor in the provider's memory (CUDA: device memory of this copier's arena).</summary>
    public OrtValue Allocate(params long[] shape)
    {
        if (_options.Device != ExecutionDevice.Cuda)
        {
            return OrtValue.CreateAllocatedTensorValue(OrtAllocator.DefaultInstance, TensorElementType.Float, shape);
        }

        if (_deviceAllocator is null)
        {
            _deviceMemory = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, _options.CudaDeviceId, OrtMemType.Default);
            _deviceAllocator = new OrtAllocator(Session([(TensorProto.Types.DataType.Float, 1)]), _deviceMemory);
        }

        return OrtValue.CreateAllocatedTensorValue(_deviceAllocator, TensorElementType.Float, shape);
    }

    /// <summary>
    /// A view of rows [<paramref name="firstRow"/>, firstRow + rows) of a row-major float32 <paramref name="buffer"/>
    /// whose rows hold <paramref name="rowElements"/> values, with the given shape (same memory; dispose the view).
    /// </summary>
    public static unsafe OrtValue View(OrtValue buffer, int firstRow, int rows, int rowElements, params long[] shape)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        long bytes = (long)rows * rowElements * sizeof(float);
        if (shape.Aggregate(1L, (a, d) => a * d) != (long)rows * rowElements)
        {
            throw new ArgumentException($"A view of {rows} rows of {rowElements} values cannot have shape [{string.Join(", ", shape)}].", nameof(shape));
        }

        // The raw span is only used for its address (it may point at device memory).
        var raw = buffer.GetTensorMutableRawData();
        nint address = (nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref System.Runtime.InteropServices.MemoryMarshal.GetReference(raw));
        if (((long)firstRow * rowElements * sizeof(float)) + bytes > raw.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"Rows {firstRow}..{firstRow + rows - 1} lie outside the buffer.");
        }

        using var info = buffer.GetTensorMemoryInfo();
        return OrtValue.CreateTensorValueWithData(info, TensorElementType.Float, shape, address + (nint)((long)firstRow * rowElements * sizeof(float)), bytes);
    }

    private static (TensorProto.Types.DataType Type, int Rank) Signature(OrtValue value)
    {
        var info = value.GetTensorTypeAndShape();
        var type = info.ElementDataType switch
        {
            TensorElementType.Float => TensorProto.Types.DataType.Float,
            TensorElementType.Float16 => TensorProto.Types.DataType.Float16,
            var other => throw new NotSupportedException($"Copying {other} tensors between host and device is not supported."),
        };
        return (type, info.Shape.Length);
    }

    private InferenceSession Session((TensorProto.Types.DataType Type, int Rank)[] signature)
    {
        string key = string.Join(',', signature.Select(s => $"{s.Type}{s.Rank}"));
        if (!_graphs.TryGetValue(key, out var entry))
        {
            var g = new GraphBuilder($"copy_{signature.Length}");
            for (int i = 0; i < signature.Length; i++)
            {
                var dims = Enumerable.Range(0, signature[i].Rank).Select(d => (object)$"t{i}_d{d}").ToArray();
                g.Alias(g.Input($"source{i}", signature[i].Type, dims), $"destination{i}");
                g.Output($"destination{i}", signature[i].Type, dims);
            }

            var model = g.Build();
            entry = (model, SessionFactory.Create(model, _options));
            _graphs[key] = entry;
        }

        return entry.Session;
    }

    public void Dispose()
    {
        _deviceAllocator?.Dispose();
        _deviceMemory?.Dispose();
        foreach (var (model, session) in _graphs.Values)
        {
            session.Dispose();
            model.Dispose();
        }

        _runOptions.Dispose();
    }
}
