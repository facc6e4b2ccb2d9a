using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.SignalR.Client;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Metrics;

/// <summary>After a synthesis, /metrics carries the engine's scheduler metrics under the names the Grafana dashboard uses.</summary>
public sealed class EngineMetricsTests : TinyHubFixture
{
    protected override void Configure(Dictionary<string, string?> settings) => settings["TTS_METRICS_ENABLED"] = "true";

    [Fact]
    public async Task A_synthesis_shows_up_in_steps_prefill_latency_rtf_audio_and_outcome_metrics()
    {
        using var synthesis = await Hub.Api.PostAsJsonAsync("/api/tts", new { text = "Metrics, please.", seed = 9 }).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, synthesis.StatusCode);

        string metrics = await Hub.Api.GetStringAsync(new Uri("/metrics", UriKind.Relative)).DefaultTimeout();

        foreach (string name in new[]
        {
            "voxcpm_scheduler_queue_length",
            "voxcpm_scheduler_active_requests",
            "voxcpm_scheduler_steps_total",
            "voxcpm_scheduler_step_seconds_bucket",
            "voxcpm_scheduler_step_host_seconds_bucket",
            "voxcpm_scheduler_batch_size_bucket",
            "voxcpm_scheduler_prefill_batch_size_bucket",
            "voxcpm_scheduler_prefill_seconds_bucket",
            "voxcpm_time_to_first_audio_seconds_bucket",
            "voxcpm_real_time_factor_bucket",
            "voxcpm_audio_seconds_total",
            "voxcpm_scheduler_requests_total{outcome=\"completed\"}",
        })
        {
            Assert.Contains(name, metrics, StringComparison.Ordinal);
        }

        var steps = metrics.Split('\n').Single(line => line.StartsWith("voxcpm_scheduler_steps_total ", StringComparison.Ordinal));
        Assert.True(double.Parse(steps.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= 3, steps);
    }

    [Fact]
    public async Task A_streamed_synthesis_exports_underruns_and_the_audio_ahead_of_its_listener()
    {
        // The meters are process-wide (other test classes' streams add to them): what this stream adds is the difference.
        var before = (await PrometheusText.ScrapeAsync(Hub.Api)).Value("voxcpm_stream_audio_ahead_seconds_count");
        await using (var connection = await Hub.ConnectSignalRAsync())
        {
            using var timeout = new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan);
            int audioItems = 0;
            var request = new { text = "A streamed request long enough for several chunks of audio.", seed = 4 };
            await foreach (var item in connection.StreamAsync<SynthesisStreamItem>(TtsHubMethods.Synthesize, request, timeout.Token))
            {
                audioItems += item.Kind == StreamItemKind.Audio ? 1 : 0;
            }

            Assert.True(audioItems >= 2, $"{audioItems} audio items: the second chunk is the first one measured against playback");
        }

        var metrics = await PrometheusText.ScrapeAsync(Hub.Api);

        // Every chunk after the first is measured against playback: this stream added at least one observation.
        Assert.NotNull(metrics.Find("voxcpm_stream_underruns_total"));
        Assert.True(metrics.Value("voxcpm_stream_audio_ahead_seconds_count") - before >= 1, $"before: {before}\n{metrics}");
    }

    [Fact]
    public async Task Runaway_guard_events_are_exported_with_their_kind_and_action()
    {
        // The engine counts guard events on its scheduler meter (NoiseGuardTests drive a real one); the tiny model
        // never trips the guard through the hub, so an instrument of the same meter and shape stands in for it.
        using var meter = new Meter(Engine.Scheduling.EngineMeters.Scheduler);
        var events = meter.CreateCounter<long>("voxcpm_guard_events_total");
        events.Add(1, new KeyValuePair<string, object?>("kind", "noise"), new KeyValuePair<string, object?>("action", "retry"));
        events.Add(2, new KeyValuePair<string, object?>("kind", "silence"), new KeyValuePair<string, object?>("action", "end"));

        string metrics = await Hub.Api.GetStringAsync(new Uri("/metrics", UriKind.Relative)).DefaultTimeout();

        Assert.Contains("voxcpm_guard_events_total{kind=\"noise\",action=\"retry\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("voxcpm_guard_events_total{kind=\"silence\",action=\"end\"} 2", metrics, StringComparison.Ordinal);
    }
}
