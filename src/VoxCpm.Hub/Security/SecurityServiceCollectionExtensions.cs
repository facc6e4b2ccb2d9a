using System.Globalization;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;
using VoxCpm.Hub.Configuration;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Http;

namespace VoxCpm.Hub.Security;

internal static class SecurityServiceCollectionExtensions
{
    /// <summary>Optional API keys, the per-client rate limit and CORS for the web UI's origin (docs/configuration.md).</summary>
    public static IServiceCollection AddVoxCpmSecurity(this IServiceCollection services)
    {
        services.AddSettings<SecurityOptions>();
        services.TryAddSingleton<ApiKeys>();
        services.TryAddSingleton<ClientRateLimiter>();
        services.AddCors();
        services.Replace(ServiceDescriptor.Singleton<ICorsPolicyProvider, UiCorsPolicyProvider>());
        services.Configure<HubOptions>(hub => hub.AddFilter<SynthesisRateLimitFilter>());
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<ClientRateLimiter>((options, limiter) =>
        {
            options.GlobalLimiter = limiter.ForHttp(context =>
                ProtectedPaths.CountsPerHttpRequest(context.Request.Path) ? ClientPartition.Of(context) : "");
            options.OnRejected = (rejected, cancellationToken) =>
            {
                var refusal = limiter.Refusal(rejected.Lease);
                rejected.HttpContext.Response.Headers.RetryAfter = refusal.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(ApiErrors.Error(StatusCodes.Status429TooManyRequests, ErrorCodes.TooManyRequests, refusal.Message)
                    .ExecuteAsync(rejected.HttpContext));
            };
        });
        return services;
    }

    /// <summary>CORS first (preflights carry no key), then the key check, then the rate limit (it partitions by key).</summary>
    public static WebApplication UseVoxCpmSecurity(this WebApplication app)
    {
        app.UseCors();
        app.UseMiddleware<ApiKeyMiddleware>();
        if (app.Services.GetRequiredService<ClientRateLimiter>().Enabled)
        {
            app.UseRateLimiter();
        }

        return app;
    }
}
