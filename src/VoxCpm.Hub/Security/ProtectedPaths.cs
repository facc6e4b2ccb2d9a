using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Metrics;
using VoxCpm.Hub.RawTts;

namespace VoxCpm.Hub.Security;

/// <summary>
/// Which paths need an API key when keys are configured: everything a program talks to. /health and /ready stay
/// open for probes, the web UI's static files for browsers, and the Hangfire dashboard has its own admin login.
/// </summary>
internal static class ProtectedPaths
{
    private static readonly PathString[] KeyRequired =
    [
        RawTtsEndpointExtensions.Path,
        TtsHubMethods.Route,
        "/api",
        "/v1",
        MetricsExtensions.MetricsPath,
    ];

    // The HTTP rate limit counts API calls. Synthesis over /tts and the hub counts per request instead (a
    // connection carries many), and a Prometheus scrape is not a client's request.
    private static readonly PathString[] RateLimited = ["/api", "/v1"];

    public static bool NeedsKey(PathString path) => KeyRequired.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));

    public static bool CountsPerHttpRequest(PathString path) => RateLimited.Any(prefix => path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase));
}
