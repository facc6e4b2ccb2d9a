using System.Text.Json;
using VoxCpm.Hub.Contracts;

namespace VoxCpm.Hub.RawTts;

/// <summary>A parsed client message (PROTOCOL.md, "Client → server"), or why it could not be used.</summary>
internal abstract partial record ClientMessage
{
    private ClientMessage()
    {
    }

    public sealed record TtsRequest(string? RequestId, SynthesisRequest Request) : ClientMessage;

    public sealed record Cancel(string RequestId) : ClientMessage;

    /// <summary><paramref name="Timestamp"/> is echoed as is (any JSON value), or absent.</summary>
    public sealed record Ping(JsonElement? Timestamp) : ClientMessage;

    public sealed record Invalid(string? RequestId, ProtocolError Error) : ClientMessage;
}
