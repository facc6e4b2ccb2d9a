using Microsoft.Extensions.Options;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Metrics;
using VoxCpm.Hub.Requests;

namespace VoxCpm.Hub.Shutdown;

/// <summary>
/// The graceful stop, run once before the host stops anything (a signal or <c>StopAsync</c>): refuse new requests as
/// <c>unavailable</c> and turn <c>/ready</c> 503 at once (<see cref="Draining"/>), let requests in flight finish up
/// to TTS_SHUTDOWN_TIMEOUT_SECONDS, cancel what remains (<see cref="Deadline"/>: clients get <c>cancelled</c>), and
/// then close raw connections (<see cref="Closing"/>) and wait a little for them to send their last messages. Durable jobs are not counted here: the
/// Hangfire server stops fetching when draining begins and hands unfinished jobs back at the same deadline.
/// </summary>
internal sealed partial class ShutdownDrain : IDisposable
{
    /// <summary>How long cancelled requests get to send their final message, and raw connections to close.</summary>
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan s_pollInterval = TimeSpan.FromMilliseconds(50);

    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _draining = new();
    private readonly CancellationTokenSource _deadline = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ShutdownOptions _options;
    private readonly OpenConnections _connections;
    private readonly ILogger<ShutdownDrain> _logger;
    private bool _isDraining;
    private int _drainStarted;
    private int _inFlight;

    public ShutdownDrain(IOptions<ShutdownOptions> options, OpenConnections connections, ILogger<ShutdownDrain> logger)
    {
        _options = options.Value;
        _connections = connections;
        _logger = logger;
    }

    /// <summary>The refusal every transport sends for a request that arrives while the hub drains.</summary>
    public static SynthesisRejectedException Refusal() =>
        new(ErrorCodes.Unavailable, "the server is shutting down and accepts no new requests; retry on another instance");

    public bool IsDraining => Volatile.Read(ref _isDraining);

    /// <summary>Fires when draining begins: stop taking work (the job server stops fetching).</summary>
    public CancellationToken Draining => _draining.Token;

    /// <summary>Fires at the drain deadline: requests still running are cancelled.</summary>
    public CancellationToken Deadline => _deadline.Token;

    /// <summary>Fires when nothing is in flight any more (or the grace after the deadline is over): close connections.</summary>
    public CancellationToken Closing => _closing.Token;

    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Counts a request in until the lease is disposed; null (refuse it) once draining has begun.</summary>
    public IDisposable? TryEnter()
    {
        lock (_gate)
        {
            if (_isDraining)
            {
                return null;
            }

            _inFlight++;
        }

        return new Lease(this);
    }

    /// <summary>Drains once; later calls (the signal handler, then the host's stop) share the same drain.</summary>
    public Task DrainAsync()
    {
        if (Interlocked.Exchange(ref _drainStarted, 1) == 0)
        {
            _ = RunThenSignalAsync();
        }

        // The drain's own completion; nothing in it needs the caller's context (ASP.NET Core has none).
#pragma warning disable VSTHRD003
        return _drained.Task;
#pragma warning restore VSTHRD003
    }

    /// <summary>Cancels whatever still runs now instead of at the deadline (a second signal).</summary>
    public void CancelRemaining() => _deadline.Cancel();

    public void Dispose()
    {
        _draining.Dispose();
        _deadline.Dispose();
        _closing.Dispose();
    }

    private async Task RunThenSignalAsync()
    {
        try
        {
            await RunAsync();
        }
        finally
        {
            _drained.TrySetResult();
        }
    }

    private async Task RunAsync()
    {
        int inFlight;
        lock (_gate)
        {
            _isDraining = true;
            inFlight = _inFlight;
            if (inFlight == 0)
            {
                _idle.TrySetResult();
            }
        }

        LogDrainStarted(_logger, inFlight, _options.TimeoutSeconds);
        await _draining.CancelAsync();
        if (!await IdleWithinAsync(_options.Timeout))
        {
            LogDeadlineReached(_logger, InFlight, _options.TimeoutSeconds);
            await _deadline.CancelAsync();
            await IdleWithinAsync(Grace);
        }

        // Raw connections close themselves (1001) once their last request has sent its final message.
        await _closing.CancelAsync();
        var until = DateTime.UtcNow + Grace;
        while (_connections.RawWebSocket > 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(s_pollInterval, CancellationToken.None);
        }

        LogDrained(_logger, InFlight, _connections.RawWebSocket);
    }

    private void Exit()
    {
        lock (_gate)
        {
            if (--_inFlight == 0 && _isDraining)
            {
                _idle.TrySetResult();
            }
        }
    }

    private async Task<bool> IdleWithinAsync(TimeSpan timeout)
    {
        try
        {
#pragma warning disable VSTHRD003 // completed by Exit (the last lease), never by work that needs this context
            await _idle.Task.WaitAsync(timeout);
#pragma warning restore VSTHRD003
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private sealed class Lease(ShutdownDrain drain) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                drain.Exit();
            }
        }
    }
}
