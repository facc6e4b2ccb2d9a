using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using VoxCpm.Hub.Data;
using VoxCpm.Hub.Database;

namespace VoxCpm.Hub.Health;

/// <summary>Ready when the schema has been migrated and PostgreSQL answers a query now.</summary>
internal sealed class DatabaseHealthCheck(IDbContextFactory<HubDbContext> contexts, DatabaseState state) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (state.NotReadyReason is { } reason)
        {
            return HealthCheckResult.Unhealthy(reason);
        }

        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            return await db.Database.CanConnectAsync(cancellationToken)
                ? HealthCheckResult.Healthy("reachable and migrated")
                : HealthCheckResult.Unhealthy("PostgreSQL does not answer");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"PostgreSQL does not answer: {ex.Message}");
        }
    }
}
