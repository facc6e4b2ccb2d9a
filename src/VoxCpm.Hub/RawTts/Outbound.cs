using System.Buffers;
using System.Net.WebSockets;

namespace VoxCpm.Hub.RawTts;

/// <summary>One WebSocket message waiting to be sent; <see cref="Buffer"/> is rented from the shared pool and returned after the send.</summary>
internal readonly record struct Outbound(byte[] Buffer, int Length, WebSocketMessageType Type)
{
    public ReadOnlyMemory<byte> Payload => Buffer.AsMemory(0, Length);

    public void Return() => ArrayPool<byte>.Shared.Return(Buffer);
}
