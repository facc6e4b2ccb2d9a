using Microsoft.Extensions.Diagnostics.HealthChecks;
using VoxCpm.Hub.Inference;

namespace VoxCpm.Hub.Health;

/// <summary>Ready only when the model is loaded; otherwise the model's own status and message.</summary>
internal sealed class ModelHealthCheck(IModelLifecycle model) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = model.State;
        var data = new Dictionary<string, object> { ["state"] = state.Status.ToString() };
        return Task.FromResult(state.Status == ModelStatus.Loaded
            ? HealthCheckResult.Healthy(state.Message, data)
            : HealthCheckResult.Unhealthy(state.Message, data: data));
    }
}
