using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using VoxCpm.Hub.Client;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.SignalR;

/// <summary>The hub at /hubs/tts on both ports, as JavaScript-style JSON clients and the .NET client see it.</summary>
public sealed class TtsHubTests(ReadyHubFixture fixture) : IClassFixture<ReadyHubFixture>
{
    [Fact]
    public async Task A_json_client_writing_snake_case_modes_gets_a_job_and_hears_when_it_completes_on_the_web_port()
    {
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(fixture.Hub.Web.BaseAddress!, TtsHubMethods.Route))
            .Build();
        var completed = new TaskCompletionSource<JobUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<JobUpdate>(TtsHubMethods.JobUpdated, update =>
        {
            if (update.Status is "completed" or "failed")
            {
                completed.TrySetResult(update);
            }
        });
        await connection.StartAsync().DefaultTimeout();

        var items = await connection.SynthesizeAllAsync(new { text = "Hello.", mode = "non_streaming", seed = 4, retryBadcase = false });

        var accepted = Assert.Single(items);
        Assert.Equal(StreamItemKind.JobAccepted, accepted.Kind);
        Assert.False(string.IsNullOrEmpty(accepted.JobId));
        var done = await completed.Task.DefaultTimeout();
        Assert.Equal(accepted.JobId, done.JobId);
        Assert.Equal("completed", done.Status);
        Assert.True(done.Summary!.Samples > 0);
    }

    [Fact]
    public async Task A_new_connection_gets_the_status_and_load_changes_are_broadcast()
    {
        await using var client = new VoxCpmHubClient(fixture.Hub.Api.BaseAddress!);
        var statuses = new System.Collections.Concurrent.ConcurrentQueue<ServerStatus>();
        var busy = new TaskCompletionSource<ServerStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.StatusChanged += status =>
        {
            statuses.Enqueue(status);
            if (status.ActiveStreams > 0)
            {
                busy.TrySetResult(status);
            }
        };
        await client.StartAsync().DefaultTimeout();
        var initial = await Eventually.MatchesAsync(() => Task.FromResult(statuses.ToArray()), s => s.Length > 0);
        Assert.Equal("loaded", initial[0].ModelState);
        Assert.Equal(0, initial[0].ActiveStreams);

        using var cancel = new CancellationTokenSource();
        var load = Enumerable.Range(0, 8).Select(seed => DrainAsync(client.SynthesizeAsync(new SynthesisRequest { Text = new string('x', 480), Seed = seed }, cancel.Token))).ToList();
        var during = await busy.Task.DefaultTimeout();
        await cancel.CancelAsync();
        await Task.WhenAll(load);

        Assert.InRange(during.ActiveStreams, 1, 10);
    }

    [Fact]
    public async Task WatchJob_with_an_invalid_id_is_refused_naming_the_field_and_the_connection_stays()
    {
        await using var client = new VoxCpmHubClient(fixture.Hub.Api.BaseAddress!);
        await client.StartAsync().DefaultTimeout();

        var empty = await Assert.ThrowsAsync<HubException>(() => client.WatchJobAsync(" ").DefaultTimeout());
        var tooLong = await Assert.ThrowsAsync<HubException>(() => client.WatchJobAsync(new string('j', 129)).DefaultTimeout());

        Assert.Contains("field: jobId", empty.Message, StringComparison.Ordinal);
        Assert.Contains("1 to 128 characters", tooLong.Message, StringComparison.Ordinal);
        Assert.Equal(HubConnectionState.Connected, client.State);
        Assert.Equal("loaded", (await client.GetStatusAsync().DefaultTimeout()).ModelState);
    }

    private static async Task DrainAsync(IAsyncEnumerable<AudioChunk> chunks)
    {
        try
        {
            await foreach (var chunk in chunks)
            {
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
    [Fact]
    public async Task Requests_through_the_hub_are_recorded_as_signalr()
    {
        await using var client = new VoxCpmHubClient(fixture.Hub.Api.BaseAddress!);
        await client.StartAsync().DefaultTimeout();

        var session = client.SynthesizeAsync(new SynthesisRequest { Text = "Recorded.", Seed = 9 });
        await foreach (var chunk in session.WithCancellation(new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan).Token))
        {
        }

        var id = session.Completion!.SynthesisId!.Value;
        var calls = await Eventually.MatchesAsync(() => Task.FromResult(fixture.Recorder.For(id)), c => c.Count == 3);
        Assert.Equal("accepted:SignalR", calls[0]);
    }
}
