using Microsoft.AspNetCore.SignalR;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Scaling;

namespace VoxCpm.Hub.SignalR;

/// <summary>
/// Broadcasts <see cref="ITtsHubClient.StatusChanged"/> when the load or the model state changes, sampled at most
/// twice a second: a busy server changes its load every decode step, and clients only need a display rate. It goes
/// to this node's own connections only (<see cref="NodeIdentity.Group"/>): with the Redis backplane, <c>Clients.All</c> would
/// tell every node's clients each node's load in turn.
/// </summary>
internal sealed partial class StatusBroadcaster(
    ServerStatusSource status,
    NodeIdentity node,
    IHubContext<TtsHub, ITtsHubClient> hub,
    ILogger<StatusBroadcaster> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        ServerStatus? last = null;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var current = status.Current();
                if (current != last && await TrySendAsync(current))
                {
                    last = current;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogBroadcastFailed(logger, e);
        }
    }

    // With the Redis backplane a send fails while Redis is unreachable; the next tick tries again rather than
    // ending the broadcasts for good.
    private async Task<bool> TrySendAsync(ServerStatus current)
    {
        try
        {
            await hub.Clients.Group(node.Group).StatusChanged(current);
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogSendFailed(logger, e);
            return false;
        }
    }

    [LoggerMessage(EventId = 4011, EventName = "StatusSendFailed", Level = LogLevel.Warning, Message = "A status broadcast failed; the next change is sent again")]
    private static partial void LogSendFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4010, EventName = "StatusBroadcastFailed", Level = LogLevel.Error, Message = "Status broadcasts stopped")]
    private static partial void LogBroadcastFailed(ILogger logger, Exception exception);
}
