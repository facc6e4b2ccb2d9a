using Microsoft.AspNetCore.SignalR;
using VoxCpm.Hub.Synthesis;

namespace VoxCpm.Hub.SignalR;

/// <summary>Turns a refusal of the synthesis path into the HubException clients see: "[code] message (field: name)".</summary>
internal static class Refusals
{
    /// <summary>Starts a request of <paramref name="scope"/>; refused while the hub drains, and every refusal is counted.</summary>
    public static async Task<T> GuardAsync<T>(RequestScope scope, Func<Task<T>> start)
    {
        try
        {
            scope.ThrowIfRefused();
            return await start();
        }
        catch (SynthesisRejectedException rejected)
        {
            scope.Rejected(rejected.Code);
            throw ToHubException(rejected);
        }
    }

    public static HubException ToHubException(SynthesisRejectedException rejected) =>
        new(rejected.Field is { } field ? $"[{rejected.Code}] {rejected.Message} (field: {field})" : $"[{rejected.Code}] {rejected.Message}");
}
