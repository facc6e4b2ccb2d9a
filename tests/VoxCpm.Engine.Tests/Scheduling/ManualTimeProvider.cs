using System.Diagnostics;

namespace VoxCpm.Engine.Tests.Scheduling;

/// <summary>A clock that moves only when a test (or a test generator's step) advances it.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long _ticks = Stopwatch.Frequency; // not zero: the scheduler treats 0 as "never"

    public override long TimestampFrequency => Stopwatch.Frequency;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, (long)(by.TotalSeconds * Stopwatch.Frequency));
}
