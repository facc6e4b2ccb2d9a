using System.Runtime.InteropServices;

namespace VoxCpm.Hub.Shutdown;

/// <summary>
/// Replaces the console lifetime so that SIGTERM, SIGINT and SIGQUIT drain before the host stops: the default
/// lifetime signals ApplicationStopping at once, and SignalR closes every connection on that signal, cutting its
/// streams. A second signal cancels what is still running and stops at once.
/// </summary>
internal sealed partial class DrainingConsoleLifetime(
    IHostApplicationLifetime lifetime,
    ShutdownDrain drain,
    ILogger<DrainingConsoleLifetime> logger) : IHostLifetime, IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _signals;

    public Task WaitForStartAsync(CancellationToken cancellationToken)
    {
        foreach (var signal in new[] { PosixSignal.SIGTERM, PosixSignal.SIGINT, PosixSignal.SIGQUIT })
        {
            _registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) == 1)
        {
            LogDraining(logger, context.Signal);
            _ = StopAfterDrainAsync();
        }
        else
        {
            LogStoppingNow(logger, context.Signal);
            drain.CancelRemaining();
            lifetime.StopApplication();
        }
    }

    private async Task StopAfterDrainAsync()
    {
        try
        {
            await drain.DrainAsync();
        }
        finally
        {
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(EventId = 5010, EventName = "ShutdownSignal", Level = LogLevel.Information, Message = "{Signal} received: draining before the hub stops (send it again to stop at once)")]
    private static partial void LogDraining(ILogger logger, PosixSignal signal);

    [LoggerMessage(EventId = 5011, EventName = "ShutdownSignalAgain", Level = LogLevel.Warning, Message = "{Signal} received again: cancelling what still runs and stopping now")]
    private static partial void LogStoppingNow(ILogger logger, PosixSignal signal);
}
