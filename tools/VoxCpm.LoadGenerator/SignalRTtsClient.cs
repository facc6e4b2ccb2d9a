using System.Buffers.Binary;
using System.Diagnostics;
using VoxCpm.Hub.Client;
using VoxCpm.Hub.Contracts;

namespace VoxCpm.LoadGenerator;

/// <summary>
/// One SignalR connection (MessagePack) through the .NET client library, speaking one request at a time. WebSockets
/// only, without the negotiate round trip, over a <see cref="CountingWebSocket"/>: the bytes a request received are
/// the connection's count before and after it.
/// </summary>
internal sealed class SignalRTtsClient : ISpeaker
{
    private readonly VoxCpmHubClient _client;
    private CountingWebSocket? _socket;

    private SignalRTtsClient(Uri server)
    {
        _client = new VoxCpmHubClient(server, new VoxCpmHubClientOptions
        {
            AutomaticReconnect = false,
            ConfigureHttpConnection = http =>
            {
                http.SkipNegotiation = true;
                http.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.WebSockets;
                http.WebSocketFactory = ConnectSocketAsync;
            },
        });
    }

    public static async Task<SignalRTtsClient> ConnectAsync(Uri server, CancellationToken cancellationToken)
    {
        var client = new SignalRTtsClient(server);
        await client._client.StartAsync(cancellationToken);
        return client;
    }

    public async Task<RequestResult> SpeakAsync(string text, long seed, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var audio = new List<short>();
        var chunkTimes = new List<TimeSpan>();
        var playback = new PlaybackTracker(RequestResult.SampleRate);
        long receivedBefore = _socket?.ReceivedBytes ?? 0;
        int expectedSequence = 0;
        try
        {
            await foreach (var chunk in _client.SynthesizeAsync(new SynthesisRequest { Text = text, Seed = seed }, cancellationToken))
            {
                if (chunk.Sequence != expectedSequence++)
                {
                    return RequestResult.Failed("sequence_gap", "chunks arrived out of order or with a gap");
                }

                chunkTimes.Add(started.Elapsed);
                playback.ChunkArrived(started.Elapsed, chunk.Pcm16.Length / 2);
                var pcm = chunk.Pcm16.Span;
                for (int i = 0; i < pcm.Length; i += 2)
                {
                    audio.Add(BinaryPrimitives.ReadInt16LittleEndian(pcm[i..]));
                }
            }
        }
        catch (SynthesisFailedException e)
        {
            return RequestResult.Failed("signalr_failed", e.Message);
        }

        return new RequestResult(true, null, null, [.. audio], chunkTimes, started.Elapsed, (_socket?.ReceivedBytes ?? 0) - receivedBefore) { Underruns = playback.Underruns };
    }

    private async ValueTask<System.Net.WebSockets.WebSocket> ConnectSocketAsync(Microsoft.AspNetCore.Http.Connections.Client.WebSocketConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new System.Net.WebSockets.ClientWebSocket();
        try
        {
            await socket.ConnectAsync(context.Uri, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = new CountingWebSocket(socket);
        return _socket;
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
