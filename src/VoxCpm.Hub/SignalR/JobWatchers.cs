using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using VoxCpm.Hub.Jobs;

namespace VoxCpm.Hub.SignalR;

/// <summary>
/// One watch per job, however many connections follow it: the job's updates go to its SignalR group
/// (<see cref="Group"/>), which the submitter joins and <c>WatchJob</c> adds to.
/// </summary>
internal sealed partial class JobWatchers(IServiceProvider services, IHubContext<TtsHub, ITtsHubClient> hub, IHostApplicationLifetime lifetime, ILogger<JobWatchers> logger)
{
    private readonly ConcurrentDictionary<string, Task> _watching = new(StringComparer.Ordinal);

    public static string Group(string jobId) => "job:" + jobId;

    public void EnsureWatching(string jobId)
    {
        if (services.GetService<ISynthesisJobs>() is not { } jobs)
        {
            return;
        }

        _ = _watching.GetOrAdd(jobId, id => Task.Run(() => WatchAsync(jobs, id)));
    }

    private async Task WatchAsync(ISynthesisJobs jobs, string jobId)
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
