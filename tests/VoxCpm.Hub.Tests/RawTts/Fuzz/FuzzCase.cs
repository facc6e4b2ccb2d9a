using System.Net.WebSockets;
using System.Text;

namespace VoxCpm.Hub.Tests.RawTts.Fuzz;

/// <summary>
/// One hostile client message: its bytes, its frame type, and the close codes the server may answer it with instead
/// of an error message (none: it must answer with a message and keep the connection).
/// </summary>
public sealed record FuzzCase(string Name, byte[] Payload, WebSocketMessageType Type, WebSocketCloseStatus[] AllowedCloses)
{
    public static FuzzCase Text(string name, string text) => new(name, Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, []);

    public static FuzzCase Bytes(string name, byte[] payload, params WebSocketCloseStatus[] allowedCloses) =>
        new(name, payload, WebSocketMessageType.Text, allowedCloses);

    public static FuzzCase Binary(string name, byte[] payload) =>
        new(name, payload, WebSocketMessageType.Binary, [WebSocketCloseStatus.InvalidMessageType, WebSocketCloseStatus.MessageTooBig]);

    public override string ToString() => Name;
}
