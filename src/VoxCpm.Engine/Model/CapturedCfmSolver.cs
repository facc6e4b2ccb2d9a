using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>
/// The shared-schedule CFM solve on CUDA with every Euler step replayed from a captured CUDA graph. One DiT step is a
/// few hundred small kernels that the GPU runs faster than the CPU can launch them (model doc §5), so a replay, one
/// launch, turns the step from launch-bound into memory-bound. A captured graph reads and writes fixed addresses, so
/// each (batch, steps) plan owns its device buffers: x alternates between two, every Euler step has its own time
/// embedding and dt (written once per plan), and a solve copies its noise, cond and cfg (from the host) and mu (on the
/// device) into place, replays one
/// graph per Euler step and copies the last x back. Same graph and arithmetic as <see cref="LocalDit.Step"/>.
/// Plans exist per batch bucket (powers of two): the scheduler's batch changes as requests join and leave, and each
/// capture costs a warm-up run; rows past the real batch are zeros, which the row-independent DiT leaves to themselves.
/// The buffers come from the copier's arena: a captured graph keeps pointers to the memory it used while being
/// captured, so nothing long-lived may be carved from the capturing session's own arena.
/// On the CPU provider the same plans run as ordinary sessions (no capture), which is how the tests check it.
/// </summary>
internal sealed class CapturedCfmSolver : IDisposable
{
    private readonly OnnxModel _model;
    private readonly InferenceSession _session;
    private readonly DeviceMemory _memory;
    private readonly Dictionary<(int Bucket, int Steps), Plan> _plans = [];
    private readonly Lock _gate = new();
    private int _nextGraphId;

    /// <param name="stepModel">A <see cref="DitGraphs.Step"/> graph (owned from here on).</param>
    /// <param name="options">The model's options; on CUDA the step session captures CUDA graphs.</param>
    public CapturedCfmSolver(OnnxModel stepModel, OnnxRuntimeOptions options)
    {
        _model = stepModel;
        try
        {
            _session = SessionFactory.Create(stepModel, options, cudaGraphs: true);
            _memory = new DeviceMemory(options);
        }
        catch
        {
            _session?.Dispose();
            stepModel.Dispose();
            throw;
        }
    }

    /// <summary>The batch a plan is built for: the next power of two.</summary>
    public static int Bucket(int batch) => (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, batch));

    /// <summary>
    /// Solves <paramref name="noise"/> <c>[B, P, D]</c> with the schedule of <paramref name="steps"/> Euler steps
    /// (<see cref="LocalDit.Schedule"/>), at least one of which moves x. Returns x at t = 0, <c>[B, P, D]</c>.
    /// </summary>
    public float[] Solve(LocalDit dit, HostTensor<float> mu, HostTensor<float> cond, HostTensor<float> noise, ReadOnlySpan<float> cfg, int steps)
    {
        ArgumentNullException.ThrowIfNull(mu);
        using var muValue = OrtValue.CreateTensorValueFromMemory(mu.Data, mu.LongShape);
        return Solve(dit, muValue, cond, noise, cfg, steps);
    }

    /// <summary>As above with mu <c>[B, MuWidth]</c> where the heads left it (device memory on CUDA; copied on the device).</summary>
    public float[] Solve(LocalDit dit, OrtValue mu, HostTensor<float> cond, HostTensor<float> noise, ReadOnlySpan<float> cfg, int steps)
    {
        ArgumentNullException.ThrowIfNull(dit);
        ArgumentNullException.ThrowIfNull(mu);
        ArgumentNullException.ThrowIfNull(cond);
        ArgumentNullException.ThrowIfNull(noise);
        int batch = noise.Shape[0];
        int bucket = Bucket(batch);
        int rowValues = noise.Data.Length / batch;
        long[] shape = [bucket, .. noise.LongShape.Skip(1)];
        lock (_gate)
        {
            var plan = PlanFor(dit, shape, steps);
            using var noiseValue = OrtValue.CreateTensorValueFromMemory(Padded(noise.Data, bucket * rowValues), shape);
            using var muRows = DeviceMemory.View(plan.Mu, 0, batch, dit.MuWidth, batch, dit.MuWidth);
            using var condValue = OrtValue.CreateTensorValueFromMemory(Padded(cond.Data, bucket * rowValues), shape);
            using var cfgValue = OrtValue.CreateTensorValueFromMemory(Padded(cfg, bucket), [bucket]);
            _memory.Copy((noiseValue, plan.X[0]), (mu, muRows), (condValue, plan.Cond), (cfgValue, plan.Cfg));

            long started = OrtTime.Start();
            for (int i = 0; i < plan.Bindings.Length; i++)
            {
                _session.RunWithBinding(plan.RunOptions[i], plan.Bindings[i]);
            }

            OrtTime.Stop(started);
            var result = new float[bucket * rowValues];
            using (var value = OrtValue.CreateTensorValueFromMemory(result, shape))
            {
                _memory.Copy((plan.X[plan.Bindings.Length % 2], value));
            }

            return batch == bucket ? result : result[..(batch * rowValues)];
        }
    }

    private static float[] Padded(ReadOnlySpan<float> rows, int length)
    {
        var padded = new float[length];
        rows.CopyTo(padded);
        return padded;
    }

    private Plan PlanFor(LocalDit dit, long[] patchShape, int steps)
    {
        int bucket = (int)patchShape[0];
        if (_plans.TryGetValue((bucket, steps), out var plan))
        {
            return plan;
        }

        int first = dit.Schedule(steps).Schedule.ZeroVelocitySteps;
        int iterations = steps - first;
        int hidden = dit.Hidden;
        plan = new Plan
        {
            X = [_memory.Allocate(patchShape), _memory.Allocate(patchShape)],
            Mu = _memory.Allocate(bucket, dit.MuWidth),
            Cond = _memory.Allocate(patchShape),
            Cfg = _memory.Allocate(bucket),
            Bindings = new OrtIoBinding[iterations],
            RunOptions = new RunOptions[iterations],
        };
        // Rows past a solve's batch keep whatever an earlier solve left there; start them at zero, not at garbage.
        using (var zeros = OrtValue.CreateTensorValueFromMemory(new float[bucket * dit.MuWidth], [bucket, dit.MuWidth]))
        {
            _memory.Copy((zeros, plan.Mu));
        }

        for (int i = 0; i < iterations; i++)
        {
            var (temb, dt) = dit.StepInputs(steps, first + i, bucket);
            var tembValue = plan.Keep(_memory.Allocate(bucket, hidden));
            var dtValue = plan.Keep(_memory.Allocate(bucket));
            using (var tembHost = OrtValue.CreateTensorValueFromMemory(temb, [bucket, hidden]))
            using (var dtHost = OrtValue.CreateTensorValueFromMemory(dt, [bucket]))
            {
                _memory.Copy((tembHost, tembValue), (dtHost, dtValue));
            }

            var binding = _session.CreateIoBinding();
            binding.BindInput(DitGraphs.X, plan.X[i % 2]);
            binding.BindInput(DitGraphs.Mu, plan.Mu);
            binding.BindInput(DitGraphs.Cond, plan.Cond);
            binding.BindInput(DitGraphs.TimeEmbed, tembValue);
            binding.BindInput(DitGraphs.Dt, dtValue);
            binding.BindInput(DitGraphs.Cfg, plan.Cfg);
            binding.BindOutput(DitGraphs.XNext, plan.X[(i + 1) % 2]);
            plan.Bindings[i] = binding;

            // Each Euler step is its own graph (its inputs live at their own addresses). Only the last one waits for the
            // device: the copy back runs on another stream.
            var runOptions = new RunOptions();
            runOptions.AddRunConfigEntry("gpu_graph_id", (_nextGraphId++).ToString(CultureInfo.InvariantCulture));
            if (i < iterations - 1)
            {
                runOptions.AddRunConfigEntry("disable_synchronize_execution_providers", "1");
            }

            plan.RunOptions[i] = runOptions;
        }

        _plans[(bucket, steps)] = plan;
        return plan;
    }

    public void Dispose()
    {
        foreach (var plan in _plans.Values)
        {
            plan.Dispose();
        }

        _memory.Dispose();
        _session.Dispose();
        _model.Dispose();
    }

    private sealed class Plan : IDisposable
    {
        private readonly List<OrtValue> _kept = [];

        public required OrtValue[] X { get; init; }

        public required OrtValue Mu { get; init; }

        public required OrtValue Cond { get; init; }

        public required OrtValue Cfg { get; init; }

        public required OrtIoBinding[] Bindings { get; init; }

        public required RunOptions[] RunOptions { get; init; }

        public OrtValue Keep(OrtValue value)
        {
            _kept.Add(value);
            return value;
        }

        public void Dispose()
        {
            foreach (var item in Bindings.Concat<IDisposable?>(RunOptions).Concat(X).Concat(_kept).Append(Mu).Append(Cond).Append(Cfg))
            {
                item?.Dispose();
            }
        }
    }
}
