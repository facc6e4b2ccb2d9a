namespace VoxCpm.Engine.Onnx;

/// <summary>
/// Where a session's weight file (<see cref="ExternalWeightFile"/>) is written: the memory file system
/// <c>/dev/shm</c> when it and the machine have room for it, else the temp folder.
/// </summary>
/// <remarks>
/// The file lives only while ONNX Runtime creates the session. On the 2-core VM, writing a gigabyte through a disk
/// file system's page cache took about 2 s and into tmpfs 0.3 s; a full-size VoxCPM-0.5B float32 load writes 2.6 GB.
/// The memory is the machine's until the session is created, so tmpfs is used only while the machine has memory to
/// spare for the file beside the copies ONNX Runtime makes of it.
/// </remarks>
internal static class WeightFileFolder
{
    private const string MemoryFileSystem = "/dev/shm";

    /// <summary>Free space left on the memory file system after the file, so that others using it are not starved.</summary>
    private const long MemoryFileSystemReserve = 256L << 20;

    /// <summary>The file and the session's own copies of the weights (ORT's read of them and its prepacked matrices).</summary>
    private const int CopiesWhileCreating = 3;

    /// <summary>
    /// Age after which a weight file is taken to be left behind by a process that died while loading: in memory it
    /// would hold RAM until the machine restarts. A load writes its files in seconds to minutes.
    /// </summary>
    private static readonly TimeSpan s_staleAfter = TimeSpan.FromHours(1);

    private static readonly Lazy<string?> s_memory = new(() => Directory.Exists(MemoryFileSystem) ? Prepare(MemoryFileSystem) : null);
    private static readonly Lazy<string> s_temp = new(() => Prepare(Path.GetTempPath()));

    /// <summary>The folder for a file of <paramref name="bytes"/>, with the empty placeholder file the graphs point at.</summary>
    public static string For(long bytes)
    {
        if (s_memory.Value is { } memory
            && FreeSpace(memory) >= bytes + MemoryFileSystemReserve
            && AvailableMemory() >= CopiesWhileCreating * bytes)
        {
            return memory;
        }

        return s_temp.Value;
    }

    /// <summary>Deletes the weight files in <paramref name="folder"/> last written before <paramref name="now"/> minus an hour.</summary>
    internal static void RemoveStaleFiles(string folder, DateTime now)
    {
        foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*.weights"))
        {
            try
            {
                if (now - file.LastWriteTimeUtc > s_staleAfter)
                {
                    file.Delete();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Another user's file, or gone already: not ours to clean.
            }
        }
    }

    private static string Prepare(string root)
    {
        string folder = Path.Combine(root, "voxcpm-onnx");
        Directory.CreateDirectory(folder);
        string placeholder = Path.Combine(folder, GraphBuilder.WeightPlaceholderFile);
        if (!File.Exists(placeholder))
        {
            File.WriteAllBytes(placeholder, []);
        }

        RemoveStaleFiles(folder, DateTime.UtcNow);
        return folder;
    }

    private static long FreeSpace(string folder)
    {
        try
        {
            return new DriveInfo(folder).AvailableFreeSpace;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Memory this process may still use: the kernel's estimate of memory available without swapping
    /// (<c>MemAvailable</c>, 0 when unknown), bounded by the container's limit when there is one (which
    /// <c>/proc/meminfo</c> does not show, and the runtime reads from the cgroup).
    /// </summary>
    private static long AvailableMemory()
    {
        long limitLeft = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - Environment.WorkingSet;
        return Math.Min(MemAvailable(), limitLeft);
    }

    private static long MemAvailable()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/meminfo"))
            {
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan("MemAvailable:".Length).Trim().TrimEnd("kB").Trim(), System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }

        return 0;
    }
}
