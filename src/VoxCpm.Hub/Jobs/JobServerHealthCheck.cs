using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VoxCpm.Hub.Jobs;

/// <summary>
/// Ready when this node's Hangfire server processes the synthesis queue, or when this node runs no worker by
/// configuration (TTS_ROLES=api): its jobs run on the worker nodes.
/// </summary>
internal sealed class JobServerHealthCheck(JobServerState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state switch
        {
            { IsDisabled: true, NotRunningReason: var reason } => HealthCheckResult.Healthy(reason),
            { NotRunningReason: { } reason } => HealthCheckResult.Unhealthy(reason),
            _ => HealthCheckResult.Healthy("the Hangfire server processes the synthesis queue"),
        });
}
