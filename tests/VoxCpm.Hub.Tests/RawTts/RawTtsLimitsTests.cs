using System.Net.WebSockets;
using System.Text;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.RawTts;

/// <summary>Bad input, limits and connection handling of /tts: clear errors, and the connection keeps serving.</summary>
public sealed partial class RawTtsProtocolTests
{
    [Theory]
    [InlineData("{not json", "invalid_json", null, "not valid JSON")]
    [InlineData("[1,2]", "invalid_json", null, "JSON object")]
    [InlineData("{\"type\":\"speak\"}", "unknown_message_type", "type", "expected tts_request, cancel or ping")]
    [InlineData("{\"request_id\":\"a\"}", "unknown_message_type", "type", "missing")]
    [InlineData("{\"type\":\"tts_request\",\"request_id\":\"a\"}", "invalid_request", "params", "params must be an object")]
    [InlineData("{\"type\":\"tts_request\",\"request_id\":\"a\",\"params\":{}}", "invalid_request", "text", "text is required")]
    [InlineData("{\"type\":\"tts_request\",\"request_id\":\"a\",\"params\":{\"text\":5}}", "invalid_request", "text", "text must be a string")]
    [InlineData("{\"type\":\"tts_request\",\"request_id\":\"a\",\"params\":{\"text\":\"hi\",\"cfg_value\":\"high\"}}", "invalid_request", "cfg_value", "cfg_value must be a number")]
    [InlineData("{\"type\":\"tts_request\",\"request_id\":\"a\",\"params\":{\"text\":\"hi\",\"cfg_value\":12}}", "invalid_request", "cfg_value", "between 0.1 and 10 (got 12)")]
    [InlineData("{\"type\":\"tts_request\",\"request_id\":\"a\",\"params\":{\"text\":\"hi\",\"inference_timesteps\":2.5}}", "invalid_request", "inference_timesteps", "must be an integer (got 2.5)")]
    [InlineData("{\"type\":\"tts_request\",\"request_id\":\"a\",\"params\":{\"text\":\"hi\",\"mode\":\"fast\"}}", "invalid_request", "mode", "'streaming' or 'non_streaming'")]
    [InlineData("{\"type\":\"tts_request\",\"request_id\":\"a\",\"params\":{\"text\":\"hi\",\"normalize\":1}}", "invalid_request", "normalize", "true or false")]
    [InlineData("{\"type\":\"tts_request\",\"request_id\":7,\"params\":{\"text\":\"hi\"}}", "invalid_request", "request_id", "must be a string")]
    [InlineData("{\"type\":\"tts_request\",\"request_id\":\"a\",\"params\":{\"text\":\"hi\",\"voice_id\":\"nope\"}}", "invalid_request", "voice_id", "UUID")]
    public async Task Unusable_messages_get_an_error_naming_the_field_and_the_connection_stays_usable(string message, string code, string? field, string text)
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        await client.SendTextAsync(message);
        var error = (await client.ReceiveUntilAsync("error"))[^1];

        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(field, error.ErrorField);
        Assert.Contains(text, error.ErrorMessage, StringComparison.Ordinal);
        await client.SendRequestAsync("after", new { text = "Still here." });
        Assert.Equal("complete", (await client.ReceiveUntilAsync("complete", "after"))[^1].Type);
    }

    [Fact]
    public async Task A_text_over_the_limit_is_refused_naming_the_field_the_limit_and_the_setting()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        await client.SendRequestAsync("huge", new { text = new string('a', ReadyHubFixture.MaxTextLength + 1) });
        var error = (await client.ReceiveUntilAsync("error", "huge"))[^1];

        Assert.Equal("invalid_request", error.ErrorCode);
        Assert.Equal("text", error.ErrorField);
        Assert.Contains($"the limit is {ReadyHubFixture.MaxTextLength} (TTS_MAX_TEXT_LENGTH)", error.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("pong", (await client.PingAsync())["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Ten_concurrent_requests_on_one_connection_are_routed_by_request_id()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);
        var ids = Enumerable.Range(0, 10).Select(i => $"r{i}").ToList();

        foreach (var (id, seed) in ids.Select((id, seed) => (id, seed)))
        {
            await client.SendRequestAsync(id, new { text = $"Request number {seed} of ten.", seed });
        }

        var messages = new List<ServerMessage>();
        while (messages.Count(m => m.Type == "complete") < ids.Count)
        {
            var message = await client.ReceiveAsync();
            Assert.NotEqual("error", message.Type);
            messages.Add(message);
        }

        foreach (var (id, seed) in ids.Select((id, seed) => (id, seed)))
        {
            var frames = messages.Where(m => m.Frame?.RequestId == id).Select(m => m.Frame!).ToList();
            Assert.Equal(Enumerable.Range(0, frames.Count), frames.Select(f => f.Sequence));
            var audio = frames.SelectMany(f => f.Samples).ToArray();
            var complete = messages.Single(m => m.Type == "complete" && m.RequestId == id).Json!;
            Assert.Equal(audio.Length, complete["samples"]!.GetValue<long>());
            Assert.Equal(await EngineAudioAsync(new() { Text = $"Request number {seed} of ten.", Seed = seed }), audio);
        }
    }

    [Fact]
    public async Task A_duplicate_request_id_in_flight_is_refused()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        await client.SendRequestAsync("same", new { text = new string('x', 480) });
        await client.SendRequestAsync("same", new { text = "again" });
        var seen = await client.ReceiveUntilAsync("error", "same");
        var error = seen[^1];

        Assert.Equal("duplicate_request_id", error.ErrorCode);
        Assert.Equal("request_id", error.ErrorField);
        // The refusal leaves the first request alone: it still runs to its own complete, and nothing else ends "same".
        if (!seen.Exists(m => m.Type == "complete"))
        {
            seen.AddRange(await client.ReceiveUntilAsync("complete", "same"));
        }

        Assert.Single(seen, m => m.Type == "complete" && m.RequestId == "same");
        Assert.Single(seen, m => m.Type == "error");
    }

    [Fact]
    public async Task More_than_sixteen_requests_in_flight_are_refused_naming_the_limit()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        for (var i = 0; i < 17; i++)
        {
            await client.SendRequestAsync($"many{i}", new { text = new string('x', 480) });
        }

        var error = (await client.ReceiveUntilAsync("error", "many16"))[^1];
        Assert.Equal("too_many_requests", error.ErrorCode);
        Assert.Contains("16", error.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_binary_frame_from_the_client_closes_the_connection_with_1003()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        await client.Socket.SendAsync(new byte[] { 1, 2, 3 }, WebSocketMessageType.Binary, true, CancellationToken.None).DefaultTimeout();
        var closed = await client.ReceiveAsync();

        Assert.True(closed.Closed);
        Assert.Equal(WebSocketCloseStatus.InvalidMessageType, client.Socket.CloseStatus);
    }

    [Fact]
    public async Task A_message_over_64_KiB_gets_message_too_large_and_close_1009()
    {
        await using var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);

        await client.SendTextAsync("{\"type\":\"ping\",\"pad\":\"" + new string('x', 70 * 1024) + "\"}");
        var messages = await client.ReceiveUntilAsync("error");
        var closed = await client.ReceiveAsync();

        Assert.Equal("message_too_large", messages[^1].ErrorCode);
        Assert.Contains("65536", messages[^1].ErrorMessage, StringComparison.Ordinal);
        Assert.True(closed.Closed);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.Socket.CloseStatus);
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_stream_frees_its_slot()
    {
        var cancelledBefore = CancelledCount();
        var client = await RawTtsClient.ConnectAsync(fixture.Hub.Api);
        await client.SendRequestAsync("gone", new { text = new string('x', 480) });
        await ReceiveFirstFrameAsync(client);

        client.Socket.Abort();
        client.Socket.Dispose();

        await Eventually.MatchesAsync(() => Task.FromResult(ActiveSynthesisCount()), count => count == 0, TimeSpan.FromSeconds(10));
        await Eventually.MatchesAsync(() => Task.FromResult(CancelledCount()), count => count == cancelledBefore + 1, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_plain_http_request_to_tts_is_told_to_use_a_websocket()
    {
        using var response = await fixture.Hub.Api.GetAsync(new Uri("/tts", UriKind.Relative)).DefaultTimeout();

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("WebSocket", Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);
    }
}
