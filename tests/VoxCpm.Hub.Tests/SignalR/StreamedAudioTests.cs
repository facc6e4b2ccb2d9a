using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Tests.RawTts;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.SignalR;

/// <summary>
/// A stream carries the audio the model made, chunk after chunk: over SignalR (MessagePack and JSON) a seeded streaming
/// request gives the raw protocol's PCM16 bytes for the same seed. The hub lends each chunk's bytes until SignalR has
/// written the item and reuses them for a later chunk of the same length, so a chunk written late would differ here.
/// </summary>
public sealed class StreamedAudioTests(ReadyHubFixture fixture) : IClassFixture<ReadyHubFixture>
{
    private const string Text = "Every chunk of this stream arrives as it was made.";

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_seeded_stream_carries_the_raw_protocols_samples_over_signalr(bool messagePack)
    {
        var raw = await RawPcmAsync();
        var builder = new HubConnectionBuilder().WithUrl(new Uri(fixture.Hub.Web.BaseAddress!, TtsHubMethods.Route));
        if (messagePack)
        {
            builder.AddMessagePackProtocol();
        }

        await using var connection = builder.Build();
        await connection.StartAsync().DefaultTimeout();

        var items = await connection.SynthesizeAllAsync(new { text = Text, mode = "streaming", seed = 11 });

        var audio = items.Where(item => item.Kind == StreamItemKind.Audio).ToList();
        Assert.True(audio.Count >= 4, $"{audio.Count} audio items: too few for chunks of one length to follow each other");
        Assert.Contains(audio.GroupBy(item => item.Audio!.Length), lengths => lengths.Count() > 1);
        Assert.Equal(raw, audio.SelectMany(item => item.Audio!).ToArray());
    }

    private async Task<byte[]> RawPcmAsync()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);
        await client.SendRequestAsync("raw", new { text = Text, mode = "streaming", seed = 11 });
        var messages = await client.ReceiveUntilAsync("complete");
        return [.. messages.Where(m => m.Frame is not null).SelectMany(m => m.Frame!.Payload)];
    }
}
