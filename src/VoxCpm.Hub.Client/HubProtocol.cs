namespace VoxCpm.Hub.Client;

/// <summary>The SignalR wire format the client speaks.</summary>
public enum HubProtocol
{
    /// <summary>Binary MessagePack: audio travels as raw bytes (the default, and the smallest on the wire).</summary>
    MessagePack,

    /// <summary>JSON text: audio travels base64-encoded (a third larger); useful through proxies that only pass text.</summary>
    Json,
}
