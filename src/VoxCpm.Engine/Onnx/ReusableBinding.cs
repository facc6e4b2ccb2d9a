using Microsoft.ML.OnnxRuntime;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// An IO binding made once and run for every decode step that has its shape, so a step neither creates bindings nor
/// converts input names again. Values bound here stay owned by their creator. ONNX Runtime copies a host input into a
/// device's memory when it is bound (not when it runs), so on a device provider the host inputs a step rewrites are
/// bound again before each run; on the CPU provider the session reads them in place.
/// </summary>
internal sealed class ReusableBinding : IDisposable
{
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions;
    private readonly OrtIoBinding _binding;
    private readonly bool _rebindHostInputs;
    private readonly List<(string Name, OrtValue Value)> _hostInputs = [];

    public ReusableBinding(InferenceSession session, RunOptions runOptions, ExecutionDevice device)
    {
        _session = session;
        _runOptions = runOptions;
        _binding = session.CreateIoBinding();
        _rebindHostInputs = device != ExecutionDevice.Cpu;
    }

    /// <summary>An input that stays as bound: provider memory, or host values that never change.</summary>
    public ReusableBinding Input(string name, OrtValue value)
    {
        _binding.BindInput(name, value);
        return this;
    }

    /// <summary>A host input whose contents change between runs.</summary>
    public ReusableBinding HostInput(string name, OrtValue value)
    {
        _binding.BindInput(name, value);
        _hostInputs.Add((name, value));
        return this;
    }

    public ReusableBinding Output(string name, OrtValue value)
    {
        _binding.BindOutput(name, value);
        return this;
    }

    /// <summary>Runs and waits for the bound outputs; the time counts as ONNX Runtime's.</summary>
    public void Run() => Run(_runOptions, synchronizeOutputs: true);

    /// <summary>Runs with other run options; without waiting for the outputs when a later run on the same stream will.</summary>
    public void Run(RunOptions options, bool synchronizeOutputs)
    {
        if (_rebindHostInputs)
        {
            foreach (var (name, value) in _hostInputs)
            {
                _binding.BindInput(name, value);
            }
        }

        long started = OrtTime.Start();
        _session.RunWithBinding(options, _binding);
        OrtTime.Stop(started);
        if (synchronizeOutputs)
        {
            _binding.SynchronizeBoundOutputs();
        }
    }

    public void Dispose() => _binding.Dispose();
}
