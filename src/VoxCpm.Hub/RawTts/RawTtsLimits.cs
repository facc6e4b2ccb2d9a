namespace VoxCpm.Hub.RawTts;

/// <summary>The per-connection limits of PROTOCOL.md ("Limits"), in one place.</summary>
internal static class RawTtsLimits
{
    public const int ProtocolVersion = 1;

    /// <summary>Largest client message; a request with the longest allowed text fits many times over.</summary>
    public const int MaxClientMessageBytes = 64 * 1024;

    public const int MaxRequestsInFlight = 16;

    /// <summary>Bytes queued for a client that does not read; past this, producers wait.</summary>
    public const long SendBufferBytes = 16L * 1024 * 1024;

    /// <summary>How long the send buffer may stay full before the connection is closed with 1008.</summary>
    public static readonly TimeSpan SlowReaderTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// WebSocket keep-alive. The framework's ManagedWebSocket skips a keep-alive frame while a send is in flight
    /// (it only takes the send lock without waiting), so keep-alives never interleave with or delay audio.
    /// </summary>
    public static readonly TimeSpan KeepAliveInterval = TimeSpan.FromSeconds(15);
}
