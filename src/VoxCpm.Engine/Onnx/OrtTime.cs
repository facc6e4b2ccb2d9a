using System.Diagnostics;

namespace VoxCpm.Engine.Onnx;

/// <summary>
/// Process-wide time spent inside ONNX Runtime's Run calls, so benchmarks can report the scheduler's own
/// overhead (a step's wall time minus this). One <see cref="Interlocked"/> add per Run. Work that overlaps the loop's
/// own runs on a helper thread is not counted there; the loop's wait for it is.
/// </summary>
internal static class OrtTime
{
    private static long s_ticks;

    [ThreadStatic]
    private static bool t_overlapped;

    public static TimeSpan Total => Stopwatch.GetElapsedTime(0, Volatile.Read(ref s_ticks));

    public static long Start() => Stopwatch.GetTimestamp();

    public static void Stop(long started)
    {
        if (!t_overlapped)
        {
            Interlocked.Add(ref s_ticks, Stopwatch.GetTimestamp() - started);
        }
    }

    /// <summary>This thread's runs overlap the loop's: the loop counts its wait for them instead.</summary>
    public static void ExcludeCurrentThread() => t_overlapped = true;
}
