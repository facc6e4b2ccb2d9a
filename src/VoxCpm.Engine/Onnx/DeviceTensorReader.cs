using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// Copies a tensor held in a provider's device memory to the host: an Identity graph on that provider whose output is
/// bound to CPU memory, so ONNX Runtime does the transfer. For inspection (parity, tools), not for the decode loop.
/// </summary>
internal sealed class DeviceTensorReader : IDisposable
{
    private const string Input = "device_value";
    private const string Output = "host_value";
    private readonly InferenceSession _session;
    private readonly OnnxModel _model;

    public DeviceTensorReader(OnnxRuntimeOptions options, TensorElementType type, int rank)
    {
        var onnxType = type switch
        {
            TensorElementType.Float => TensorProto.Types.DataType.Float,
            TensorElementType.Float16 => TensorProto.Types.DataType.Float16,
            _ => throw new NotSupportedException($"Reading {type} tensors from the device is not supported."),
        };
        var dims = Enumerable.Range(0, rank).Select(i => (object)$"d{i}").ToArray();
        var g = new GraphBuilder("device_tensor_reader");
        g.Alias(g.Input(Input, onnxType, dims), Output);
        g.Output(Output, onnxType, dims);
        _model = g.Build();
        _session = SessionFactory.Create(_model, options);
    }

    /// <summary>The elements of <paramref name="deviceValue"/> as float32, in its layout.</summary>
    public float[] ReadFloat32(OrtValue deviceValue)
    {
        ArgumentNullException.ThrowIfNull(deviceValue);
        using var binding = _session.CreateIoBinding();
        binding.BindInput(Input, deviceValue);
        binding.BindOutputToDevice(Output, OrtMemoryInfo.DefaultInstance);
        using var runOptions = new RunOptions();
        _session.RunWithBinding(runOptions, binding);
        binding.SynchronizeBoundOutputs();
        using var outputs = binding.GetOutputValues();
        var host = outputs[0];
        if (host.GetTensorTypeAndShape().ElementDataType == TensorElementType.Float16)
        {
            var half = host.GetTensorDataAsSpan<Float16>();
            var result = new float[half.Length];
            HalfConversion.ToFloat32(half, result);
            return result;
        }

        return host.GetTensorDataAsSpan<float>().ToArray();
    }

    public void Dispose()
    {
        _session.Dispose();
        _model.Dispose();
    }
}
