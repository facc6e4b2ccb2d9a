using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VoxCpm.Hub.Jobs;

/// <summary>Ready when this node's Hangfire server processes the synthesis queue.</summary>
internal sealed class JobServerHealthCheck(JobServerState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.NotRunningReason is { } reason
            ? HealthCheckResult.Unhealthy(reason)
            : HealthCheckResult.Healthy("the Hangfire server processes the synthesis queue"));
}
