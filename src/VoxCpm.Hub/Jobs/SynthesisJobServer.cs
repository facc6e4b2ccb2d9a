using Hangfire;
using Hangfire.Common;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Database;
using VoxCpm.Hub.History;
using VoxCpm.Hub.Inference;
using VoxCpm.Hub.Shutdown;
using VoxCpm.Hub.Scaling;

namespace VoxCpm.Hub.Jobs;

/// <summary>
/// This node's Hangfire server for the <c>synthesis</c> queue (and the light <c>maintenance</c> queue of housekeeping jobs), with at most TTS_MAX_CONCURRENT workers. It starts
/// once the database migrator has installed Hangfire's schema: a server started on missing tables would back off
/// for minutes and leave accepted jobs waiting. A node without the worker role (TTS_ROLES=api) starts none: its
/// jobs run on the worker nodes that share its database.
/// </summary>
internal sealed partial class SynthesisJobServer(
    JobStorage storage,
    JobActivator activator,
    IJobFilterProvider filters,
    DatabaseState database,
    JobServerState state,
    ShutdownDrain drain,
    IOptions<SynthesisOptions> synthesis,
    IOptions<ShutdownOptions> shutdown,
    IOptions<ScalingOptions> scaling,
    ILogger<SynthesisJobServer> logger) : BackgroundService
{
    private BackgroundJobServer? _server;
    private CancellationTokenRegistration _draining;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => StartWhenMigratedAsync(stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_server is { } server)
        {
            // Normally sent when the drain began; jobs still running when the stop timeout passes see their
            // cancellation token fire and go back to the queue for the next node.
            state.MarkStopped("the job server is stopping");
            server.SendStop();
            await server.WaitForShutdownAsync(cancellationToken);
        }
    }

    public override void Dispose()
    {
        _draining.Dispose();
        _server?.Dispose();
        base.Dispose();
    }

    private async Task StartWhenMigratedAsync(CancellationToken cancellationToken)
    {
        if (!scaling.Value.RunsWorker)
        {
            state.MarkDisabled($"this node runs no worker (role {scaling.Value.RolesText}); its jobs run on the worker nodes");
            LogNoWorker(logger, scaling.Value.RolesText);
            return;
        }

        await database.WhenMigratedAsync(cancellationToken);
        try
        {
            Start();
        }
        catch (Exception ex)
        {
            state.MarkStopped($"the job server failed to start: {ex.Message}");
            LogStartFailed(logger, ex);
        }
    }

    private void Start()
    {
        var options = new BackgroundJobServerOptions
        {
            Queues = [SynthesisJob.Queue, HistoryRetentionJob.Queue],
            WorkerCount = synthesis.Value.MaxConcurrent,
            // Retries wait in the scheduled set; the default 15 s poll would add up to that much to each retry delay.
            SchedulePollingInterval = JobsServiceCollectionExtensions.QueuePollInterval,
            ServerName = $"voxcpm-hub:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}",
            Activator = activator,
            FilterProvider = filters,
            // From the drain's start (SendStop) no job is fetched; those running get the drain deadline to finish.
            StopTimeout = shutdown.Value.Timeout,
        };
        _server = new BackgroundJobServer(options, storage, []);
        _draining = drain.Draining.Register(static server => ((BackgroundJobServer)server!).SendStop(), _server);
        state.MarkRunning(options.ServerName);
        LogStarted(logger, options.ServerName, options.WorkerCount);
    }

    [LoggerMessage(EventId = 4220, EventName = "JobServerStarted", Level = LogLevel.Information, Message = "Hangfire server {ServerName} processes the synthesis and maintenance queues with {WorkerCount} worker(s)")]
    private static partial void LogStarted(ILogger logger, string serverName, int workerCount);

    [LoggerMessage(EventId = 4222, EventName = "JobServerDisabled", Level = LogLevel.Information, Message = "This node runs no job server (TTS_ROLES={Roles}); non-streaming jobs run on the worker nodes")]
    private static partial void LogNoWorker(ILogger logger, string roles);

    [LoggerMessage(EventId = 4221, EventName = "JobServerStartFailed", Level = LogLevel.Error, Message = "The Hangfire server failed to start; non-streaming jobs wait in the queue for another node")]
    private static partial void LogStartFailed(ILogger logger, Exception exception);
}
