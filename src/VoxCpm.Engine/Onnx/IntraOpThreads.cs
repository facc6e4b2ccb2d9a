namespace VoxCpm.Engine.Onnx;

/// <summary>
/// How many intra-op threads a CPU session gets when the options leave it to us (0). ONNX Runtime's own default (one
/// per physical core, as its CPU probe sees them) ran every session on one thread on the project's 2-core VM: a full-size
/// VoxCPM-0.5B step then took 1.5× as long as with 2 threads. So the count is explicit: one thread per core the process
/// may use for the modules with enough arithmetic per call, one thread for the small ones, whose operators take a few
/// microseconds and only lose time waking a second thread (measured on the tiny model: the CFM solve at batch 16 took
/// 3.8 ms on 2 threads against 1.7 ms on one).
/// </summary>
internal static class IntraOpThreads
{
    /// <summary>Below this many bytes of weights a module runs on one thread (the full-size models' smallest heads have about 8 MiB).</summary>
    public const long ParallelWeightBytes = 4L << 20;

    private static readonly Lazy<int> s_cores = new(CountCores);

    /// <summary>The thread count for a session with <paramref name="weightBytes"/> of weights under <paramref name="options"/>; 0 leaves ORT's default.</summary>
    public static int For(OnnxRuntimeOptions options, long weightBytes)
    {
        if (options.IntraOpThreads > 0)
        {
            return options.IntraOpThreads;
        }

        if (options.Device != ExecutionDevice.Cpu)
        {
            return 0;
        }

        return weightBytes >= ParallelWeightBytes ? s_cores.Value : 1;
    }

    /// <summary>
    /// The cores the process may use: <see cref="Environment.ProcessorCount"/> honours the affinity mask and a
    /// container's CPU limit; hyperthread siblings share a core's arithmetic units, so they count once.
    /// </summary>
    internal static int CountCores() => Math.Max(1, Environment.ProcessorCount / ThreadsPerCore());

    /// <summary>How many logical CPUs a Linux CPU list names: "0-1", "0,4", "3", "0-3,8-11".</summary>
    internal static int CountCpuList(string list)
    {
        int count = 0;
        foreach (var range in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int dash = range.IndexOf('-', StringComparison.Ordinal);
            count += dash < 0 ? 1 : Parse(range[(dash + 1)..]) - Parse(range[..dash]) + 1;
        }

        return count;
    }

    private static int ThreadsPerCore()
    {
        try
        {
            // The logical CPUs that share cpu0's core.
            return Math.Max(1, CountCpuList(File.ReadAllText("/sys/devices/system/cpu/cpu0/topology/thread_siblings_list")));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or OverflowException)
        {
            return 1; // not Linux, or no topology exposed: count every logical CPU
        }
    }

    private static int Parse(string number) => int.Parse(number, System.Globalization.CultureInfo.InvariantCulture);
}
