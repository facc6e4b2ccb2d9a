using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Tests.Synthesis.TextStreaming;

namespace VoxCpm.Hub.Tests.RawTts;

/// <summary>Text streams on raw /tts (PROTOCOL.md, "Text streams"): tts_stream_start, _text, _flush, _end.</summary>
public sealed class RawTtsTextStreamTests(TextStreamHubFixture fixture) : IClassFixture<TextStreamHubFixture>
{
    [Fact]
    public async Task Text_sent_word_by_word_is_answered_like_a_streaming_request_with_gap_free_frames()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        await client.SendAsync(new { type = "tts_stream_start", request_id = "s-1", @params = new { seed = 5, text = "Good" } });
        foreach (var word in " morning. It is a fine day, is it not? Let us".Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            await client.SendAsync(new { type = "tts_stream_text", request_id = "s-1", text = " " + word });
        }

        await client.SendAsync(new { type = "tts_stream_flush", request_id = "s-1" });
        await client.SendAsync(new { type = "tts_stream_end", request_id = "s-1", text = "go." });
        var messages = await client.ReceiveUntilAsync("complete", "s-1");

        Assert.Equal("queued", messages[0].Type);
        Assert.Single(messages, m => m.Type == "started");
        var frames = messages.Where(m => m.Frame is not null).Select(m => m.Frame!).ToList();
        Assert.Equal(Enumerable.Range(0, frames.Count), frames.Select(f => f.Sequence));
        Assert.Equal([.. Enumerable.Repeat(false, frames.Count - 1), true], frames.Select(f => (f.Flags & 1) == 1));
        var complete = messages[^1].Json!;
        Assert.Equal(frames.Sum(f => f.Samples.Length), complete["samples"]!.GetValue<long>());
        Assert.Equal(4, complete["segments"]!.GetValue<int>()); // two sentences, the flushed "Let us", "go."
    }

    [Fact]
    public async Task Text_for_a_stream_that_is_not_open_is_not_found_and_the_connection_stays()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        await client.SendAsync(new { type = "tts_stream_text", request_id = "nope", text = "Hi." });
        var error = await client.ReceiveAsync();

        Assert.Equal(ErrorCodes.NotFound, error.ErrorCode);
        Assert.Equal("request_id", error.ErrorField);
        Assert.NotNull(await client.PingAsync());
    }

    [Fact]
    public async Task A_client_far_ahead_of_the_voice_is_stopped_naming_the_pending_limit_and_can_cancel_another_stream()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        await client.SendAsync(new { type = "tts_stream_start", request_id = "flood", @params = new { seed = 1 } });
        await client.SendAsync(new { type = "tts_stream_text", request_id = "flood", text = string.Concat(Enumerable.Repeat("One more clause, ", 20)) });
        var flood = await client.ReceiveUntilAsync("error", "flood");
        Assert.Equal(ErrorCodes.InvalidRequest, flood[^1].ErrorCode);
        Assert.Contains("TTS_TEXT_STREAM_MAX_PENDING", flood[^1].ErrorMessage, StringComparison.Ordinal);

        await client.SendAsync(new { type = "tts_stream_start", request_id = "c", @params = new { seed = 1, text = "This sentence will be cut short. " } });
        await client.SendAsync(new { type = "tts_stream_text", request_id = "c", text = "So will this one. " });
        await client.ReceiveUntilAsync("started", "c");
        await client.SendAsync(new { type = "cancel", request_id = "c" });
        var cancelled = await client.ReceiveUntilAsync("error", "c");
        Assert.Equal(ErrorCodes.Cancelled, cancelled[^1].ErrorCode);
    }

    [Fact]
    public async Task A_stream_never_ended_times_out_naming_the_setting()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        await client.SendAsync(new { type = "tts_stream_start", request_id = "idle", @params = new { seed = 1, text = "Hi. " } });
        var messages = await client.ReceiveUntilAsync("error", "idle");

        Assert.Equal(ErrorCodes.Timeout, messages[^1].ErrorCode);
        Assert.Contains("TTS_TEXT_STREAM_IDLE_SECONDS", messages[^1].ErrorMessage, StringComparison.Ordinal);
        Assert.Contains(messages, m => m.Frame is not null);
    }
}
