using System.Buffers.Binary;
using System.Net.WebSockets;
using System.Text.Json;

namespace VoxCpm.LoadGenerator;

/// <summary>A minimal raw <c>/tts</c> client (PROTOCOL.md v1): one request at a time on one connection.</summary>
internal sealed class RawTtsClient : ISpeaker
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[1 << 20];

    public static async Task<RawTtsClient> ConnectAsync(Uri url, CancellationToken cancellationToken)
    {
        var client = new RawTtsClient();
        await client._socket.ConnectAsync(url, cancellationToken);
        return client;
    }

    /// <summary>Speaks one text; returns the PCM16 audio and timings, or the server's error.</summary>
    public async Task<RequestResult> SpeakAsync(string text, long seed, CancellationToken cancellationToken)
    {
        string requestId = Guid.NewGuid().ToString("N");
        var request = JsonSerializer.SerializeToUtf8Bytes(new
        {
            type = "tts_request",
            request_id = requestId,
            @params = new { text, mode = "streaming", seed },
        });
        var started = System.Diagnostics.Stopwatch.StartNew();
        await _socket.SendAsync(request, WebSocketMessageType.Text, true, cancellationToken);
        var audio = new List<short>();
        var chunkTimes = new List<TimeSpan>();
        var playback = new PlaybackTracker(RequestResult.SampleRate);
        long wireBytes = 0;
        int expectedSequence = 0;
        while (true)
        {
            var (type, length) = await ReceiveAsync(cancellationToken);
            wireBytes += length;
            if (type == WebSocketMessageType.Close)
            {
                return RequestResult.Failed("closed", "the server closed the connection");
            }

            if (type == WebSocketMessageType.Binary)
            {
                var frame = _buffer.AsSpan(0, length);
                int metadataLength = (int)BinaryPrimitives.ReadUInt32BigEndian(frame[4..]);
                using var metadata = JsonDocument.Parse(frame.Slice(8, metadataLength).ToArray());
                if (metadata.RootElement.GetProperty("request_id").GetString() != requestId)
                {
                    return RequestResult.Failed("misrouted", "a chunk of another request arrived");
                }

                if (metadata.RootElement.GetProperty("sequence").GetInt32() != expectedSequence++)
                {
                    return RequestResult.Failed("sequence_gap", "chunks arrived out of order or with a gap");
                }

                int payloadLength = (int)BinaryPrimitives.ReadUInt32BigEndian(frame[(8 + metadataLength)..]);
                var pcm = frame.Slice(12 + metadataLength, payloadLength);
                for (int i = 0; i < pcm.Length; i += 2)
                {
                    audio.Add(BinaryPrimitives.ReadInt16LittleEndian(pcm[i..]));
                }

                chunkTimes.Add(started.Elapsed);
                playback.ChunkArrived(started.Elapsed, pcm.Length / 2);
                continue;
            }

            using var message = JsonDocument.Parse(_buffer.AsMemory(0, length));
            string? kind = message.RootElement.GetProperty("type").GetString();
            if (kind == "complete")
            {
                return new RequestResult(true, null, null, [.. audio], chunkTimes, started.Elapsed, wireBytes) { Underruns = playback.Underruns };
            }

            if (kind == "error")
            {
                var error = message.RootElement.GetProperty("error");
                return RequestResult.Failed(error.GetProperty("code").GetString() ?? "?", error.GetProperty("message").GetString() ?? "");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
    }

    private async Task<(WebSocketMessageType Type, int Length)> ReceiveAsync(CancellationToken cancellationToken)
    {
        int total = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(total), cancellationToken);
            total += result.Count;
            if (result.EndOfMessage || result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, total);
            }

            if (total == _buffer.Length)
            {
                throw new InvalidOperationException($"a server message is larger than {_buffer.Length} bytes");
            }
        }
    }
}

/// <summary>One request's outcome: its audio, when each chunk arrived (from sending the request) and the message bytes received for it.</summary>
internal sealed record RequestResult(bool Ok, string? ErrorCode, string? ErrorMessage, short[] Audio, IReadOnlyList<TimeSpan> ChunkTimes, TimeSpan Total, long WireBytes)
{
    /// <summary>The hub's rate for the models the load generator runs (the tiny fixture and VoxCPM-0.5B: 16 kHz).</summary>
    public const int SampleRate = 16000;

    public TimeSpan? FirstAudio => ChunkTimes.Count > 0 ? ChunkTimes[0] : null;

    /// <summary>Chunks that arrived after the audio before them would have finished playing (see <see cref="PlaybackTracker"/>).</summary>
    public int Underruns { get; init; }

    public static RequestResult Failed(string code, string message) => new(false, code, message, [], [], TimeSpan.Zero, 0);
}
