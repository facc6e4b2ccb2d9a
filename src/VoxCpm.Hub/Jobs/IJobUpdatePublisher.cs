using VoxCpm.Hub.Contracts.Hub;

namespace VoxCpm.Hub.Jobs;

/// <summary>
/// Tells a job's followers on every node that it changed, from the node that changed it (the SignalR backplane,
/// when one is configured). Without one, followers learn changes by watching: <see cref="SynthesisJobs.WatchAsync"/>.
/// </summary>
internal interface IJobUpdatePublisher
{
    /// <summary>False when nothing is published: <see cref="JobHistory"/> then does not read the update back.</summary>
    bool IsEnabled { get; }

    /// <summary>Publishes the job's new state; never throws for a delivery failure (followers can ask again).</summary>
    Task PublishAsync(JobUpdate update, CancellationToken cancellationToken);
}

/// <summary>A single node, or several without a backplane: followers watch instead.</summary>
internal sealed class NoJobUpdatePublisher : IJobUpdatePublisher
{
    public bool IsEnabled => false;

    public Task PublishAsync(JobUpdate update, CancellationToken cancellationToken) => Task.CompletedTask;
}
