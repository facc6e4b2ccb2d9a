using Microsoft.AspNetCore.Http.Connections.Client;

namespace VoxCpm.Hub.Client;

/// <summary>How a <see cref="VoxCpmHubClient"/> connects.</summary>
public sealed class VoxCpmHubClientOptions
{
    /// <summary>The wire format; MessagePack by default.</summary>
    public HubProtocol Protocol { get; set; } = HubProtocol.MessagePack;

    /// <summary>Reconnect after a lost connection (0, 2, 10 and 30 s, SignalR's default schedule). On by default.</summary>
    public bool AutomaticReconnect { get; set; } = true;

    /// <summary>Further transport settings (headers, access token, handler), applied after the client's own.</summary>
    public Action<HttpConnectionOptions>? ConfigureHttpConnection { get; set; }
}
