using System.Collections.Concurrent;

namespace VoxCpm.Hub.Jobs;

/// <summary>
/// Wakes watchers of a synthesis on this node as soon as its job changes state. Watchers also poll the history
/// row, so a job run by another node reaches them too, only later.
/// </summary>
internal sealed class JobNotifier
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _waiters = new();

    public void Notify(Guid synthesisId)
    {
        if (_waiters.TryRemove(synthesisId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>Returns when the synthesis changed here, or after <paramref name="pollInterval"/>.</summary>
    public async Task WaitAsync(Guid synthesisId, TimeSpan pollInterval, CancellationToken cancellationToken)
    {
        var waiter = _waiters.GetOrAdd(synthesisId, static _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await waiter.Task.WaitAsync(pollInterval, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }
}
