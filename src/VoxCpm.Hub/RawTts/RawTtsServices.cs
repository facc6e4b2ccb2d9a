using Microsoft.Extensions.Options;
using VoxCpm.Hub.Metrics;
using VoxCpm.Hub.Security;
using VoxCpm.Hub.Shutdown;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.RawTts;

/// <summary>What a raw <c>/tts</c> connection uses, injected once into the endpoint rather than looked up per connection.</summary>
internal sealed class RawTtsServices(
    SynthesisService synthesis,
    RequestTracking tracking,
    HubMeters meters,
    ShutdownDrain drain,
    ClientRateLimiter limiter,
    OpenConnections connections,
    IOptions<RawTtsSendOptions> sendOptions,
    ILoggerFactory loggers)
{
    public SynthesisService Synthesis => synthesis;

    public RequestTracking Tracking => tracking;

    public HubMeters Meters => meters;

    public ShutdownDrain Drain => drain;

    public ClientRateLimiter Limiter => limiter;

    public OpenConnections Connections => connections;

    public RawTtsSendOptions SendOptions => sendOptions.Value;

    public ILogger Logger { get; } = loggers.CreateLogger("VoxCpm.Hub.RawTts");
}
