using System.Runtime.Serialization;

namespace VoxCpm.Hub.Contracts;

/// <summary>
/// Where a request came in. History stores it and the API and <c>/metrics</c> show it as lower snake case
/// (<c>raw_ws</c>, <c>signalr</c>, <c>http</c>, <c>job</c>).
/// </summary>
public enum EntryPoint
{
    /// <summary>The raw WebSocket protocol at <c>/tts</c> (PROTOCOL.md).</summary>
    [EnumMember(Value = "raw_ws")]
    RawWebSocket,

    /// <summary>The SignalR hub.</summary>
    SignalR,

    /// <summary>The synchronous HTTP API (<c>/api/tts</c>, <c>/v1/audio/speech</c>).</summary>
    Http,

    /// <summary>A durable job (<c>/api/jobs</c>, a SignalR <c>non_streaming</c> request).</summary>
    Job,
}
