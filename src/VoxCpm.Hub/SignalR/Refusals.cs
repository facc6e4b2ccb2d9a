using Microsoft.AspNetCore.SignalR;
using VoxCpm.Hub.Requests;

namespace VoxCpm.Hub.SignalR;

/// <summary>Turns a refusal of the synthesis path into the HubException clients see: "[code] message (field: name)".</summary>
internal static class Refusals
{
    /// <summary>Starts a request; a refusal (already counted by the synthesis service) becomes the HubException clients see.</summary>
    public static async Task<T> GuardAsync<T>(Func<Task<T>> start)
    {
        try
        {
            return await start();
        }
        catch (SynthesisRejectedException rejected)
        {
            throw ToHubException(rejected);
        }
    }

    public static HubException ToHubException(SynthesisRejectedException rejected) =>
        new(rejected.Field is { } field ? $"[{rejected.Code}] {rejected.Message} (field: {field})" : $"[{rejected.Code}] {rejected.Message}");
}
