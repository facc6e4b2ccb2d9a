using VoxCpm.Engine.Onnx;
using VoxCpm.Engine.Sampling;
using VoxCpm.Engine.Tensors;

namespace VoxCpm.Engine.Model;

/// <summary>
/// The LocDiT sessions: one CFG Euler step (<see cref="DitGraphs.Step"/>) and the time-embedding MLPs. Time embeddings
/// are cached per solver schedule point. It keeps no reference to the checkpoint's weights (the sessions hold what they
/// need), so the weight source can be freed after load; the bare estimator is <see cref="DitEstimator"/>.
/// </summary>
internal sealed class LocalDit : IDisposable
{
    private readonly ModuleSession _step;
    private readonly ModuleSession _time;
    private readonly Dictionary<int, (CfmSchedule Schedule, float[] Embeddings)> _schedules = [];
    private readonly Lock _gate = new();

    public LocalDit(VoxCpmConfig config, IWeightSource weights, OnnxRuntimeOptions options)
    {
        Hidden = config.DitConfig.HiddenDim;
        EmulateBf16 = string.Equals(config.Dtype, "bfloat16", StringComparison.OrdinalIgnoreCase);
        _time = new ModuleSession(DitGraphs.TimeEmbedding(config, weights), options);
        _step = new ModuleSession(DitGraphs.Step(config, weights, MiniCpmStackSpec.LocalStackQuantization(options), options.Precision), options);
    }

    public int Hidden { get; }

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

    /// <summary>One guided Euler step for B rows: <c>x, cond [B, P, D]</c>, <c>mu, temb [B, H_dit]</c>, <c>dt, cfg [B]</c> → <c>x_next</c>.</summary>
    public HostTensor<float> Step(HostTensor<float> x, HostTensor<float> mu, HostTensor<float> cond, HostTensor<float> temb, HostTensor<float> dt, HostTensor<float> cfg) =>
        _step.Run(
            [(DitGraphs.X, x), (DitGraphs.Mu, mu), (DitGraphs.Cond, cond), (DitGraphs.TimeEmbed, temb), (DitGraphs.Dt, dt), (DitGraphs.Cfg, cfg)],
            DitGraphs.XNext)[0];

    /// <summary>CFM solve with per-row CFG and step counts (see <see cref="CfmSolver"/>); patches are <c>[B, P, D]</c>.</summary>
    public HostTensor<float> Solve(HostTensor<float> mu, HostTensor<float> cond, HostTensor<float> noise, ReadOnlySpan<float> cfg, ReadOnlySpan<int> steps) =>
        new CfmSolver(this).Solve(mu, cond, noise, cfg, steps);

    public void Dispose()
    {
        _step.Dispose();
        _time.Dispose();
    }
}
