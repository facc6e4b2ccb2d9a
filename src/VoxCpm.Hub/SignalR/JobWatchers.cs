using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Jobs;
using VoxCpm.Hub.Scaling;

namespace VoxCpm.Hub.SignalR;

/// <summary>
/// Delivers a job's updates to its SignalR group (<see cref="Group"/>), which the submitter joins and <c>WatchJob</c>
/// adds to. Without a backplane: one watch per job on this node, however many connections follow it (it polls the
/// history row, so jobs run by other nodes reach it too). With the Redis backplane: the node that changes the job
/// publishes each update (<see cref="BackplaneJobUpdatePublisher"/>); a new follower is only sent the current state.
/// </summary>
internal sealed partial class JobWatchers(
    ISynthesisJobs jobs,
    IHubContext<TtsHub, ITtsHubClient> hub,
    IOptions<ScalingOptions> scaling,
    IHostApplicationLifetime lifetime,
    ILogger<JobWatchers> logger)
{
    private readonly ConcurrentDictionary<string, Task> _watching = new(StringComparer.Ordinal);

    public static string Group(string jobId) => "job:" + jobId;

    /// <summary>Call once <paramref name="connectionId"/> is in the job's group.</summary>
    public async Task FollowAsync(string jobId, string connectionId, CancellationToken cancellationToken)
    {
        if (!scaling.Value.UsesBackplane)
        {
            _ = _watching.GetOrAdd(jobId, id => Task.Run(() => WatchAsync(id)));
            return;
        }

        // Joined first, read second: a change after the read is published to the group, one before it is in the read.
        if (await jobs.GetStatusAsync(jobId, cancellationToken) is { } current)
        {
            await hub.Clients.Client(connectionId).JobUpdated(current);
        }
    }

    private async Task WatchAsync(string jobId)
    {
        try
        {
            await foreach (var update in jobs.WatchAsync(jobId, lifetime.ApplicationStopping))
            {
                await hub.Clients.Group(Group(jobId)).JobUpdated(update);
            }
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogWatchFailed(logger, jobId, e);
        }
        finally
        {
            _watching.TryRemove(jobId, out _);
        }
    }

    [LoggerMessage(EventId = 4020, EventName = "JobWatchFailed", Level = LogLevel.Error, Message = "Watching job {JobId} failed")]
    private static partial void LogWatchFailed(ILogger logger, string jobId, Exception exception);
}
