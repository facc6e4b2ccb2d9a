using System.Net;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Tests.RawTts;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Security;

/// <summary>
/// TTS_RATE_LIMIT_PER_MINUTE per API key: HTTP gets 429 with Retry-After, a raw tts_request an error while the
/// connection stays open, a hub synthesis a HubException; other keys are not affected. Each test owns its keys, so
/// their one-minute windows start within the test.
/// </summary>
public sealed class RateLimitTests(RateLimitedHubFixture fixture) : IClassFixture<RateLimitedHubFixture>
{
    private const int Limit = RateLimitedHubFixture.PerMinute;

    [Fact]
    public async Task Http_calls_over_the_limit_get_429_with_retry_after_and_another_key_is_not_affected()
    {
        var (limited, other) = (KeyedHubFixture.Keys[0], KeyedHubFixture.Keys[1]);
        for (var i = 0; i < Limit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, await GetHistoryStatusAsync(limited));
        }

        using var request = History(limited);
        using var response = await fixture.Hub.Api.SendAsync(request).DefaultTimeout();
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        var body = await response.Content.ReadAsStringAsync().DefaultTimeout();
        Assert.Contains("\"too_many_requests\"", body, StringComparison.Ordinal);
        Assert.Contains($"{Limit} requests per minute per API key (TTS_RATE_LIMIT_PER_MINUTE)", body, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, await GetHistoryStatusAsync(other));
    }

    [Fact]
    public async Task A_raw_request_over_the_limit_gets_too_many_requests_the_connection_stays_open_and_another_key_is_served()
    {
        var (limited, other) = (KeyedHubFixture.Keys[2], KeyedHubFixture.Keys[3]);
        await using var client = await RawTtsClient.ConnectAsync(RawTtsClient.TtsUri(fixture.Hub.Api), o => o.SetRequestHeader("X-Api-Key", limited));
        for (var i = 0; i < Limit; i++)
        {
            await client.SendRequestAsync($"ok{i}", new { text = "Within the limit." });
            Assert.Equal("complete", (await client.ReceiveUntilAsync("complete", $"ok{i}"))[^1].Type);
        }

        await client.SendRequestAsync("over", new { text = "One too many." });
        var error = (await client.ReceiveUntilAsync("error", "over"))[^1];
        Assert.Equal("too_many_requests", error.ErrorCode);
        Assert.Contains("TTS_RATE_LIMIT_PER_MINUTE", error.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal("pong", (await client.PingAsync())["type"]!.GetValue<string>());

        await using var second = await RawTtsClient.ConnectAsync(RawTtsClient.TtsUri(fixture.Hub.Api, $"api_key={other}"));
        await second.SendRequestAsync("other", new { text = "Another key." });
        Assert.Equal("complete", (await second.ReceiveUntilAsync("complete", "other"))[^1].Type);
    }

    [Fact]
    public async Task A_hub_synthesis_over_the_limit_is_refused_and_the_connection_stays_usable()
    {
        var limited = KeyedHubFixture.Keys[4];
        await using var connection = await fixture.Hub.ConnectSignalRAsync(apiKey: limited);
        for (var i = 0; i < Limit; i++)
        {
            Assert.Equal(StreamItemKind.Complete, (await SynthesizeAsync(connection))[^1].Kind);
        }

        var refused = await Assert.ThrowsAsync<HubException>(() => SynthesizeAsync(connection));
        Assert.Contains("[too_many_requests]", refused.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    private static Task<List<SynthesisStreamItem>> SynthesizeAsync(HubConnection connection) =>
        connection.SynthesizeAllAsync(new { text = "Hub request." });

    private async Task<HttpStatusCode> GetHistoryStatusAsync(string key)
    {
        using var request = History(key);
        using var response = await fixture.Hub.Api.SendAsync(request).DefaultTimeout();
        return response.StatusCode;
    }

    private static HttpRequestMessage History(string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/history");
        request.Headers.Add("X-Api-Key", key);
        return request;
    }
}
