namespace VoxCpm.Hub.Shutdown;

/// <summary>
/// Drains in <see cref="IHostedLifecycleService.StoppingAsync"/>, which the host runs before it signals
/// ApplicationStopping (on which SignalR drops its connections) and before Kestrel stops: streams in flight finish
/// while /ready already answers 503. After a signal the drain has already run (<see cref="DrainingConsoleLifetime"/>).
/// </summary>
internal sealed class GracefulShutdownService(ShutdownDrain drain) : IHostedLifecycleService
{
    public Task StoppingAsync(CancellationToken cancellationToken) => drain.DrainAsync().WaitAsync(cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
