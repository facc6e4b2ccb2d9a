using Microsoft.AspNetCore.SignalR;
using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.Security;

/// <summary>Each synthesis on the SignalR hub takes a permit, as each raw <c>tts_request</c> does.</summary>
internal sealed class SynthesisRateLimitFilter(ClientRateLimiter limiter) : IHubFilter
{
    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (limiter.Enabled &&
            invocationContext.HubMethod.Name == nameof(SignalR.TtsHub.SynthesizeAsync) &&
            invocationContext.Context.GetHttpContext() is { } http &&
            limiter.TryAcquire(ClientPartition.Of(http)) is { } refusal)
        {
            throw new HubException($"[{ErrorCodes.TooManyRequests}] {refusal.Message}");
        }

        return next(invocationContext);
    }
}
