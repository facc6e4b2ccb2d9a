using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Audio;
using VoxCpm.Hub.Inference;
using VoxCpm.Hub.Requests;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.RawTts;

/// <summary>The raw /tts protocol (PROTOCOL.md) over a real ClientWebSocket against real Kestrel and the tiny model.</summary>
public sealed partial class RawTtsProtocolTests(ReadyHubFixture fixture) : IClassFixture<ReadyHubFixture>
{
    private const string Hello = "Hello, this is a test!";

    [Fact]
    public async Task Streaming_follows_the_seed_clients_flow_and_the_audio_is_the_engines_for_the_seed()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        await client.SendRequestAsync("req-1", new { text = Hello, mode = "streaming", seed = 42 });
        var messages = await client.ReceiveUntilAsync("complete");

        var queued = messages[0].Json!;
        Assert.Equal("queued", queued["type"]!.GetValue<string>());
        Assert.Equal("req-1", queued["request_id"]!.GetValue<string>());
        Assert.Equal(1, queued["protocol_version"]!.GetValue<int>());
        Assert.True(queued["position"]!.GetValue<int>() >= 1);
        Assert.Single(messages, m => m.Type == "started");
        Assert.True(messages.FindIndex(m => m.Type == "started") < messages.FindIndex(m => m.Frame is not null));

        var frames = messages.Where(m => m.Frame is not null).Select(m => m.Frame!).ToList();
        Assert.True(frames.Count > 1);
        Assert.Equal(Enumerable.Range(0, frames.Count), frames.Select(f => f.Sequence));
        Assert.All(frames, frame =>
        {
            Assert.Equal(1, frame.Version);
            Assert.Equal(1, frame.MessageType);
            Assert.Equal(0, frame.SamplesOffset % 2); // new Int16Array(buffer, offset) throws on an odd offset
            Assert.Equal("req-1", frame.RequestId);
            Assert.Equal(16_000, frame.Metadata["sample_rate"]!.GetValue<int>());
            Assert.Equal(1, frame.Metadata["channels"]!.GetValue<int>());
            Assert.Equal("pcm_s16le", frame.Metadata["format"]!.GetValue<string>());
            Assert.Equal(frame.Samples.Length, frame.Metadata["samples"]!.GetValue<int>());
            Assert.NotNull(frame.Metadata["step"]);
            Assert.Equal(frame.Metadata["is_last"]!.GetValue<bool>(), (frame.Flags & 1) == 1);
        });
        Assert.Equal([.. Enumerable.Repeat(false, frames.Count - 1), true], frames.Select(f => (f.Flags & 1) == 1));
        Assert.Contains(messages, m => m.Type == "progress" && m.Json!["progress"]!.GetValue<double>() is > 0 and < 1);

        var complete = messages[^1].Json!;
        var audio = frames.SelectMany(f => f.Samples).ToArray();
        Assert.Equal(audio.Length, complete["samples"]!.GetValue<long>());
        Assert.Equal(frames.Count, complete["chunks"]!.GetValue<int>());
        Assert.Equal(16_000, complete["sample_rate"]!.GetValue<int>());
        Assert.Equal(audio.Length / 16_000.0, complete["duration"]!.GetValue<double>(), 3);
        Assert.Equal("streaming", complete["mode"]!.GetValue<string>());
        Assert.Contains(complete["stop_reason"]!.GetValue<string>(), new[] { "stop_head", "max_len", "silence" });
        Assert.Equal(1, complete["segments"]!.GetValue<int>());
        Assert.NotNull(complete["warnings"]!.AsArray());
        Assert.True(complete["timing"]!["total_ms"]!.GetValue<double>() > 0);
        Assert.NotNull(complete["timing"]!["time_to_first_audio_ms"]);
        Assert.NotNull(complete["timing"]!["rtf"]);
        Assert.True(Guid.TryParse(complete["synthesis_id"]!.GetValue<string>(), out _));
        Assert.Equal(await EngineAudioAsync(new SynthesisRequest { Text = Hello, Seed = 42 }), audio);
    }

    [Fact]
    public async Task The_web_ui_port_speaks_the_same_protocol()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Web);

        await client.SendRequestAsync("web", new { text = Hello, seed = 1 });
        var messages = await client.ReceiveUntilAsync("complete");

        Assert.Equal("complete", messages[^1].Type);
        Assert.Contains(messages, m => m.Frame is not null);
    }

    [Fact]
    public async Task Non_streaming_sends_one_complete_audio_frame_then_complete()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        await client.SendRequestAsync("whole", new { text = Hello, mode = "non_streaming", seed = 5, retry_badcase = false });
        var messages = await client.ReceiveUntilAsync("complete");

        Assert.Equal("queued", messages[0].Type);
        Assert.Contains(messages, m => m.Type == "started");
        var frame = Assert.Single(messages, m => m.Frame is not null).Frame!;
        Assert.Equal(2, frame.MessageType);
        Assert.Equal(1, frame.Flags);
        Assert.Equal(0, frame.Sequence);
        Assert.True(frame.Metadata["is_last"]!.GetValue<bool>());
        var complete = messages[^1].Json!;
        Assert.Equal("non_streaming", complete["mode"]!.GetValue<string>());
        Assert.Equal(1, complete["chunks"]!.GetValue<int>());
        Assert.Equal(frame.Samples.Length, complete["samples"]!.GetValue<long>());
        Assert.Equal(await EngineAudioAsync(new SynthesisRequest { Text = Hello, Seed = 5, Mode = SynthesisMode.NonStreaming, RetryBadcase = false }), frame.Samples);
    }

    [Fact]
    public async Task A_request_without_an_id_gets_a_generated_one_echoed_in_every_message()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        await client.SendRequestAsync(null, new { text = Hello });
        var messages = await client.ReceiveUntilAsync("complete");

        var id = messages[0].RequestId;
        Assert.True(Guid.TryParse(id, out _), id);
        Assert.All(messages, m => Assert.Equal(id, m.RequestId));
    }

    [Fact]
    public async Task Ping_is_answered_with_the_timestamp_and_the_server_time()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        var pong = await client.PingAsync();

        Assert.Equal(12345, pong["timestamp"]!.GetValue<int>());
        Assert.InRange(pong["server_time"]!.GetValue<long>(), DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds(), DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Cancel_ends_the_request_with_cancelled_and_an_unknown_id_is_not_found()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        await client.SendRequestAsync("long", new { text = new string('x', 480), seed = 2 });
        await ReceiveFirstFrameAsync(client);
        await client.SendAsync(new { type = "cancel", request_id = "long" });
        var error = (await client.ReceiveUntilAsync("error", "long"))[^1];

        Assert.Equal("cancelled", error.ErrorCode);
        await client.SendAsync(new { type = "cancel", request_id = "long" });
        var notFound = (await client.ReceiveUntilAsync("error", "long"))[^1];
        Assert.Equal("not_found", notFound.ErrorCode);
        Assert.Equal("request_id", notFound.ErrorField);
        Assert.Equal("pong", (await client.PingAsync())["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Cancel_of_a_non_streaming_request_stops_it_on_the_scheduler_and_history_says_cancelled()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);
        var cancelledBefore = CancelledCount();

        await client.SendRequestAsync("whole-long", new { text = new string('x', 480), mode = "non_streaming", seed = 2 });
        await client.ReceiveUntilAsync("started", "whole-long");
        await client.SendAsync(new { type = "cancel", request_id = "whole-long" });
        var end = (await client.ReceiveUntilAsync("error", "whole-long"))[^1];

        Assert.Equal("cancelled", end.ErrorCode);
        await Eventually.MatchesAsync(() => Task.FromResult(ActiveSynthesisCount()), active => active == 0);
        await Eventually.MatchesAsync(() => Task.FromResult(CancelledCount()), cancelled => cancelled == cancelledBefore + 1);
    }

    private static async Task ReceiveFirstFrameAsync(RawTtsClient client)
    {
        while ((await client.ReceiveAsync()).Frame is null)
        {
        }
    }

    private async Task<short[]> EngineAudioAsync(SynthesisRequest request)
    {
        var run = await fixture.Synthesis.StartAsync(request, new SynthesisContext(EntryPoint.Http, "reference"), CancellationToken.None).DefaultTimeout();
        var samples = (await run.ReadAllAsync()).Audio();
        var pcm = new byte[samples.Length * 2];
        WavWriter.ConvertToPcm16(samples, pcm);
        return [.. Enumerable.Range(0, samples.Length).Select(i => BitConverter.ToInt16(pcm, 2 * i))];
    }

    private int CancelledCount() => fixture.Recorder.Calls.Values.Count(calls => calls.Contains("failed:cancelled"));

    private int ActiveSynthesisCount()
    {
        var scheduler = fixture.Hub.Services.GetRequiredService<IEngineAccessor>().Engine!.Scheduler;
        return scheduler.ActiveCount + scheduler.QueueLength;
    }
}
