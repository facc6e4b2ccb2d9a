using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Listeners;

namespace VoxCpm.Hub.Security;

/// <summary>
/// Cross-origin calls are allowed only from the web UI's own origin (this host on TTS_WEB_PORT, as the browser
/// addressed it) and from TTS_CORS_ORIGINS. Any other origin gets no Access-Control-Allow-Origin, so browsers refuse.
/// </summary>
internal sealed class UiCorsPolicyProvider(HubListeners listeners, IOptions<SecurityOptions> options) : ICorsPolicyProvider
{
    public Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        var host = context.Request.Host.Host;
        var uiOrigins = listeners.WebAddresses
            .Select(address => new Uri(address).Port)
            .SelectMany(port => new[] { $"http://{host}:{port}", $"https://{host}:{port}" });
        var policy = new CorsPolicyBuilder()
            .WithOrigins([.. uiOrigins, .. options.Value.CorsOrigins])
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders("Retry-After")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))
            .Build();
        return Task.FromResult<CorsPolicy?>(policy);
    }
}
