using System.Buffers.Binary;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Tests.RawTts;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.History;

/// <summary>A text stream is one history row: the text as received, the phrases it was spoken in, the audio heard.</summary>
public sealed class TextStreamHistoryTests(HistoryHubFixture fixture) : IClassFixture<HistoryHubFixture>
{
    [Fact]
    public async Task A_raw_text_stream_is_one_row_with_its_text_pieces_and_the_audio_heard()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        string[] appends = ["First ", "sentence ", tag, ". Second", " one, ", "at last."];
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);
        await client.SendAsync(new { type = "tts_stream_start", request_id = "h", @params = new { seed = 2 } });
        foreach (var text in appends)
        {
            await client.SendAsync(new { type = "tts_stream_text", request_id = "h", text });
        }

        await client.SendAsync(new { type = "tts_stream_end", request_id = "h" });
        var messages = await client.ReceiveUntilAsync("complete", "h");
        var heard = messages.Where(m => m.Frame is not null).SelectMany(m => m.Frame!.Samples).ToArray();

        var row = await fixture.FinishedRowAsync(string.Concat(appends));
        Assert.Equal(SynthesisStatus.Completed, row.Status);
        Assert.Equal(EntryPoint.RawWebSocket, row.EntryPoint);
        Assert.Equal([$"First sentence {tag}.", "Second one, at last."], row.TextPieces!);
        Assert.Equal(2, row.Segments);
        Assert.Equal(heard, Pcm16(row.Audio!));
        await using var db = HistoryTestData.Db(fixture.ConnectionString);
        Assert.Equal(1, await db.Syntheses.CountAsync(s => s.Text.Contains(tag)));
    }

    [Fact]
    public async Task A_signalr_text_stream_from_a_json_client_is_one_row()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        await using var connection = await fixture.Hub.ConnectSignalRAsync();
        var text = Channel.CreateUnbounded<string>();
        foreach (var piece in new[] { " is ", "spoken ", "live." })
        {
            text.Writer.TryWrite(piece);
        }

        text.Writer.Complete();
        using var timeout = new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan);
        var items = new List<SynthesisStreamItem>();
        await foreach (var item in connection.StreamAsync<SynthesisStreamItem>(TtsHubMethods.SynthesizeTextStream, new { text = $"Tag {tag}", mode = "streaming", seed = 4 }, text.Reader.ReadAllAsync(), timeout.Token))
        {
            items.Add(item);
        }

        Assert.Equal(StreamItemKind.Complete, items[^1].Kind);
        var row = await fixture.FinishedRowAsync($"Tag {tag} is spoken live.");
        Assert.Equal(EntryPoint.SignalR, row.EntryPoint);
        Assert.Equal([$"Tag {tag} is spoken live."], row.TextPieces!);
        Assert.Equal(items[^1].Summary!.Samples, Pcm16(row.Audio!).Length);
    }

    private static short[] Pcm16(byte[] wav)
    {
        var samples = new short[(wav.Length - 44) / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(44 + (2 * i)));
        }

        return samples;
    }
}
