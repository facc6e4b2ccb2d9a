using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.RawTts;

/// <summary>A real ClientWebSocket speaking the raw protocol, reading binary frames byte for byte as the seed's parseBinaryFrame does.</summary>
internal sealed class RawTtsClient : IAsyncDisposable
{
    private readonly byte[] _buffer = new byte[4 * 1024 * 1024];

    private RawTtsClient(ClientWebSocket socket) => Socket = socket;

    public ClientWebSocket Socket { get; }

    public static Task<RawTtsClient> ConnectAsync(HttpClient http) => ConnectAsync(TtsUri(http));

    /// <summary>The /tts address of a hub's listener, with an optional query such as <c>api_key=...</c>.</summary>
    public static Uri TtsUri(HttpClient http, string query = "") =>
        new UriBuilder(http.BaseAddress!) { Scheme = "ws", Path = "/tts", Query = query }.Uri;

    public static async Task<RawTtsClient> ConnectAsync(Uri uri, Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        await socket.ConnectAsync(uri, CancellationToken.None).DefaultTimeout();
        return new RawTtsClient(socket);
    }

    public Task SendAsync(object message) => SendTextAsync(JsonSerializer.Serialize(message));

    public Task SendTextAsync(string text) =>
        Socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None).DefaultTimeout();

    public Task SendRequestAsync(string? requestId, object parameters) =>
        SendAsync(requestId is null ? new { type = "tts_request", @params = parameters } : new { type = "tts_request", request_id = requestId, @params = parameters });

    /// <summary>The next message: a JSON object, or a parsed binary frame.</summary>
    public async Task<ServerMessage> ReceiveAsync()
    {
        var length = 0;
        ValueWebSocketReceiveResult result;
        do
        {
            result = await Socket.ReceiveAsync(_buffer.AsMemory(length), CancellationToken.None).DefaultTimeout();
            length += result.Count;
        }
        while (!result.EndOfMessage);

        return result.MessageType switch
        {
            WebSocketMessageType.Text => new ServerMessage(JsonNode.Parse(_buffer.AsSpan(0, length))!.AsObject(), null),
            WebSocketMessageType.Binary => new ServerMessage(null, AudioFrame.Parse(_buffer.AsSpan(0, length))),
            _ => new ServerMessage(null, null, Closed: true),
        };
    }

    /// <summary>Messages until (and including) the JSON message of <paramref name="type"/>.</summary>
    public async Task<List<ServerMessage>> ReceiveUntilAsync(string type, string? requestId = null)
    {
        var messages = new List<ServerMessage>();
        while (true)
        {
            var message = await ReceiveAsync();
            messages.Add(message);
            if (message.Closed || (message.Type == type && (requestId is null || message.RequestId == requestId)))
            {
                return messages;
            }
        }
    }

    public async Task<JsonObject> PingAsync()
    {
        await SendAsync(new { type = "ping", timestamp = 12345 });
        var pong = (await ReceiveUntilAsync("pong"))[^1];
        return pong.Json!;
    }

    public async ValueTask DisposeAsync()
    {
        if (Socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await Socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        Socket.Dispose();
    }
}

internal sealed record ServerMessage(JsonObject? Json, AudioFrame? Frame, bool Closed = false)
{
    public string? Type => Json?["type"]?.GetValue<string>();

    public string? RequestId => Json is not null ? Json["request_id"]?.GetValue<string>() : Frame?.RequestId;

    public string? ErrorCode => Json?["error"]?["code"]?.GetValue<string>();

    public string? ErrorField => Json?["error"]?["field"]?.GetValue<string>();

    public string? ErrorMessage => Json?["error"]?["message"]?.GetValue<string>();

    public override string ToString() => Json?.ToJsonString() ?? Frame?.Metadata.ToJsonString() ?? "closed";
}

/// <summary>A binary frame read exactly as the seed's parseBinaryFrame: type at 2, BE lengths, LE PCM16 at an even offset.</summary>
internal sealed record AudioFrame(byte Version, byte Flags, byte MessageType, JsonObject Metadata, short[] Samples, int SamplesOffset, byte[] Payload)
{
    public string RequestId => Metadata["request_id"]!.GetValue<string>();

    public int Sequence => Metadata["sequence"]!.GetValue<int>();

    public static AudioFrame Parse(ReadOnlySpan<byte> frame)
    {
        var metadataLength = (int)BinaryPrimitives.ReadUInt32BigEndian(frame[4..]);
        var metadata = JsonNode.Parse(frame.Slice(8, metadataLength))!.AsObject();
        var payloadLength = (int)BinaryPrimitives.ReadUInt32BigEndian(frame[(8 + metadataLength)..]);
        var offset = 8 + metadataLength + 4;
        Assert.Equal(frame.Length, offset + payloadLength);
        var samples = new short[payloadLength / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(frame[(offset + (2 * i))..]);
        }

        return new AudioFrame(frame[0], frame[1], frame[2], metadata, samples, offset, frame.Slice(offset, payloadLength).ToArray());
    }
}

