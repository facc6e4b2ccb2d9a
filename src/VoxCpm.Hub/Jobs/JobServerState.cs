namespace VoxCpm.Hub.Jobs;

/// <summary>Whether this node's Hangfire server is processing the synthesis queue; read by <c>/ready</c>.</summary>
internal sealed class JobServerState
{
    private volatile string? _notRunningReason = "the job server waits for the database schema";

    public bool IsRunning => _notRunningReason is null;

    public string? NotRunningReason => _notRunningReason;

    public void MarkRunning() => _notRunningReason = null;

    public void MarkStopped(string reason) => _notRunningReason = reason;
}
