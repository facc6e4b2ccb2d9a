using System.Globalization;
using System.Text;

namespace VoxCpm.Engine.Checkpoints;

/// <summary>
/// Where a model load spent its time, phase by phase (exclusive: a nested phase is not counted in its parent), as wall
/// time and as the process's CPU time over the same spans (all threads: ONNX Runtime's and the parallel weight fill too).
/// </summary>
public sealed class LoadTimings
{
    private static readonly LoadPhase[] s_phases = Enum.GetValues<LoadPhase>();
    private readonly TimeSpan[] _phases;
    private readonly TimeSpan[] _cpu;

    internal LoadTimings(TimeSpan[] phases, TimeSpan[] cpu)
    {
        _phases = phases;
        _cpu = cpu;
    }

    /// <summary>Wall time of a phase.</summary>
    public TimeSpan this[LoadPhase phase] => _phases[(int)phase];

    /// <summary>The process's CPU time during a phase.</summary>
    public TimeSpan Cpu(LoadPhase phase) => _cpu[(int)phase];

    /// <summary>The process's CPU time over the whole load.</summary>
    public TimeSpan TotalCpu => Sum(_cpu);

    /// <summary>The wall time of the whole load.</summary>
    public TimeSpan Total => Sum(_phases);

    /// <summary>These timings with the warm-up that followed the load.</summary>
    public LoadTimings WithWarmUp(TimeSpan warmUp, TimeSpan warmUpCpu)
    {
        var phases = (TimeSpan[])_phases.Clone();
        var cpu = (TimeSpan[])_cpu.Clone();
        phases[(int)LoadPhase.WarmUp] = warmUp;
        cpu[(int)LoadPhase.WarmUp] = warmUpCpu;
        return new LoadTimings(phases, cpu);
    }

    /// <summary>"checkpoint read 1.20 s (cpu 2.10 s), weight conversion 0.80 s (cpu 0.79 s), …" (phases that took no time are left out).</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var phase in s_phases)
        {
            if (_phases[(int)phase] > TimeSpan.Zero)
            {
                text.Append(text.Length == 0 ? "" : ", ")
                    .Append(Describe(phase))
                    .Append(' ')
                    .Append(_phases[(int)phase].TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture))
                    .Append(" s (cpu ")
                    .Append(_cpu[(int)phase].TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture))
                    .Append(" s)");
            }
        }

        return text.ToString();
    }

    internal static string Describe(LoadPhase phase) => phase switch
    {
        LoadPhase.CheckpointRead => "checkpoint read",
        LoadPhase.WeightConversion => "weight conversion",
        LoadPhase.GraphBuild => "graph build",
        LoadPhase.SessionCreation => "session creation",
        LoadPhase.WarmUp => "warm-up",
        _ => phase.ToString(),
    };

    private static TimeSpan Sum(TimeSpan[] spans)
    {
        var total = TimeSpan.Zero;
        foreach (var span in spans)
        {
            total += span;
        }

        return total;
    }
}
