using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Tests.RawTts;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Metrics;

/// <summary>
/// The hub's own metrics on a real scrape of /metrics: requests by entry point and outcome, errors by code, open
/// connections, model load time and device. The Prometheus registry is process-wide, so values are compared with a
/// scrape taken before.
/// </summary>
public sealed class HubMetricsTests : TinyHubFixture
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["TTS_METRICS_ENABLED"] = "true";

    [Fact]
    public async Task A_raw_and_a_signalr_synthesis_count_under_their_entry_points()
    {
        var before = await PrometheusText.ScrapeAsync(Hub.Api);

        await using (var raw = await RawTtsClient.ConnectAsync(Hub.Api))
        {
            await raw.SendRequestAsync("counted", new { text = "Count me.", seed = 3 });
            Assert.Equal("complete", (await raw.ReceiveUntilAsync("complete", "counted"))[^1].Type);
        }

        await using (var connection = await Hub.ConnectSignalRAsync())
        {
            var items = await connection.SynthesizeAllAsync(new { text = "Count me too.", seed = 3 });
            Assert.Equal(StreamItemKind.Complete, items[^1].Kind);
        }

        var after = await PrometheusText.ScrapeAsync(Hub.Api);
        foreach (var entryPoint in new[] { "raw_ws", "signalr" })
        {
            var labels = new[] { ("entry_point", entryPoint), ("outcome", "completed") };
            Assert.True(
                after.Value("voxcpm_requests_total", labels) >= before.Value("voxcpm_requests_total", labels) + 1,
                $"voxcpm_requests_total for {entryPoint} did not move:\n{after}");
        }
    }

    [Fact]
    public async Task A_rejected_request_counts_as_rejected_and_by_its_error_code()
    {
        var before = await PrometheusText.ScrapeAsync(Hub.Api);

        await using (var raw = await RawTtsClient.ConnectAsync(Hub.Api))
        {
            await raw.SendRequestAsync("bad", new { text = "x", cfg_value = 50 });
            Assert.Equal("invalid_request", (await raw.ReceiveUntilAsync("error", "bad"))[^1].ErrorCode);
            await raw.SendTextAsync("{ not json");
            Assert.Equal("invalid_json", (await raw.ReceiveUntilAsync("error"))[^1].ErrorCode);
        }

        await using (var connection = await Hub.ConnectSignalRAsync())
        {
            var refused = await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => connection.SynthesizeAllAsync(new { text = "" }));
            Assert.Contains("[invalid_request]", refused.Message, StringComparison.Ordinal);
        }

        // POST /api/tts refuses a body its binder cannot read before anything runs, and still counts it.
        using (var body = new StringContent("""{"text":"x","inference_timesteps":10.5}""", System.Text.Encoding.UTF8, "application/json"))
        using (var response = await Hub.Api.PostAsync(new Uri("/api/tts", UriKind.Relative), body).DefaultTimeout())
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        }

        var after = await PrometheusText.ScrapeAsync(Hub.Api);
        (string, string)[] httpRejected = [("entry_point", "http"), ("outcome", "rejected")];
        (string, string)[] httpJson = [("entry_point", "http"), ("code", "invalid_json")];
        Assert.Equal(before.Value("voxcpm_requests_total", httpRejected) + 1, after.Value("voxcpm_requests_total", httpRejected));
        Assert.Equal(before.Value("voxcpm_errors_total", httpJson) + 1, after.Value("voxcpm_errors_total", httpJson));
        (string, string)[] rawRejected = [("entry_point", "raw_ws"), ("outcome", "rejected")];
        (string, string)[] rawInvalid = [("entry_point", "raw_ws"), ("code", "invalid_request")];
        (string, string)[] rawJson = [("entry_point", "raw_ws"), ("code", "invalid_json")];
        (string, string)[] hubInvalid = [("entry_point", "signalr"), ("code", "invalid_request")];
        Assert.Equal(before.Value("voxcpm_requests_total", rawRejected) + 1, after.Value("voxcpm_requests_total", rawRejected));
        Assert.Equal(before.Value("voxcpm_errors_total", rawInvalid) + 1, after.Value("voxcpm_errors_total", rawInvalid));
        Assert.Equal(before.Value("voxcpm_errors_total", rawJson) + 1, after.Value("voxcpm_errors_total", rawJson));
        Assert.Equal(before.Value("voxcpm_errors_total", hubInvalid) + 1, after.Value("voxcpm_errors_total", hubInvalid));
    }

    [Fact]
    public async Task Connection_gauges_rise_while_clients_are_connected_and_fall_when_they_leave()
    {
        var raw = await RawTtsClient.ConnectAsync(Hub.Api);
        await raw.PingAsync();
        var signalR = await Hub.ConnectSignalRAsync();

        await Eventually.MatchesAsync(() => OpenAsync(), open => open is { Raw: >= 1, SignalR: >= 1 });

        await raw.DisposeAsync();
        await signalR.DisposeAsync();
        await Eventually.MatchesAsync(() => OpenAsync(), open => open is { Raw: 0, SignalR: 0 });
    }

    [Fact]
    public async Task Model_load_time_and_the_device_in_use_are_published()
    {
        var metrics = await PrometheusText.ScrapeAsync(Hub.Api);

        Assert.True(metrics.Value("voxcpm_model_load_seconds") > 0, metrics.ToString());
        var info = metrics.Find("voxcpm_model_info", ("device", "cpu"), ("model", TinyFixtures.V05));
        Assert.NotNull(info);
        Assert.Equal(1, info.Value);
    }

    private async Task<(double Raw, double SignalR)> OpenAsync()
    {
        var metrics = await PrometheusText.ScrapeAsync(Hub.Api);
        return (metrics.Value("voxcpm_open_connections", ("transport", "raw_ws")), metrics.Value("voxcpm_open_connections", ("transport", "signalr")));
    }
}
