using System.Buffers.Binary;
using System.Diagnostics;
using VoxCpm.Hub.Client;
using VoxCpm.Hub.Contracts;

namespace VoxCpm.LoadGenerator;

/// <summary>One SignalR connection (MessagePack) through the .NET client library, speaking one request at a time.</summary>
internal sealed class SignalRTtsClient : ISpeaker
{
    private readonly VoxCpmHubClient _client;

    private SignalRTtsClient(VoxCpmHubClient client) => _client = client;

    public static async Task<SignalRTtsClient> ConnectAsync(Uri server, CancellationToken cancellationToken)
    {
        var client = new VoxCpmHubClient(server);
        await client.StartAsync(cancellationToken);
        return new SignalRTtsClient(client);
    }

    public async Task<RequestResult> SpeakAsync(string text, long seed, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        var audio = new List<short>();
        TimeSpan? firstAudio = null;
        int expectedSequence = 0;
        try
        {
            await foreach (var chunk in _client.SynthesizeAsync(new SynthesisRequest { Text = text, Seed = seed }, cancellationToken))
            {
                if (chunk.Sequence != expectedSequence++)
                {
                    return RequestResult.Failed("sequence_gap", "chunks arrived out of order or with a gap");
                }

                firstAudio ??= started.Elapsed;
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

        return new RequestResult(true, null, null, [.. audio], firstAudio, started.Elapsed);
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();
}
