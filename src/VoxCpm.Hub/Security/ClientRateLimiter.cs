using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Configuration;

namespace VoxCpm.Hub.Security;

/// <summary>
/// TTS_RATE_LIMIT_PER_MINUTE: one fixed one-minute window per client (<see cref="ClientPartition"/>), shared by
/// every surface, so a key's HTTP calls, raw <c>/tts</c> requests and hub syntheses draw on the same budget.
/// </summary>
internal sealed class ClientRateLimiter : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly PartitionedRateLimiter<string>? _limiter;
    private readonly bool _perKey;

    public ClientRateLimiter(IOptions<SecurityOptions> options)
    {
        PermitsPerMinute = options.Value.RateLimitPerMinute;
        _perKey = options.Value.KeysRequired;
        if (PermitsPerMinute > 0)
        {
            _limiter = PartitionedRateLimiter.Create<string, string>(partition => partition.Length == 0
                ? RateLimitPartition.GetNoLimiter(partition)
                : RateLimitPartition.GetFixedWindowLimiter(partition, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = PermitsPerMinute,
                    Window = Window,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        }
    }

    public bool Enabled => _limiter is not null;

    public int PermitsPerMinute { get; }

    /// <summary>Takes one permit; null when granted, else the refusal to send the client.</summary>
    public RateLimitRefusal? TryAcquire(string partition)
    {
        if (_limiter is null)
        {
            return null;
        }

        using var lease = _limiter.AttemptAcquire(partition);
        return lease.IsAcquired ? null : Refusal(lease);
    }

    /// <summary>The same limiter for the HTTP middleware; an empty partition means "not counted".</summary>
    public PartitionedRateLimiter<HttpContext>? ForHttp(Func<HttpContext, string> partition) =>
        _limiter?.WithTranslatedKey(partition, leaveOpen: true);

    public RateLimitRefusal Refusal(RateLimitLease lease)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : Window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        var who = _perKey ? "API key" : "client address";
        return new RateLimitRefusal(
            seconds,
            $"rate limit reached: {PermitsPerMinute} requests per minute per {who} ({SettingNames.RateLimitPerMinute}); retry in {seconds} s");
    }

    public void Dispose() => _limiter?.Dispose();
}

internal sealed record RateLimitRefusal(int RetryAfterSeconds, string Message);
