namespace VoxCpm.ModelDownloader.Progress;

/// <summary>
/// Turns per-file byte counts into <see cref="ModelDownloadProgress"/> reports. Reports are throttled to a few per
/// second because a multi-gigabyte file would otherwise post thousands of them; file boundaries always report.
/// </summary>
internal sealed class DownloadProgressTracker(
    string repoId,
    IReadOnlyList<(string File, long? Size)> files,
    Action<ModelDownloadProgress> publish,
    TimeProvider time)
{
    private static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    private readonly long[] _done = new long[files.Count];
    private readonly long? _total = files.All(f => f.Size.HasValue) ? files.Sum(f => f.Size!.Value) : null;
    private long _lastReport = long.MinValue;

    public void Update(int index, long fileBytesDone, bool force = false)
    {
        _done[index] = fileBytesDone;
        var now = time.GetTimestamp();
        if (!force && _lastReport != long.MinValue && time.GetElapsedTime(_lastReport, now) < MinInterval)
        {
            return;
        }

        _lastReport = now;
        publish(Snapshot(index, completed: false));
    }

    public void Complete(int index)
    {
        if (files[index].Size is { } size)
        {
            _done[index] = size;
        }

        var last = index == files.Count - 1;
        _lastReport = time.GetTimestamp();
        publish(Snapshot(index, completed: last));
    }

    private ModelDownloadProgress Snapshot(int index, bool completed) => new(
        repoId,
        files[index].File,
        index,
        files.Count,
        _done[index],
        files[index].Size,
        _done.Sum(),
        _total,
        completed);
}
