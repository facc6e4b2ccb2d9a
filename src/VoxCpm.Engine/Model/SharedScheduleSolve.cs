using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>
/// The CFM solve of B rows that share one schedule, with its host buffers, its two provider-memory x buffers (they take
/// turns as input and output of the Euler steps) and one binding per Euler step, all made once: the decode loop keeps
/// one per batch size, writes <see cref="Cond"/>, <see cref="Noise"/> and <see cref="Cfg"/>, solves, and reads
/// <see cref="Result"/>. Nothing waits for the device until the last step, and only that step's output comes back to
/// the host. Used by one thread at a time.
/// </summary>
internal sealed class SharedScheduleSolve : IDisposable
{
    private readonly LocalDit _dit;
    private readonly long[] _patchShape;
    private readonly PinnedTensor<float> _cond;
    private readonly PinnedTensor<float> _noise;
    private readonly PinnedTensor<float> _cfg;
    private readonly PinnedTensor<float> _result;
    private readonly OrtValue[] _x;
    private readonly Dictionary<int, ReusableBinding[]> _steps = [];
    private OrtValue? _boundMu;

    public SharedScheduleSolve(LocalDit dit, OrtAllocator allocator, int batch, int patch, int featDim)
    {
        _dit = dit;
        _patchShape = [batch, patch, featDim];
        CondTensor = HostTensor<float>.Zeros(batch, patch, featDim);
        NoiseTensor = HostTensor<float>.Zeros(batch, patch, featDim);
        _cond = new PinnedTensor<float>(CondTensor.Data, _patchShape);
        _noise = new PinnedTensor<float>(NoiseTensor.Data, _patchShape);
        _cfg = new PinnedTensor<float>(batch);
        _result = new PinnedTensor<float>(_patchShape);
        _x =
        [
            OrtValue.CreateAllocatedTensorValue(allocator, TensorElementType.Float, _patchShape),
            OrtValue.CreateAllocatedTensorValue(allocator, TensorElementType.Float, _patchShape),
        ];
    }

    public int Batch => (int)_patchShape[0];

    /// <summary>The previous patch of each row, <c>[B, P, D]</c>.</summary>
    public Span<float> Cond => _cond.Span;

    /// <summary>The initial state z of each row, <c>[B, P, D]</c>.</summary>
    public Span<float> Noise => _noise.Span;

    /// <summary>Each row's CFG value.</summary>
    public Span<float> Cfg => _cfg.Span;

    /// <summary>The generated patches after <see cref="LocalDit.Solve(SharedScheduleSolve, OrtValue, int)"/>, <c>[B, P, D]</c>.</summary>
    public Span<float> Result => _result.Span;

    /// <summary><see cref="Cond"/> as a host tensor (same memory), for the captured CUDA-graph solver.</summary>
    internal HostTensor<float> CondTensor { get; }

    /// <summary><see cref="Noise"/> as a host tensor (same memory).</summary>
    internal HostTensor<float> NoiseTensor { get; }

    /// <summary>Euler steps <paramref name="first"/>.. of the <paramref name="steps"/>-step schedule on the step graph, into <see cref="Result"/>.</summary>
    internal void Run(ModuleSession step, OrtValue mu, int steps, int first, RunOptions pipelined, RunOptions final)
    {
        if (!ReferenceEquals(mu, _boundMu))
        {
            DisposeBindings();
            _boundMu = mu;
        }

        if (!_steps.TryGetValue(steps, out var bindings))
        {
            bindings = Bind(step, mu, steps, first);
            _steps[steps] = bindings;
        }

        for (int i = 0; i < bindings.Length; i++)
        {
            bool last = i == bindings.Length - 1;
            bindings[i].Run(last ? final : pipelined, synchronizeOutputs: last);
        }
    }

    private ReusableBinding[] Bind(ModuleSession step, OrtValue mu, int steps, int first)
    {
        var time = _dit.SharedTimeInputs(steps);
        var bindings = new ReusableBinding[steps - first];
        for (int i = 0; i < bindings.Length; i++)
        {
            bool last = i == bindings.Length - 1;
            bindings[i] = step.CreateBinding()
                .Input(DitGraphs.Mu, mu)
                .HostInput(DitGraphs.Cond, _cond.Value)
                .HostInput(DitGraphs.Cfg, _cfg.Value)
                .Input(DitGraphs.TimeEmbed, time.Embeddings[first + i])
                .Input(DitGraphs.Dt, time.Dts[first + i])
                .Output(DitGraphs.XNext, last ? _result.Value : _x[i % 2]);
            if (i == 0)
            {
                bindings[i].HostInput(DitGraphs.X, _noise.Value);
            }
            else
            {
                bindings[i].Input(DitGraphs.X, _x[(i - 1) % 2]);
            }
        }

        return bindings;
    }

    private void DisposeBindings()
    {
        foreach (var bindings in _steps.Values)
        {
            foreach (var binding in bindings)
            {
                binding.Dispose();
            }
        }

        _steps.Clear();
    }

    public void Dispose()
    {
        DisposeBindings();
        foreach (var value in _x)
        {
            value.Dispose();
        }

        _cond.Dispose();
        _noise.Dispose();
        _cfg.Dispose();
        _result.Dispose();
    }
}
