using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VoxCpm.Hub.Shutdown;

/// <summary>Ready while the hub accepts requests; unhealthy from the moment it starts draining, so balancers move on.</summary>
internal sealed class DrainHealthCheck(ShutdownDrain drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.IsDraining
            ? HealthCheckResult.Unhealthy($"the hub is shutting down: no new requests, {drain.InFlight} in flight")
            : HealthCheckResult.Healthy("accepting requests"));
}
