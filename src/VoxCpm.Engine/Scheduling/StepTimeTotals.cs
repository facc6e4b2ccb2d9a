namespace VoxCpm.Engine.Scheduling;

/// <summary>
/// Running totals of the scheduler's steps: their wall time (picking the rows, the decode step, publishing its audio)
/// and the part of it outside ONNX Runtime. Written by the loop thread, read by tools between runs.
/// </summary>
internal sealed class StepTimeTotals
{
    private long _wallTicks;
    private long _hostTicks;

    public TimeSpan Wall => TimeSpan.FromTicks(Interlocked.Read(ref _wallTicks));

    public TimeSpan Host => TimeSpan.FromTicks(Interlocked.Read(ref _hostTicks));

    public void Add(TimeSpan wall, TimeSpan host)
    {
        Interlocked.Add(ref _wallTicks, wall.Ticks);
        Interlocked.Add(ref _hostTicks, host.Ticks);
    }
}
