using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Tests.RawTts;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Security;

/// <summary>TTS_API_KEYS on every surface: raw /tts, the SignalR hub, the HTTP API; probes stay open; CORS for the UI only.</summary>
public sealed class ApiKeyTests(ApiKeyHubFixture fixture) : IClassFixture<ApiKeyHubFixture>
{
    private static readonly string Key = KeyedHubFixture.Keys[0];

    [Theory]
    [InlineData(null, "an API key is required")]
    [InlineData("not-a-configured-key-at-all", "the API key is not valid")]
    public async Task Raw_tts_without_a_valid_key_is_refused_with_401_before_the_upgrade(string? key, string message)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (key is not null)
        {
            socket.Options.SetRequestHeader("X-Api-Key", key);
        }

        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(RawTtsClient.TtsUri(fixture.Hub.Api), CancellationToken.None).DefaultTimeout());
        Assert.Equal(HttpStatusCode.Unauthorized, socket.HttpStatusCode);

        // The same refusal as plain HTTP shows the JSON error body.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tts");
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        var (status, error) = await SendAsync(fixture.Hub.Api, request);
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", error["code"]!.GetValue<string>());
        Assert.Contains(message, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("header")]
    [InlineData("bearer")]
    [InlineData("query")]
    public async Task Raw_tts_with_a_valid_key_in_a_header_or_the_query_is_served(string form)
    {
        var uri = RawTtsClient.TtsUri(fixture.Hub.Api, form == "query" ? $"api_key={Uri.EscapeDataString(Key)}" : "");
        await using var client = await RawTtsClient.ConnectAsync(uri, options =>
        {
            if (form == "header")
            {
                options.SetRequestHeader("X-Api-Key", Key);
            }
            else if (form == "bearer")
            {
                options.SetRequestHeader("Authorization", $"Bearer {Key}");
            }
        });

        await client.SendRequestAsync("keyed", new { text = "Hello with a key." });

        Assert.Equal("complete", (await client.ReceiveUntilAsync("complete", "keyed"))[^1].Type);
    }

    [Fact]
    public async Task The_hub_refuses_a_connection_without_a_valid_key_and_serves_one_with_an_access_token()
    {
        var hubUri = new Uri(fixture.Hub.Api.BaseAddress!, TtsHubMethods.Route);
        await using (var anonymous = new HubConnectionBuilder().WithUrl(hubUri).Build())
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => anonymous.StartAsync().DefaultTimeout());
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await using (var wrong = new HubConnectionBuilder().WithUrl(hubUri, o => o.AccessTokenProvider = () => Task.FromResult<string?>("wrong-key-0123456789")).Build())
        {
            var refused = await Assert.ThrowsAsync<HttpRequestException>(() => wrong.StartAsync().DefaultTimeout());
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        await using var keyed = new HubConnectionBuilder().WithUrl(hubUri, o => o.AccessTokenProvider = () => Task.FromResult<string?>(Key)).Build();
        await keyed.StartAsync().DefaultTimeout();
        var kinds = new List<string>();
        using var timeout = new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan);
        await foreach (var item in keyed.StreamAsync<SynthesisStreamItem>(TtsHubMethods.Synthesize, new { text = "Hub with a key." }, timeout.Token))
        {
            kinds.Add(item.Kind);
        }

        Assert.Equal(StreamItemKind.Complete, kinds[^1]);
    }

    [Theory]
    [InlineData("/api/history")]
    [InlineData("/api/voices")]
    [InlineData("/v1/models")]
    public async Task The_http_api_needs_a_valid_key(string path)
    {
        using (var missing = new HttpRequestMessage(HttpMethod.Get, path))
        {
            var (status, error) = await SendAsync(fixture.Hub.Api, missing);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Contains("TTS_API_KEYS", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal("api_key", error["field"]!.GetValue<string>());
        }

        using (var invalid = new HttpRequestMessage(HttpMethod.Get, path))
        {
            invalid.Headers.Authorization = new("Bearer", "an-invalid-key-0123456789");
            var (status, error) = await SendAsync(fixture.Hub.Api, invalid);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("the API key is not valid", error["message"]!.GetValue<string>());
        }

        using var valid = new HttpRequestMessage(HttpMethod.Get, path);
        valid.Headers.Authorization = new("Bearer", Key);
        using var response = await fixture.Hub.Api.SendAsync(valid).DefaultTimeout();
        Assert.NotEqual(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.NotFound, $"{path}: {response.StatusCode}");
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/ready")]
    public async Task Probes_need_no_key(string path)
    {
        using var response = await fixture.Hub.Api.GetAsync(new Uri(path, UriKind.Relative)).DefaultTimeout();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_preflight_from_the_web_ui_origin_or_a_configured_origin_is_allowed_and_from_another_origin_refused()
    {
        var webPort = fixture.Hub.Web.BaseAddress!.Port;
        var uiOrigin = $"http://127.0.0.1:{webPort}";

        Assert.Equal(uiOrigin, await PreflightAsync(uiOrigin));
        Assert.Equal(ApiKeyHubFixture.ExtraOrigin, await PreflightAsync(ApiKeyHubFixture.ExtraOrigin));
        Assert.Null(await PreflightAsync("https://evil.example"));
        Assert.Null(await PreflightAsync($"http://evil.example:{webPort}"));
    }

    private async Task<string?> PreflightAsync(string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/history");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "GET");
        request.Headers.Add("Access-Control-Request-Headers", "authorization");
        using var response = await fixture.Hub.Api.SendAsync(request).DefaultTimeout();
        Assert.True(response.IsSuccessStatusCode, $"preflight answered {response.StatusCode}");
        return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
    }

    internal static async Task<(HttpStatusCode Status, JsonObject Error)> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        using var response = await http.SendAsync(request).DefaultTimeout();
        var body = await response.Content.ReadFromJsonAsync<JsonObject>().DefaultTimeout();
        return (response.StatusCode, body!["error"]!.AsObject());
    }
}
