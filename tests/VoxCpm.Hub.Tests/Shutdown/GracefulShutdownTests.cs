using System.Net;
using System.Net.WebSockets;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Jobs;
using VoxCpm.Hub.Requests;
using VoxCpm.Hub.Shutdown;
using VoxCpm.Hub.Synthesis;
using VoxCpm.Hub.Tests.History;
using VoxCpm.Hub.Tests.RawTts;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Shutdown;

/// <summary>
/// Stopping the real hub (as SIGTERM does): /ready turns 503 at once, new work is refused as unavailable, streams in
/// flight finish within TTS_SHUTDOWN_TIMEOUT_SECONDS or end cancelled, and durable jobs go back to the queue.
/// </summary>
public sealed class GracefulShutdownTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    // Long enough that a stream of the tiny model is still running when the test stops the host.
    private static readonly string s_longText = new('x', 480);

    [Fact]
    public async Task Streams_in_flight_finish_while_new_requests_are_refused_and_ready_turns_503()
    {
        const int drainSeconds = 60;
        await using var hub = await StartAsync(timeoutSeconds: drainSeconds);
        await using var raw = await RawTtsClient.ConnectAsync(hub.Api);
        await raw.SendRequestAsync("inflight", new { text = s_longText, seed = 2 });
        await ReceiveFirstFrameAsync(raw);
        await using var signalR = await hub.ConnectSignalRAsync();
        // The stream lives through the whole drain (the ready probe, the raw stream's end, every refusal), so its
        // bound is the drain's own deadline plus a margin, not one step's timeout: under load the steps add up.
        using var streamTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(drainSeconds) + TimeoutExtensions.DefaultTimeoutSpan);
        var hubItems = signalR.StreamAsync<SynthesisStreamItem>(TtsHubMethods.Synthesize, new { text = s_longText, seed = 2 }, streamTimeout.Token).GetAsyncEnumerator();
        Assert.True(await hubItems.MoveNextAsync().AsTask().DefaultTimeout());

        // Another request in flight that the test ends itself, so the drain lasts until every refusal is checked.
        var drain = hub.Services.GetRequiredService<ShutdownDrain>();
        var held = drain.TryEnter();
        Assert.NotNull(held);
        var stopping = hub.StopAsync();
        try
        {
            await RefusesNewWorkWhileInFlightStreamsFinishAsync(hub, raw, signalR, hubItems, stopping);
        }
        finally
        {
            held.Dispose();
        }

        var closed = await raw.ReceiveAsync();
        Assert.True(closed.Closed, closed.ToString());
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, raw.Socket.CloseStatus);
        await stopping.DefaultTimeout();
    }

    private static async Task RefusesNewWorkWhileInFlightStreamsFinishAsync(TestHub hub, RawTtsClient raw, HubConnection signalR, IAsyncEnumerator<SynthesisStreamItem> hubItems, Task stopping)
    {
        var (code, report) = await Eventually.MatchesAsync(() => ReadyReport.GetAsync(hub.Api, "/ready"), result => result.Code == HttpStatusCode.ServiceUnavailable);
        Assert.Contains("shutting down", report.Check("accepting").Description, StringComparison.Ordinal);
        Assert.Equal("Healthy", report.Check("model").Status);

        // The streams that were running finish normally.
        var rawEnd = (await raw.ReceiveUntilAsync("complete", "inflight"))[^1];
        Assert.Equal("complete", rawEnd.Type);
        var last = hubItems.Current;
        while (await hubItems.MoveNextAsync().AsTask().DefaultTimeout())
        {
            last = hubItems.Current;
        }

        Assert.Equal(StreamItemKind.Complete, last.Kind);
        await hubItems.DisposeAsync();

        // New work is refused, on every transport, with one code.
        await raw.SendRequestAsync("late", new { text = "too late" });
        var refused = (await raw.ReceiveUntilAsync("error", "late"))[^1];
        Assert.Equal(ErrorCodes.Unavailable, refused.ErrorCode);
        Assert.Contains("shutting down", refused.ErrorMessage, StringComparison.Ordinal);
        var hubRefusal = await Assert.ThrowsAsync<HubException>(async () =>
        {
            using var timeout = new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan);
            await foreach (var item in signalR.StreamAsync<SynthesisStreamItem>(TtsHubMethods.Synthesize, new { text = "too late" }, timeout.Token))
            {
            }
        });
        Assert.Contains("[unavailable]", hubRefusal.Message, StringComparison.Ordinal);
        using var http = await hub.Api.PostAsync(new Uri("/api/tts", UriKind.Relative), new StringContent("""{"text":"too late"}""", System.Text.Encoding.UTF8, "application/json")).DefaultTimeout();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, http.StatusCode);
        Assert.Contains("unavailable", await http.Content.ReadAsStringAsync().DefaultTimeout(), StringComparison.Ordinal);
        Assert.False(stopping.IsCompleted);
    }

    [Fact]
    public async Task A_stream_still_running_at_the_deadline_ends_cancelled()
    {
        await using var hub = await StartAsync(timeoutSeconds: 0);
        await using var raw = await RawTtsClient.ConnectAsync(hub.Api);
        await raw.SendRequestAsync("long", new { text = new string('x', 1500), seed = 2 });
        await ReceiveFirstFrameAsync(raw);

        var stopping = hub.StopAsync();

        var end = (await raw.ReceiveUntilAsync("error", "long"))[^1];
        Assert.Equal(ErrorCodes.Cancelled, end.ErrorCode);
        Assert.True((await raw.ReceiveAsync()).Closed);
        await stopping.DefaultTimeout();
    }

    [Fact]
    public async Task A_job_interrupted_by_the_stop_goes_back_to_the_queue_and_completes_on_the_next_host()
    {
        JobTicket ticket;
        await using (var first = await StartAsync(timeoutSeconds: 0))
        {
            ticket = await first.Services.GetRequiredService<ISynthesisJobs>()
                .EnqueueAsync(new SynthesisRequest { Text = s_longText, Seed = 2 }, new SynthesisContext(EntryPoint.Http, "handed-back"), CancellationToken.None)
                .DefaultTimeout();
            var scheduler = first.Services.GetRequiredService<Inference.IEngineAccessor>().Engine!.Scheduler;
            await Eventually.MatchesAsync(() => Task.FromResult(scheduler.ActiveCount), active => active > 0, interval: TimeSpan.FromMilliseconds(5));
            await first.StopAsync().DefaultTimeout();
        }

        // Handed back, not failed: the row still says running and the job waits in the queue.
        var row = await HistoryTestData.FindAsync(database.ConnectionString, ticket.SynthesisId);
        Assert.Equal(SynthesisStatus.Running, row!.Status);

        await using var second = await StartAsync(timeoutSeconds: 2);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        JobUpdate? last = null;
        await foreach (var update in second.Services.GetRequiredService<ISynthesisJobs>().WatchAsync(ticket.JobId, timeout.Token))
        {
            last = update;
        }

        Assert.Equal("completed", last?.Status);
        Assert.NotNull(await second.Services.GetRequiredService<ISynthesisJobs>().GetAudioAsync(ticket.SynthesisId, CancellationToken.None).DefaultTimeout());
    }

    [Fact]
    public async Task Ready_goes_from_503_to_200_as_the_model_loads_and_back_to_503_when_shutdown_begins()
    {
        // Holding the migrator's advisory lock keeps the hub not ready however fast the model loads.
        await using var migrationLock = new Npgsql.NpgsqlConnection(database.ConnectionString);
        await migrationLock.OpenAsync().DefaultTimeout();
        await using (var take = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({Database.DatabaseMigrator.MigrationLockKey})", migrationLock))
        {
            await take.ExecuteNonQueryAsync().DefaultTimeout();
        }

        await using var hub = await StartAsync(timeoutSeconds: 2, waitForReady: false);
        var (beforeMigration, _) = await ReadyReport.GetAsync(hub.Api, "/ready");
        // Explicitly: a pooled connection's close would keep its session's lock until the connection is reused.
        await using (var release = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({Database.DatabaseMigrator.MigrationLockKey})", migrationLock))
        {
            await release.ExecuteNonQueryAsync().DefaultTimeout();
        }

        var seen = new List<HttpStatusCode> { beforeMigration };
        await Eventually.MatchesAsync(
            async () =>
            {
                var (code, _) = await ReadyReport.GetAsync(hub.Api, "/ready");
                seen.Add(code);
                return code;
            },
            code => code == HttpStatusCode.OK,
            interval: TimeSpan.FromMilliseconds(10));

        var held = hub.Services.GetRequiredService<ShutdownDrain>().TryEnter()!;
        var stopping = hub.StopAsync();
        var (afterStop, report) = await ReadyReport.GetAsync(hub.Api, "/ready");
        held.Dispose();
        await stopping.DefaultTimeout();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, seen[0]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, afterStop);
        Assert.Equal("Unhealthy", report.Check("accepting").Status);
    }

    private static async Task ReceiveFirstFrameAsync(RawTtsClient client)
    {
        while ((await client.ReceiveAsync()).Frame is null)
        {
        }
    }

    private async Task<TestHub> StartAsync(int timeoutSeconds, bool waitForReady = true)
    {
        var settings = TestSettings.With(database.ConnectionString, TinyFixtures.V05);
        settings["TTS_SHUTDOWN_TIMEOUT_SECONDS"] = timeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var hub = await TestHub.StartAsync(settings);
        if (waitForReady)
        {
            await hub.WaitForReadyAsync();
        }

        return hub;
    }
}
