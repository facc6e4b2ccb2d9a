using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// Copies float32 tensors between the host and a provider's memory, several in one run: an Identity graph per list of
/// ranks, run with the sources bound as inputs and the destinations as outputs, so ONNX Runtime does the transfers and
/// waits for them. (The C# API has no plain device copy outside a session.) Its allocator hands out device buffers
/// from this copier's own arena, apart from any session whose runs are captured as CUDA graphs.
/// </summary>
internal sealed class DeviceCopier : IDisposable
{
    private readonly OnnxRuntimeOptions _options;
    private readonly Dictionary<string, (OnnxModel Model, InferenceSession Session)> _graphs = [];
    private readonly RunOptions _runOptions = new();
    private OrtMemoryInfo? _deviceMemory;
    private OrtAllocator? _deviceAllocator;

    public DeviceCopier(OnnxRuntimeOptions options) => _options = options;

    /// <summary>Copies each source into its destination (same shapes; either side may be host or device memory).</summary>
    public void Copy(params (OrtValue Source, OrtValue Destination)[] pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var ranks = pairs.Select(p => p.Source.GetTensorTypeAndShape().Shape.Length).ToArray();
        var session = Session(ranks);
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
            _deviceAllocator = new OrtAllocator(Session([1]), _deviceMemory);
        }

        return OrtValue.CreateAllocatedTensorValue(_deviceAllocator, TensorElementType.Float, shape);
    }

    private InferenceSession Session(int[] ranks)
    {
        string key = string.Join(',', ranks);
        if (!_graphs.TryGetValue(key, out var entry))
        {
            var g = new GraphBuilder($"copy_{ranks.Length}");
            for (int i = 0; i < ranks.Length; i++)
            {
                var dims = Enumerable.Range(0, ranks[i]).Select(d => (object)$"t{i}_d{d}").ToArray();
                g.Alias(g.Input($"source{i}", TensorProto.Types.DataType.Float, dims), $"destination{i}");
                g.Output($"destination{i}", TensorProto.Types.DataType.Float, dims);
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
