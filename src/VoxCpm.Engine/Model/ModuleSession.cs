using Microsoft.ML.OnnxRuntime;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>
/// One built graph with its session. Owns both: the graph's weight buffers must outlive the session.
/// Run is the plain host-tensor path (inputs wrap the managed arrays without copying; outputs are copied out).
/// </summary>
internal sealed class ModuleSession : IDisposable
{
    private readonly OnnxModel _model;
    private readonly ExecutionDevice _device;

    // Read-only while a run uses it, so every run of this session shares one instead of allocating its own.
    private readonly RunOptions _runOptions = new();

    public ModuleSession(OnnxModel model, OnnxRuntimeOptions options)
    {
        _model = model;
        _device = options.Device;
        try
        {
            Session = SessionFactory.Create(model, options);
        }
        catch
        {
            _runOptions.Dispose();
            model.Dispose();
            throw;
        }
    }

    public InferenceSession Session { get; }

    public string Name => _model.Name;

    public HostTensor<float>[] Run(IReadOnlyList<(string Name, OrtValue Value)> inputs, params string[] outputs)
    {
        var names = new string[inputs.Count];
        var values = new OrtValue[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
        {
            (names[i], values[i]) = inputs[i];
        }

        long started = Onnx.OrtTime.Start();
        using var results = Session.Run(_runOptions, names, values, outputs);
        Onnx.OrtTime.Stop(started);
        var copies = new HostTensor<float>[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
        {
            var shape = Array.ConvertAll(results[i].GetTensorTypeAndShape().Shape, d => checked((int)d));
            copies[i] = new HostTensor<float>(results[i].GetTensorDataAsSpan<float>().ToArray(), shape);
        }

        return copies;
    }

    /// <summary>A binding of this session to fill once and run for every step of its shape.</summary>
    public ReusableBinding CreateBinding() => new(Session, _runOptions, _device);

    /// <summary>Runs with float inputs given as host tensors.</summary>
    public HostTensor<float>[] Run(IReadOnlyList<(string Name, HostTensor<float> Value)> inputs, params string[] outputs)
    {
        var values = new List<(string, OrtValue)>(inputs.Count);
        try
        {
            foreach (var (name, tensor) in inputs)
            {
                values.Add((name, OrtValue.CreateTensorValueFromMemory(tensor.Data, tensor.LongShape)));
            }

            return Run(values, outputs);
        }
        finally
        {
            foreach (var (_, value) in values)
            {
                value.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        Session.Dispose();
        _model.Dispose();
    }
}
