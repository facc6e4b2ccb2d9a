using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace VoxCpm.Hub.Health;

internal static class HealthServiceCollectionExtensions
{
    public const string LivePath = "/health";
    public const string ReadyPath = "/ready";

    /// <summary>The tag of the checks <c>/ready</c> runs; features add their own checks with it.</summary>
    public const string ReadyTag = "ready";

    // A database that hangs must not hang /ready: the check reports unhealthy after this long.
    private static readonly TimeSpan s_checkTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The readiness checks: the model is loaded and the database is reachable and migrated.</summary>
    public static IServiceCollection AddVoxCpmHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<ModelHealthCheck>("model", tags: [ReadyTag], timeout: s_checkTimeout)
            .AddCheck<DatabaseHealthCheck>("database", tags: [ReadyTag], timeout: s_checkTimeout);
        return services;
    }

    /// <summary>
    /// <c>/health</c> runs no check: it answers 200 while the process serves requests (liveness). <c>/ready</c> runs
    /// the readiness checks and answers 503 with each check's state until all pass.
    /// </summary>
    public static IEndpointRouteBuilder MapVoxCpmHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHealthChecks(LivePath, new HealthCheckOptions
        {
            Predicate = _ => false,
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        endpoints.MapHealthChecks(ReadyPath, new HealthCheckOptions
        {
            Predicate = registration => registration.Tags.Contains(ReadyTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        });
        return endpoints;
    }
}
