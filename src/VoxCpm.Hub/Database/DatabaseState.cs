namespace VoxCpm.Hub.Database;

/// <summary>
/// Whether the schema is up to date, as found by <see cref="DatabaseMigrationService"/>. Readiness needs both this
/// and a live connection: a reachable database without our tables is not ready.
/// </summary>
internal sealed class DatabaseState
{
    private readonly TaskCompletionSource _migrated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile string? _notReadyReason = "migrations have not run yet";

    public bool IsMigrated => _notReadyReason is null;

    public string? NotReadyReason => _notReadyReason;

    public void MarkMigrated()
    {
        _notReadyReason = null;
        _migrated.TrySetResult();
    }

    public void MarkNotReady(string reason) => _notReadyReason = reason;

    /// <summary>Completes once the schema has been migrated (at once if it already has).</summary>
    public Task WhenMigratedAsync(CancellationToken cancellationToken) => _migrated.Task.WaitAsync(cancellationToken);
}
