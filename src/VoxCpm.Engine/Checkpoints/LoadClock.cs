using System.Diagnostics;

namespace VoxCpm.Engine.Checkpoints;

/// <summary>
/// Times the phases of one model load on the loading thread. The code that converts weights or creates sessions is
/// called from deep inside the graph builders, so it opens a phase on the thread's current clock
/// (<see cref="Measure"/>) instead of having a clock passed down through every builder. A nested phase pauses its
/// parent, so the phases add up to the wall time of the load. Without a running clock a phase costs nothing.
/// </summary>
internal sealed class LoadClock
{
    [ThreadStatic]
    private static LoadClock? t_current;

    private readonly long[] _ticks = new long[Enum.GetValues<LoadPhase>().Length];
    private readonly TimeSpan[] _cpu = new TimeSpan[Enum.GetValues<LoadPhase>().Length];
    private readonly Stack<LoadPhase> _open = new();
    private long _since;
    private TimeSpan _cpuSince;

    private LoadClock(LoadPhase first)
    {
        _open.Push(first);
        _since = Stopwatch.GetTimestamp();
        _cpuSince = Environment.CpuUsage.TotalTime;
    }

    /// <summary>Starts timing this thread's load in <paramref name="first"/>; dispose the returned scope to stop.</summary>
    public static Scope Start(LoadPhase first, out LoadClock clock)
    {
        if (t_current is not null)
        {
            throw new InvalidOperationException("A model load is already being timed on this thread.");
        }

        clock = new LoadClock(first);
        t_current = clock;
        return new Scope(clock, owner: true);
    }

    /// <summary>Counts the time until the scope is disposed as <paramref name="phase"/> (when a load is being timed on this thread).</summary>
    public static Scope Measure(LoadPhase phase)
    {
        var clock = t_current;
        if (clock is null)
        {
            return default;
        }

        clock.Switch();
        clock._open.Push(phase);
        return new Scope(clock, owner: false);
    }

    /// <summary>The times so far (the phase open now counts up to this call).</summary>
    public LoadTimings Snapshot()
    {
        Switch();
        var phases = new TimeSpan[_ticks.Length];
        for (int i = 0; i < phases.Length; i++)
        {
            phases[i] = Stopwatch.GetElapsedTime(0, _ticks[i]);
        }

        return new LoadTimings(phases, (TimeSpan[])_cpu.Clone());
    }

    // Books the time since the last switch to the phase open now. The process's CPU time is booked too: on a machine
    // shared with other work it says what a phase costs when wall time mostly says how busy the machine was.
    private void Switch()
    {
        long now = Stopwatch.GetTimestamp();
        var cpu = Environment.CpuUsage.TotalTime;
        int phase = (int)_open.Peek();
        _ticks[phase] += now - _since;
        _cpu[phase] += cpu - _cpuSince;
        _since = now;
        _cpuSince = cpu;
    }

    private void Close(bool owner)
    {
        Switch();
        _open.Pop();
        if (owner)
        {
            t_current = null;
        }
    }

    public readonly struct Scope(LoadClock? clock, bool owner) : IDisposable
    {
        public void Dispose() => clock?.Close(owner);
    }
}
