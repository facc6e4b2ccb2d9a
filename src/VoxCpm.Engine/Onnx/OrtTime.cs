using System.Diagnostics;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// Process-wide time spent inside ONNX Runtime's Run calls, so benchmarks can report the scheduler's own
/// overhead (a step's wall time minus this). One <see cref="Interlocked"/> add per Run.
/// </summary>
internal static class OrtTime
{
    private static long s_ticks;

    public static TimeSpan Total => Stopwatch.GetElapsedTime(0, Volatile.Read(ref s_ticks));

    public static long Start() => Stopwatch.GetTimestamp();

    public static void Stop(long started) => Interlocked.Add(ref s_ticks, Stopwatch.GetTimestamp() - started);
}
