using Microsoft.ML.OnnxRuntime;
using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Sampling;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>
/// The LocDiT sessions: one CFG Euler step (<see cref="DitGraphs.Step"/>) and the time-embedding MLPs. Time embeddings
/// are cached per solver schedule point. It keeps no reference to the checkpoint's weights (the sessions hold what they
/// need), so the weight source can be freed after load; the bare estimator graph is <see cref="DitGraphs.Estimator"/>.
/// </summary>
internal sealed class LocalDit : IDisposable
{
    private readonly ModuleSession _step;
    private readonly ModuleSession _time;
    private readonly Dictionary<int, (CfmSchedule Schedule, float[] Embeddings)> _schedules = [];
    private readonly Dictionary<int, (OrtValue[] Embeddings, OrtValue[] Dts)> _sharedTimeInputs = [];
    private readonly RunOptions _pipelinedRun = new();
    private readonly RunOptions _finalRun = new();
    private readonly Lock _gate = new();
    private readonly OrtMemoryInfo? _deviceMemory;
    private readonly OrtAllocator _allocator;
    private CapturedCfmSolver? _captured;

    public LocalDit(VoxCpmConfig config, IWeightSource weights, OnnxRuntimeOptions options)
    {
        Hidden = config.DitConfig.HiddenDim;
        MuWidth = config.MuWidth;
        EmulateBf16 = string.Equals(config.Dtype, "bfloat16", StringComparison.OrdinalIgnoreCase);
        _pipelinedRun.AddRunConfigEntry("disable_synchronize_execution_providers", "1");
        _time = new ModuleSession(DitGraphs.TimeEmbedding(config, weights), options);
        _step = new ModuleSession(DitGraphs.Step(config, weights, MiniCpmStackSpec.LocalStackQuantization(options), options.Precision), options);
        _allocator = OrtAllocator.DefaultInstance;
        if (options.Device == ExecutionDevice.Cuda)
        {
            _deviceMemory = new OrtMemoryInfo(OrtMemoryInfo.allocatorCUDA, OrtAllocatorType.DeviceAllocator, options.CudaDeviceId, OrtMemType.Default);
            _allocator = new OrtAllocator(_step.Session, _deviceMemory);
            if (options.CudaGraphs)
            {
                try
                {
                    _captured = new CapturedCfmSolver(DitGraphs.Step(config, weights, MiniCpmStackSpec.LocalStackQuantization(options), options.Precision), options);
                }
                catch (OnnxRuntimeException e)
                {
                    // ORT refuses graph capture when a node would run outside CUDA; the plain device loop still works.
                    CudaGraphsUnavailable = e.Message;
                }
            }
        }
    }

    /// <summary>Why CUDA graphs were asked for but not used, or null.</summary>
    public string? CudaGraphsUnavailable { get; private set; }

    /// <summary>Whether shared-schedule solves replay captured CUDA graphs.</summary>
    public bool UsesCudaGraphs => _captured is not null;

    public int Hidden { get; }

    /// <summary>Width of the condition mu: <see cref="Hidden"/> (v1) or two tokens of it (VoxCPM2).</summary>
    public int MuWidth { get; }

    /// <summary>Whether host-side time arithmetic rounds like the reference's bfloat16 run.</summary>
    public bool EmulateBf16 { get; }

    /// <summary>time_mlp(sinus(t)) + delta_time_mlp(sinus(0)) for each t: <c>[times.Count, H_dit]</c>.</summary>
    public HostTensor<float> TimeEmbeddings(IReadOnlyList<float> times)
    {
        int n = times.Count;
        var sinusT = new float[n * Hidden];
        var sinusDt = new float[n * Hidden];
        for (int i = 0; i < n; i++)
        {
            TimestepSinusoid.Compute(times[i], EmulateBf16, sinusT.AsSpan(i * Hidden, Hidden));
            TimestepSinusoid.Compute(0f, EmulateBf16, sinusDt.AsSpan(i * Hidden, Hidden));
        }

        return _time.Run([(DitGraphs.SinusT, new HostTensor<float>(sinusT, n, Hidden)), (DitGraphs.SinusDt, new HostTensor<float>(sinusDt, n, Hidden))], DitGraphs.TimeEmbed)[0];
    }

    /// <summary>The schedule for <paramref name="steps"/> Euler steps with its time embeddings <c>[steps, H_dit]</c>, cached.</summary>
    public (CfmSchedule Schedule, float[] Embeddings) Schedule(int steps)
    {
        lock (_gate)
        {
            if (!_schedules.TryGetValue(steps, out var entry))
            {
                var schedule = CfmSchedule.Create(steps, EmulateBf16);
                entry = (schedule, TimeEmbeddings(schedule.Times).Data);
                _schedules[steps] = entry;
            }

            return entry;
        }
    }

    /// <summary>One guided Euler step for B rows: <c>x, cond [B, P, D]</c>, <c>mu [B, MuWidth]</c>, <c>temb [B, H_dit]</c>, <c>dt, cfg [B]</c> → <c>x_next</c>.</summary>
    public HostTensor<float> Step(HostTensor<float> x, HostTensor<float> mu, HostTensor<float> cond, HostTensor<float> temb, HostTensor<float> dt, HostTensor<float> cfg) =>
        _step.Run(
            [(DitGraphs.X, x), (DitGraphs.Mu, mu), (DitGraphs.Cond, cond), (DitGraphs.TimeEmbed, temb), (DitGraphs.Dt, dt), (DitGraphs.Cfg, cfg)],
            DitGraphs.XNext)[0];

    /// <summary>
    /// The CFM solve for rows that share one schedule (the same step count), with x kept in the provider's memory: two
    /// buffers take turns as input and output of the Euler steps, nothing waits for the device until the last step,
    /// and only that step's output comes back to the host. Same arithmetic as <see cref="CfmSolver"/>.
    /// </summary>
    public HostTensor<float> SolveShared(HostTensor<float> mu, HostTensor<float> cond, HostTensor<float> noise, ReadOnlySpan<float> cfg, int steps)
    {
        ArgumentNullException.ThrowIfNull(mu);
        using var muValue = OrtValue.CreateTensorValueFromMemory(mu.Data, mu.LongShape);
        return SolveShared(muValue, cond, noise, cfg, steps);
    }

    /// <summary>As above with mu <c>[B, MuWidth]</c> where the heads left it (device memory on CUDA).</summary>
    public HostTensor<float> SolveShared(OrtValue mu, HostTensor<float> cond, HostTensor<float> noise, ReadOnlySpan<float> cfg, int steps)
    {
        ArgumentNullException.ThrowIfNull(mu);
        ArgumentNullException.ThrowIfNull(cond);
        ArgumentNullException.ThrowIfNull(noise);
        using var solve = CreateSharedSolve(noise.Shape[0], noise.Shape[1], noise.Shape[2]);
        cond.Data.CopyTo(solve.Cond);
        noise.Data.CopyTo(solve.Noise);
        cfg.CopyTo(solve.Cfg);
        Solve(solve, mu, steps);
        return new HostTensor<float>(solve.Result.ToArray(), noise.Shape);
    }

    /// <summary>The buffers and bindings of shared-schedule solves of <paramref name="batch"/> rows, to keep and reuse (one thread at a time).</summary>
    public SharedScheduleSolve CreateSharedSolve(int batch, int patch, int featDim) => new(this, _allocator, batch, patch, featDim);

    /// <summary>
    /// The CFM solve of <paramref name="solve"/>'s rows with the <paramref name="steps"/>-step schedule, from its
    /// <see cref="SharedScheduleSolve.Noise"/>, <see cref="SharedScheduleSolve.Cond"/> and
    /// <see cref="SharedScheduleSolve.Cfg"/> into its <see cref="SharedScheduleSolve.Result"/>. Same arithmetic as
    /// <see cref="CfmSolver"/>.
    /// </summary>
    public void Solve(SharedScheduleSolve solve, OrtValue mu, int steps)
    {
        ArgumentNullException.ThrowIfNull(solve);
        ArgumentNullException.ThrowIfNull(mu);
        int first = Schedule(steps).Schedule.ZeroVelocitySteps;
        if (first >= steps)
        {
            solve.Noise.CopyTo(solve.Result);
            return;
        }

        if (_captured is not null)
        {
            try
            {
                _captured.Solve(this, mu, solve.CondTensor, solve.NoiseTensor, solve.Cfg, steps).CopyTo(solve.Result);
                return;
            }
            catch (OnnxRuntimeException e)
            {
                // A replay that fails (a driver or capture limit met only at run time) must not fail every request
                // from now on: drop the graphs and solve with the uncaptured loop below.
                _captured.Dispose();
                _captured = null;
                CudaGraphsUnavailable = $"capture failed while running: {e.Message}";
            }
        }

        solve.Run(_step, mu, steps, first, _pipelinedRun, _finalRun);
    }

    /// <summary>
    /// Step k's time embedding <c>[1, H_dit]</c> and dt <c>[1]</c> of the <paramref name="steps"/>-step schedule as
    /// ORT values over the cached schedule, made once: the step graph broadcasts them to every row.
    /// </summary>
    internal (OrtValue[] Embeddings, OrtValue[] Dts) SharedTimeInputs(int steps)
    {
        lock (_gate)
        {
            if (!_sharedTimeInputs.TryGetValue(steps, out var inputs))
            {
                var (schedule, embeddings) = Schedule(steps);
                var dts = schedule.Dts.ToArray();
                inputs = (
                    [.. Enumerable.Range(0, steps).Select(k => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, embeddings.AsMemory(k * Hidden, Hidden), [1, Hidden]))],
                    [.. Enumerable.Range(0, steps).Select(k => OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, dts.AsMemory(k, 1), [1]))]);
                _sharedTimeInputs[steps] = inputs;
            }

            return inputs;
        }
    }

    /// <summary>Euler step <paramref name="k"/> of the <paramref name="steps"/>-step schedule for <paramref name="batch"/> rows: <c>temb [batch, H_dit]</c> and <c>dt [batch]</c>.</summary>
    internal (float[] TimeEmbedding, float[] Dt) StepInputs(int steps, int k, int batch)
    {
        var (schedule, embeddings) = Schedule(steps);
        var temb = new float[batch * Hidden];
        for (int b = 0; b < batch; b++)
        {
            embeddings.AsSpan(k * Hidden, Hidden).CopyTo(temb.AsSpan(b * Hidden));
        }

        var dt = new float[batch];
        Array.Fill(dt, schedule.Dts[k]);
        return (temb, dt);
    }

    /// <summary>CFM solve with per-row CFG and step counts (see <see cref="CfmSolver"/>); patches are <c>[B, P, D]</c>.</summary>
    public HostTensor<float> Solve(HostTensor<float> mu, HostTensor<float> cond, HostTensor<float> noise, ReadOnlySpan<float> cfg, ReadOnlySpan<int> steps) =>
        new CfmSolver(this).Solve(mu, cond, noise, cfg, steps);

    public void Dispose()
    {
        foreach (var (embeddings, dts) in _sharedTimeInputs.Values)
        {
            foreach (var value in embeddings.Concat(dts))
            {
                value.Dispose();
            }
        }

        _pipelinedRun.Dispose();
        _finalRun.Dispose();
        _captured?.Dispose();
        if (_deviceMemory is not null)
        {
            _allocator.Dispose();
            _deviceMemory.Dispose();
        }

        _step.Dispose();
        _time.Dispose();
    }
}
