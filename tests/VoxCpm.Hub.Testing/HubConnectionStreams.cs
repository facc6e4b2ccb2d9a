using Microsoft.AspNetCore.SignalR.Client;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Testing;

/// <summary>Reading whole hub streams in tests, every one bounded in time.</summary>
public static class HubConnectionStreams
{
    /// <summary>Every item of one <c>Synthesize</c> stream for <paramref name="request"/>, within the default timeout.</summary>
    public static async Task<List<SynthesisStreamItem>> SynthesizeAllAsync(this HubConnection connection, object request)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var timeout = new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan);
        var items = new List<SynthesisStreamItem>();
        await foreach (var item in connection.StreamAsync<SynthesisStreamItem>(TtsHubMethods.Synthesize, request, timeout.Token))
        {
            items.Add(item);
        }

        return items;
    }
}
