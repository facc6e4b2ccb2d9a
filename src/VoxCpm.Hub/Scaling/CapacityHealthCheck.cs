using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using VoxCpm.Hub.Inference;

namespace VoxCpm.Hub.Scaling;

/// <summary>
/// This node's spare capacity on <c>/ready</c>, for a load balancer that prefers the emptiest node: active and
/// queued syntheses against TTS_MAX_CONCURRENT and TTS_QUEUE_LIMIT. Degraded (still 200) when a new request would
/// be refused as busy; never unhealthy, since a full node still serves what it holds and frees up by itself.
/// </summary>
internal sealed class CapacityHealthCheck(IEngineAccessor engines, IOptions<SynthesisOptions> limits) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var scheduler = engines.Engine?.Scheduler;
        var active = scheduler?.ActiveCount ?? 0;
        var queued = scheduler?.QueueLength ?? 0;
        var maxConcurrent = limits.Value.MaxConcurrent;
        var queueLimit = limits.Value.QueueLimit;
        var spareSlots = Math.Max(0, maxConcurrent - active);
        var spareQueue = Math.Max(0, queueLimit - queued);
        var data = new Dictionary<string, object>
        {
            ["active"] = active,
            ["maxConcurrent"] = maxConcurrent,
            ["queued"] = queued,
            ["queueLimit"] = queueLimit,
            ["spare"] = spareSlots + spareQueue,
        };
        var description = $"{active} of {maxConcurrent} synthesizing, {queued} of {queueLimit} queued";

        // The scheduler's own rule (InferenceScheduler.Submit): refused once the queue is full and no slot is free.
        var full = queued >= queueLimit && active + queued >= maxConcurrent;
        return Task.FromResult(full
            ? HealthCheckResult.Degraded($"full: {description}; new requests are refused as busy", data: data)
            : HealthCheckResult.Healthy(description, data));
    }
}
