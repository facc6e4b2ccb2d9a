namespace VoxCpm.Hub.Jobs;

/// <summary>Whether this node's Hangfire server is processing the synthesis queue; read by <c>/ready</c>.</summary>
internal sealed class JobServerState
{
    private volatile string? _notRunningReason = "the job server waits for the database schema";
    private volatile bool _disabled;

    public bool IsRunning => _notRunningReason is null;

    /// <summary>True on a node whose roles exclude the worker: it never runs jobs, and that is not a fault.</summary>
    public bool IsDisabled => _disabled;

    public string? NotRunningReason => _notRunningReason;

    /// <summary>The Hangfire server's name while it runs (Hangfire records it on each job it processes).</summary>
    public string? ServerName { get; private set; }

    public void MarkRunning(string serverName)
    {
        ServerName = serverName;
        _notRunningReason = null;
    }

    public void MarkStopped(string reason) => _notRunningReason = reason;

    public void MarkDisabled(string reason)
    {
        _disabled = true;
        _notRunningReason = reason;
    }
}
