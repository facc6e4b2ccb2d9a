using Microsoft.AspNetCore.SignalR;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Jobs;

namespace VoxCpm.Hub.SignalR;

/// <summary>
/// With the Redis backplane (TTS_REDIS), the node that changes a job sends the update to the job's SignalR group
/// through <see cref="IHubContext{THub,T}"/>; the backplane carries it to followers connected to any node. This is
/// the only sender then: a watcher per node would send each update once per node that follows the job.
/// </summary>
internal sealed partial class BackplaneJobUpdatePublisher(IHubContext<TtsHub, ITtsHubClient> hub, ILogger<BackplaneJobUpdatePublisher> logger)
    : IJobUpdatePublisher
{
    public bool IsEnabled => true;

    public async Task PublishAsync(JobUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        try
        {
            await hub.Clients.Group(JobWatchers.Group(update.JobId)).JobUpdated(update);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The job's state is in PostgreSQL either way; a follower that missed this asks again (WatchJob, GET /api/jobs/{id}).
            LogPublishFailed(logger, update.JobId, update.Status, e);
        }
    }

    [LoggerMessage(EventId = 4021, EventName = "JobUpdatePublishFailed", Level = LogLevel.Warning, Message = "Job {JobId} is {Status}, but the update could not be sent through the SignalR backplane")]
    private static partial void LogPublishFailed(ILogger logger, string jobId, string status, Exception exception);
}
