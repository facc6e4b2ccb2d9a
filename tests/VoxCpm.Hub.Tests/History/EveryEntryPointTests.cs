using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using VoxCpm.Engine.Audio;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Audio;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Tests.RawTts;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.History;

/// <summary>
/// Every entry point, through its real client, leaves a completed history row with the right entry point and mode
/// and the audio stored (with the real recorder, writer and jobs; nothing recorded by a test double).
/// </summary>
public sealed class EveryEntryPointTests(HistoryHubFixture fixture) : IClassFixture<HistoryHubFixture>
{
    [Theory]
    [InlineData("raw_ws", "streaming", EntryPoint.RawWebSocket, SynthesisMode.Streaming)]
    [InlineData("raw_ws", "non_streaming", EntryPoint.RawWebSocket, SynthesisMode.NonStreaming)]
    [InlineData("signalr", "streaming", EntryPoint.SignalR, SynthesisMode.Streaming)]
    [InlineData("signalr", "non_streaming", EntryPoint.SignalR, SynthesisMode.NonStreaming)]
    [InlineData("api_tts", "non_streaming", EntryPoint.Http, SynthesisMode.NonStreaming)]
    [InlineData("api_jobs", "non_streaming", EntryPoint.Http, SynthesisMode.NonStreaming)]
    [InlineData("openai_speech", "non_streaming", EntryPoint.Http, SynthesisMode.NonStreaming)]
    public async Task A_synthesis_lands_in_history_completed_with_its_audio(string via, string mode, EntryPoint entryPoint, SynthesisMode storedMode)
    {
        var text = $"History via {via} {mode} {Guid.NewGuid():N}.";
        var received = await SynthesizeAsync(via, mode, text);

        var row = await fixture.FinishedRowAsync(text);
        Assert.Equal(SynthesisStatus.Completed, row.Status);
        Assert.Equal(entryPoint, row.EntryPoint);
        Assert.Equal(storedMode, row.Mode);
        Assert.Equal(16_000, row.SampleRate);
        Assert.NotNull(row.Audio);
        var stored = AudioDecoder.Decode(row.Audio, AudioDecodeLimits.Default);
        Assert.True(stored.Samples.Length > 0);
        Assert.Equal(stored.Samples.Length / 16_000.0, row.AudioSeconds!.Value, 3);
        Assert.NotNull(row.TotalMs);
        Assert.NotNull(row.Seed);

        // What the client heard is exactly what history kept (PCM16 after the 44-byte header).
        if (received is not null)
        {
            Assert.Equal(received, Pcm16(row.Audio));
        }
    }

    // The client's PCM16 samples where its transport carries them; null where the client only learns a job id.
    private async Task<short[]?> SynthesizeAsync(string via, string mode, string text)
    {
        var hub = fixture.Hub;
        switch (via)
        {
            case "raw_ws":
                {
                    await using var client = await RawTtsClient.ConnectAsync(hub.Api);
                    await client.SendRequestAsync("history", new { text, mode, seed = 11 });
                    var messages = await client.ReceiveUntilAsync("complete");
                    Assert.Equal("complete", messages[^1].Type);
                    return messages.Where(m => m.Frame is not null).SelectMany(m => m.Frame!.Samples).ToArray();
                }

            case "signalr":
                {
                    await using var connection = await hub.ConnectSignalRAsync();
                    var items = await connection.SynthesizeAllAsync(new { text, mode, seed = 12 });

                    Assert.DoesNotContain(items, item => item.Kind == StreamItemKind.Error);
                    Assert.Equal(mode == "streaming" ? StreamItemKind.Complete : StreamItemKind.JobAccepted, items[^1].Kind);
                    return null;
                }

            case "api_tts":
                {
                    using var response = await hub.Api.PostAsJsonAsync("/api/tts", new { text, seed = 13 }).DefaultTimeout();
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    return Pcm16(await response.Content.ReadAsByteArrayAsync().DefaultTimeout());
                }

            case "api_jobs":
                {
                    using var response = await hub.Api.PostAsJsonAsync("/api/jobs", new { text, seed = 14 }).DefaultTimeout();
                    Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
                    return null;
                }

            case "openai_speech":
                {
                    using var response = await hub.Api.PostAsJsonAsync("/v1/audio/speech", new { model = "tts-1", input = text, voice = "alloy", response_format = "pcm" }).DefaultTimeout();
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                    var pcm = await response.Content.ReadAsByteArrayAsync().DefaultTimeout();
                    return Enumerable.Range(0, pcm.Length / 2).Select(i => BinaryPrimitives.ReadInt16LittleEndian(pcm.AsSpan(2 * i))).ToArray();
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(via), via, "no such entry point");
        }
    }

    private static short[] Pcm16(byte[] wav)
    {
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(wav, 0, 4));
        var data = wav.AsSpan(WavWriter.HeaderSize);
        return Enumerable.Range(0, data.Length / 2).Select(i => BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(WavWriter.HeaderSize + (2 * i)))).ToArray();
    }
}
