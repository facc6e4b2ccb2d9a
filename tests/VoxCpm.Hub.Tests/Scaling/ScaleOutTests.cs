using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Hangfire;
using Hangfire.States;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using VoxCpm.Hub.Contracts;
using VoxCpm.Hub.Contracts.Hub;
using VoxCpm.Hub.Jobs;
using VoxCpm.TestKit;

namespace VoxCpm.Hub.Tests.Scaling;

/// <summary>
/// Several hub nodes on one machine sharing a real PostgreSQL database (fresh per class) and a real Redis (a channel
/// prefix per test): an api-only node hands its jobs to a worker node, job updates cross nodes through the SignalR
/// backplane, and a worker killed mid-job leaves the job to another worker.
/// </summary>
public sealed class ScaleOutTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    // Short enough that the killed node's job is taken over well within the test's budget; the live node's
    // heartbeat keeps it invisible meanwhile.
    private const string ShortInvisibilitySeconds = "5";

    // A killed node's job waits out the invisibility timeout, then the next worker's queue poll; on a loaded
    // 2-core machine a node's start (model load, migrations) adds tens of seconds.
    private static readonly TimeSpan s_takeOverBudget = TimeSpan.FromSeconds(120);

    // Each test's nodes share a backplane of their own on the one Redis.
    private readonly string _channelPrefix = "voxcpm-test-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task A_job_submitted_to_an_api_only_node_runs_on_the_worker_node()
    {
        await using var api = await StartNodeAsync("api");
        await using var worker = await StartNodeAsync("worker");

        var jobs = (await ReadyReport.GetAsync(api.Api, "/ready")).Report.Check("jobs");
        Assert.Equal("Healthy", jobs.Status);
        Assert.Contains("this node runs no worker (role api)", jobs.Description, StringComparison.Ordinal);
        Assert.Null(api.Services.GetRequiredService<JobServerState>().ServerName);

        // The worker serves health and metrics, not clients.
        Assert.Equal(HttpStatusCode.OK, (await ReadyReport.GetAsync(worker.Api, "/ready")).Code);
        using (var refused = await worker.Api.GetAsync(new Uri("/api/jobs/1", UriKind.Relative)).DefaultTimeout())
        {
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        var jobId = await PostJobAsync(api, new { text = "Run me elsewhere.", inference_timesteps = 2, seed = 3 });
        var done = await Eventually.MatchesAsync(() => GetJobAsync(api, jobId), job => IsTerminal(job.GetProperty("status").GetString()));
        Assert.Equal("completed", done.GetProperty("status").GetString());
        var wav = await api.Api.GetByteArrayAsync(new Uri($"/api/jobs/{jobId}/audio", UriKind.Relative)).DefaultTimeout();
        Assert.True(wav.Length > 44);

        Assert.StartsWith(
            worker.Services.GetRequiredService<JobServerState>().ServerName!,
            ProcessedBy(api, jobId).Last(),
            StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_signalr_client_on_one_node_hears_a_job_finished_on_another_through_redis()
    {
        var redis = Redis();
        await using var audio = await GatedAudioServer.StartAsync();
        await using var api = await StartNodeAsync("api", redis);
        await using var worker = await StartNodeAsync("worker", redis);

        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(api.Api.BaseAddress!, TtsHubMethods.Route))
            .Build();
        var updates = new System.Collections.Concurrent.ConcurrentQueue<JobUpdate>();
        var finished = new TaskCompletionSource<JobUpdate>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.On<JobUpdate>(TtsHubMethods.JobUpdated, update =>
        {
            updates.Enqueue(update);
            if (IsTerminal(update.Status))
            {
                finished.TrySetResult(update);
            }
        });
        await connection.StartAsync().DefaultTimeout();
        Assert.Equal("Healthy", (await ReadyReport.GetAsync(api.Api, "/ready")).Report.Check("backplane").Status);

        using var timeout = new CancellationTokenSource(TimeoutExtensions.DefaultTimeoutSpan);
        var request = new SynthesisRequest
        {
            Text = "Heard across nodes.",
            Mode = SynthesisMode.NonStreaming,
            PromptWavUrl = audio.Url.ToString(),
            PromptText = "A tone.",
            InferenceTimesteps = 2,
            RetryBadcase = false,
        };
        var items = new List<SynthesisStreamItem>();
        await foreach (var item in connection.StreamAsync<SynthesisStreamItem>(TtsHubMethods.Synthesize, request, timeout.Token))
        {
            items.Add(item);
        }

        var jobId = Assert.Single(items).JobId!;

        // The worker is fetching the reference audio: the job runs there, and has not finished, while this client
        // follows it on the api node. Its end can reach the client only through the backplane: an api node with
        // Redis runs no watcher of its own.
        await audio.WaitUntilHeldAsync();
        Assert.False(finished.Task.IsCompleted);
        audio.Release();

        var done = await finished.Task.DefaultTimeout();
        Assert.Equal(jobId, done.JobId);
        Assert.Equal("completed", done.Status);
        Assert.True(done.Summary!.Samples > 0);
        Assert.Contains(updates, update => update.Status == "running");
        Assert.StartsWith(
            worker.Services.GetRequiredService<JobServerState>().ServerName!,
            ProcessedBy(api, jobId).Last(),
            StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Killing_the_worker_that_runs_a_job_lets_another_worker_finish_it()
    {
        await using var audio = await GatedAudioServer.StartAsync();
        await using var api = await StartNodeAsync("api");
        var doomedSettings = NodeSettings("worker");
        doomedSettings["TTS_LOG_LEVEL"] = "INFO";
        await using var doomed = HubNodeProcess.Start(doomedSettings);
        try
        {
            await Eventually.MatchesAsync(() => ReadyOrDownAsync(doomed.Api), code => code == HttpStatusCode.OK, s_takeOverBudget);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException("the worker process did not get ready; its output:" + Environment.NewLine + doomed.RecentOutput, e);
        }

        var jobId = await PostJobAsync(api, new
        {
            text = "Outlive my worker.",
            prompt_wav_url = audio.Url.ToString(),
            prompt_text = "A tone.",
            inference_timesteps = 2,
            retry_badcase = false,
        });
        await audio.WaitUntilHeldAsync();
        Assert.Equal("running", (await GetJobAsync(api, jobId)).GetProperty("status").GetString());
        var firstServer = ProcessedBy(api, jobId).Single();

        await doomed.KillAsync();
        audio.Release();
        await using var survivor = await StartNodeAsync("worker");

        var done = await Eventually.MatchesAsync(
            () => GetJobAsync(api, jobId),
            job => IsTerminal(job.GetProperty("status").GetString()),
            s_takeOverBudget);
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.True(audio.Requests >= 2, $"the reference audio was fetched {audio.Requests} time(s)");
        var servers = ProcessedBy(api, jobId);
        Assert.Equal(firstServer, servers.First());
        Assert.StartsWith(survivor.Services.GetRequiredService<JobServerState>().ServerName!, servers.Last(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Ready_reports_the_spare_capacity_a_balancer_can_compare()
    {
        var settings = NodeSettings("api,worker");
        settings["TTS_MAX_CONCURRENT"] = "3";
        settings["TTS_QUEUE_LIMIT"] = "7";
        await using var node = await TestHub.StartAsync(settings);
        await node.WaitForReadyAsync();

        var report = await node.Api.GetFromJsonAsync<JsonElement>(new Uri("/ready", UriKind.Relative)).DefaultTimeout();
        var capacity = report.GetProperty("checks").EnumerateArray().Single(check => check.GetProperty("name").GetString() == "capacity");
        Assert.Equal("Healthy", capacity.GetProperty("status").GetString());
        Assert.Equal("0 of 3 synthesizing, 0 of 7 queued", capacity.GetProperty("description").GetString());
        var data = capacity.GetProperty("data");
        Assert.Equal(0, data.GetProperty("active").GetInt32());
        Assert.Equal(3, data.GetProperty("maxConcurrent").GetInt32());
        Assert.Equal(0, data.GetProperty("queued").GetInt32());
        Assert.Equal(7, data.GetProperty("queueLimit").GetInt32());
        Assert.Equal(10, data.GetProperty("spare").GetInt32());
        Assert.Contains("processes the synthesis queue", (await ReadyReport.GetAsync(node.Api, "/ready")).Report.Check("jobs").Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_whose_redis_is_down_stays_ready_says_so_and_still_completes_jobs()
    {
        // Port 1 on loopback: nothing listens, so every connection attempt is refused.
        await using var node = await TestHub.StartAsync(NodeSettings("api,worker", "127.0.0.1:1", _channelPrefix));
        var (code, report) = await node.WaitForReadyAsync();

        Assert.Equal("Degraded", report.Status);
        var backplane = report.Check("backplane");
        Assert.Equal("Degraded", backplane.Status);
        Assert.Contains("127.0.0.1:1", backplane.Description, StringComparison.Ordinal);

        // The updates it cannot publish are lost, not the job: its state is in PostgreSQL.
        var jobId = await PostJobAsync(node, new { text = "No backplane today.", inference_timesteps = 2 });
        var done = await Eventually.MatchesAsync(() => GetJobAsync(node, jobId), job => IsTerminal(job.GetProperty("status").GetString()), s_takeOverBudget);
        Assert.Equal("completed", done.GetProperty("status").GetString());
    }

    private static bool IsTerminal(string? status) => status is "completed" or "failed" or "cancelled";

    private static string Redis() => TestRedisServer.Address;

    private Dictionary<string, string?> NodeSettings(string roles, string? redis = null, string? channelPrefix = null)
    {
        var settings = TestSettings.With(database.ConnectionString, TinyFixtures.V05);
        settings["TTS_ROLES"] = roles;
        settings["TTS_PROMPT_URL_ALLOW_PRIVATE"] = "true";
        settings["TTS_JOB_INVISIBILITY_SECONDS"] = ShortInvisibilitySeconds;
        if (redis is not null)
        {
            settings["TTS_REDIS"] = redis;
            settings["TTS_REDIS_CHANNEL_PREFIX"] = channelPrefix;
        }

        return settings;
    }

    private async Task<TestHub> StartNodeAsync(string roles, string? redis = null)
    {
        var node = await TestHub.StartAsync(NodeSettings(roles, redis, _channelPrefix));
        await node.WaitForReadyAsync();
        return node;
    }

    private static async Task<HttpStatusCode?> ReadyOrDownAsync(HttpClient client)
    {
        try
        {
            using var response = await client.GetAsync(new Uri("/ready", UriKind.Relative)).DefaultTimeout();
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<string> PostJobAsync(TestHub node, object request)
    {
        using var response = await node.Api.PostAsync(
            new Uri("/api/jobs", UriKind.Relative),
            new StringContent(JsonSerializer.Serialize(request), Encoding.UTF8, "application/json")).DefaultTimeout();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>().DefaultTimeout()).GetProperty("job_id").GetString()!;
    }

    private static Task<JsonElement> GetJobAsync(TestHub node, string jobId) =>
        node.Api.GetFromJsonAsync<JsonElement>(new Uri($"/api/jobs/{jobId}", UriKind.Relative)).DefaultTimeout();

    // The Hangfire servers that began processing the job, oldest first (Hangfire records its id on each attempt).
    private static List<string> ProcessedBy(TestHub node, string jobId) =>
        node.Services.GetRequiredService<JobStorage>().GetMonitoringApi().JobDetails(jobId).History
            .Where(state => state.StateName == ProcessingState.StateName)
            .Reverse()
            .Select(state => state.Data["ServerId"])
            .ToList();
}
