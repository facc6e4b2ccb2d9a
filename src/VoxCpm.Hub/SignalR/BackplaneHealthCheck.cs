using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VoxCpm.Hub.Scaling;

namespace VoxCpm.Hub.SignalR;

/// <summary>
/// Whether the SignalR backplane's Redis (TTS_REDIS) answers a PING. Degraded, not unhealthy, when it does not: raw
/// <c>/tts</c>, HTTP and jobs still work, and all nodes share the one Redis, so failing <c>/ready</c> everywhere
/// would take the whole deployment out of its balancer for a SignalR outage. Uses a connection of its own that
/// reconnects in the background.
/// </summary>
internal sealed class BackplaneHealthCheck(IOptions<ScalingOptions> scaling) : IHealthCheck, IAsyncDisposable
{
    // Well inside the check's own time limit, so that a dead Redis is reported with its address, not as a timeout.
    private static readonly TimeSpan s_answerTimeout = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var connection = await ConnectAsync(cancellationToken);
            var latency = await connection.GetDatabase().PingAsync().WaitAsync(s_answerTimeout, cancellationToken);
            return HealthCheckResult.Healthy($"Redis answers ({latency.TotalMilliseconds:0.#} ms)");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return HealthCheckResult.Degraded($"Redis ({scaling.Value.Redis}) does not answer: {e.Message}; SignalR job updates do not reach other nodes");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            await connection.DisposeAsync();
        }

        _connecting.Dispose();
    }

    private async Task<ConnectionMultiplexer> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } connected)
        {
            return connected;
        }

        await _connecting.WaitAsync(cancellationToken);
        try
        {
            if (_connection is null)
            {
                var options = ConfigurationOptions.Parse(scaling.Value.Redis!);
                options.AbortOnConnectFail = false; // reconnects in the background; PING fails meanwhile
                options.ConnectTimeout = (int)s_answerTimeout.TotalMilliseconds;
                _connection = await ConnectionMultiplexer.ConnectAsync(options);
            }

            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }
}
